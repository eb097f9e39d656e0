// BinXML value types and their text rendering, written the way Windows renders Event XML:
// upper-case braced GUIDs, true/false, upper-case hex binary, 0x… for size_t and hex integers,
// ISO UTC times with 7 fractional digits. Every reader is bounded by the value's own size.

import { TextDecoder } from 'node:util';

export const ValueType = {
  Null: 0x00,
  String: 0x01,
  AnsiString: 0x02,
  Int8: 0x03,
  UInt8: 0x04,
  Int16: 0x05,
  UInt16: 0x06,
  Int32: 0x07,
  UInt32: 0x08,
  Int64: 0x09,
  UInt64: 0x0a,
  Real32: 0x0b,
  Real64: 0x0c,
  Bool: 0x0d,
  Binary: 0x0e,
  Guid: 0x0f,
  SizeT: 0x10,
  FileTime: 0x11,
  SysTime: 0x12,
  Sid: 0x13,
  HexInt32: 0x14,
  HexInt64: 0x15,
  EvtHandle: 0x20,
  BinXml: 0x21,
  EvtXml: 0x23,
  ArrayFlag: 0x80,
} as const;

/** Fixed element sizes (0 = variable). Used for arrays and size checks. */
export function fixedSize(type: number): number {
  switch (type & 0x7f) {
    case ValueType.Int8:
    case ValueType.UInt8:
      return 1;
    case ValueType.Int16:
    case ValueType.UInt16:
      return 2;
    case ValueType.Int32:
    case ValueType.UInt32:
    case ValueType.Real32:
    case ValueType.Bool:
    case ValueType.HexInt32:
      return 4;
    case ValueType.Int64:
    case ValueType.UInt64:
    case ValueType.Real64:
    case ValueType.FileTime:
    case ValueType.HexInt64:
      return 8;
    case ValueType.Guid:
    case ValueType.SysTime:
      return 16;
    default:
      return 0;
  }
}

const HEX_UP: string[] = [];
const HEX_LO: string[] = [];
for (let i = 0; i < 256; i++) {
  HEX_UP.push(i.toString(16).toUpperCase().padStart(2, '0'));
  HEX_LO.push(i.toString(16).padStart(2, '0'));
}

export function hexUpper(buf: Buffer, off: number, len: number): string {
  let s = '';
  for (let i = off; i < off + len; i++) s += HEX_UP[buf[i]!];
  return s;
}

/** Scratch for short renderings: one native latin1 read gives a flat string (a concatenation gives a rope every later reader must flatten). */
const SCRATCH = Buffer.alloc(64);
const HEX_UP_CODES = new Uint8Array(512);
for (let i = 0; i < 256; i++) {
  HEX_UP_CODES[i * 2] = HEX_UP[i]!.charCodeAt(0);
  HEX_UP_CODES[i * 2 + 1] = HEX_UP[i]!.charCodeAt(1);
}

const HEX_LO_DIGITS = Buffer.from('0123456789abcdef', 'latin1');

function putHex(p: number, byte: number): number {
  SCRATCH[p] = HEX_UP_CODES[byte * 2]!;
  SCRATCH[p + 1] = HEX_UP_CODES[byte * 2 + 1]!;
  return p + 2;
}

/** Upper-case braced GUID as Windows writes it. */
export function renderGuid(buf: Buffer, off: number): string {
  const b = buf;
  const o = off;
  let p = 0;
  SCRATCH[p++] = 0x7b; // {
  p = putHex(p, b[o + 3]!);
  p = putHex(p, b[o + 2]!);
  p = putHex(p, b[o + 1]!);
  p = putHex(p, b[o]!);
  SCRATCH[p++] = 0x2d;
  p = putHex(p, b[o + 5]!);
  p = putHex(p, b[o + 4]!);
  SCRATCH[p++] = 0x2d;
  p = putHex(p, b[o + 7]!);
  p = putHex(p, b[o + 6]!);
  SCRATCH[p++] = 0x2d;
  p = putHex(p, b[o + 8]!);
  p = putHex(p, b[o + 9]!);
  SCRATCH[p++] = 0x2d;
  for (let i = 10; i < 16; i++) p = putHex(p, b[o + i]!);
  SCRATCH[p++] = 0x7d; // }
  return SCRATCH.toString('latin1', 0, p);
}

const EPOCH_DIFF_S = 11644473600; // seconds from 1601-01-01 to 1970-01-01

/** FILETIME (100 ns ticks since 1601) → `YYYY-MM-DDTHH:MM:SS.fffffffZ`. */
export function renderFileTime(buf: Buffer, off: number): string {
  const lo = buf.readUInt32LE(off);
  const hi = buf.readUInt32LE(off + 4);
  let secs: number;
  let frac: number;
  if (hi < 1e9) {
    // 2^32 = 429 * 1e7 + 4967296: split so every intermediate stays below 2^53.
    const r = hi * 4967296 + lo;
    const q = Math.floor(r / 1e7);
    secs = hi * 429 + q;
    frac = r - q * 1e7;
  } else {
    const t = (BigInt(hi) << 32n) | BigInt(lo);
    secs = Number(t / 10000000n);
    frac = Number(t % 10000000n);
  }
  let p = isoSecondsInto(secs - EPOCH_DIFF_S);
  SCRATCH[p++] = 0x2e; // .
  p = digitsInto(p, frac, 7);
  SCRATCH[p++] = 0x5a; // Z
  return SCRATCH.toString('latin1', 0, p);
}

let dayKey = NaN;
let dayText = '';

/**
 * Seconds since the Unix epoch → `YYYY-MM-DDTHH:MM:SS` (UTC) written at the start of SCRATCH;
 * returns the length. The date part is cached per day (hot path).
 */
function isoSecondsInto(unix: number): number {
  const day = Math.floor(unix / 86400);
  if (day !== dayKey) {
    const d = new Date(day * 86400000);
    if (Number.isNaN(d.getTime())) return SCRATCH.write('0000-00-00T00:00:00', 0, 'latin1');
    dayKey = day;
    const iso = d.toISOString(); // years past 9999 come as +YYYYYY-MM-DD: keep up to the 'T'
    dayText = iso.slice(0, iso.indexOf('T') + 1);
  }
  let p = SCRATCH.write(dayText, 0, 'latin1');
  const rem = unix - day * 86400;
  p = digitsInto(p, Math.floor(rem / 3600), 2);
  SCRATCH[p++] = 0x3a;
  p = digitsInto(p, Math.floor((rem % 3600) / 60), 2);
  SCRATCH[p++] = 0x3a;
  return digitsInto(p, rem % 60, 2);
}

/** Writes the non-negative integer `n` (< 10^width) in decimal, zero-padded to `width`, at SCRATCH[p]. */
function digitsInto(p: number, n: number, width: number): number {
  for (let i = width - 1; i >= 0; i--) {
    SCRATCH[p + i] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
  return p + width;
}

function pad2(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** SYSTEMTIME (eight u16: year, month, weekday, day, hour, minute, second, ms), rendered as written (no validation). */
export function renderSystemTime(buf: Buffer, off: number): string {
  const y = buf.readUInt16LE(off);
  const mo = buf.readUInt16LE(off + 2);
  const d = buf.readUInt16LE(off + 6);
  const h = buf.readUInt16LE(off + 8);
  const mi = buf.readUInt16LE(off + 10);
  const s = buf.readUInt16LE(off + 12);
  const ms = buf.readUInt16LE(off + 14);
  return `${String(y).padStart(4, '0')}-${pad2(mo)}-${pad2(d)}T${pad2(h)}:${pad2(mi)}:${pad2(s)}.${String(ms).padStart(3, '0')}Z`;
}

/** SID → `S-1-5-21-…`; undefined when the bytes do not hold a whole SID. */
export function renderSid(buf: Buffer, off: number, size: number): string | undefined {
  if (size < 8) return undefined;
  const rev = buf[off]!;
  const n = buf[off + 1]!;
  if (8 + n * 4 > size) return undefined;
  const authHi = buf.readUInt16BE(off + 2);
  const authLo = buf.readUInt32BE(off + 4);
  const auth = authHi === 0 ? String(authLo) : '0x' + hexUpper(buf, off + 2, 6);
  let s = `S-${rev}-${auth}`;
  for (let i = 0; i < n; i++) s += '-' + buf.readUInt32LE(off + 8 + i * 4);
  return s;
}

function u64String(buf: Buffer, off: number): string {
  const lo = buf.readUInt32LE(off);
  const hi = buf.readUInt32LE(off + 4);
  if (hi < 0x200000) return String(hi * 0x100000000 + lo);
  return buf.readBigUInt64LE(off).toString();
}

function i64String(buf: Buffer, off: number): string {
  const hi = buf.readInt32LE(off + 4);
  if (hi >= -0x200000 && hi < 0x200000) return String(hi * 0x100000000 + buf.readUInt32LE(off));
  return buf.readBigInt64LE(off).toString();
}

function hex64(buf: Buffer, off: number): string {
  const lo = buf.readUInt32LE(off);
  const hi = buf.readUInt32LE(off + 4);
  if (hi === 0) return '0x' + lo.toString(16);
  // 18 characters at most: written flat (see SCRATCH).
  SCRATCH[0] = 0x30;
  SCRATCH[1] = 0x78;
  let p = 2;
  let started = false;
  for (let sh = 28; sh >= 0; sh -= 4) {
    const d = (hi >>> sh) & 15;
    if (d !== 0 || started) {
      SCRATCH[p++] = HEX_LO_DIGITS[d]!;
      started = true;
    }
  }
  for (let sh = 28; sh >= 0; sh -= 4) SCRATCH[p++] = HEX_LO_DIGITS[(lo >>> sh) & 15]!;
  return SCRATCH.toString('latin1', 0, p);
}

/** Windows renders floats with up to their shortest round-trip digits; JS does the same. */
function renderReal(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'INF' : '-INF';
  return String(v);
}

/** Decodes ANSI string values: a TextDecoder, or windows1252 below. */
export interface AnsiDecoder {
  decode(input: Uint8Array): string;
}

/**
 * WHATWG windows-1252 for bytes 0x80–0x9F; the rest is Latin-1. Node 20.18.3 and later decode the
 * label as Latin-1 (nodejs/node#60888), giving C1 controls where Windows shows € ‚ … – — ™, so
 * this code page (the default, and what latin1/ascii/iso-8859-1 mean on the web) is decoded here.
 */
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022,
  0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const C1 = /[\u0080-\u009f]/g;

export const windows1252: AnsiDecoder = {
  decode(input: Uint8Array): string {
    const s = Buffer.from(input.buffer, input.byteOffset, input.byteLength).toString('latin1');
    C1.lastIndex = 0;
    if (!C1.test(s)) return s;
    return s.replace(C1, (c) => String.fromCharCode(CP1252_HIGH[c.charCodeAt(0) - 0x80]!));
  },
};

const decoders = new Map<string, AnsiDecoder>();

/** Decoder for an ANSI code page name (`windows-1252`, `cp1251`, `1251`, `shift_jis`). Throws on an unknown name. */
export function ansiDecoder(codepage = 'windows-1252'): AnsiDecoder {
  let d = decoders.get(codepage);
  if (!d) {
    const label = /^\d+$/.test(codepage) ? `windows-${codepage}` : codepage.replace(/^cp(\d+)$/i, 'windows-$1');
    const td = new TextDecoder(label, { fatal: false });
    d = td.encoding === 'windows-1252' ? windows1252 : td;
    decoders.set(codepage, d);
  }
  return d;
}

function stripNuls(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 0) e--;
  return e === s.length ? s : s.slice(0, e);
}

/**
 * Renders one scalar value (type without the array flag) of `size` bytes at `off`.
 * Returns undefined when the size does not fit the type (the caller reports it).
 */
export function renderScalar(buf: Buffer, off: number, size: number, type: number, ansi: AnsiDecoder): string | undefined {
  const fs = fixedSize(type);
  if (fs !== 0 && size < fs) return size === 0 ? '' : undefined;
  switch (type) {
    case ValueType.Null:
      return '';
    case ValueType.String:
      return stripNuls(buf.toString('utf16le', off, off + (size & ~1)));
    case ValueType.AnsiString:
      return stripNuls(ansi.decode(buf.subarray(off, off + size)));
    case ValueType.Int8:
      return String(buf.readInt8(off));
    case ValueType.UInt8:
      return String(buf[off]!);
    case ValueType.Int16:
      return String(buf.readInt16LE(off));
    case ValueType.UInt16:
      return String(buf.readUInt16LE(off));
    case ValueType.Int32:
      return String(buf.readInt32LE(off));
    case ValueType.UInt32:
      return String(buf.readUInt32LE(off));
    case ValueType.Int64:
      return i64String(buf, off);
    case ValueType.UInt64:
      return u64String(buf, off);
    case ValueType.Real32:
      return renderReal(Math.fround(buf.readFloatLE(off)));
    case ValueType.Real64:
      return renderReal(buf.readDoubleLE(off));
    case ValueType.Bool:
      return buf.readUInt32LE(off) !== 0 ? 'true' : 'false';
    case ValueType.Binary:
    case ValueType.EvtXml:
      return hexUpper(buf, off, size);
    case ValueType.Guid:
      return renderGuid(buf, off);
    case ValueType.SizeT:
    case ValueType.EvtHandle:
      if (size === 4) return '0x' + buf.readUInt32LE(off).toString(16);
      if (size === 8) return hex64(buf, off);
      return undefined;
    case ValueType.FileTime:
      return renderFileTime(buf, off);
    case ValueType.SysTime:
      return renderSystemTime(buf, off);
    case ValueType.Sid:
      return renderSid(buf, off, size);
    case ValueType.HexInt32:
      return '0x' + buf.readUInt32LE(off).toString(16);
    case ValueType.HexInt64:
      return hex64(buf, off);
    default:
      return undefined;
  }
}

/** Splits an array value into its element renderings. Undefined when the bytes do not divide into elements. */
export function renderArray(buf: Buffer, off: number, size: number, type: number, ansi: AnsiDecoder): string[] | undefined {
  const base = type & 0x7f;
  const out: string[] = [];
  if (base === ValueType.String) {
    // NUL-terminated UTF-16 strings back to back.
    const s = buf.toString('utf16le', off, off + (size & ~1));
    const parts = s.split('\0');
    if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    return parts;
  }
  if (base === ValueType.AnsiString) {
    const parts = ansi.decode(buf.subarray(off, off + size)).split('\0');
    if (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    return parts;
  }
  if (base === ValueType.Sid) {
    let p = off;
    const end = off + size;
    while (p + 8 <= end) {
      const n = buf[p + 1]!;
      const len = 8 + n * 4;
      if (p + len > end) return undefined;
      out.push(renderSid(buf, p, len)!);
      p += len;
    }
    return p === end ? out : undefined;
  }
  const es = base === ValueType.SizeT ? 8 : fixedSize(base);
  if (es === 0 || size % es !== 0) return undefined;
  for (let p = off; p < off + size; p += es) {
    const v = renderScalar(buf, p, es, base, ansi);
    if (v === undefined) return undefined;
    out.push(v);
  }
  return out;
}
