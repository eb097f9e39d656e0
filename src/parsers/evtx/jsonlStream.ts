// JSONL for a whole evtx input (dump's fast path): with workers, chunks become text on the pool.
import type { ParseIssue } from '../../model/issue.js';
import { addStats, emptyStats, type InputSource, type ReadOptions, type SourceStats } from '../types.js';
import { batchJsonl, chunkJsonl, chunkJsonlInto, type ChunkText } from './jsonl.js';
import { JsonWriter } from './jsonWriter.js';
import { chunkPipeline, chunkPipelineMany, poolSizeFor } from './pipeline.js';
import { sharedPool } from './pool.js';

export interface TextBatch {
  /** UTF-8 JSON lines. */
  bytes: Uint8Array;
  issues: ParseIssue[];
}

export async function* evtxJsonl(input: InputSource, opts: ReadOptions): AsyncGenerator<TextBatch, SourceStats, void> {
  const stats = emptyStats();
  for await (const item of chunkPipeline<ChunkText>(input, opts, 'jsonl', chunkJsonl)) {
    if (item.kind === 'header') {
      if (item.fatal) stats.skippedBy['evtx.bad-file-header'] = 1;
      yield { bytes: NO_BYTES, issues: item.issues };
      continue;
    }
    const r = item.result;
    addStats(stats, r);
    yield { bytes: r.bytes, issues: r.issues };
  }
  return stats;
}

/**
 * An item's bytes may be a view into a reused buffer: valid until the next item is pulled. `at`:
 * how far into the file decoding has come (for progress).
 */
export type ManyTextItem = { file: number } & ({ kind: 'text'; bytes: Uint8Array; issues: ParseIssue[]; at?: number } | { kind: 'end'; stats: SourceStats } | { kind: 'error'; message: string });

const NO_BYTES = new Uint8Array(0);

/** Single thread: JSON text is handed on in pieces of about this size rather than per chunk. */
const TEXT_BATCH = 1 << 20;

/** evtxJsonl over several inputs at once (one worker queue across files); items in input order. */
export async function* evtxJsonlMany(inputs: InputSource[], opts: ReadOptions): AsyncGenerator<ManyTextItem, void, void> {
  let stats = emptyStats();
  const workers = Math.max(1, Math.floor(opts.workers ?? 1));
  // Inline decoding (workers = 1) appends to this generator's own writer, which is handed on as a
  // view (no copy) once it holds TEXT_BATCH bytes and emptied when the consumer comes back; what
  // is left of a file is handed on before its end (or error) item, so text stays with its file.
  const w = new JsonWriter();
  let handed = false;
  const inline = (buf: Buffer, job: Parameters<typeof chunkJsonl>[1]): ChunkText => {
    const r = chunkJsonlInto(w, buf, job);
    if (w.pos >= TEXT_BATCH) {
      r.bytes = w.view();
      handed = true;
    }
    return r;
  };
  // With workers, the main thread decodes batches too (into output buffers given back to it).
  const poolSize = poolSizeFor(workers, true);
  const here = (buf: Buffer, job: Parameters<typeof chunkJsonl>[1]): ChunkText => batchJsonl(buf, job, sharedPool(poolSize).spare());
  for await (const item of chunkPipelineMany<ChunkText>(inputs, opts, 'jsonl', inline, here)) {
    const file = item.file;
    if ((item.kind === 'end' || item.kind === 'error') && w.pos > 0) {
      yield { file, kind: 'text', bytes: w.view(), issues: [] };
      w.pos = 0;
    }
    if (item.kind === 'header') {
      if (item.fatal) stats.skippedBy['evtx.bad-file-header'] = 1;
      yield { file, kind: 'text', bytes: NO_BYTES, issues: item.issues };
    } else if (item.kind === 'chunk') {
      const r = item.result;
      addStats(stats, r);
      yield { file, kind: 'text', bytes: r.bytes, issues: r.issues, ...(r.end !== undefined ? { at: r.end } : {}) };
      if (handed) {
        w.pos = 0;
        handed = false;
      } else if (workers > 1 && r.bytes.length > 0) sharedPool(poolSize).giveBack(r.bytes); // written out: a writer reuses it
    } else if (item.kind === 'end') {
      yield { file, kind: 'end', stats };
      stats = emptyStats();
    } else {
      yield { file, kind: 'error', message: item.message };
      stats = emptyStats();
    }
  }
}
