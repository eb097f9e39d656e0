// BinXML value types: encoding a typed value into its substitution bytes, and rendering it as text
// the way Windows (and evtxexport) shows it, so the XML writer and the tests agree with the bytes.
import type { EvtxValue } from './types.js';

export const VT = {
  null: 0x00,
  string: 0x01,
  int8: 0x03,
  uint8: 0x04,
  int16: 0x05,
  uint16: 0x06,
  int32: 0x07,
  uint32: 0x08,
  int64: 0x09,
  uint64: 0x0a,
  bool: 0x0d,
  binary: 0x0e,
  guid: 0x0f,
  filetime: 0x11,
  sid: 0x13,
  hex32: 0x14,
  hex64: 0x15,
  binxml: 0x21,
} as const;

/** 100 ns ticks between 1601-01-01 and 1970-01-01. */
const EPOCH_DELTA = 116444736000000000n;
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,7}))?Z$/;

/** ISO 8601 UTC (up to 7 fractional digits) → FILETIME ticks. */
export function isoToFiletime(iso: string): bigint {
  const m = ISO_RE.exec(iso);
  if (!m) throw new Error(`not an ISO UTC time with at most 7 fractional digits: ${iso}`);
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  const frac = BigInt((m[7] ?? '').padEnd(7, '0'));
  return BigInt(ms) * 10000n + EPOCH_DELTA + frac;
}

/** FILETIME ticks → ISO 8601 UTC with 7 fractional digits (how Windows renders SystemTime). */
export function filetimeToIso(ft: bigint): string {
  const unixTicks = ft - EPOCH_DELTA;
  const secs = unixTicks / 10000000n;
  const frac = unixTicks % 10000000n;
  const d = new Date(Number(secs) * 1000).toISOString().slice(0, 19);
  return `${d}.${frac.toString().padStart(7, '0')}Z`;
}

/** Normalizes an ISO time to Windows' 7-digit form. */
export function canonicalTime(iso: string): string {
  return filetimeToIso(isoToFiletime(iso));
}

const GUID_RE = /^\{?([0-9a-fA-F]{8})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{4})-([0-9a-fA-F]{12})\}?$/;

/** GUID text → its 16 on-disk bytes (first three groups little-endian). */
export function guidBytes(text: string): Buffer {
  const m = GUID_RE.exec(text);
  if (!m) throw new Error(`not a GUID: ${text}`);
  const b = Buffer.alloc(16);
  b.writeUInt32LE(parseInt(m[1]!, 16), 0);
  b.writeUInt16LE(parseInt(m[2]!, 16), 4);
  b.writeUInt16LE(parseInt(m[3]!, 16), 6);
  Buffer.from(m[4]! + m[5]!, 'hex').copy(b, 8);
  return b;
}

/** Upper-case braced form, as Windows renders a GUID value. */
export function canonicalGuid(text: string): string {
  const m = GUID_RE.exec(text);
  if (!m) throw new Error(`not a GUID: ${text}`);
  return `{${m.slice(1, 6).join('-').toUpperCase()}}`;
}

/** `S-1-5-21-…` → binary SID (revision, count, 48-bit big-endian authority, LE sub-authorities). */
export function sidBytes(text: string): Buffer {
  const parts = text.split('-');
  if (parts.length < 3 || parts[0] !== 'S' || !parts.slice(1).every((p) => /^\d+$/.test(p))) {
    throw new Error(`not a SID: ${text}`);
  }
  const subs = parts.slice(3).map(Number);
  if (subs.length > 15 || subs.some((s) => s > 0xffffffff)) throw new Error(`SID out of range: ${text}`);
  const b = Buffer.alloc(8 + 4 * subs.length);
  b[0] = Number(parts[1]);
  b[1] = subs.length;
  b.writeUIntBE(Number(parts[2]), 2, 6);
  subs.forEach((s, i) => b.writeUInt32LE(s, 8 + 4 * i));
  return b;
}

function binaryBytes(v: string | Uint8Array): Buffer {
  if (typeof v !== 'string') return Buffer.from(v);
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(v)) throw new Error(`binary value is not hex: ${v.slice(0, 40)}`);
  return Buffer.from(v, 'hex');
}

export interface Encoded {
  type: number;
  bytes: Buffer;
}

function int(v: number, bytes: number, signed: boolean, what: string): number {
  if (!Number.isInteger(v)) throw new Error(`${what} value is not an integer: ${v}`);
  const max = signed ? 2 ** (bytes * 8 - 1) - 1 : 2 ** (bytes * 8) - 1;
  const min = signed ? -(2 ** (bytes * 8 - 1)) : 0;
  if (v < min || v > max) throw new Error(`${what} value out of range: ${v}`);
  return v;
}

/**
 * Encodes a value. `nulTerminated` adds the UTF-16 NUL that Windows includes in UserData strings
 * (EventData strings of manifest events are written without it).
 */
export function encodeValue(v: EvtxValue, nulTerminated = false): Encoded {
  if (typeof v === 'string') v = { type: 'string', value: v };
  switch (v.type) {
    case 'string':
      return { type: VT.string, bytes: Buffer.from(nulTerminated ? `${v.value}\0` : v.value, 'utf16le') };
    case 'uint8':
      return { type: VT.uint8, bytes: Buffer.from([int(v.value, 1, false, 'uint8')]) };
    case 'uint16': {
      const b = Buffer.alloc(2);
      b.writeUInt16LE(int(v.value, 2, false, 'uint16'));
      return { type: VT.uint16, bytes: b };
    }
    case 'uint32':
    case 'hex32': {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(int(v.value, 4, false, v.type));
      return { type: VT[v.type], bytes: b };
    }
    case 'int32': {
      const b = Buffer.alloc(4);
      b.writeInt32LE(int(v.value, 4, true, 'int32'));
      return { type: VT.int32, bytes: b };
    }
    case 'uint64':
    case 'hex64': {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(BigInt(v.value));
      return { type: VT[v.type], bytes: b };
    }
    case 'int64': {
      const b = Buffer.alloc(8);
      b.writeBigInt64LE(BigInt(v.value));
      return { type: VT.int64, bytes: b };
    }
    case 'guid':
      return { type: VT.guid, bytes: guidBytes(v.value) };
    case 'filetime': {
      const b = Buffer.alloc(8);
      b.writeBigUInt64LE(isoToFiletime(v.value));
      return { type: VT.filetime, bytes: b };
    }
    case 'sid':
      return { type: VT.sid, bytes: sidBytes(v.value) };
    case 'binary':
      return { type: VT.binary, bytes: binaryBytes(v.value) };
    case 'bool': {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(v.value ? 1 : 0);
      return { type: VT.bool, bytes: b };
    }
    case 'null':
      return { type: VT.null, bytes: Buffer.alloc(0) };
  }
}

/** The text Windows renders for a value (GUIDs upper-case braced, hex unpadded, binary upper-case hex, 7-digit times). */
export function renderValue(v: EvtxValue): string {
  if (typeof v === 'string') return v;
  switch (v.type) {
    case 'string':
      return v.value;
    case 'uint8':
    case 'uint16':
    case 'uint32':
    case 'int32':
      return String(v.value);
    case 'uint64':
    case 'int64':
      return BigInt(v.value).toString();
    // Windows renders HexInt32/64 data without zero padding (0x3e7); evtxexport pads, see its tests.
    case 'hex32':
      return `0x${v.value.toString(16)}`;
    case 'hex64':
      return `0x${BigInt(v.value).toString(16)}`;
    case 'guid':
      return canonicalGuid(v.value);
    case 'filetime':
      return canonicalTime(v.value);
    case 'sid':
      return v.value;
    case 'binary':
      return binaryBytes(v.value).toString('hex').toUpperCase();
    case 'bool':
      return v.value ? 'true' : 'false';
    case 'null':
      return '';
  }
}

/** Keywords as the 64-bit mask. */
export function keywordsValue(k: string | bigint | undefined): bigint {
  if (k === undefined) return 0n;
  if (typeof k === 'bigint') return k;
  if (!/^0x[0-9a-fA-F]{1,16}$/.test(k)) throw new Error(`keywords must be 0x-hex: ${k}`);
  return BigInt(k);
}
