// The 4 KiB file header. Only the magic is required: chunk count and flags are advisory, since
// the chunk count is taken from the file size (dirty files undercount).
import { crc32 } from './crc32.js';

export const FILE_MAGIC = Buffer.from('ElfFile\0', 'latin1');
export const FILE_HEADER_SIZE = 0x1000;

export interface FileHeader {
  firstChunk: number;
  lastChunk: number;
  nextRecordId: number;
  majorVersion: number;
  minorVersion: number;
  headerBlockSize: number;
  chunkCount: number;
  /** 0x1 dirty, 0x2 full. */
  flags: number;
  checksumOk: boolean;
}

export function isEvtxMagic(head: Buffer): boolean {
  return head.length >= 8 && head.subarray(0, 8).equals(FILE_MAGIC);
}

/** Parses the header; undefined when the magic is wrong or fewer than 128 bytes are present. */
export function parseFileHeader(buf: Buffer): FileHeader | undefined {
  if (buf.length < 128 || !isEvtxMagic(buf)) return undefined;
  const u64 = (o: number): number => buf.readUInt32LE(o + 4) * 0x100000000 + buf.readUInt32LE(o);
  return {
    firstChunk: u64(8),
    lastChunk: u64(16),
    nextRecordId: u64(24),
    minorVersion: buf.readUInt16LE(36),
    majorVersion: buf.readUInt16LE(38),
    headerBlockSize: buf.readUInt16LE(40),
    chunkCount: buf.readUInt16LE(42),
    flags: buf.readUInt32LE(120),
    checksumOk: crc32(buf.subarray(0, 120)) === buf.readUInt32LE(124),
  };
}
