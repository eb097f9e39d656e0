// CRC-32 (IEEE, as EVTX uses for file header, chunk header and record-data checksums).
// Node 20's zlib has no crc32 on every minor version, so it is computed here.
const TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  TABLE[n] = c >>> 0;
}

export function crc32(buf, start = 0, end = buf.length, prev = 0) {
  let c = ~prev >>> 0;
  for (let i = start; i < end; i++) c = TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
  return ~c >>> 0;
}
