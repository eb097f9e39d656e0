// File header checks, then each chunk through a decoder: inline (workers = 1) or on the worker
// pool with at most 2 × workers chunks in flight, results handed back in file order.
import type { ParseIssue } from '../../model/issue.js';
import type { InputSource, ReadOptions } from '../types.js';
import { blocks } from './blocks.js';
import type { ChunkJob } from './decode.js';
import { isEvtxMagic, parseFileHeader } from './fileHeader.js';
import { sharedPool } from './pool.js';

export type PipelineItem<T> = { kind: 'header'; issues: ParseIssue[]; fatal: boolean } | { kind: 'chunk'; result: T };

export async function* chunkPipeline<T>(
  input: InputSource,
  opts: ReadOptions,
  output: NonNullable<ChunkJob['output']>,
  inline: (buf: Buffer, job: ChunkJob) => T,
): AsyncGenerator<PipelineItem<T>, void, void> {
  const it = blocks(input);
  const first = await it.next();
  const head = first.done ? undefined : first.value.buf;
  const fh = head ? parseFileHeader(head) : undefined;
  if (!fh) {
    const message = head && head.length >= 8 && !isEvtxMagic(head) ? 'not an evtx file (bad file magic)' : 'file header is truncated';
    yield { kind: 'header', fatal: true, issues: [{ severity: 'error', code: 'evtx.bad-file-header', message, file: input.name, offset: 0 }] };
    return;
  }
  if (!fh.checksumOk) {
    yield { kind: 'header', fatal: false, issues: [{ severity: 'warning', code: 'evtx.file-header-checksum', message: 'file header checksum mismatch', file: input.name, offset: 0 }] };
  }
  const jobOf = (index: number, offset: number): ChunkJob => {
    const j: ChunkJob = { file: input.name, index, fileOffset: offset, output };
    if (opts.strict) j.strict = true;
    if (opts.codepage) j.codepage = opts.codepage;
    return j;
  };
  const workers = Math.max(1, Math.floor(opts.workers ?? 1));
  if (workers === 1) {
    for (;;) {
      const b = await it.next();
      if (b.done) return;
      yield { kind: 'chunk', result: inline(b.value.buf, jobOf(b.value.index, b.value.offset)) };
    }
  }
  const pool = sharedPool(workers);
  const inflight: Promise<T>[] = [];
  const limit = workers * 2;
  for (;;) {
    const b = await it.next();
    if (b.done) break;
    inflight.push(pool.run<T>(b.value.buf, jobOf(b.value.index, b.value.offset)));
    if (inflight.length >= limit) yield { kind: 'chunk', result: await inflight.shift()! };
  }
  while (inflight.length) yield { kind: 'chunk', result: await inflight.shift()! };
}

export type ManyItem<T> = { file: number } & (PipelineItem<T> | { kind: 'end' } | { kind: 'error'; message: string });

type Pending<T> = { file: number } & (PipelineItem<T> | { kind: 'end' } | { kind: 'error'; message: string } | { kind: 'job'; job: Promise<T> });

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
  const pool = sharedPool(workers);
  const limit = workers * 2;
  const queue: Pending<T>[] = [];
  let jobs = 0;
  async function* drain(until: number): AsyncGenerator<ManyItem<T>, void, void> {
    while (queue.length && jobs > until) {
      const p = queue.shift()!;
      if (p.kind === 'job') {
        jobs--;
        yield { file: p.file, kind: 'chunk', result: await p.job };
      } else yield p;
    }
    // Items already settled at the front (headers, ends) need no waiting.
    while (queue.length && queue[0]!.kind !== 'job') yield queue.shift() as ManyItem<T>;
  }
  for (let file = 0; file < inputs.length; file++) {
    const input = inputs[file]!;
    try {
      const it = blocks(input);
      const first = await it.next();
      const head = first.done ? undefined : first.value.buf;
      const fh = head ? parseFileHeader(head) : undefined;
      if (!fh) {
        const message = head && head.length >= 8 && !isEvtxMagic(head) ? 'not an evtx file (bad file magic)' : 'file header is truncated';
        queue.push({ file, kind: 'header', fatal: true, issues: [{ severity: 'error', code: 'evtx.bad-file-header', message, file: input.name, offset: 0 }] });
      } else {
        if (!fh.checksumOk) queue.push({ file, kind: 'header', fatal: false, issues: [{ severity: 'warning', code: 'evtx.file-header-checksum', message: 'file header checksum mismatch', file: input.name, offset: 0 }] });
        for (;;) {
          const b = await it.next();
          if (b.done) break;
          const job: ChunkJob = { file: input.name, index: b.value.index, fileOffset: b.value.offset, output };
          if (opts.strict) job.strict = true;
          if (opts.codepage) job.codepage = opts.codepage;
          queue.push({ file, kind: 'job', job: pool.run<T>(b.value.buf, job) });
          jobs++;
          if (jobs >= limit) yield* drain(limit - 1);
        }
      }
      queue.push({ file, kind: 'end' });
    } catch (e) {
      queue.push({ file, kind: 'error', message: errText(e) });
    }
  }
  yield* drain(0);
}

function errText(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return err?.code ? `cannot read: ${err.code}` : String(err?.message ?? e);
}
