// JSON text written as UTF-8 into one growing, reused byte buffer: no intermediate strings per
// piece, one native decode per chunk. Escaping is JSON.stringify's (quote, backslash, \b \f \n \r
// \t, other controls as \u00xx, lone surrogates as \udxxx) plus the terminal-unsafe characters of
// src/model/json.ts (DEL, C1, bidi controls) as \u escapes, exactly as toSafeJson writes them.
import { isRawUnsafe } from '../../model/json.js';

const HEX = '0123456789abcdef';

export class JsonWriter {
  private buf = Buffer.allocUnsafe(1 << 18);
  pos = 0;

  private grow(need: number): void {
    let size = this.buf.length * 2;
    while (size < this.pos + need) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  /** Text known to be ASCII and to need no escaping (keys, punctuation, numbers). */
  raw(s: string): void {
    const n = s.length;
    if (this.pos + n > this.buf.length) this.grow(n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) b[p++] = s.charCodeAt(i);
    this.pos = p;
  }

  /** Any text already in JSON form (JSON.stringify output), as UTF-8. */
  json(s: string): void {
    if (this.pos + s.length * 3 > this.buf.length) this.grow(s.length * 3);
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  num(n: number): void {
    this.raw(Number.isFinite(n) ? String(n) : 'null');
  }

  /** A JSON string literal of `s`. */
  str(s: string): void {
    const n = s.length;
    // Worst case: 6 bytes per UTF-16 unit (\uXXXX), plus quotes.
    if (this.pos + n * 6 + 2 > this.buf.length) this.grow(n * 6 + 2);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 34;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x80) {
        if (c >= 0x20 && c !== 34 && c !== 92 && c !== 0x7f) b[p++] = c;
        else p = escapeAscii(b, p, c);
      } else if (c < 0x800) {
        if (c <= 0x9f || c === 0x61c) p = unicodeEscape(b, p, c);
        else {
          b[p++] = 0xc0 | (c >> 6);
          b[p++] = 0x80 | (c & 0x3f);
        }
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          b[p++] = 0xf0 | (cp >> 18);
          b[p++] = 0x80 | ((cp >> 12) & 0x3f);
          b[p++] = 0x80 | ((cp >> 6) & 0x3f);
          b[p++] = 0x80 | (cp & 0x3f);
          i++;
        } else p = unicodeEscape(b, p, c);
      } else if (c >= 0x200e && c <= 0x2069 && isRawUnsafe(c)) {
        p = unicodeEscape(b, p, c);
      } else {
        b[p++] = 0xe0 | (c >> 12);
        b[p++] = 0x80 | ((c >> 6) & 0x3f);
        b[p++] = 0x80 | (c & 0x3f);
      }
    }
    b[p++] = 34;
    this.pos = p;
  }

  /**
   * A JSON string literal of the UTF-16LE text of `size` bytes at `off`, as
   * JSON.stringify(stripNuls(buf.toString('utf16le', off, off + (size & ~1)))) would write it.
   */
  utf16(src: Buffer, off: number, size: number): void {
    let end = off + (size & ~1);
    while (end > off && src[end - 1] === 0 && src[end - 2] === 0) end -= 2;
    const units = (end - off) >> 1;
    if (this.pos + units * 6 + 2 > this.buf.length) this.grow(units * 6 + 2);
    const b = this.buf;
    let p = this.pos;
    b[p++] = 34;
    for (let q = off; q < end; q += 2) {
      const c = src[q]! | (src[q + 1]! << 8);
      if (c < 0x80) {
        if (c >= 0x20 && c !== 34 && c !== 92 && c !== 0x7f) b[p++] = c;
        else p = escapeAscii(b, p, c);
      } else if (c < 0x800) {
        if (c <= 0x9f || c === 0x61c) p = unicodeEscape(b, p, c);
        else {
          b[p++] = 0xc0 | (c >> 6);
          b[p++] = 0x80 | (c & 0x3f);
        }
      } else if (c >= 0xd800 && c <= 0xdfff) {
        const d = q + 2 < end ? src[q + 2]! | (src[q + 3]! << 8) : 0;
        if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
          const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          b[p++] = 0xf0 | (cp >> 18);
          b[p++] = 0x80 | ((cp >> 12) & 0x3f);
          b[p++] = 0x80 | ((cp >> 6) & 0x3f);
          b[p++] = 0x80 | (cp & 0x3f);
          q += 2;
        } else p = unicodeEscape(b, p, c);
      } else if (c >= 0x200e && c <= 0x2069 && isRawUnsafe(c)) {
        p = unicodeEscape(b, p, c);
      } else {
        b[p++] = 0xe0 | (c >> 12);
        b[p++] = 0x80 | ((c >> 6) & 0x3f);
        b[p++] = 0x80 | (c & 0x3f);
      }
    }
    b[p++] = 34;
    this.pos = p;
  }

  /** Everything written so far as a string; the writer is emptied for reuse. */
  take(): string {
    const s = this.pos === 0 ? '' : this.buf.toString('utf8', 0, this.pos);
    this.pos = 0;
    return s;
  }
}

function escapeAscii(b: Buffer, p: number, c: number): number {
  b[p++] = 92;
  switch (c) {
    case 34:
      b[p++] = 34;
      return p;
    case 92:
      b[p++] = 92;
      return p;
    case 8:
      b[p++] = 98; // b
      return p;
    case 12:
      b[p++] = 102; // f
      return p;
    case 10:
      b[p++] = 110; // n
      return p;
    case 13:
      b[p++] = 114; // r
      return p;
    case 9:
      b[p++] = 116; // t
      return p;
    default:
      return unicodeEscape(b, p - 1, c);
  }
}

function unicodeEscape(b: Buffer, p: number, c: number): number {
  b[p++] = 92;
  b[p++] = 117; // u
  b[p++] = HEX.charCodeAt((c >> 12) & 15);
  b[p++] = HEX.charCodeAt((c >> 8) & 15);
  b[p++] = HEX.charCodeAt((c >> 4) & 15);
  b[p++] = HEX.charCodeAt(c & 15);
  return p;
}
