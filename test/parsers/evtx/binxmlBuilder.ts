// A tiny BinXML writer for unit tests: one chunk holding one record whose template is
// <Event><EventData><Data Name='…'>%n</Data>…</EventData></Event>, with the values given.
// Lets each value type (and broken layouts) be tested byte by byte.
import { crc32 } from '../../../src/parsers/evtx/crc32.js';

export interface TestValue {
  name: string;
  type: number;
  bytes: Buffer;
  /** Optional substitution (0x0e) instead of normal (0x0d). */
  optional?: boolean;
  /** For embedded BinXML: the bytes given their chunk offset (inline names refer to it). */
  bytesAt?: (chunkOffset: number) => Buffer;
}

class W {
  buf = Buffer.alloc(0x10000);
  pos = 0;
  u8(v: number): this {
    this.buf[this.pos++] = v;
    return this;
  }
  u16(v: number): this {
    this.buf.writeUInt16LE(v, this.pos);
    this.pos += 2;
    return this;
  }
  u32(v: number): this {
    this.buf.writeUInt32LE(v >>> 0, this.pos);
    this.pos += 4;
    return this;
  }
  bytes(b: Buffer): this {
    b.copy(this.buf, this.pos);
    this.pos += b.length;
    return this;
  }
  utf16(s: string): this {
    return this.bytes(Buffer.from(s, 'utf16le'));
  }
}

export function utf16z(s: string): Buffer {
  return Buffer.from(s + '\0', 'utf16le');
}

export function u32(v: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v >>> 0);
  return b;
}

/** Writes a name reference: inline the first time a name is used in the chunk, by offset after. */
function nameRef(w: W, names: Map<string, number>, name: string): void {
  const known = names.get(name);
  if (known !== undefined) {
    w.u32(known);
    return;
  }
  const at = w.pos + 4;
  names.set(name, at);
  w.u32(at).u32(0).u16(0).u16(name.length).utf16(name).u16(0);
}

function element(w: W, names: Map<string, number>, name: string, attrs: [string, string][], body: (w: W) => void): void {
  w.u8(attrs.length ? 0x41 : 0x01).u16(0xffff).u32(0);
  nameRef(w, names, name);
  if (attrs.length) {
    w.u32(0);
    attrs.forEach(([n, v], i) => {
      w.u8(i < attrs.length - 1 ? 0x46 : 0x06);
      nameRef(w, names, n);
      w.u8(0x05).u8(0x01).u16(v.length).utf16(v);
    });
  }
  w.u8(0x02);
  body(w);
  w.u8(0x04);
}

export interface BuiltChunk {
  chunk: Buffer;
  /** Chunk offset of the template definition (for damage tests). */
  templateOffset: number;
  recordOffset: number;
  /** Chunk offset of the substitution count (for damage tests). */
  countOffset: number;
}

/** One chunk with one record (id 1) using an inline template with one Data per value. */
export function buildChunk(values: TestValue[], opts: { templateOffsetOverride?: number } = {}): BuiltChunk {
  const w = new W();
  w.buf.write('ElfChnk\0', 0, 'latin1');
  w.pos = 512;
  const recordOffset = w.pos;
  w.u32(0x2a2a).u32(0).u32(1).u32(0).u32(0).u32(0x01d00000); // magic, size (later), id 1, time
  const names = new Map<string, number>();
  w.u8(0x0f).u8(1).u8(1).u8(0);
  w.u8(0x0c).u8(0x01).u32(0x11223344);
  const templateOffset = w.pos + 4;
  w.u32(opts.templateOffsetOverride ?? templateOffset);
  w.u32(0).u32(0x11223344).u32(0).u32(0).u32(0); // next, GUID
  const sizeAt = w.pos;
  w.u32(0);
  const bodyStart = w.pos;
  w.u8(0x0f).u8(1).u8(1).u8(0);
  element(w, names, 'Event', [], (w1) => {
    element(w1, names, 'EventData', [], (w2) => {
      values.forEach((v, i) => {
        element(w2, names, 'Data', [['Name', v.name]], (w3) => {
          w3.u8(v.optional ? 0x0e : 0x0d).u16(i).u8(v.type);
        });
      });
    });
  });
  w.u8(0x00);
  w.buf.writeUInt32LE(w.pos - bodyStart, sizeAt);
  const countOffset = w.pos;
  w.u32(values.length);
  for (const v of values) w.u16(v.bytes.length).u8(v.type).u8(0);
  for (const v of values) w.bytes(v.bytesAt ? v.bytesAt(w.pos) : v.bytes);
  w.u8(0x00);
  const size = w.pos + 4 - recordOffset;
  w.u32(size);
  w.buf.writeUInt32LE(size, recordOffset + 4);
  // Header: record ids, offsets, checksums as Windows writes them.
  const b = w.buf;
  b.writeBigUInt64LE(1n, 8);
  b.writeBigUInt64LE(1n, 16);
  b.writeBigUInt64LE(1n, 24);
  b.writeBigUInt64LE(1n, 32);
  b.writeUInt32LE(128, 40);
  b.writeUInt32LE(recordOffset, 44);
  b.writeUInt32LE(w.pos, 48);
  b.writeUInt32LE(crc32(b.subarray(512, w.pos)), 52);
  b.writeUInt32LE(crc32(b.subarray(128, 512), crc32(b.subarray(0, 120))), 124);
  return { chunk: b, templateOffset, recordOffset, countOffset };
}

/** A whole file (header + the given chunks). */
export function fileOf(chunks: Buffer[]): Buffer {
  const h = Buffer.alloc(4096);
  h.write('ElfFile\0', 0, 'latin1');
  h.writeUInt32LE(128, 32);
  h.writeUInt16LE(1, 36);
  h.writeUInt16LE(3, 38);
  h.writeUInt16LE(4096, 40);
  h.writeUInt16LE(chunks.length, 42);
  h.writeUInt32LE(crc32(h.subarray(0, 120)), 124);
  return Buffer.concat([h, ...chunks]);
}

/** An embedded BinXML fragment `<name attr='value'>text</name>` placed at chunk offset `at`. */
export function embeddedElement(at: number, name: string, attr: [string, string], text: string): Buffer {
  const w = new W();
  w.pos = at;
  const names = new Map<string, number>();
  w.u8(0x0f).u8(1).u8(1).u8(0);
  element(w, names, name, [attr], (w1) => {
    w1.u8(0x05).u8(0x01).u16(text.length).utf16(text);
  });
  w.u8(0x00);
  return Buffer.from(w.buf.subarray(at, w.pos));
}

/** Embedded BinXML with elements nested `depth` deep (`<a><a>…</a></a>`), placed at chunk offset `at`. */
export function deepEmbedded(at: number, depth: number): Buffer {
  const w = new W();
  w.pos = at;
  const names = new Map<string, number>();
  w.u8(0x0f).u8(1).u8(1).u8(0);
  const nest = (w1: W, d: number): void => {
    element(w1, names, 'a', [], (w2) => {
      if (d > 1) nest(w2, d - 1);
    });
  };
  nest(w, depth);
  w.u8(0x00);
  return Buffer.from(w.buf.subarray(at, w.pos));
}
