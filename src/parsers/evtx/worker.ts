// Worker thread entry: decodes chunks posted by ChunkPool, into events or straight into JSONL / Event XML.
import { parentPort, type MessagePort } from 'node:worker_threads';
import { selectionWants } from '../../model/eventSelection.js';
import { decodeChunk, type ChunkJob, type ChunkResult } from './decode.js';
import { batchJsonl, chunkJsonl } from './jsonl.js';
import { runRingWorker, type RingSetup } from './jsonlRing.js';
import { chunkXml } from './xml.js';

/** Output buffers the main thread has written out and sent back: the JSON writer reuses them. */
const spares: Buffer[] = [];
const MAX_SPARES = 4;

/** The job's filter, built again from its description (one per description, kept). */
const filters = new Map<string, (channel: string, provider: string, eventId: number) => boolean>();

/** decodeChunk with the job's push-down filter, counting what it drops by channel for the main thread. */
function decodeFiltered(buf: Buffer, job: ChunkJob): ChunkResult {
  if (!job.filter) return decodeChunk(buf, job);
  const key = job.filter.key ?? JSON.stringify(job.filter);
  let wants = filters.get(key);
  if (!wants) filters.set(key, (wants = selectionWants(job.filter)));
  const filteredBy: Record<string, number> = {};
  const r = decodeChunk(buf, job, {
    wants(channel, provider, eventId) {
      const keep = wants(channel, provider, eventId);
      if (!keep) filteredBy[channel] = (filteredBy[channel] ?? 0) + 1;
      return keep;
    },
  });
  r.filteredBy = filteredBy;
  return r;
}

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
    const result = m.job.output === 'jsonl' ? (m.job.parts ? batchJsonl(buf, m.job, spares.pop()) : chunkJsonl(buf, m.job)) : m.job.output === 'xml' ? chunkXml(buf, m.job) : decodeFiltered(buf, m.job);
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
