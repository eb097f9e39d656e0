// One 64 KiB chunk: 512-byte header (record range, string and template tables, checksums) then
// records. A record that does not fit is refused and the chunk's tables are rolled back, so the
// caller can start the next chunk and write the record there (with fresh inline definitions).
import { ChunkTables, NAME_BUCKETS, TEMPLATE_BUCKETS } from './binxml.js';
import { crc32 } from './crc32.js';
import { Sink } from './sink.js';
import { writeEventBinXml } from './templates.js';
import type { EvtxEventSpec } from './types.js';
import { isoToFiletime } from './values.js';

export const CHUNK_SIZE = 0x10000;
export const CHUNK_HEADER_SIZE = 512;
export const CHUNK_MAGIC = 'ElfChnk\0';
export const RECORD_MAGIC = 0x00002a2a;
/** Windows sets this chunk flag in every chunk of the corpus files (meaning undocumented). */
const CHUNK_FLAGS = 1;

export class ChunkBuilder {
  private readonly buf = Buffer.alloc(CHUNK_SIZE);
  private readonly tables = new ChunkTables();
  private free = CHUNK_HEADER_SIZE;
  private lastRecordOffset = 0;
  firstRecordId?: number;
  lastRecordId?: number;
  count = 0;

  /** Appends the record; false (chunk unchanged) when it does not fit. */
  tryAdd(e: EvtxEventSpec, recordId: number): boolean {
    this.tables.begin();
    const s = new Sink(this.free);
    s.u32(RECORD_MAGIC);
    s.u32(0);
    s.u64(BigInt(recordId));
    s.u64(isoToFiletime(e.time));
    writeEventBinXml(s, this.tables, e, recordId);
    // Windows pads records to 8 bytes; the size copy is the last dword.
    while ((s.length + 4) % 8 !== 0) s.u8(0);
    s.u32(0);
    const size = s.length;
    s.patchU32(4, size);
    s.patchU32(size - 4, size);
    if (this.free + size > CHUNK_SIZE) {
      this.tables.rollback();
      if (this.count === 0) {
        throw new Error(`record ${recordId} (${e.channel} event ${e.eventId}) is ${size} bytes and cannot fit in an empty chunk`);
      }
      return false;
    }
    s.toBuffer().copy(this.buf, this.free);
    this.lastRecordOffset = this.free;
    this.free += size;
    this.firstRecordId ??= recordId;
    this.lastRecordId = recordId;
    this.count++;
    return true;
  }

  finish(): Buffer {
    const b = this.buf;
    b.write(CHUNK_MAGIC, 0, 'latin1');
    const first = BigInt(this.firstRecordId ?? 0);
    const last = BigInt(this.lastRecordId ?? 0);
    b.writeBigUInt64LE(first, 8); // first event record number
    b.writeBigUInt64LE(last, 16); // last event record number
    b.writeBigUInt64LE(first, 24); // first event record identifier
    b.writeBigUInt64LE(last, 32); // last event record identifier
    b.writeUInt32LE(128, 40); // header size
    b.writeUInt32LE(this.lastRecordOffset, 44);
    b.writeUInt32LE(this.free, 48); // free space offset
    b.writeUInt32LE(crc32(b.subarray(CHUNK_HEADER_SIZE, this.free)), 52);
    b.writeUInt32LE(CHUNK_FLAGS, 120);
    for (let i = 0; i < NAME_BUCKETS; i++) b.writeUInt32LE(this.tables.nameHeads[i]!, 128 + 4 * i);
    for (let i = 0; i < TEMPLATE_BUCKETS; i++) b.writeUInt32LE(this.tables.templateHeads[i]!, 384 + 4 * i);
    b.writeUInt32LE(crc32(b.subarray(0, 120), b.subarray(128, CHUNK_HEADER_SIZE)), 124);
    return b;
  }
}
