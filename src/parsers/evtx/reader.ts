// The evtx Reader: file header, then every chunk (count taken from the file size, not the header),
// one batch of ReadItems per chunk. With workers > 1, chunks are decoded on a thread pool and put
// back in file order. The push-down filter is a function and cannot cross threads: with workers,
// a filter that describes itself (filter.spec) is built again on each worker, any other is applied
// to the decoded events on this thread.
import type { EventFilter, InputSource, ReadItem, ReadOptions, ReadStream, Reader } from '../types.js';
import { addStats, emptyStats } from '../types.js';
import { decodeChunk, type ChunkResult } from './decode.js';
import { isEvtxMagic } from './fileHeader.js';
import { ansiDecoder } from './binxml/values.js';
import { chunkPipeline } from './pipeline.js';

function applyFilter(r: ChunkResult, filter: EventFilter): ChunkResult {
  const items = r.items.filter((it) => {
    if (it.kind !== 'event') return true;
    const e = it.event;
    if (filter.wants(e.channel, e.provider, e.eventId)) return true;
    r.read--;
    if (e.source.recovered) r.recovered--;
    r.filtered++;
    return false;
  });
  return { ...r, items };
}

async function* readEvtx(input: InputSource, opts: ReadOptions): ReadStream {
  const stats = emptyStats();
  if (opts.codepage) ansiDecoder(opts.codepage); // unknown code page: fail before reading
  const workers = Math.max(1, Math.floor(opts.workers ?? 1));
  const filter = opts.filter;
  const inline = (buf: Buffer, job: Parameters<typeof decodeChunk>[1]): ChunkResult => decodeChunk(buf, job, filter);
  for await (const item of chunkPipeline<ChunkResult>(input, opts, 'events', inline)) {
    if (item.kind === 'header') {
      if (item.fatal) stats.skippedBy['evtx.bad-file-header'] = 1;
      yield item.issues.map((issue): ReadItem => ({ kind: 'issue', issue }));
      continue;
    }
    let r = item.result;
    if (workers > 1 && filter) {
      // Filtered on the worker (from filter.spec): tell the filter what its copy dropped.
      if (r.filteredBy) for (const [channel, n] of Object.entries(r.filteredBy)) filter.countFiltered?.(channel, n);
      else r = applyFilter(r, filter);
    }
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
