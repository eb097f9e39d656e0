// One 64 KiB chunk: header checks, then the live records from offset 512 up to the free-space
// offset, then records carved from the slack after it. A bad record costs only itself: we resync
// on the next record magic with a matching size copy.
import type { AnsiDecoder } from './binxml/values.js';
import type { ParseIssue } from '../../model/issue.js';
import { ByteCursor, EvtxFormatError } from './cursor.js';
import { crc32 } from './crc32.js';
import type { XNode } from './binxml/ir.js';
import { ChunkContext, parseFragment } from './binxml/parser.js';
import { TemplateCache } from './binxml/templates.js';
import { recordHeaderProblem, readRecordHeader, scanForRecord, MIN_RECORD_SIZE, RECORD_HEADER_SIZE, RECORD_MAGIC, type RecordHeader } from './record.js';
import { CHUNK_SIZE } from './stringTable.js';

export const CHUNK_MAGIC = Buffer.from('ElfChnk\0', 'latin1');
export const CHUNK_HEADER_SIZE = 0x200;

export interface ChunkOptions {
  file: string;
  /** 0-based chunk index in the file. */
  index: number;
  /** File offset of the chunk. */
  fileOffset: number;
  strict?: boolean;
  ansi: AnsiDecoder;
  /**
   * Tried first for each sound live record, and each record found in slack (`recovered`): true
   * when it has taken the record whole (the JSONL writer's compiled path). On false the record is
   * decoded and handed to onRecord as usual.
   */
  fast?: (ctx: ChunkContext, head: RecordHeader, fileOffset: number, recovered: boolean) => boolean;
}

export interface ChunkRecord {
  head: RecordHeader;
  nodes: XNode[];
  ctx: ChunkContext;
  recovered: boolean;
  /** File offset of the record. */
  offset: number;
}

export interface ChunkWalk {
  /** Chunk present but not a chunk (bad magic, too short): nothing was read from it. */
  unreadable: boolean;
  /** All zero: an unused chunk of a dirty file, skipped without an issue. */
  empty: boolean;
}

const ZERO = Buffer.alloc(CHUNK_SIZE);

export function isAllZero(buf: Buffer): boolean {
  return buf.length <= CHUNK_SIZE ? buf.equals(ZERO.subarray(0, buf.length)) : false;
}

/**
 * Walks the records of one chunk. `onRecord` gets each decodable record (live first, then carved);
 * `onBad` gets records that could not be decoded (issue already filled in). Never throws.
 */
export function walkChunk(
  buf: Buffer,
  o: ChunkOptions,
  onIssue: (i: ParseIssue) => void,
  /** Returns false when the record could not be turned into output (it has reported why). */
  onRecord: (r: ChunkRecord, warning?: ParseIssue) => boolean,
  onBad: (i: ParseIssue) => void,
): ChunkWalk {
  const issue = (severity: 'error' | 'warning', code: string, message: string, off?: number, recordId?: number): ParseIssue => {
    const i: ParseIssue = { severity, code, message, file: o.file, chunk: o.index, offset: o.fileOffset + (off ?? 0) };
    if (recordId !== undefined) i.recordId = recordId;
    return i;
  };
  const end = Math.min(buf.length, CHUNK_SIZE);
  if (isAllZero(buf.subarray(0, end))) return { unreadable: false, empty: true };
  if (end < CHUNK_HEADER_SIZE) {
    onIssue(issue('error', 'evtx.truncated-chunk', `chunk is truncated to ${end} bytes (header needs ${CHUNK_HEADER_SIZE})`));
    return { unreadable: true, empty: false };
  }
  if (!buf.subarray(0, 8).equals(CHUNK_MAGIC)) {
    onIssue(issue('error', 'evtx.bad-chunk-magic', 'bad chunk magic (expected "ElfChnk"); chunk skipped'));
    return { unreadable: true, empty: false };
  }
  if (end < CHUNK_SIZE) onIssue(issue('warning', 'evtx.truncated-chunk', `chunk is truncated to ${end} bytes; reading the records that are whole`));

  const freeSpace = buf.readUInt32LE(48);
  const headerSum = crc32(buf.subarray(128, CHUNK_HEADER_SIZE), crc32(buf.subarray(0, 120)));
  let dropAll = false;
  if (headerSum !== buf.readUInt32LE(124)) {
    onIssue(issue('warning', 'evtx.chunk-header-checksum', `chunk header checksum mismatch (stored 0x${buf.readUInt32LE(124).toString(16)}, computed 0x${headerSum.toString(16)})`));
    if (o.strict) dropAll = true;
  }
  let liveEnd = freeSpace;
  if (end < CHUNK_SIZE && freeSpace > end) {
    liveEnd = end; // truncated chunk: already reported, its checksum cannot be checked
  } else if (freeSpace < CHUNK_HEADER_SIZE || freeSpace > end) {
    onIssue(issue('warning', 'evtx.bad-free-space', `free space offset 0x${freeSpace.toString(16)} is outside the chunk; reading up to the chunk end`));
    liveEnd = end;
  } else {
    const dataSum = crc32(buf.subarray(CHUNK_HEADER_SIZE, freeSpace));
    if (dataSum !== buf.readUInt32LE(52)) {
      onIssue(issue('warning', 'evtx.chunk-data-checksum', `event records checksum mismatch (stored 0x${buf.readUInt32LE(52).toString(16)}, computed 0x${dataSum.toString(16)})`));
      if (o.strict) dropAll = true;
    }
  }
  const ctx = new ChunkContext(buf, end, o.fileOffset, o.ansi);
  for (const p of ctx.names.verify()) onIssue(issue('warning', 'evtx.bad-string-table', p));
  for (const p of TemplateCache.verify(buf, end)) onIssue(issue('warning', 'evtx.bad-template-table', p));

  const liveIds = new Set<number>();
  let pos = CHUNK_HEADER_SIZE;
  while (pos + RECORD_HEADER_SIZE <= liveEnd) {
    let problem = recordHeaderProblem(buf, pos, end);
    if (problem && sizeCopyOnly(buf, pos, end)) {
      // Size copy not written (the writer stopped mid-record): keep the record if its BinXML decodes.
      const head = readRecordHeader(buf, pos);
      const r = dropAll ? undefined : decodeRecord(ctx, head, o.fileOffset);
      if (r && !(r instanceof EvtxFormatError)) {
        const warn = issue('warning', 'evtx.record-size-copy', `${problem}; record kept because its content decodes`, pos, head.recordId);
        if (onRecord({ head, nodes: r, ctx, recovered: false, offset: o.fileOffset + pos }, warn)) {
          liveIds.add(head.recordId);
          pos += head.size;
          continue;
        }
        // Reported by onRecord; resync on the next record magic.
        const next = scanForRecord(buf, pos + 1, liveEnd);
        if (next < 0) break;
        pos = next;
        continue;
      }
      problem = `${problem} and its content does not decode`;
    }
    if (problem) {
      // A zero-filled tail before the free-space offset is unused space, not damage.
      if (buf.readUInt32LE(pos) === 0 && isAllZero(buf.subarray(pos, liveEnd))) break;
      const next = scanForRecord(buf, pos + 1, liveEnd);
      const skipped = (next < 0 ? liveEnd : next) - pos;
      onBad(issue('error', 'evtx.bad-record', `${problem}; skipped ${skipped} bytes to the next record`, pos));
      if (next < 0) break;
      pos = next;
      continue;
    }
    const head = readRecordHeader(buf, pos);
    liveIds.add(head.recordId);
    if (dropAll) {
      onBad(issue('error', 'evtx.checksum-strict', 'record dropped: chunk checksum mismatch (--strict)', pos, head.recordId));
    } else if (o.fast === undefined || !o.fast(ctx, head, o.fileOffset + pos, false)) {
      const r = decodeRecord(ctx, head, o.fileOffset);
      if (r instanceof EvtxFormatError) onBad(issue('error', r.code, r.message, pos, head.recordId));
      else onRecord({ head, nodes: r, ctx, recovered: false, offset: o.fileOffset + pos });
    }
    pos += head.size;
  }

  // Slack: records that were written before and survive past the free-space offset.
  if (!dropAll) {
    let p = Math.max(pos, liveEnd);
    for (;;) {
      const at = scanForRecord(buf, p, end);
      if (at < 0) break;
      const head = readRecordHeader(buf, at);
      p = at + head.size;
      if (liveIds.has(head.recordId) || head.recordId === 0) continue;
      if (o.fast !== undefined && o.fast(ctx, head, o.fileOffset + at, true)) {
        liveIds.add(head.recordId);
        continue;
      }
      const r = decodeRecord(ctx, head, o.fileOffset);
      if (r instanceof EvtxFormatError) continue; // partly overwritten: not a record any more
      liveIds.add(head.recordId);
      onRecord({ head, nodes: r, ctx, recovered: true, offset: o.fileOffset + at });
    }
  }
  return { unreadable: false, empty: false };
}

/** True when only the trailing size copy is wrong: magic and size are sound. */
function sizeCopyOnly(buf: Buffer, off: number, end: number): boolean {
  if (off + MIN_RECORD_SIZE > end || buf.readUInt32LE(off) !== RECORD_MAGIC) return false;
  const size = buf.readUInt32LE(off + 4);
  return size >= MIN_RECORD_SIZE && off + size <= end;
}

function decodeRecord(ctx: ChunkContext, head: RecordHeader, fileOffset: number): XNode[] | EvtxFormatError {
  try {
    const c = new ByteCursor(ctx.buf, head.offset + RECORD_HEADER_SIZE, head.offset + head.size - 4, fileOffset);
    return parseFragment(ctx, c, 0);
  } catch (e) {
    if (e instanceof EvtxFormatError) return e;
    if (e instanceof RangeError) return new EvtxFormatError(`read out of range: ${e.message}`, fileOffset + head.offset);
    throw e;
  }
}
