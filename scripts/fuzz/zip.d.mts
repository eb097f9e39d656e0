// Types for the zip writer shared by the fuzzer and the hostile-input tests.
export interface ZipEntry {
  name: string;
  /** Stored or deflated from this content… */
  data?: Buffer;
  /** …or this raw deflate stream with its true CRC and size. */
  raw?: { compressed: Buffer; crc: number; size: number };
  /** Lie about the uncompressed size (both headers). */
  declaredSize?: number;
  /** Lie about the compressed size (both headers). */
  declaredCompressedSize?: number;
  store?: boolean;
}
export function zipBuffer(entries: ZipEntry[]): Buffer;
export function writeZip(path: string, entries: ZipEntry[]): void;
export function zeroBomb(prefix: Buffer, zeroMiB: number): { compressed: Buffer; crc: number; size: number };
