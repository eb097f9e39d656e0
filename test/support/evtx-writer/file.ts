// The whole .evtx file: a 4 KiB file header then the chunks, as `wevtutil epl` leaves an exported
// log (clean: no dirty flag, header counters up to date, only used chunks).
import { CHUNK_SIZE, ChunkBuilder } from './chunk.js';
import { crc32 } from './crc32.js';
import type { EvtxEventSpec } from './types.js';

export const FILE_MAGIC = 'ElfFile\0';
export const FILE_HEADER_BLOCK = 4096;

export interface WriteEvtxOptions {
  /** Record id of the first event without an explicit recordId (default 1). */
  firstRecordId?: number;
  /** File header flags: 1 dirty, 2 full (default 0, as an exported log). */
  flags?: number;
}

export function writeEvtx(events: readonly EvtxEventSpec[], opts: WriteEvtxOptions = {}): Buffer {
  const chunks: Buffer[] = [];
  let current = new ChunkBuilder();
  let nextId = opts.firstRecordId ?? 1;
  let lastId = 0;
  for (const [i, e] of events.entries()) {
    const id = e.recordId ?? nextId;
    if (!Number.isSafeInteger(id) || id < 1) throw new Error(`event ${i}: record id ${id} is not a positive integer`);
    if (id <= lastId) throw new Error(`event ${i}: record id ${id} does not increase (previous ${lastId})`);
    try {
      if (!current.tryAdd(e, id)) {
        chunks.push(current.finish());
        current = new ChunkBuilder();
        current.tryAdd(e, id);
      }
    } catch (err) {
      throw new Error(`event ${i} (record ${id}, ${e.channel} ${e.eventId}): ${(err as Error).message}`);
    }
    lastId = id;
    nextId = id + 1;
  }
  // An empty log still gets one (empty) chunk: evtxinfo flags a file without chunks as corrupted.
  if (current.count > 0 || chunks.length === 0) chunks.push(current.finish());
  if (chunks.length > 0xffff) throw new Error(`too many chunks (${chunks.length})`);

  const h = Buffer.alloc(FILE_HEADER_BLOCK);
  h.write(FILE_MAGIC, 0, 'latin1');
  h.writeBigUInt64LE(0n, 8); // first chunk number
  h.writeBigUInt64LE(BigInt(Math.max(chunks.length - 1, 0)), 16); // last chunk number
  h.writeBigUInt64LE(BigInt(lastId + 1), 24); // next record identifier
  h.writeUInt32LE(128, 32); // header size
  h.writeUInt16LE(1, 36); // minor version
  h.writeUInt16LE(3, 38); // major version
  h.writeUInt16LE(FILE_HEADER_BLOCK, 40);
  h.writeUInt16LE(chunks.length, 42);
  h.writeUInt32LE(opts.flags ?? 0, 120);
  h.writeUInt32LE(crc32(h.subarray(0, 120)), 124);
  return Buffer.concat([h, ...chunks], FILE_HEADER_BLOCK + chunks.length * CHUNK_SIZE);
}
