// Worker thread entry: decodes chunks posted by ChunkPool.
import { parentPort } from 'node:worker_threads';
import { decodeChunk, type ChunkJob } from './decode.js';

parentPort?.on('message', (m: { id: number; buf: ArrayBuffer; job: ChunkJob }) => {
  try {
    const result = decodeChunk(Buffer.from(m.buf), m.job);
    parentPort!.postMessage({ id: m.id, result });
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error).message });
  }
});
