// Just enough EVTX layout to aim mutations at the fields parsers trust: the file header, the
// chunk header with its string/template offset tables, and the record size chain. This is not a
// parser: it only walks what it needs and stops at the first thing that does not look right.
import { crc32 } from './crc32.mjs';

export const FILE_HEADER_BLOCK = 4096;
export const CHUNK_SIZE = 65536;
export const CHUNK_HEADER_SIZE = 512;
export const FILE_MAGIC = Buffer.from('ElfFile\0', 'latin1');
export const CHUNK_MAGIC = Buffer.from('ElfChnk\0', 'latin1');
export const RECORD_MAGIC = 0x00002a2a;

// File header fields (offsets from the file start).
export const FH = { firstChunk: 8, lastChunk: 16, nextRecordId: 24, headerSize: 32, minor: 36, major: 38, blockSize: 40, chunkCount: 42, flags: 120, checksum: 124 };
// Chunk header fields (offsets from the chunk start).
export const CH = { firstRecNum: 8, lastRecNum: 16, firstRecId: 24, lastRecId: 32, headerSize: 40, lastRecOffset: 44, freeSpace: 48, dataChecksum: 52, flags: 120, checksum: 124, strings: 128, templates: 384 };
export const STRING_SLOTS = 64;
export const TEMPLATE_SLOTS = 32;

export function isEvtx(buf) {
  return buf.length >= 8 && buf.subarray(0, 8).equals(FILE_MAGIC);
}

/** Offsets of every chunk whose magic is intact, in file order. */
export function chunkOffsets(buf) {
  const out = [];
  for (let off = FILE_HEADER_BLOCK; off + CHUNK_HEADER_SIZE <= buf.length; off += CHUNK_SIZE) {
    if (buf.subarray(off, off + 8).equals(CHUNK_MAGIC)) out.push(off);
  }
  return out;
}

/** Walks a chunk's record chain by the size fields (bounded by the chunk). */
export function recordOffsets(buf, chunk) {
  const out = [];
  const end = Math.min(buf.length, chunk + CHUNK_SIZE);
  let off = chunk + CHUNK_HEADER_SIZE;
  while (off + 28 <= end && buf.readUInt32LE(off) === RECORD_MAGIC) {
    const size = buf.readUInt32LE(off + 4);
    if (size < 28 || off + size > end) break;
    out.push(off);
    off += size;
  }
  return out;
}

export function fixFileHeaderChecksum(buf) {
  if (buf.length >= 128) buf.writeUInt32LE(crc32(buf, 0, 120), FH.checksum);
}

/** Recomputes the chunk header and record-data checksums, whatever the header now claims. */
export function fixChunkChecksums(buf, chunk) {
  if (chunk + CHUNK_HEADER_SIZE > buf.length) return;
  const free = buf.readUInt32LE(chunk + CH.freeSpace);
  const dataEnd = Math.min(buf.length, chunk + Math.max(CHUNK_HEADER_SIZE, Math.min(free, CHUNK_SIZE)));
  buf.writeUInt32LE(crc32(buf, chunk + CHUNK_HEADER_SIZE, dataEnd), chunk + CH.dataChecksum);
  const head = crc32(buf, chunk, chunk + 120);
  buf.writeUInt32LE(crc32(buf, chunk + 128, chunk + CHUNK_HEADER_SIZE, head), chunk + CH.checksum);
}

export function fixAllChecksums(buf) {
  if (!isEvtx(buf)) return;
  fixFileHeaderChecksum(buf);
  for (const c of chunkOffsets(buf)) fixChunkChecksums(buf, c);
}

/**
 * A one-chunk EVTX file cut from a real one: the original file header (chunk count and record
 * numbers rewritten to agree) followed by chunk `index`. Small seeds keep CI passes fast while the
 * chunk content stays real.
 */
export function singleChunkFile(file, index) {
  const chunkStart = FILE_HEADER_BLOCK + index * CHUNK_SIZE;
  if (!isEvtx(file) || chunkStart + CHUNK_SIZE > file.length) return undefined;
  const chunk = file.subarray(chunkStart, chunkStart + CHUNK_SIZE);
  if (!chunk.subarray(0, 8).equals(CHUNK_MAGIC)) return undefined;
  const out = Buffer.alloc(FILE_HEADER_BLOCK + CHUNK_SIZE);
  file.copy(out, 0, 0, FILE_HEADER_BLOCK);
  chunk.copy(out, FILE_HEADER_BLOCK);
  out.writeBigUInt64LE(0n, FH.firstChunk);
  out.writeBigUInt64LE(0n, FH.lastChunk);
  out.writeBigUInt64LE(chunk.readBigUInt64LE(CH.lastRecId) + 1n, FH.nextRecordId);
  out.writeUInt16LE(1, FH.chunkCount);
  out.writeUInt32LE(out.readUInt32LE(FH.flags) & ~1, FH.flags); // not dirty
  fixFileHeaderChecksum(out);
  return out;
}

export function chunkCount(file) {
  return isEvtx(file) ? Math.max(0, Math.floor((file.length - FILE_HEADER_BLOCK) / CHUNK_SIZE)) : 0;
}
