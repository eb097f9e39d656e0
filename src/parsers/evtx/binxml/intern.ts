// Short UTF-16 texts (element and attribute names, constant text of templates) recur in every
// chunk: each chunk stores its own copy. Making a string from bytes is a native call; finding the
// one made before is a hash and a compare, and gives the same string.

/** Texts longer than this are made each time (they rarely repeat, and comparing costs). */
const MAX_UNITS = 48;
/** Entries kept: the names and constants of a log's templates fit many times over. */
const MAX_ENTRIES = 8192;

const table = new Map<number, string>();

/** buf.toString('utf16le', start, end) for an even byte range, shared across chunks when short. */
export function utf16Text(buf: Buffer, start: number, end: number): string {
  const n = (end - start) >> 1;
  if (n > MAX_UNITS || n === 0) return buf.toString('utf16le', start, end);
  let h = n;
  for (let p = start; p < end; p += 2) h = Math.imul(h ^ (buf[p]! | (buf[p + 1]! << 8)), 0x01000193);
  const s = table.get(h);
  if (s !== undefined && s.length === n) {
    let i = 0;
    for (let p = start; i < n; i++, p += 2) if (s.charCodeAt(i) !== (buf[p]! | (buf[p + 1]! << 8))) break;
    if (i === n) return s;
  }
  const t = buf.toString('utf16le', start, end);
  // A hash collision replaces the entry: still correct, as a hit is compared unit by unit.
  if (table.size >= MAX_ENTRIES) table.clear();
  table.set(h, t);
  return t;
}
