// JSON text written as UTF-8 into one growing, reused byte buffer: no intermediate strings per
// piece, one native decode per chunk. Escaping is JSON.stringify's (quote, backslash, \b \f \n \r
// \t, other controls as \u00xx, lone surrogates as \udxxx) plus the terminal-unsafe characters of
// src/model/json.ts (DEL, C1, bidi controls) as \u escapes, exactly as toSafeJson writes them.
import { isRawUnsafe } from '../../model/json.js';
import { grown, putPair, putUnit } from './bytes.js';

const HEX = '0123456789abcdef';
const HEX_UP = '0123456789ABCDEF';
/** The same digits as bytes: a table read, not a string call, on the hot path. */
const HEX_B = Uint8Array.from(HEX, (c) => c.charCodeAt(0));
const HEX_UP_B = Uint8Array.from(HEX_UP, (c) => c.charCodeAt(0));
/** A GUID's bytes in the order its text shows them (the first three groups are little-endian). */
const GUID_ORDER = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];

/** Whether JsonWriter.scalar writes this value: the same checks, without writing. */
export function scalarFits(b: Buffer, off: number, size: number, type: number): boolean {
  switch (type) {
    case 0x04: // UInt8
      return size >= 1;
    case 0x06: // UInt16
      return size >= 2;
    case 0x08: // UInt32
    case 0x0d: // Bool
    case 0x14: // HexInt32
      return size >= 4;
    case 0x15: // HexInt64
      return size >= 8;
    case 0x10: // SizeT
      return size === 4 || size === 8;
    case 0x0f: // GUID
      return size >= 16;
    case 0x13: {
      // SID
      if (size < 8) return false;
      const n = b[off + 1]!;
      return n <= 15 && 8 + n * 4 <= size;
    }
    default:
      return false;
  }
}

/** Whether JsonWriter.fileTime writes the FILETIME at `off` (a time before the year 10000). */
export function fileTimeFits(src: Buffer, off: number): boolean {
  const lo = src.readUInt32LE(off);
  const hi = src.readUInt32LE(off + 4);
  return hi < 1e9 && hi * 429 + Math.floor((hi * 4967296 + lo) / 1e7) - 11644473600 < 253402300800;
}

/** 1 for the ASCII bytes a JSON string takes as they are: printable, neither quote nor backslash (DEL is escaped). */
const PLAIN = new Uint8Array(256);
for (let c = 0x20; c < 0x7f; c++) if (c !== 34 && c !== 92) PLAIN[c] = 1;

/** fileTime's last day and its `YYYY-MM-DDT`: records of a chunk mostly share a day. */
let dayKey = NaN;
const dayText = new Uint8Array(11);

export class JsonWriter {
  private buf: Buffer = Buffer.allocUnsafeSlow(1 << 18);
  pos = 0;

  private grow(need: number): void {
    this.buf = grown(this.buf, this.pos, need);
  }

  /** Text known to be ASCII and to need no escaping (keys, punctuation, numbers). */
  raw(s: string): void {
    const n = s.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Any text already in JSON form (JSON.stringify output), as UTF-8. */
  json(s: string): void {
    if (this.pos + s.length * 3 > this.buf.length) this.grow(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** Bytes already in JSON form (precompiled keys and punctuation), from index `from`. */
  lit(u8: Uint8Array, from = 0): void {
    const n = u8.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = from; i < n; i++) b[p++] = u8[i]!;
    this.pos = p;
  }

  num(n: number): void {
    if (n >= 0 && n <= 0xffffffff && n === Math.floor(n)) this.uint(n);
    else this.raw(Number.isFinite(n) ? String(n) : 'null');
  }

  /** A whole number 0 ≤ n < 2^53 in decimal, as String(n) writes it. */
  uint(n: number): void {
    if (this.pos + 16 > this.buf.length) this.grow(16);
    const b = this.buf;
    if (n < 10) {
      b[this.pos++] = 48 + n;
      return;
    }
    if (n <= 0x7fffffff) {
      // Nearly every number (ids, levels, pids, offsets): 32-bit integer division, digits counted
      // by comparison.
      let p = this.pos + (n < 100 ? 2 : n < 1e3 ? 3 : n < 1e4 ? 4 : n < 1e5 ? 5 : n < 1e6 ? 6 : n < 1e7 ? 7 : n < 1e8 ? 8 : n < 1e9 ? 9 : 10);
      this.pos = p;
      let x = n | 0;
      do {
        const q = (x / 10) | 0;
        b[--p] = 48 + x - q * 10;
        x = q;
      } while (x > 0);
      return;
    }
    let digits = 1;
    for (let t = n; t >= 10; t = Math.floor(t / 10)) digits++;
    let p = this.pos + digits;
    this.pos = p;
    do {
      const q = Math.floor(n / 10);
      b[--p] = 48 + (n - q * 10);
      n = q;
    } while (n > 0);
  }

  /** A whole number 0 ≤ n < 2^53 in lower-case hex, as n.toString(16) writes it. */
  hex(n: number): void {
    if (this.pos + 16 > this.buf.length) this.grow(16);
    if (n <= 0xffffffff) this.hex32(n);
    else {
      this.hex32(Math.floor(n / 0x100000000));
      this.hex32Full(n % 0x100000000);
    }
  }

  /** Lower-case hex of a u32 without leading zeros (at least one digit). */
  private hex32(n: number): void {
    const b = this.buf;
    let p = this.pos;
    let sh = 28;
    while (sh > 0 && ((n >>> sh) & 15) === 0) sh -= 4;
    for (; sh >= 0; sh -= 4) b[p++] = HEX_B[(n >>> sh) & 15]!;
    this.pos = p;
  }

  /** Eight lower-case hex digits of a u32. */
  private hex32Full(n: number): void {
    const b = this.buf;
    let p = this.pos;
    for (let sh = 28; sh >= 0; sh -= 4) b[p++] = HEX_B[(n >>> sh) & 15]!;
    this.pos = p;
  }

  private hexUp(byte: number): void {
    this.buf[this.pos++] = HEX_UP_B[byte >> 4]!;
    this.buf[this.pos++] = HEX_UP_B[byte & 15]!;
  }

  /**
   * The JSON string of a substitution value of the common fixed types, written from its bytes the
   * way renderScalar renders it (values.ts). False, with nothing written, for any other type or a
   * size that does not fit: the caller renders it the general way.
   */
  scalar(src: Buffer, off: number, size: number, type: number): boolean {
    // Room for the longest rendering here (a SID of 15 parts is 188 bytes): the helpers below do not grow.
    if (this.pos + 256 > this.buf.length) this.grow(256);
    switch (type) {
      case 0x04: // UInt8
        if (size < 1) return false;
        this.buf[this.pos++] = 34;
        this.uint(src[off]!);
        break;
      case 0x06: // UInt16
        if (size < 2) return false;
        this.buf[this.pos++] = 34;
        this.uint(src[off]! | (src[off + 1]! << 8));
        break;
      case 0x08: // UInt32
        if (size < 4) return false;
        this.buf[this.pos++] = 34;
        this.uint(src.readUInt32LE(off));
        break;
      case 0x0d: // Bool
        if (size < 4) return false;
        this.raw(src.readUInt32LE(off) !== 0 ? '"true' : '"false');
        break;
      case 0x14: // HexInt32
        if (size < 4) return false;
        this.raw('"0x');
        this.hex32(src.readUInt32LE(off));
        break;
      case 0x10: // SizeT: 4 or 8 bytes
        if (size !== 4 && size !== 8) return false;
        this.raw('"0x');
        if (size === 4) this.hex32(src.readUInt32LE(off));
        else this.hex64(src, off);
        break;
      case 0x15: // HexInt64
        if (size < 8) return false;
        this.raw('"0x');
        this.hex64(src, off);
        break;
      case 0x0f: {
        // GUID: {XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}
        if (size < 16) return false;
        const b = this.buf;
        let p = this.pos;
        b[p++] = 34;
        b[p++] = 123;
        for (let i = 0; i < 16; i++) {
          if (i === 4 || i === 6 || i === 8 || i === 10) b[p++] = 45;
          const x = src[off + GUID_ORDER[i]!]!;
          b[p++] = HEX_UP_B[x >> 4]!;
          b[p++] = HEX_UP_B[x & 15]!;
        }
        b[p++] = 125;
        this.pos = p;
        break;
      }
      case 0x13: {
        // SID: S-<rev>-<authority>-<sub>… (authority in hex when it needs more than 32 bits)
        if (size < 8) return false;
        const n = src[off + 1]!;
        if (8 + n * 4 > size || n > 15) return false;
        this.raw('"S-');
        this.uint(src[off]!);
        this.buf[this.pos++] = 45;
        if (src[off + 2] === 0 && src[off + 3] === 0) this.uint(src.readUInt32BE(off + 4));
        else {
          this.raw('0x');
          for (let i = 2; i < 8; i++) this.hexUp(src[off + i]!);
        }
        for (let i = 0; i < n; i++) {
          this.buf[this.pos++] = 45;
          this.uint(src.readUInt32LE(off + 8 + i * 4));
        }
        break;
      }
      default:
        return false;
    }
    this.buf[this.pos++] = 34;
    return true;
  }

  /** hex64 of values.ts: the low word alone when the high one is zero, else both, the low one padded. */
  private hex64(src: Buffer, off: number): void {
    const lo = src.readUInt32LE(off);
    const hi = src.readUInt32LE(off + 4);
    if (hi === 0) this.hex32(lo);
    else {
      this.hex32(hi);
      this.hex32Full(lo);
    }
  }

  /** A JSON string literal of `s`. */
  str(s: string): void {
    const n = s.length;
    // Worst case: 6 bytes per UTF-16 unit (\uXXXX), plus quotes.
    if (this.pos + n * 6 + 2 > this.buf.length) this.grow(n * 6 + 2);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 34;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c !== 34 && c !== 92 && c !== 0x7f) b[p++] = c;
        else p = escapeAscii(b, p, c);
      } else {
        p = putWide(b, p, c, i + 1 < n ? s.charCodeAt(i + 1) : 0);
        if (tookPair) i++;
      }
    }
    b[p++] = 34;
    this.pos = p;
  }

  /**
   * A JSON string literal of the UTF-16LE text of `size` bytes at `off`, as
   * JSON.stringify(stripNuls(buf.toString('utf16le', off, off + (size & ~1)))) would write it.
   */
  utf16(src: Buffer, off: number, size: number): void {
    let end = off + (size & ~1);
    while (end > off && src[end - 1] === 0 && src[end - 2] === 0) end -= 2;
    const units = (end - off) >> 1;
    if (this.pos + units * 6 + 2 > this.buf.length) this.grow(units * 6 + 2);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 34;
    let q = off;
    // Plain printable ASCII (most values) is copied by the byte until something needs care.
    while (q < end && src[q + 1] === 0 && PLAIN[src[q]!] === 1) {
      b[p++] = src[q]!;
      q += 2;
    }
    for (; q < end; q += 2) {
      const c = src[q]! | (src[q + 1]! << 8);
      if (c < 0x80) {
        if (c >= 0x20 && c !== 34 && c !== 92 && c !== 0x7f) b[p++] = c;
        else p = escapeAscii(b, p, c);
      } else {
        p = putWide(b, p, c, q + 2 < end ? src[q + 2]! | (src[q + 3]! << 8) : 0);
        if (tookPair) q += 2;
      }
    }
    b[p++] = 34;
    this.pos = p;
  }

  /**
   * Everything written so far as UTF-8 bytes with an ArrayBuffer of their own (so a worker can
   * transfer them); the writer is emptied for reuse.
   */
  takeBytes(): Uint8Array {
    // allocUnsafeSlow: never from the shared pool, so its ArrayBuffer can be transferred; not zeroed.
    const out = Buffer.allocUnsafeSlow(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    this.pos = 0;
    return out;
  }

  /**
   * The JSON string of a FILETIME as renderFileTime renders it (`"YYYY-MM-DDTHH:MM:SS.fffffffZ"`),
   * for times before the year 10000; false, with nothing written, for later ones.
   */
  fileTime(src: Buffer, off: number): boolean {
    const lo = src.readUInt32LE(off);
    const hi = src.readUInt32LE(off + 4);
    // 2^32 = 429 * 1e7 + 4967296: split so every intermediate stays below 2^53.
    const r = hi * 4967296 + lo;
    const q = Math.floor(r / 1e7);
    const unix = hi * 429 + q - 11644473600;
    if (hi >= 1e9 || unix >= 253402300800) return false;
    let frac = r - q * 1e7;
    const day = Math.floor(unix / 86400);
    if (day !== dayKey) {
      const iso = new Date(day * 86400000).toISOString();
      for (let i = 0; i < 11; i++) dayText[i] = iso.charCodeAt(i);
      dayKey = day;
    }
    if (this.pos + 32 > this.buf.length) this.grow(32);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 34;
    for (let i = 0; i < 11; i++) b[p++] = dayText[i]!;
    let rem = unix - day * 86400;
    const h = Math.floor(rem / 3600);
    rem -= h * 3600;
    const m = Math.floor(rem / 60);
    const sec = rem - m * 60;
    b[p++] = 48 + Math.floor(h / 10);
    b[p++] = 48 + (h % 10);
    b[p++] = 58;
    b[p++] = 48 + Math.floor(m / 10);
    b[p++] = 48 + (m % 10);
    b[p++] = 58;
    b[p++] = 48 + Math.floor(sec / 10);
    b[p++] = 48 + (sec % 10);
    b[p++] = 46;
    for (let i = 6; i >= 0; i--) {
      const d = Math.floor(frac / 10);
      b[p + i] = 48 + (frac - d * 10);
      frac = d;
    }
    p += 7;
    b[p++] = 90;
    b[p++] = 34;
    this.pos = p;
    return true;
  }

  /**
   * Everything written so far, handing over the writer's own buffer (no copy): the view's
   * ArrayBuffer can be transferred. The writer goes on in `next` (a buffer given back after an
   * earlier hand-over) or, without one, in a fresh buffer of the same size.
   */
  handOver(next: Buffer | undefined): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    this.buf = next !== undefined && next.length >= 1 << 16 ? next : Buffer.allocUnsafeSlow(this.buf.length);
    this.pos = 0;
    return out;
  }

  /** Everything written so far, as a view into the writer's buffer: valid until the next write. */
  view(): Uint8Array {
    return this.buf.subarray(0, this.pos);
  }

  /** Everything written so far as a string; the writer is emptied for reuse. */
  take(): string {
    const s = this.pos === 0 ? '' : this.buf.toString('utf8', 0, this.pos);
    this.pos = 0;
    return s;
  }
}

/** The writer jsonPiece builds in (a small one). */
let pieceWriter: JsonWriter | undefined;

/**
 * A short piece of JSON built once and copied many times (a key with its punctuation, the constant
 * start of `source`): written by `build`, returned as a small copy rather than a buffer of its own.
 */
export function jsonPiece(build: (w: JsonWriter) => void): Uint8Array {
  const w = (pieceWriter ??= new JsonWriter());
  w.pos = 0;
  build(w);
  const out = new Uint8Array(w.view());
  w.pos = 0;
  return out;
}

/** Set by putWide: it wrote `c` and the unit after it as one surrogate pair. */
let tookPair = false;

/**
 * One UTF-16 unit of 0x80 or more (`d` is the unit after it, or 0) into `b` at `p`, as UTF-8 or
 * as a \u escape (C1, ALM, bidi controls, lone surrogates); returns the new position. The one
 * encoder for str and utf16, which differ only in where their units come from.
 */
function putWide(b: Buffer, p: number, c: number, d: number): number {
  tookPair = false;
  if (c < 0x800) return c <= 0x9f || c === 0x61c ? unicodeEscape(b, p, c) : putUnit(b, p, c);
  if (c >= 0xd800 && c <= 0xdfff) {
    if (c > 0xdbff || d < 0xdc00 || d > 0xdfff) return unicodeEscape(b, p, c);
    tookPair = true;
    return putPair(b, p, c, d);
  }
  if (c >= 0x200e && c <= 0x2069 && isRawUnsafe(c)) return unicodeEscape(b, p, c);
  return putUnit(b, p, c);
}

function escapeAscii(b: Buffer, p: number, c: number): number {
  b[p++] = 92;
  switch (c) {
    case 34:
      b[p++] = 34;
      return p;
    case 92:
      b[p++] = 92;
      return p;
    case 8:
      b[p++] = 98; // b
      return p;
    case 12:
      b[p++] = 102; // f
      return p;
    case 10:
      b[p++] = 110; // n
      return p;
    case 13:
      b[p++] = 114; // r
      return p;
    case 9:
      b[p++] = 116; // t
      return p;
    default:
      return unicodeEscape(b, p - 1, c);
  }
}

function unicodeEscape(b: Buffer, p: number, c: number): number {
  b[p++] = 92;
  b[p++] = 117; // u
  b[p++] = HEX.charCodeAt((c >> 12) & 15);
  b[p++] = HEX.charCodeAt((c >> 8) & 15);
  b[p++] = HEX.charCodeAt((c >> 4) & 15);
  b[p++] = HEX.charCodeAt(c & 15);
  return p;
}
