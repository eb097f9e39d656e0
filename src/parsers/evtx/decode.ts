// Chunk bytes → ReadItems. This is the unit of work both inline and in worker threads.
import type { FilterSpec } from '../../model/eventSelection.js';
import type { NormalizedEvent, Provenance } from '../../model/event.js';
import type { ParseIssue } from '../../model/issue.js';
import type { EventFilter, ReadItem } from '../types.js';
import { NO_VALUES } from './binxml/walk.js';
import { walkChunk, type ChunkOptions } from './chunk.js';
import { EvtxFormatError } from './cursor.js';
import { DataBuilder, toEvent } from './event.js';
import { recordHeaderTime } from './record.js';
import { ansiDecoder } from './binxml/values.js';

export interface ChunkJob {
  file: string;
  index: number;
  fileOffset: number;
  strict?: boolean;
  codepage?: string;
  /** What a worker sends back: decoded events (default), JSONL text or Event XML. */
  output?: 'events' | 'jsonl' | 'xml';
  /**
   * JSONL only: the job is several chunks of one buffer (a whole read batch, transferred to the
   * worker without a copy), decoded in order into one result. index/fileOffset are the first's.
   */
  parts?: { index: number; fileOffset: number; start: number; end: number }[];
  /** Events output on a worker: the push-down filter as data (the worker builds it again). */
  filter?: FilterSpec;
}

export interface ChunkResult {
  items: ReadItem[];
  read: number;
  recovered: number;
  skipped: number;
  filtered: number;
  skippedBy: Record<string, number>;
  /** Records a worker's copy of the filter dropped, by channel (the main thread's filter is told). */
  filteredBy?: Record<string, number>;
  /** The chunk could not be read at all (bad magic, truncated header). */
  unreadable: boolean;
  empty: boolean;
}

/**
 * `emit`, when given, receives each event instead of res.items (the JSONL writer): its data is
 * left in the DataBuilder (reused for every record of the chunk) rather than built as an object,
 * and source.position is left empty (the writer spells it from chunk, offset and recordId).
 */
export function decodeChunk(
  buf: Buffer,
  job: ChunkJob,
  filter?: EventFilter,
  emit?: (ev: NormalizedEvent, data: DataBuilder) => void,
  /** Tried first for a live, sound record (no filter): true when it has written the record itself. */
  fast?: ChunkOptions['fast'],
): ChunkResult {
  const sink = emit ? new DataBuilder() : undefined;
  const res: ChunkResult = { items: [], read: 0, recovered: 0, skipped: 0, filtered: 0, skippedBy: {}, unreadable: false, empty: false };
  const skip = (i: ParseIssue): void => {
    res.skipped++;
    res.skippedBy[i.code] = (res.skippedBy[i.code] ?? 0) + 1;
    res.items.push({ kind: 'issue', issue: i });
  };
  const opts: ChunkOptions = { file: job.file, index: job.index, fileOffset: job.fileOffset, strict: job.strict, ansi: ansiDecoder(job.codepage) };
  if (fast !== undefined && filter === undefined) {
    opts.fast = (ctx, head, at, recovered) => {
      if (!fast(ctx, head, at, recovered)) return false;
      res.read++;
      if (recovered) res.recovered++;
      return true;
    };
  }
  const w = walkChunk(
    buf,
    opts,
    (issue) => res.items.push({ kind: 'issue', issue }),
    (r, warning) => {
      const source: Provenance = {
        file: job.file,
        format: 'evtx',
        // With `emit`, the writer spells the position from chunk, offset and EventRecordID itself.
        position: emit ? '' : `chunk ${job.index} record ${r.head.recordId} @0x${r.offset.toString(16)}`,
        offset: r.offset,
        chunk: job.index,
        fidelity: 'full',
      };
      if (r.recovered) source.recovered = true;
      let ev: NormalizedEvent | null;
      try {
        // A carved or unfinished record is first checked for being a record at all (below), then
        // filtered: otherwise bytes that are no event would count as filtered events.
        ev = toEvent(r.ctx, r.nodes, NO_VALUES, { recordId: r.head.recordId, time: () => recordHeaderTime(r.ctx.buf, r.head) }, source, r.recovered || warning ? undefined : filter, sink);
      } catch (e) {
        if (r.recovered) return false; // carved bytes that do not decode are not a record
        const err = e instanceof EvtxFormatError ? e : new EvtxFormatError((e as Error).message, r.offset);
        skip({ severity: 'error', code: err.code, message: err.message, file: job.file, chunk: job.index, offset: r.offset, recordId: r.head.recordId });
        return false;
      }
      // A carved record whose template was since overwritten decodes into the wrong shape; without
      // a provider it cannot be attributed, so it is not kept.
      if (r.recovered && ev !== null && ev.provider === '') return false;
      if (warning) {
        // An unfinished record (no size copy) whose System values are still zero is not an event.
        if (ev !== null && ev.provider === '') {
          skip({ severity: 'error', code: 'evtx.incomplete-record', message: `${warning.message.replace(/; record kept.*/, '')}; its System values are empty`, file: job.file, chunk: job.index, offset: r.offset, recordId: r.head.recordId });
          return false;
        }
        res.items.push({ kind: 'issue', issue: warning });
      }
      if (ev !== null && filter && (r.recovered || warning) && !filter.wants(ev.channel, ev.provider, ev.eventId)) ev = null;
      if (ev === null) {
        res.filtered++;
        return true;
      }
      // Name the record by its EventRecordID (what users see) when it differs from the header's id.
      if (!emit && ev.recordId !== undefined && ev.recordId !== r.head.recordId) source.position = `chunk ${job.index} record ${ev.recordId} @0x${r.offset.toString(16)}`;
      res.read++;
      if (r.recovered) res.recovered++;
      if (emit) emit(ev, sink!);
      else res.items.push({ kind: 'event', event: ev });
      return true;
    },
    skip,
  );
  res.unreadable = w.unreadable;
  res.empty = w.empty;
  return res;
}
