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
