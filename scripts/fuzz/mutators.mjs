// Mutations. Each takes (buffer, rng, ctx) and returns { buf, what } where `what` is a short,
// exact description (offsets and values) so a saved fixture says how it was made.
// Sizes are capped: a mutation never grows an input past ctx.maxSize.
import { CH, CHUNK_SIZE, FH, STRING_SLOTS, TEMPLATE_SLOTS, chunkOffsets, fixAllChecksums, isEvtx, recordOffsets } from './evtxLayout.mjs';

const U32_EDGES = [0, 1, 0x7f, 0x80, 0xff, 0x1ff, 0x200, 0xfff, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];
const U16_EDGES = [0, 1, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xfffe, 0xffff];
const BYTE_EDGES = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x1b, 0x9b, 0x0a, 0x0d, 0x22, 0x3c];
// BinXML token bytes and value types: steering random bytes at them reaches more decoder states.
const BINXML_BYTES = [0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x41, 0x45, 0x46, 0x47, 0x21, 0x81, 0x88, 0x94, 0x13, 0x15];

const hex = (n) => `0x${n.toString(16)}`;

function clone(buf) {
  return Buffer.from(buf);
}

function writeU32(buf, off, v) {
  if (off >= 0 && off + 4 <= buf.length) buf.writeUInt32LE(v >>> 0, off);
}

function writeU16(buf, off, v) {
  if (off >= 0 && off + 2 <= buf.length) buf.writeUInt16LE(v & 0xffff, off);
}

// ---- generic byte mutations -------------------------------------------------------------

export const generic = {
  bitflip(buf, rng) {
    const b = clone(buf);
    if (!b.length) return { buf: b, what: 'bitflip (empty)' };
    const n = rng.range(1, 8);
    const where = [];
    for (let i = 0; i < n; i++) {
      const off = rng.int(b.length);
      const bit = rng.int(8);
      b[off] ^= 1 << bit;
      where.push(`${hex(off)}.${bit}`);
    }
    return { buf: b, what: `bitflip ${where.join(',')}` };
  },
  byteEdge(buf, rng) {
    const b = clone(buf);
    if (!b.length) return { buf: b, what: 'byte (empty)' };
    const off = rng.int(b.length);
    const v = rng.pick(BYTE_EDGES);
    b[off] = v;
    return { buf: b, what: `byte ${hex(off)}=${hex(v)}` };
  },
  intEdge(buf, rng) {
    const b = clone(buf);
    const off = rng.int(Math.max(1, b.length - 4));
    if (rng.chance(0.5)) {
      const v = rng.pick(U32_EDGES);
      writeU32(b, off, v);
      return { buf: b, what: `u32 ${hex(off)}=${hex(v)}` };
    }
    const v = rng.pick(U16_EDGES);
    writeU16(b, off, v);
    return { buf: b, what: `u16 ${hex(off)}=${hex(v)}` };
  },
  fillRun(buf, rng) {
    const b = clone(buf);
    if (!b.length) return { buf: b, what: 'fill (empty)' };
    const off = rng.int(b.length);
    const len = Math.min(rng.size(4096), b.length - off);
    const v = rng.pick([0x00, 0xff, 0x41]);
    b.fill(v, off, off + len);
    return { buf: b, what: `fill ${hex(off)}+${len}=${hex(v)}` };
  },
  truncate(buf, rng) {
    const len = rng.chance(0.3) ? rng.int(Math.min(buf.length, 1024)) : rng.int(buf.length + 1);
    return { buf: Buffer.from(buf.subarray(0, len)), what: `truncate ${len}` };
  },
  swapRegions(buf, rng) {
    const b = clone(buf);
    if (b.length < 8) return { buf: b, what: 'swap (short)' };
    const len = Math.min(rng.size(8192), Math.floor(b.length / 2));
    const a = rng.int(b.length - len + 1);
    const c = rng.int(b.length - len + 1);
    const tmp = Buffer.from(b.subarray(a, a + len));
    b.copy(b, a, c, c + len);
    tmp.copy(b, c);
    return { buf: b, what: `swap ${hex(a)}<->${hex(c)} len ${len}` };
  },
  duplicateRegion(buf, rng, ctx) {
    if (!buf.length) return { buf: clone(buf), what: 'dup (empty)' };
    const len = Math.min(rng.size(4096), buf.length, Math.max(0, ctx.maxSize - buf.length));
    const from = rng.int(buf.length - len + 1);
    const at = rng.int(buf.length + 1);
    const b = Buffer.concat([buf.subarray(0, at), buf.subarray(from, from + len), buf.subarray(at)]);
    return { buf: b, what: `dup ${hex(from)}+${len} at ${hex(at)}` };
  },
  deleteRegion(buf, rng) {
    if (!buf.length) return { buf: clone(buf), what: 'delete (empty)' };
    const at = rng.int(buf.length);
    const len = Math.min(rng.size(4096), buf.length - at);
    return { buf: Buffer.concat([buf.subarray(0, at), buf.subarray(at + len)]), what: `delete ${hex(at)}+${len}` };
  },
  splice(buf, rng, ctx) {
    const other = ctx.partner;
    if (!other || !other.length || !buf.length) return { buf: clone(buf), what: 'splice (no partner)' };
    const at = rng.int(buf.length);
    const from = rng.int(other.length);
    const len = Math.min(rng.size(8192), other.length - from, Math.max(0, ctx.maxSize - at));
    return { buf: Buffer.concat([buf.subarray(0, at), other.subarray(from, from + len), buf.subarray(at + len)]), what: `splice ${ctx.partnerName}@${hex(from)}+${len} at ${hex(at)}` };
  },
};

// ---- EVTX structure mutations --------------------------------------------------------------

function pickChunk(buf, rng) {
  const chunks = chunkOffsets(buf);
  return chunks.length ? rng.pick(chunks) : undefined;
}

export const evtx = {
  fileHeaderField(buf, rng) {
    const b = clone(buf);
    const field = rng.pick(['chunkCount', 'headerSize', 'blockSize', 'major', 'minor', 'firstChunk', 'lastChunk', 'nextRecordId', 'flags', 'checksum']);
    const off = FH[field];
    let v;
    if (field === 'chunkCount' || field === 'blockSize' || field === 'major' || field === 'minor') {
      v = rng.pick([...U16_EDGES, 2, 3, 1]);
      writeU16(b, off, v);
    } else if (field === 'firstChunk' || field === 'lastChunk' || field === 'nextRecordId') {
      const big = rng.pick([0n, 1n, 0xffffn, 0xffffffffn, 0x7fffffffffffffffn, 0xffffffffffffffffn]);
      if (off + 8 <= b.length) b.writeBigUInt64LE(big, off);
      v = Number(big & 0xffffffffn);
    } else {
      v = rng.pick(U32_EDGES);
      writeU32(b, off, v);
    }
    return { buf: b, what: `file header ${field}=${hex(v)}` };
  },
  chunkHeaderField(buf, rng) {
    const b = clone(buf);
    const c = pickChunk(b, rng);
    if (c === undefined) return { buf: b, what: 'chunk header (no chunk)' };
    const field = rng.pick(['firstRecNum', 'lastRecNum', 'firstRecId', 'lastRecId', 'headerSize', 'lastRecOffset', 'freeSpace', 'dataChecksum', 'flags']);
    const off = c + CH[field];
    if (['firstRecNum', 'lastRecNum', 'firstRecId', 'lastRecId'].includes(field)) {
      const big = rng.pick([0n, 1n, 0xffffffffn, 0xffffffffffffffffn, 0x8000000000000000n]);
      if (off + 8 <= b.length) b.writeBigUInt64LE(big, off);
      return { buf: b, what: `chunk@${hex(c)} ${field}=${hex(Number(big & 0xffffffffn))}` };
    }
    const v = rng.chance(0.7) ? rng.pick([...U32_EDGES, CHUNK_SIZE - 1, CHUNK_SIZE + 1, 511, 513]) : rng.int(CHUNK_SIZE * 2);
    writeU32(b, off, v);
    return { buf: b, what: `chunk@${hex(c)} ${field}=${hex(v)}` };
  },
  /** Points a string or template slot of the chunk header at nonsense, at itself or past the end. */
  offsetTable(buf, rng) {
    const b = clone(buf);
    const c = pickChunk(b, rng);
    if (c === undefined) return { buf: b, what: 'offset table (no chunk)' };
    const strings = rng.chance(0.5);
    const slots = strings ? STRING_SLOTS : TEMPLATE_SLOTS;
    const base = c + (strings ? CH.strings : CH.templates);
    // Prefer slots in use: those are the ones a parser follows.
    let slot = rng.int(slots);
    for (let i = 0; i < slots; i++) {
      const s = (slot + i) % slots;
      if (b.readUInt32LE(base + 4 * s) !== 0) {
        slot = s;
        break;
      }
    }
    const slotPos = base + 4 * slot - c;
    const v = rng.pick([0, 1, 4, slotPos, CH.strings, 0x200, CHUNK_SIZE - 1, CHUNK_SIZE - 2, CHUNK_SIZE, 0x7fffffff, 0xffffffff, rng.int(CHUNK_SIZE)]);
    writeU32(b, base + 4 * slot, v);
    return { buf: b, what: `chunk@${hex(c)} ${strings ? 'string' : 'template'}[${slot}]=${hex(v)}` };
  },
  /** Makes a string-table or template chain loop: the entry's `next` offset points at itself. */
  selfLink(buf, rng) {
    const b = clone(buf);
    const c = pickChunk(b, rng);
    if (c === undefined) return { buf: b, what: 'self link (no chunk)' };
    const strings = rng.chance(0.5);
    const base = c + (strings ? CH.strings : CH.templates);
    const used = [];
    for (let s = 0; s < (strings ? STRING_SLOTS : TEMPLATE_SLOTS); s++) {
      const v = b.readUInt32LE(base + 4 * s);
      if (v >= 0x200 && v + 8 < CHUNK_SIZE && c + v + 8 <= b.length) used.push(v);
    }
    if (!used.length) return { buf: b, what: 'self link (no entries)' };
    const target = rng.pick(used);
    const loopTo = rng.chance(0.7) ? target : rng.pick(used);
    writeU32(b, c + target, loopTo);
    if (rng.chance(0.3)) {
      // Also claim an absurd length for the entry (string char count / template data size).
      if (strings) writeU16(b, c + target + 6, 0xffff);
      else writeU32(b, c + target + 20, rng.pick([0xffffffff, 0x7fffffff, CHUNK_SIZE]));
    }
    return { buf: b, what: `chunk@${hex(c)} ${strings ? 'string' : 'template'}@${hex(target)}.next=${hex(loopTo)}` };
  },
  recordSize(buf, rng) {
    const b = clone(buf);
    const c = pickChunk(b, rng);
    if (c === undefined) return { buf: b, what: 'record size (no chunk)' };
    const recs = recordOffsets(b, c);
    if (!recs.length) return { buf: b, what: 'record size (no records)' };
    const r = rng.pick(recs);
    const size = b.readUInt32LE(r + 4);
    const v = rng.pick([0, 1, 4, 23, 24, 27, 28, size - 8, size + 8, size + 1, CHUNK_SIZE, 0x7fffffff, 0xffffffff, rng.int(CHUNK_SIZE)]) >>> 0;
    const tail = rng.chance(0.5);
    writeU32(b, tail ? r + size - 4 : r + 4, v);
    return { buf: b, what: `record@${hex(r)} ${tail ? 'size copy' : 'size'}=${hex(v)}` };
  },
  recordField(buf, rng) {
    const b = clone(buf);
    const c = pickChunk(b, rng);
    if (c === undefined) return { buf: b, what: 'record field (no chunk)' };
    const recs = recordOffsets(b, c);
    if (!recs.length) return { buf: b, what: 'record field (no records)' };
    const r = rng.pick(recs);
    const field = rng.pick(['magic', 'id', 'time']);
    if (field === 'magic') {
      writeU32(b, r, rng.pick([0, 0x2a2a2a2a, 0xffffffff]));
    } else {
      const big = rng.pick([0n, 1n, 0xffffffffffffffffn, 0x7fffffffffffffffn, 0x0a00000000000000n]);
      b.writeBigUInt64LE(big, r + (field === 'id' ? 8 : 16));
    }
    return { buf: b, what: `record@${hex(r)} ${field}` };
  },
  /** Rewrites a u32 inside record data that looks like a chunk offset (names, templates, substitutions). */
  innerOffset(buf, rng) {
    const b = clone(buf);
    const c = pickChunk(b, rng);
    if (c === undefined) return { buf: b, what: 'inner offset (no chunk)' };
    const recs = recordOffsets(b, c);
    if (!recs.length) return { buf: b, what: 'inner offset (no records)' };
    const r = rng.pick(recs);
    const size = b.readUInt32LE(r + 4);
    for (let tries = 0; tries < 64; tries++) {
      const pos = r + 24 + rng.int(Math.max(1, size - 28));
      if (pos + 4 > b.length) continue;
      const v = b.readUInt32LE(pos);
      if (v < 0x200 || v >= CHUNK_SIZE) continue;
      const self = pos - c;
      const nv = rng.pick([self, self - 4, self - 6, r - c, r - c + 24, 0, 0x1ff, CHUNK_SIZE - 1, 0xffffffff, 0x7fffffff]) >>> 0;
      writeU32(b, pos, nv);
      return { buf: b, what: `record@${hex(r)} offset@${hex(pos)} ${hex(v)}->${hex(nv)}` };
    }
    return { buf: b, what: `inner offset (none found in record@${hex(r)})` };
  },
  binxmlToken(buf, rng) {
    const b = clone(buf);
    const c = pickChunk(b, rng);
    if (c === undefined) return { buf: b, what: 'token (no chunk)' };
    const recs = recordOffsets(b, c);
    if (!recs.length) return { buf: b, what: 'token (no records)' };
    const r = rng.pick(recs);
    const size = b.readUInt32LE(r + 4);
    const pos = r + 24 + rng.int(Math.max(1, size - 28));
    const v = rng.pick(BINXML_BYTES);
    if (pos < b.length) b[pos] = v;
    return { buf: b, what: `record@${hex(r)} byte@${hex(pos)}=${hex(v)}` };
  },
  swapChunks(buf, rng) {
    const b = clone(buf);
    const chunks = chunkOffsets(b);
    if (chunks.length < 2) {
      // One chunk: duplicate it so chunk-level code sees two with the same record ids.
      if (chunks.length === 1 && chunks[0] + CHUNK_SIZE <= b.length) {
        const out = Buffer.concat([b, b.subarray(chunks[0], chunks[0] + CHUNK_SIZE)]);
        writeU16(out, FH.chunkCount, 2);
        return { buf: out, what: 'duplicate only chunk' };
      }
      return { buf: b, what: 'swap chunks (fewer than 2)' };
    }
    const x = rng.pick(chunks);
    const y = rng.pick(chunks.filter((o) => o !== x));
    if (x + CHUNK_SIZE > b.length || y + CHUNK_SIZE > b.length) return { buf: b, what: 'swap chunks (partial chunk)' };
    const tmp = Buffer.from(b.subarray(x, x + CHUNK_SIZE));
    b.copy(b, x, y, y + CHUNK_SIZE);
    tmp.copy(b, y);
    return { buf: b, what: `swap chunks ${hex(x)}<->${hex(y)}` };
  },
  swapRecords(buf, rng) {
    const b = clone(buf);
    const c = pickChunk(b, rng);
    if (c === undefined) return { buf: b, what: 'swap records (no chunk)' };
    const recs = recordOffsets(b, c);
    if (recs.length < 2) return { buf: b, what: 'swap records (fewer than 2)' };
    const i = rng.int(recs.length - 1);
    const a = recs[i];
    const n = recs[i + 1];
    const sa = b.readUInt32LE(a + 4);
    const sn = b.readUInt32LE(n + 4);
    // Adjacent records swap in place whatever their sizes.
    const first = Buffer.from(b.subarray(a, a + sa));
    const second = Buffer.from(b.subarray(n, n + sn));
    second.copy(b, a);
    first.copy(b, a + sn);
    return { buf: b, what: `swap records ${hex(a)},${hex(n)}` };
  },
};

// ---- zip structure mutations --------------------------------------------------------------

// Offsets of the fields worth lying about, per record signature.
const ZIP_FIELDS = {
  0x04034b50: { method: [8, 2], crc: [14, 4], csize: [18, 4], usize: [22, 4], nameLen: [26, 2], extraLen: [28, 2] },
  0x02014b50: { method: [10, 2], crc: [16, 4], csize: [20, 4], usize: [24, 4], nameLen: [28, 2], extraLen: [30, 2], commentLen: [32, 2], localOffset: [42, 4] },
  0x06054b50: { disk: [4, 2], entriesHere: [8, 2], entries: [10, 2], cdSize: [12, 4], cdOffset: [16, 4], commentLen: [20, 2] },
};

export const zip = {
  field(buf, rng) {
    const b = clone(buf);
    const found = [];
    for (let i = 0; i + 4 <= b.length && found.length < 4096; i++) {
      const sig = b.readUInt32LE(i);
      if (ZIP_FIELDS[sig]) found.push([i, sig]);
    }
    if (!found.length) return { buf: b, what: 'zip field (no records)' };
    const [at, sig] = rng.pick(found);
    const fields = ZIP_FIELDS[sig];
    const name = rng.pick(Object.keys(fields));
    const [off, width] = fields[name];
    const v = width === 2 ? rng.pick([...U16_EDGES, 2, 9, 12, 14, 99]) : rng.pick([...U32_EDGES, b.length, b.length + 1, at]);
    if (width === 2) writeU16(b, at + off, v);
    else writeU32(b, at + off, v);
    return { buf: b, what: `zip record@${hex(at)} ${name}=${hex(v)}` };
  },
};

// ---- text mutations ------------------------------------------------------------------------

const TEXT_TOKENS = [
  '<!DOCTYPE e [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
  '<!DOCTYPE e [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
  '&x;', '&b;', '&amp;', '&#0;', '&#x0;', '&#xD800;', '&#x1b;', '&#9999999999;', '&unknown;',
  '<![CDATA[', ']]>', '<!--', '-->', '<?xml version="1.0" encoding="UTF-16"?>', '<?pi x?>',
  '<', '>', '</', '/>', '"', "'", '=', ',', ';', '\t', '\r', '\n', '\r\n', '\\', '\\u0000', '\\ud800',
  '\u001b[2J', '\u001b]52;c;SGVsbG8=\u0007', '\u0007', '\u009b31m', '\u0085', '\ufeff', '\u2028',
  '{', '}', '[', ']', 'null', 'true', '"\\/Date(-99999999999999)\\/"', '"\\/Date(99999999999999999)\\/"',
  '1e999', '-0', '9007199254740993', '0x', '0xFFFFFFFFFFFFFFFFFF', '-2147483649', 'NaN',
  ':s:', ':i:', ':b:', 'full address:s:', '#TYPE ', '=-cmd|', '+1', '@SUM(1)',
  '9999-99-99T99:99:99', '0000-00-00T00:00:00', '2023-13-45 25:61:61',
];
const BAD_BYTES = [[0xc0, 0x80], [0xed, 0xa0, 0x80], [0xff], [0xfe, 0xff], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0x00]];

function lines(buf) {
  const out = [];
  let start = 0;
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] === 0x0a) {
      out.push([start, i + 1]);
      start = i + 1;
    }
  }
  if (start < buf.length) out.push([start, buf.length]);
  return out;
}

export const text = {
  insertToken(buf, rng) {
    const tok = Buffer.from(rng.pick(TEXT_TOKENS), 'utf8');
    const at = rng.int(buf.length + 1);
    return { buf: Buffer.concat([buf.subarray(0, at), tok, buf.subarray(at)]), what: `insert ${JSON.stringify(tok.toString('utf8'))} at ${hex(at)}` };
  },
  insertBadUtf8(buf, rng) {
    const bytes = Buffer.from(rng.pick(BAD_BYTES));
    const at = rng.int(buf.length + 1);
    return { buf: Buffer.concat([buf.subarray(0, at), bytes, buf.subarray(at)]), what: `bad utf8 ${bytes.toString('hex')} at ${hex(at)}` };
  },
  repeatLine(buf, rng, ctx) {
    const ls = lines(buf);
    if (!ls.length) return { buf: Buffer.from(buf), what: 'repeat line (empty)' };
    const [s, e] = rng.pick(ls);
    const line = buf.subarray(s, e);
    const times = Math.min(rng.size(400), Math.floor(Math.max(0, ctx.maxSize - buf.length) / Math.max(1, line.length)));
    const parts = [buf.subarray(0, e)];
    for (let i = 0; i < times; i++) parts.push(line);
    parts.push(buf.subarray(e));
    return { buf: Buffer.concat(parts), what: `repeat line @${hex(s)} x${times}` };
  },
  dropLine(buf, rng) {
    const ls = lines(buf);
    if (!ls.length) return { buf: Buffer.from(buf), what: 'drop line (empty)' };
    const [s, e] = rng.pick(ls);
    return { buf: Buffer.concat([buf.subarray(0, s), buf.subarray(e)]), what: `drop line @${hex(s)}` };
  },
  swapLines(buf, rng) {
    const ls = lines(buf);
    if (ls.length < 2) return { buf: Buffer.from(buf), what: 'swap lines (fewer than 2)' };
    const i = rng.int(ls.length - 1);
    const [a0, a1] = ls[i];
    const [b0, b1] = ls[i + 1];
    return { buf: Buffer.concat([buf.subarray(0, a0), buf.subarray(b0, b1), buf.subarray(a0, a1), buf.subarray(b1)]), what: `swap lines ${i},${i + 1}` };
  },
  longLine(buf, rng, ctx) {
    const len = Math.min(rng.size(200_000), Math.max(0, ctx.maxSize - buf.length));
    const at = rng.int(buf.length + 1);
    const fill = Buffer.alloc(len, rng.pick(['A', '"', ',', '\t', ' ', '<']));
    return { buf: Buffer.concat([buf.subarray(0, at), fill, buf.subarray(at)]), what: `long run ${len} at ${hex(at)}` };
  },
  nest(buf, rng, ctx) {
    const depth = Math.min(rng.size(5000), Math.floor(Math.max(0, ctx.maxSize - buf.length) / 8));
    const [open, close] = rng.pick([['<a>', '</a>'], ['[', ']'], ['{"a":', '}'], ['<a x="1">', '']]);
    const at = rng.int(buf.length + 1);
    return { buf: Buffer.concat([buf.subarray(0, at), Buffer.from(open.repeat(depth) + close.repeat(rng.chance(0.5) ? depth : 0)), buf.subarray(at)]), what: `nest ${JSON.stringify(open)} x${depth} at ${hex(at)}` };
  },
  number(buf, rng) {
    const s = buf.toString('latin1');
    const re = /\d+/g;
    const found = [];
    let m;
    while ((m = re.exec(s)) && found.length < 512) found.push([m.index, m[0].length]);
    if (!found.length) return { buf: Buffer.from(buf), what: 'number (none)' };
    const [at, len] = rng.pick(found);
    const v = rng.pick(['0', '-1', '4294967296', '99999999999999999999999', '18446744073709551616', '1.5', '', '00000000000000000001', '9'.repeat(400)]);
    return { buf: Buffer.concat([buf.subarray(0, at), Buffer.from(v), buf.subarray(at + len)]), what: `number @${hex(at)}=${v.slice(0, 24)}` };
  },
  /** Re-encodes the text (UTF-16 with or without BOM) or flips its BOM: exporters write all of these. */
  encoding(buf, rng) {
    const kind = rng.pick(['utf16le-bom', 'utf16le', 'utf16be-bom', 'utf8-bom', 'strip-bom', 'odd-utf16']);
    const str = buf.toString('utf8');
    if (kind === 'utf16le-bom') return { buf: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(str, 'utf16le')]), what: kind };
    if (kind === 'utf16le') return { buf: Buffer.from(str, 'utf16le'), what: kind };
    if (kind === 'utf16be-bom') return { buf: Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(str, 'utf16le').swap16()]), what: kind };
    if (kind === 'utf8-bom') return { buf: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), buf]), what: kind };
    if (kind === 'odd-utf16') {
      // UTF-16 with an odd byte count and a lone high surrogate in the middle.
      const u = Buffer.from(str, 'utf16le');
      const at = u.length ? 2 * rng.int(u.length / 2) : 0;
      return { buf: Buffer.concat([Buffer.from([0xff, 0xfe]), u.subarray(0, at), Buffer.from([0x00, 0xd8]), u.subarray(at), Buffer.from([0x41])]), what: `${kind} @${hex(at)}` };
    }
    let start = 0;
    if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) start = 3;
    else if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) start = 2;
    return { buf: Buffer.from(buf.subarray(start)), what: kind };
  },
};

function weighted(rng, table) {
  let total = 0;
  for (const [, w] of table) total += w;
  let x = rng.next() * total;
  for (const [name, w] of table) {
    if ((x -= w) < 0) return name;
  }
  return table[table.length - 1][0];
}

const EVTX_TABLE = [
  ['evtx.fileHeaderField', 4], ['evtx.chunkHeaderField', 6], ['evtx.offsetTable', 6], ['evtx.selfLink', 5],
  ['evtx.recordSize', 6], ['evtx.recordField', 3], ['evtx.innerOffset', 8], ['evtx.binxmlToken', 8],
  ['evtx.swapChunks', 2], ['evtx.swapRecords', 3],
  ['generic.bitflip', 8], ['generic.byteEdge', 4], ['generic.intEdge', 5], ['generic.fillRun', 4],
  ['generic.truncate', 4], ['generic.swapRegions', 2], ['generic.duplicateRegion', 1], ['generic.deleteRegion', 2], ['generic.splice', 2],
];
const TEXT_TABLE = [
  ['text.insertToken', 10], ['text.insertBadUtf8', 4], ['text.repeatLine', 3], ['text.dropLine', 3], ['text.swapLines', 2],
  ['text.longLine', 2], ['text.nest', 2], ['text.number', 5], ['text.encoding', 3],
  ['generic.bitflip', 4], ['generic.byteEdge', 3], ['generic.truncate', 4], ['generic.deleteRegion', 2], ['generic.duplicateRegion', 2],
  ['generic.fillRun', 1], ['generic.splice', 2],
];
const ZIP_TABLE = [
  ['zip.field', 12], ['generic.bitflip', 4], ['generic.intEdge', 3], ['generic.truncate', 3], ['generic.fillRun', 2],
  ['generic.swapRegions', 1], ['generic.deleteRegion', 1], ['generic.duplicateRegion', 1],
];
const FAMILIES = { evtx, generic, text, zip };

function apply(name, buf, rng, ctx) {
  const [family, op] = name.split('.');
  return FAMILIES[family][op](buf, rng, ctx);
}

/**
 * Applies 1–4 mutations chosen by the seed's kind. For EVTX inputs the checksums are recomputed
 * half of the time, so the damage reaches the decoder instead of stopping at checksum checks.
 */
export function mutate(seedBuf, kind, rng, ctx) {
  const table = kind === 'evtx' ? EVTX_TABLE : kind === 'zip' ? ZIP_TABLE : TEXT_TABLE;
  let buf = seedBuf;
  const steps = [];
  const n = rng.chance(0.5) ? 1 : rng.range(2, 4);
  for (let i = 0; i < n; i++) {
    const name = weighted(rng, table);
    const r = apply(name, buf, rng, ctx);
    buf = r.buf.length > ctx.maxSize ? Buffer.from(r.buf.subarray(0, ctx.maxSize)) : r.buf;
    steps.push(`${name}: ${r.what}`);
  }
  if (kind === 'evtx' && isEvtx(buf) && rng.chance(0.5)) {
    buf = Buffer.from(buf);
    fixAllChecksums(buf);
    steps.push('checksums recomputed');
  }
  return { buf, steps };
}
