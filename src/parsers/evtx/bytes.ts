// What the byte writers (JSON and Event XML) share: growing their buffer, and UTF-8 from UTF-16
// units. Each writes into one buffer it replaces when full, and decides its own escaping.

/** A buffer of at least twice the size with room for `need` bytes after `used`, holding the first `used` bytes of `buf`. */
export function grown(buf: Buffer, used: number, need: number): Buffer {
  let size = buf.length * 2;
  while (size < used + need) size *= 2;
  const next = Buffer.allocUnsafe(size);
  buf.copy(next, 0, 0, used);
  return next;
}

/** The UTF-8 of one UTF-16 unit of 0x80 or more that is not a surrogate, at `p`; returns the new position. */
export function putUnit(b: Buffer, p: number, c: number): number {
  if (c < 0x800) {
    b[p++] = 0xc0 | (c >> 6);
    b[p++] = 0x80 | (c & 0x3f);
    return p;
  }
  b[p++] = 0xe0 | (c >> 12);
  b[p++] = 0x80 | ((c >> 6) & 0x3f);
  b[p++] = 0x80 | (c & 0x3f);
  return p;
}

/** The UTF-8 of the surrogate pair `hi`, `lo` (checked by the caller), at `p`; returns the new position. */
export function putPair(b: Buffer, p: number, hi: number, lo: number): number {
  const cp = 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
  b[p++] = 0xf0 | (cp >> 18);
  b[p++] = 0x80 | ((cp >> 12) & 0x3f);
  b[p++] = 0x80 | ((cp >> 6) & 0x3f);
  b[p++] = 0x80 | (cp & 0x3f);
  return p;
}
