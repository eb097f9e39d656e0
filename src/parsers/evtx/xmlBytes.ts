// Event XML written as UTF-8 bytes into one growing buffer, with xml.ts's escaping: the string
// path (an array of pieces per record, joined, then encoded on the way out) spent 40% of
// `dump --format xml` building and joining strings. UTF-16 string values are escaped straight
// from their bytes. Output is byte for byte what encoding the joined string as UTF-8 gave (a lone
// surrogate becomes U+FFFD, EF BF BD, as Buffer's encoder writes it).

import { grown, putPair, putUnit } from './bytes.js';

const HEX_UP = '0123456789ABCDEF';

export class XmlBytes {
  buf: Buffer = Buffer.allocUnsafe(1 << 16);
  pos = 0;

  /** Room for `n` more bytes. */
  room(n: number): void {
    if (this.pos + n > this.buf.length) this.buf = grown(this.buf, this.pos, n);
  }

  /** Markup as it is (names, punctuation): no escaping, UTF-8. */
  raw(s: string): void {
    this.put(s, false, false);
  }

  /** Text, escaped: & < > (and ' in attributes) as entities, C0 controls but tab and LF, DEL and C1 as &#xNN;. */
  text(s: string, attr: boolean): void {
    this.put(s, true, attr);
  }

  /** Bytes written before (a repeated element head). */
  copy(start: number, end: number): void {
    this.room(end - start);
    this.buf.copyWithin(this.pos, start, end);
    this.pos += end - start;
  }

  private put(s: string, escape: boolean, attr: boolean): void {
    const n = s.length;
    this.room(n * 6);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (!escape || PLAIN[c] === 1 || (c === 39 && !attr)) b[p++] = c;
        else p = ref(b, p, c);
      } else if (escape && c <= 0x9f) p = ref(b, p, c);
      else {
        p = utf8(b, p, c, i + 1 < n ? s.charCodeAt(i + 1) : 0);
        if (tookPair) i++;
      }
    }
    this.pos = p;
  }

  /** A UTF-16LE string value of `size` bytes at `off`, trailing NULs left out, escaped as text(). */
  utf16(src: Buffer, off: number, size: number, attr: boolean): void {
    let end = off + (size & ~1);
    while (end > off && src[end - 1] === 0 && src[end - 2] === 0) end -= 2;
    this.room(((end - off) >> 1) * 6);
    const b = this.buf;
    let p = this.pos;
    for (let q = off; q < end; q += 2) {
      const c = src[q]! | (src[q + 1]! << 8);
      if (c < 0x80) {
        if (PLAIN[c] === 1 || (c === 39 && !attr)) b[p++] = c;
        else p = ref(b, p, c);
      } else if (c <= 0x9f) p = ref(b, p, c);
      else {
        p = utf8(b, p, c, q + 2 < end ? src[q + 2]! | (src[q + 3]! << 8) : 0);
        if (tookPair) q += 2;
      }
    }
    this.pos = p;
  }
}

/** ASCII written as it is in text and attributes (not & < > ', not C0 controls but tab and LF, not DEL). */
const PLAIN = new Uint8Array(128);
for (let c = 0x20; c < 0x7f; c++) PLAIN[c] = 1;
PLAIN[9] = 1;
PLAIN[10] = 1;
PLAIN[38] = 0; // &
PLAIN[60] = 0; // <
PLAIN[62] = 0; // >
PLAIN[39] = 0; // ' (kept in text, &apos; in attributes)

/** The reference written for an ASCII or C1 character (below 0xA0) that is not plain. */
function ref(b: Buffer, p: number, c: number): number {
  let s: string;
  if (c === 38) s = '&amp;';
  else if (c === 60) s = '&lt;';
  else if (c === 62) s = '&gt;';
  else if (c === 39) s = '&apos;';
  else s = c < 16 ? `&#x${HEX_UP[c]};` : `&#x${HEX_UP[c >> 4]}${HEX_UP[c & 15]};`;
  for (let i = 0; i < s.length; i++) b[p++] = s.charCodeAt(i);
  return p;
}

/** Set by utf8: it wrote `c` and the unit after it as one surrogate pair. */
let tookPair = false;

/** One UTF-16 unit of 0xA0 or more as UTF-8 (`d`: the unit after it, or 0); a lone surrogate as U+FFFD. */
function utf8(b: Buffer, p: number, c: number, d: number): number {
  tookPair = false;
  if (c < 0xd800 || c > 0xdfff) return putUnit(b, p, c);
  if (c > 0xdbff || d < 0xdc00 || d > 0xdfff) return putUnit(b, p, 0xfffd);
  tookPair = true;
  return putPair(b, p, c, d);
}
