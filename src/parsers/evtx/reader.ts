// The evtx Reader: file header, then every chunk (count taken from the file size, not the header),
// one batch of ReadItems per chunk. With workers > 1, chunks are decoded on a thread pool and put
// back in file order.
import { emptyStats, type InputSource, type ReadItem, type ReadOptions, type ReadStream, type Reader, type SourceStats } from '../types.js';
import { blocks } from './blocks.js';
import { decodeChunk, type ChunkJob, type ChunkResult } from './decode.js';
import { isEvtxMagic, parseFileHeader } from './fileHeader.js';
import { ansiDecoder } from './binxml/values.js';
import { sharedPool } from './pool.js';

function addStats(s: SourceStats, r: ChunkResult): void {
  s.read += r.read;
  s.recovered += r.recovered;
  s.skipped += r.skipped;
  s.filtered += r.filtered;
  for (const [k, v] of Object.entries(r.skippedBy)) s.skippedBy[k] = (s.skippedBy[k] ?? 0) + v;
}

async function* readEvtx(input: InputSource, opts: ReadOptions): ReadStream {
  const stats = emptyStats();
  if (opts.codepage) ansiDecoder(opts.codepage); // unknown code page: fail before reading
  const it = blocks(input);
  const first = await it.next();
  const head = first.done ? undefined : first.value.buf;
  const headerIssues: ReadItem[] = [];
  const fh = head ? parseFileHeader(head) : undefined;
  if (!fh) {
    headerIssues.push({
      kind: 'issue',
      issue: { severity: 'error', code: 'evtx.bad-file-header', message: head && head.length >= 8 && !isEvtxMagic(head) ? 'not an evtx file (bad file magic)' : 'file header is truncated', file: input.name, offset: 0 },
    });
    yield headerIssues;
    stats.skippedBy['evtx.bad-file-header'] = 1;
    return stats;
  }
  if (!fh.checksumOk) {
    headerIssues.push({ kind: 'issue', issue: { severity: 'warning', code: 'evtx.file-header-checksum', message: 'file header checksum mismatch', file: input.name, offset: 0 } });
  }
  if (headerIssues.length) yield headerIssues;

  const workers = Math.max(1, Math.floor(opts.workers ?? 1));
  const jobOf = (index: number, offset: number): ChunkJob => ({ file: input.name, index, fileOffset: offset, strict: opts.strict, codepage: opts.codepage });
  if (workers === 1) {
    for (;;) {
      const b = await it.next();
      if (b.done) break;
      const r = decodeChunk(b.value.buf, jobOf(b.value.index, b.value.offset), opts.filter);
      addStats(stats, r);
      if (r.items.length) yield r.items;
    }
    return stats;
  }
  const pool = sharedPool(workers);
  // Bounded in flight: at most 2 × workers chunks queued; results come back in submission order.
  const inflight: Promise<ChunkResult>[] = [];
  const limit = workers * 2;
  for (;;) {
    const b = await it.next();
    if (b.done) break;
    inflight.push(pool.run(b.value.buf, jobOf(b.value.index, b.value.offset), opts.filter));
    if (inflight.length >= limit) {
      const r = await inflight.shift()!;
      addStats(stats, r);
      if (r.items.length) yield r.items;
    }
  }
  while (inflight.length) {
    const r = await inflight.shift()!;
    addStats(stats, r);
    if (r.items.length) yield r.items;
  }
  return stats;
}

export const evtxReader: Reader = {
  format: 'evtx',
  sniff: (head) => isEvtxMagic(head),
  read: (input, opts) => readEvtx(input, opts),
};
