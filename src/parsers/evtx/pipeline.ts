// File header checks, then each chunk through a decoder: inline (workers = 1) or on the worker
// pool with at most 2 × workers chunks in flight, results handed back in file order.
import { availableParallelism } from 'node:os';
import type { ParseIssue } from '../../model/issue.js';
import type { InputSource, ReadOptions } from '../types.js';
import { blocks, type Block } from './blocks.js';
import type { ChunkJob } from './decode.js';
import { isEvtxMagic, parseFileHeader } from './fileHeader.js';
import { sharedPool } from './pool.js';

export type PipelineItem<T> = { kind: 'header'; issues: ParseIssue[]; fatal: boolean } | { kind: 'chunk'; result: T };

/** The file header's verdict from the first block: fatal when it is unreadable, a warning on a bad checksum. */
export function headerCheck(input: InputSource, first: IteratorResult<Block>): { ok: boolean; issues: ParseIssue[] } {
  const b = first.done ? undefined : first.value;
  const head = b?.buf;
  const fh = head && !b?.error ? parseFileHeader(head) : undefined;
  if (!fh) {
    const message = b?.error
      ? `cannot read the file: ${b.error}`
      : head && head.length >= 8 && !isEvtxMagic(head)
        ? 'not an evtx file (bad file magic)'
        : 'file header is truncated';
    return { ok: false, issues: [{ severity: 'error', code: 'evtx.bad-file-header', message, file: input.name, offset: 0 }] };
  }
  if (!fh.checksumOk) return { ok: true, issues: [{ severity: 'warning', code: 'evtx.file-header-checksum', message: 'file header checksum mismatch', file: input.name, offset: 0 }] };
  return { ok: true, issues: [] };
}

/** A read that failed part-way: the records before it stand, the rest of the file is lost. */
function readError(input: InputSource, b: Block): ParseIssue {
  return { severity: 'error', code: 'evtx.read-error', message: `reading stopped at offset 0x${b.offset.toString(16)}: ${b.error}`, file: input.name, offset: b.offset, ...(b.index >= 0 ? { chunk: b.index } : {}) };
}

export async function* chunkPipeline<T>(
  input: InputSource,
  opts: ReadOptions,
  output: NonNullable<ChunkJob['output']>,
  inline: (buf: Buffer, job: ChunkJob) => T,
): AsyncGenerator<PipelineItem<T>, void, void> {
  const workers = Math.max(1, Math.floor(opts.workers ?? 1));
  // Inline JSONL keeps nothing of a chunk's bytes once its text is written, so one read buffer
  // serves the whole file (fresh 256 KiB buffers cost a page fault per 4 KiB, and GC).
  let spare: Buffer | undefined;
  const reuse = (size: number): Buffer => (spare !== undefined && spare.length === size ? spare : (spare = Buffer.allocUnsafe(size)));
  const it = workers === 1 && output === 'jsonl' ? blocks(input, reuse) : blocks(input);
  const hc = headerCheck(input, await it.next());
  if (hc.issues.length) yield { kind: 'header', fatal: !hc.ok, issues: hc.issues };
  if (!hc.ok) return;
  const jobOf = (index: number, offset: number): ChunkJob => {
    const j: ChunkJob = { file: input.name, index, fileOffset: offset, output };
    if (opts.strict) j.strict = true;
    if (opts.codepage) j.codepage = opts.codepage;
    // Workers filter events too, from the filter's description (inline decoding uses the filter).
    if (workers > 1 && output === 'events' && opts.filter?.spec) j.filter = opts.filter.spec;
    return j;
  };
  if (workers === 1) {
    for (;;) {
      const b = await it.next();
      if (b.done) return;
      if (b.value.error !== undefined) {
        yield { kind: 'header', fatal: false, issues: [readError(input, b.value)] };
        return;
      }
      yield { kind: 'chunk', result: inline(b.value.buf, jobOf(b.value.index, b.value.offset)) };
    }
  }
  const threads = output === 'events' ? eventWorkers(workers) : workers;
  const pool = sharedPool(threads);
  // Events: the main thread stores them, and decodes a chunk itself when the store would wait (the
  // oldest chunk is not back) and the workers have enough queued; waiting instead, it idled 38% of
  // an ingest of 1 GiB on 2 cores.
  const mainDecodes = output === 'events';
  const limit = mainDecodes ? threads * EVENT_CHUNKS_AHEAD : threads * 2;
  const queue: Queued<T>[] = [];
  const busy = (): boolean => pool.inFlight >= EVENT_CHUNKS_QUEUED * pool.ready;
  let failed: Block | undefined;
  for (;;) {
    const b = await it.next();
    if (b.done) break;
    if (b.value.error !== undefined) {
      failed = b.value;
      break;
    }
    const job = jobOf(b.value.index, b.value.offset);
    let here = false;
    if (mainDecodes && busy()) {
      // Take the workers' results in (the event loop is not reached otherwise), then look again.
      await nextTurn();
      here = queue.length > 0 && !queue[0]!.settled && busy();
    }
    queue.push(here ? decodedHere(inline, b.value.buf, job) : tracked(pool.run<T>(b.value.buf, job)));
    while (queue.length >= limit || queue[0]?.settled) yield { kind: 'chunk', result: await queue.shift()!.job };
  }
  for (const h of queue.splice(0)) yield { kind: 'chunk', result: await h.job };
  if (failed) yield { kind: 'header', fatal: false, issues: [readError(input, failed)] };
}

/** A chunk's result on its way; `settled` once it is in (then awaiting `job` does not wait). */
interface Queued<T> {
  job: Promise<T>;
  settled: boolean;
}

function tracked<T>(job: Promise<T>): Queued<T> {
  const q: Queued<T> = { job, settled: false };
  const settle = (): void => {
    q.settled = true;
  };
  job.then(settle, settle);
  return q;
}

/** A decoder failure on this thread, to be thrown at its chunk's turn as a worker's would be (handled meanwhile). */
function failsAtTurn<T>(e: unknown): Promise<T> {
  const failing = Promise.reject(e as Error);
  failing.catch(() => undefined);
  return failing;
}

/** A chunk decoded on this thread. */
function decodedHere<T>(inline: (buf: Buffer, job: ChunkJob) => T, buf: Buffer, job: ChunkJob): Queued<T> {
  try {
    return { job: Promise.resolve(inline(buf, job)), settled: true };
  } catch (e) {
    return { job: failsAtTurn<T>(e), settled: true };
  }
}

/** Event chunks queued per worker before the main thread decodes one itself (a chunk is about 0.5 ms of work). */
const EVENT_CHUNKS_QUEUED = 4;
/** Event chunks decoded ahead of the one the store needs next, per worker. */
const EVENT_CHUNKS_AHEAD = 16;

/** The threads asked for, or one when there is less evtx input than `minBytes` (see cli/threads.ts). */
export function threadsFor(workers: number, evtxBytes: number, minBytes: number): number {
  return workers > 1 && evtxBytes < minBytes ? 1 : workers;
}

/**
 * Worker threads for decoded events: the main thread stays busy with them (ingest stores them), so
 * workers beyond the other cores only compete with it. Measured on 2 cores, 1 GiB: 11.1 s with one
 * worker, 12.9 s with two (bench/stages/ingest.mjs measures the stage).
 */
export function eventWorkers(asked: number, cores = availableParallelism()): number {
  return Math.max(1, Math.min(asked, cores - 1));
}

export type ManyItem<T> = { file: number } & (PipelineItem<T> | { kind: 'end' } | { kind: 'error'; message: string });

type Pending<T> = { file: number } & (PipelineItem<T> | { kind: 'end' } | { kind: 'error'; message: string } | { kind: 'job'; job: Promise<T> } | { kind: 'done'; result: T });

/** Worker threads behind `workers` decoding threads when the main thread decodes too (`here`). */
export function poolSizeFor(workers: number, mainDecodes: boolean): number {
  return mainDecodes ? workers - 1 : workers;
}

/** Batch jobs kept queued per worker thread while the main thread decodes too: about 8 ms of work (2 left the worker idle at times). */
const QUEUED_PER_WORKER = 4;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * chunkPipeline over several inputs with one bounded queue, so the pool stays busy across file
 * boundaries (many small files) while items still come out by file, then chunk. Each file ends
 * with an `end` item, or an `error` item when it could not be read.
 */
export async function* chunkPipelineMany<T>(
  inputs: InputSource[],
  opts: ReadOptions,
  output: NonNullable<ChunkJob['output']>,
  inline: (buf: Buffer, job: ChunkJob) => T,
  here?: (buf: Buffer, job: ChunkJob) => T,
): AsyncGenerator<ManyItem<T>, void, void> {
  const workers = Math.max(1, Math.floor(opts.workers ?? 1));
  if (workers === 1) {
    for (let file = 0; file < inputs.length; file++) {
      try {
        for await (const item of chunkPipeline(inputs[file]!, opts, output, inline)) yield { file, ...item };
        yield { file, kind: 'end' };
      } catch (e) {
        yield { file, kind: 'error', message: errText(e) };
      }
    }
    return;
  }
  // With `here`, JSONL batches are decoded on the main thread as well, whenever the workers have
  // enough queued: `workers` threads decode in all, and the main thread (which only reads and
  // writes otherwise) no longer competes with them for the cores.
  const mainDecodes = here !== undefined && output === 'jsonl';
  const pool = sharedPool(poolSizeFor(workers, mainDecodes));
  // Jobs of 256 KiB whose buffers are reused: eight per thread keep all busy past a slow job at
  // the head of the (ordered) queue, for about 4 MB of input in flight with two threads.
  const limit = workers * 8;
  const queue: Pending<T>[] = [];
  let jobs = 0;
  async function* drain(until: number): AsyncGenerator<ManyItem<T>, void, void> {
    while (queue.length && jobs > until) {
      const p = queue.shift()!;
      if (p.kind === 'job') {
        jobs--;
        yield { file: p.file, kind: 'chunk', result: await p.job };
      } else if (p.kind === 'done') {
        jobs--;
        yield { file: p.file, kind: 'chunk', result: p.result };
      } else yield p;
    }
    // Items already settled at the front (headers, ends) need no waiting.
    while (queue.length && queue[0]!.kind !== 'job' && queue[0]!.kind !== 'done') yield queue.shift() as ManyItem<T>;
  }
  for (let file = 0; file < inputs.length; file++) {
    const input = inputs[file]!;
    // JSONL jobs are whole read batches: the chunks that share one buffer go together, and the
    // buffer is transferred, not copied (the main thread only reads and writes).
    let batch: { ab: ArrayBufferLike; parts: NonNullable<ChunkJob['parts']> } | undefined;
    /** True when the batch was decoded here (the caller then lets worker messages in). */
    const submit = (): boolean => {
      if (!batch) return false;
      const first = batch.parts[0]!;
      const job: ChunkJob = { file: input.name, index: first.index, fileOffset: first.fileOffset, output, parts: batch.parts };
      if (opts.strict) job.strict = true;
      if (opts.codepage) job.codepage = opts.codepage;
      const ab = batch.ab;
      batch = undefined;
      jobs++;
      if (mainDecodes && pool.inFlight >= QUEUED_PER_WORKER * pool.ready) {
        // A decoder failure is the same per-file error a worker's would be (thrown at its turn).
        let result: Pending<T>;
        try {
          result = { file, kind: 'done', result: here!(Buffer.from(ab), job) };
        } catch (e) {
          result = { file, kind: 'job', job: failsAtTurn<T>(e) };
        }
        queue.push(result);
        pool.recycleInput(ab as ArrayBuffer);
        return true;
      }
      queue.push({ file, kind: 'job', job: pool.run<T>(Buffer.from(ab), job, true) });
      return false;
    };
    try {
      const it = output === 'jsonl' ? blocks(input, (size) => pool.inputBuffer(size)) : blocks(input);
      const hc = headerCheck(input, await it.next());
      if (hc.issues.length) queue.push({ file, kind: 'header', fatal: !hc.ok, issues: hc.issues });
      if (hc.ok) {
        for (;;) {
          const b = await it.next();
          if (b.done) break;
          if (b.value.error !== undefined) {
            submit();
            queue.push({ file, kind: 'header', fatal: false, issues: [readError(input, b.value)] });
            break;
          }
          const buf = b.value.buf;
          // Only a buffer of its own is transferred, never Node's shared pool of small Buffers
          // (a short last block of a stream); such a block goes alone, copied.
          if (output === 'jsonl' && buf.buffer.byteLength > Buffer.poolSize) {
            // Decoding here holds the event loop: the next turn takes the workers' results in,
            // so they are not left idle with their queue done.
            if (batch && batch.ab !== buf.buffer && submit()) await nextTurn();
            if (jobs >= limit) yield* drain(limit - 1);
            batch ??= { ab: buf.buffer, parts: [] };
            batch.parts.push({ index: b.value.index, fileOffset: b.value.offset, start: buf.byteOffset, end: buf.byteOffset + buf.length });
            continue;
          }
          submit();
          const job: ChunkJob = { file: input.name, index: b.value.index, fileOffset: b.value.offset, output };
          if (opts.strict) job.strict = true;
          if (opts.codepage) job.codepage = opts.codepage;
          queue.push({ file, kind: 'job', job: pool.run<T>(buf, job) });
          jobs++;
          if (jobs >= limit) yield* drain(limit - 1);
        }
      }
      if (submit()) await nextTurn();
      queue.push({ file, kind: 'end' });
    } catch (e) {
      batch = undefined;
      queue.push({ file, kind: 'error', message: errText(e) });
    }
  }
  yield* drain(0);
}

function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ? `cannot read: ${err.code}` : String(err?.message ?? e);
}
