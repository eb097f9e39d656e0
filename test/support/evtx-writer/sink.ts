// A growable little-endian byte buffer that knows the chunk offset of its first byte, because BinXML
// name and template references are chunk-relative offsets.

export class Sink {
  private buf = Buffer.alloc(1024);
  length = 0;

  /** `base` is the chunk offset where byte 0 of this sink will land. */
  constructor(readonly base: number) {}

  /** Chunk offset of the next byte written. */
  abs(): number {
    return this.base + this.length;
  }

  private room(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }

  u8(v: number): void {
    this.room(1);
    this.buf.writeUInt8(v, this.length);
    this.length += 1;
  }

  u16(v: number): void {
    this.room(2);
    this.buf.writeUInt16LE(v, this.length);
    this.length += 2;
  }

  u32(v: number): void {
    this.room(4);
    this.buf.writeUInt32LE(v >>> 0, this.length);
    this.length += 4;
  }

  u64(v: bigint): void {
    this.room(8);
    this.buf.writeBigUInt64LE(v, this.length);
    this.length += 8;
  }

  bytes(b: Uint8Array): void {
    this.room(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }

  /** Overwrites a u32 written earlier (sizes known only after the content). `at` is sink-relative. */
  patchU32(at: number, v: number): void {
    this.buf.writeUInt32LE(v >>> 0, at);
  }

  patchU16(at: number, v: number): void {
    this.buf.writeUInt16LE(v, at);
  }

  patchU8(at: number, v: number): void {
    this.buf.writeUInt8(v, at);
  }

  toBuffer(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}
