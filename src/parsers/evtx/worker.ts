// Worker thread entry: decodes chunks posted by ChunkPool, into events or straight into JSONL / Event XML.
import { parentPort } from 'node:worker_threads';
import { decodeChunk, type ChunkJob } from './decode.js';
import { batchJsonl, chunkJsonl } from './jsonl.js';
import { chunkXml } from './xml.js';

parentPort?.on('message', (m: { id: number; buf: ArrayBuffer; job: ChunkJob }) => {
  try {
    const buf = Buffer.from(m.buf);
    const result = m.job.output === 'jsonl' ? (m.job.parts ? batchJsonl(buf, m.job) : chunkJsonl(buf, m.job)) : m.job.output === 'xml' ? chunkXml(buf, m.job) : decodeChunk(buf, m.job);
    // JSONL bytes are transferred, not copied.
    const bytes = (result as { bytes?: Uint8Array }).bytes;
    parentPort!.postMessage({ id: m.id, result }, bytes && bytes.byteLength > 0 ? [bytes.buffer as ArrayBuffer] : []);
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error).message });
  }
});
