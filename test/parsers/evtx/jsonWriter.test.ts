// The fast JSONL writer must write exactly what toSafeJson writes (JSON.stringify's escaping plus
// DEL, C1 and bidi controls as \u escapes), for strings and for raw UTF-16 bytes from a chunk.
import { describe, expect, it } from 'vitest';
import { JsonWriter } from '../../../src/parsers/evtx/jsonWriter.js';
import { toSafeJson } from '../../../src/model/json.js';

// Every interesting class: C0, printable ASCII, quote/backslash, DEL, C1, Latin, ALM (U+061C),
// bidi marks and overrides, line/paragraph separators, CJK, surrogate pairs, lone surrogates.
const ALPHABET = [
  0x00, 0x07, 0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x1b, 0x1f, 0x20, 0x22, 0x41, 0x5c, 0x7e, 0x7f, 0x80, 0x9b, 0x9f, 0xa0, 0xe9, 0x061b, 0x061c,
  0x061d, 0x07ff, 0x0800, 0x200d, 0x200e, 0x200f, 0x2027, 0x2028, 0x2029, 0x202a, 0x202e, 0x202f, 0x2065, 0x2066, 0x2069, 0x206a, 0x4e2d,
  0xd83d, 0xde00, 0xdc00, 0xfffd, 0xffff,
];

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomText(rnd: () => number): string {
  const n = Math.floor(rnd() * 24);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(ALPHABET[Math.floor(rnd() * ALPHABET.length)]!);
  return s;
}

describe('JsonWriter escaping', () => {
  it('str() writes what toSafeJson writes, for 5,000 random strings', () => {
    const rnd = seeded(2026);
    const w = new JsonWriter();
    for (let i = 0; i < 5000; i++) {
      const s = randomText(rnd);
      w.str(s);
      expect(w.take(), JSON.stringify([...s].map((c) => c.charCodeAt(0).toString(16)))).toBe(toSafeJson(s));
    }
  });

  it('utf16() writes what toSafeJson writes for the same text, trailing NULs stripped', () => {
    const rnd = seeded(7);
    const w = new JsonWriter();
    for (let i = 0; i < 5000; i++) {
      const s = randomText(rnd);
      const bytes = Buffer.concat([Buffer.from(s, 'utf16le'), Buffer.alloc(4)]);
      w.utf16(bytes, 0, bytes.length);
      expect(w.take()).toBe(toSafeJson(s.replace(/\0+$/, '')));
    }
  });

  it('escapes the terminal-unsafe characters and leaves ordinary text alone', () => {
    const w = new JsonWriter();
    w.str('a\u009b2J\u202eb\u007fc é 中');
    expect(w.take()).toBe('"a\\u009b2J\\u202eb\\u007fc é 中"');
  });
});
