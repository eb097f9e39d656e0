// Event record header: magic "**\0\0", size, record id, FILETIME, BinXML, then a copy of the size.
import { renderFileTime } from './binxml/values.js';

export const RECORD_MAGIC = 0x00002a2a;
export const RECORD_HEADER_SIZE = 24;
/** Smallest possible record: header + size copy. */
export const MIN_RECORD_SIZE = 28;

export interface RecordHeader {
  /** Chunk-relative offset. */
  offset: number;
  size: number;
  recordId: number;
}

/** The record header's own timestamp (ISO, 7 digits); rendered only when System has no TimeCreated. */
export function recordHeaderTime(buf: Buffer, head: RecordHeader): string {
  return renderFileTime(buf, head.offset + 16);
}

/**
 * Why a record header at `off` is not usable, or undefined when it is: magic, size inside the
 * chunk, and the trailing size copy must all agree.
 */
export function recordHeaderProblem(buf: Buffer, off: number, end: number): string | undefined {
  if (off + MIN_RECORD_SIZE > end) return 'record header runs past the chunk end';
  if (buf.readUInt32LE(off) !== RECORD_MAGIC) return 'bad record magic';
  const size = buf.readUInt32LE(off + 4);
  if (size < MIN_RECORD_SIZE) return `record size ${size} is too small`;
  if (off + size > end) return `record size ${size} runs past the chunk end`;
  const copy = buf.readUInt32LE(off + size - 4);
  if (copy !== size) return `record size ${size} does not match its trailing copy ${copy}`;
  return undefined;
}

export function readRecordHeader(buf: Buffer, off: number): RecordHeader {
  return {
    offset: off,
    size: buf.readUInt32LE(off + 4),
    recordId: buf.readUInt32LE(off + 12) * 0x100000000 + buf.readUInt32LE(off + 8),
  };
}

/** Next offset ≥ `from` (and < `end`) where a plausible record starts, or -1. */
export function scanForRecord(buf: Buffer, from: number, end: number): number {
  let p = from;
  while (p + MIN_RECORD_SIZE <= end) {
    const i = buf.indexOf('**\0\0', p, 'latin1');
    if (i < 0 || i + MIN_RECORD_SIZE > end) return -1;
    if (recordHeaderProblem(buf, i, end) === undefined) return i;
    p = i + 1;
  }
  return -1;
}
