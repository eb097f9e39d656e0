// A minimal zip writer: it writes exactly the headers it is told to, lies included (declared sizes,
// unsafe names, pre-compressed streams). Used for zip fuzz seeds and the hostile-input tests.
import { closeSync, openSync, writeSync } from 'node:fs';
import { crc32 as zcrc32, deflateRawSync } from 'node:zlib';
import { crc32 as ourCrc32 } from './crc32.mjs';

// zlib.crc32 is on Node ≥ 20.15 only; fall back to the table version (seed-sized data only).
const crc32 = typeof zcrc32 === 'function' ? zcrc32 : (buf, prev = 0) => ourCrc32(buf, 0, buf.length, prev);

function u16(n) {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n & 0xffff);
  return b;
}

function u32(n) {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}

/** Yields the archive's parts in order (local header, data, …, central directory, end record). */
function* zipParts(entries) {
  let offset = 0;
  const central = [];
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    let body;
    let crc;
    let size;
    let method;
    if (e.raw) {
      method = 8;
      body = e.raw.compressed;
      crc = e.raw.crc;
      size = e.raw.size;
    } else {
      const data = e.data ?? Buffer.alloc(0);
      crc = crc32(data);
      size = data.length;
      method = e.store ? 0 : 8;
      body = e.store ? data : deflateRawSync(data);
    }
    const common = Buffer.concat([u16(20), u16(0x0800), u16(method), u16(0), u16(0x21), u32(crc), u32(e.declaredCompressedSize ?? body.length), u32(e.declaredSize ?? size), u16(name.length), u16(0)]);
    const local = Buffer.concat([u32(0x04034b50), common, name]);
    central.push(Buffer.concat([u32(0x02014b50), u16(20), common, u16(0), u16(0), u16(0), u32(0), u32(offset), name]));
    yield local;
    yield body;
    offset += local.length + body.length;
  }
  const cd = Buffer.concat(central);
  yield cd;
  const count = Math.min(entries.length, 0xffff);
  yield Buffer.concat([u32(0x06054b50), u16(0), u16(0), u16(count), u16(count), u32(cd.length), u32(offset), u16(0)]);
}

/** The whole archive in memory (seed-sized archives). */
export function zipBuffer(entries) {
  return Buffer.concat([...zipParts(entries)]);
}

/** Writes the archive to `path` part by part (a bomb's compressed stream may be large). */
export function writeZip(path, entries) {
  const fd = openSync(path, 'w');
  try {
    for (const part of zipParts(entries)) writeSync(fd, part);
  } finally {
    closeSync(fd);
  }
}

/**
 * A deflate stream of `prefix` then `zeroMiB` MiB of zeros, built from one compressed 64 MiB
 * segment repeated (full flushes make segments independent): a multi-GiB bomb in a second.
 */
export function zeroBomb(prefix, zeroMiB) {
  const SEG = 64;
  const zeros = Buffer.alloc(SEG << 20);
  const opts = { finishFlush: 3 /* Z_FULL_FLUSH */ };
  const parts = [deflateRawSync(prefix, opts)];
  const seg = deflateRawSync(zeros, opts);
  let crc = crc32(prefix);
  const n = Math.floor(zeroMiB / SEG);
  for (let i = 0; i < n; i++) {
    parts.push(seg);
    crc = crc32(zeros, crc);
  }
  parts.push(Buffer.from([0x03, 0x00])); // final empty block
  return { compressed: Buffer.concat(parts), crc: crc >>> 0, size: prefix.length + n * (SEG << 20) };
}
