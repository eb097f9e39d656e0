// A bounds-checked little-endian reader over one buffer. Every read checks against `end`, so a
// hostile length can never make us read past the structure (or allocate from it).
import { utf16Text } from './binxml/intern.js';

/** A structural problem in the bytes, with the absolute offset where it was met. */
export class EvtxFormatError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly code = 'evtx.bad-binxml',
  ) {
    // A data error, caught and reported with its file offset: no stack trace is captured (that
    // was most of its cost, paid for every damaged record).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'EvtxFormatError';
  }
}

export class ByteCursor {
  constructor(
    readonly buf: Buffer,
    public pos: number,
    public end: number = buf.length,
    /** Added to `pos` in error messages so offsets are file-relative. */
    readonly base = 0,
  ) {
    if (end > buf.length) this.end = buf.length;
  }

  fail(what: string, code?: string): never {
    throw new EvtxFormatError(`${what} at 0x${(this.base + this.pos).toString(16)}`, this.base + this.pos, code);
  }

  need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.end) this.fail(`truncated ${what}: need ${n} bytes, have ${Math.max(0, this.end - this.pos)}`);
  }

  u8(): number {
    if (this.pos + 1 > this.end) this.need(1, 'byte');
    return this.buf[this.pos++]!;
  }

  u16(): number {
    if (this.pos + 2 > this.end) this.need(2, 'u16');
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }

  u32(): number {
    if (this.pos + 4 > this.end) this.need(4, 'u32');
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }

  u64(): bigint {
    if (this.pos + 8 > this.end) this.need(8, 'u64');
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }

  /** u64 as a JS number; exact up to 2^53, which covers record ids and chunk numbers. */
  u64n(): number {
    if (this.pos + 8 > this.end) this.need(8, 'u64');
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    return hi * 0x100000000 + lo;
  }

  skip(n: number, what = 'data'): void {
    this.need(n, what);
    this.pos += n;
  }

  /** UTF-16LE text of `chars` code units (no allocation beyond what is present in the buffer). */
  utf16(chars: number, what = 'string'): string {
    const n = chars * 2;
    this.need(n, what);
    const s = utf16Text(this.buf, this.pos, this.pos + n);
    this.pos += n;
    return s;
  }
}
