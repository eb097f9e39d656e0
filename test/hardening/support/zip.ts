// A minimal zip writer for hostile archives: it writes exactly the headers it is told to, lies
// included (declared sizes, names with ../ or drive letters, pre-compressed bomb streams).
import { closeSync, openSync, writeSync } from 'node:fs';
import { crc32, deflateRawSync } from 'node:zlib';

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

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n & 0xffff);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

/** Writes the archive to `path` entry by entry (a bomb's compressed stream may be large). */
export function writeZip(path: string, entries: ZipEntry[]): void {
  const fd = openSync(path, 'w');
  let offset = 0;
  const put = (b: Buffer): void => {
    writeSync(fd, b);
    offset += b.length;
  };
  const central: Buffer[] = [];
  try {
    for (const e of entries) {
      const name = Buffer.from(e.name, 'utf8');
      let method = 0;
      let body: Buffer;
      let crc: number;
      let size: number;
      if (e.raw) {
        method = 8;
        body = e.raw.compressed;
        crc = e.raw.crc;
        size = e.raw.size;
      } else {
        const data = e.data ?? Buffer.alloc(0);
        crc = crc32(data);
        size = data.length;
        body = e.store ? data : deflateRawSync(data);
        method = e.store ? 0 : 8;
      }
      const usize = e.declaredSize ?? size;
      const csize = e.declaredCompressedSize ?? body.length;
      const common = Buffer.concat([u16(20), u16(0x0800), u16(method), u16(0), u16(0x21), u32(crc), u32(csize), u32(usize), u16(name.length), u16(0)]);
      const local = offset;
      put(Buffer.concat([u32(0x04034b50), common, name]));
      put(body);
      central.push(Buffer.concat([u32(0x02014b50), u16(20), common, u16(0), u16(0), u16(0), u32(0), u32(local), name]));
    }
    const cdStart = offset;
    for (const c of central) put(c);
    const count = Math.min(entries.length, 0xffff);
    put(Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(count), u16(count), u32(offset - cdStart), u32(cdStart), u16(0)]));
  } finally {
    closeSync(fd);
  }
}

/**
 * A deflate stream of `prefix` followed by `zeroMiB` MiB of zeros, built from one compressed
 * 64 MiB segment repeated (full flushes make segments independent), so a multi-GiB bomb costs
 * a fraction of a second to build.
 */
export function zeroBomb(prefix: Buffer, zeroMiB: number): { compressed: Buffer; crc: number; size: number } {
  const SEG = 64;
  const zeros = Buffer.alloc(SEG << 20);
  const opts = { finishFlush: 3 /* Z_FULL_FLUSH */ };
  const head = deflateRawSync(prefix, opts);
  const seg = deflateRawSync(zeros, opts);
  const parts = [head];
  let crc = crc32(prefix);
  for (let i = 0; i < zeroMiB / SEG; i++) {
    parts.push(seg);
    crc = crc32(zeros, crc);
  }
  parts.push(Buffer.from([0x03, 0x00])); // final empty block
  return { compressed: Buffer.concat(parts), crc, size: prefix.length + (Math.floor(zeroMiB / SEG) * SEG << 20) };
}
