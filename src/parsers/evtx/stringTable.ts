// The chunk's name table: element and attribute names are stored once per chunk and referenced by
// chunk offset. Names are read on demand and cached per chunk; the header's 64 hash buckets are
// only walked to verify them (a bad string cache is reported, not fatal, since names are found by offset).
import { utf16Text } from './binxml/intern.js';
import { EvtxFormatError } from './cursor.js';

export const CHUNK_SIZE = 0x10000;
const STRING_TABLE_OFFSET = 0x80;
const STRING_BUCKETS = 64;
/** A name is at most this many UTF-16 units (Windows limits names far below this). */
const MAX_NAME_CHARS = 0x4000;

export class NameTable {
  private readonly cache = new Map<number, string>();

  constructor(
    private readonly buf: Buffer,
    private readonly end: number,
    private readonly fileBase: number,
  ) {}

  /** Byte length of the name structure at `off` (header + chars + NUL). */
  sizeAt(off: number): number {
    if (off + 8 > this.end) throw new EvtxFormatError(`name at chunk offset 0x${off.toString(16)} is outside the chunk`, this.fileBase + off, 'evtx.bad-name');
    return 8 + this.buf.readUInt16LE(off + 6) * 2 + 2;
  }

  get(off: number): string {
    const hit = this.cache.get(off);
    if (hit !== undefined) return hit;
    if (off < STRING_TABLE_OFFSET || off + 8 > this.end) {
      throw new EvtxFormatError(`name offset 0x${off.toString(16)} is outside the chunk`, this.fileBase + off, 'evtx.bad-name');
    }
    const n = this.buf.readUInt16LE(off + 6);
    if (n > MAX_NAME_CHARS || off + 8 + n * 2 > this.end) {
      throw new EvtxFormatError(`name at chunk offset 0x${off.toString(16)} has an impossible length ${n}`, this.fileBase + off, 'evtx.bad-name');
    }
    const s = utf16Text(this.buf, off + 8, off + 8 + n * 2);
    this.cache.set(off, s);
    return s;
  }

  /**
   * Walks the 64 bucket chains of the header's string table. Returns problems found (out-of-range
   * offsets, loops, bad lengths); each chain is cut at its first problem. Never throws.
   */
  verify(): string[] {
    const problems: string[] = [];
    const seen = new Set<number>();
    for (let b = 0; b < STRING_BUCKETS; b++) {
      let off = this.buf.readUInt32LE(STRING_TABLE_OFFSET + b * 4);
      let steps = 0;
      while (off !== 0) {
        if (off < 0x200 || off + 8 > this.end) {
          problems.push(`string table bucket ${b}: offset 0x${off.toString(16)} outside the chunk`);
          break;
        }
        if (seen.has(off) || ++steps > 4096) {
          problems.push(`string table bucket ${b}: chain loops at 0x${off.toString(16)}`);
          break;
        }
        seen.add(off);
        try {
          this.get(off);
        } catch (e) {
          problems.push(`string table bucket ${b}: ${(e as Error).message}`);
          break;
        }
        off = this.buf.readUInt32LE(off);
      }
    }
    return problems;
  }
}
