// Worker thread entry: decodes chunks posted by ChunkPool, into events or straight into JSONL / Event XML.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { decodeChunk, type ChunkJob } from './decode.js';
import { batchJsonl, chunkJsonl } from './jsonl.js';
import { runRingWorker, type RingSetup } from './jsonlRing.js';
import { chunkXml } from './xml.js';

/** Output buffers the main thread has written out and sent back: the JSON writer reuses them. */
const spares: Buffer[] = [];
const MAX_SPARES = 4;

type Message = { id: number; buf: ArrayBuffer; job: ChunkJob } | { spare: ArrayBuffer } | { id: number; ring: RingSetup; thread: number; port: MessagePort };

parentPort?.on('message', (m: Message) => {
  if ('spare' in m) {
    if (spares.length < MAX_SPARES) spares.push(Buffer.from(m.spare));
    return;
  }
  if ('ring' in m) {
    // This thread's part of a JSONL ring: it runs until every batch is claimed and written.
    try {
      runRingWorker(m.ring, m.thread, m.port);
      parentPort!.postMessage({ id: m.id, result: { done: true } });
    } catch (e) {
      parentPort!.postMessage({ id: m.id, error: (e as Error).message });
    }
    return;
  }
  try {
    const buf = Buffer.from(m.buf);
    const result = m.job.output === 'jsonl' ? (m.job.parts ? batchJsonl(buf, m.job, spares.pop()) : chunkJsonl(buf, m.job)) : m.job.output === 'xml' ? chunkXml(buf, m.job) : decodeChunk(buf, m.job);
    // JSONL bytes are transferred, not copied; a batch's input buffer goes back for the next read
    // (fresh buffers cost page faults on both threads, and more GC here).
    const bytes = (result as { bytes?: Uint8Array }).bytes;
    const transfer: ArrayBuffer[] = bytes && bytes.byteLength > 0 ? [bytes.buffer as ArrayBuffer] : [];
    if (m.job.parts) transfer.push(m.buf);
    parentPort!.postMessage({ id: m.id, result, input: m.job.parts ? m.buf : undefined }, transfer);
  } catch (e) {
    parentPort!.postMessage({ id: m.id, error: (e as Error).message });
  }
});

// Started: the pool may now count on this thread (until then the main thread decodes alone).
parentPort?.postMessage({ ready: true });
