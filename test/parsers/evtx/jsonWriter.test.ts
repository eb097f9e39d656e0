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

describe('JsonWriter values written from their bytes', () => {
  it('scalar writes what renderScalar renders, exactly when scalarFits says it will', async () => {
    const { scalarFits } = await import('../../../src/parsers/evtx/jsonWriter.js');
    const { renderScalar, ansiDecoder } = await import('../../../src/parsers/evtx/binxml/values.js');
    const ansi = ansiDecoder();
    const rnd = seeded(11);
    // The types scalar handles, and some it leaves to renderScalar.
    const types = [0x04, 0x06, 0x08, 0x0d, 0x14, 0x15, 0x10, 0x0f, 0x13, 0x03, 0x07, 0x09, 0x0a, 0x0c, 0x01, 0x11];
    let written = 0;
    for (let i = 0; i < 20000; i++) {
      const type = types[Math.floor(rnd() * types.length)]!;
      const size = Math.floor(rnd() * 72);
      const buf = Buffer.alloc(size + 8);
      for (let k = 0; k < buf.length; k++) buf[k] = Math.floor(rnd() * 256);
      if (type === 0x13 && size > 1) buf[4 + 1] = Math.floor(rnd() * 20); // SID part counts around the limit
      if (rnd() < 0.3) buf.fill(0, 4, 4 + Math.min(size, 4)); // small values, zeros
      const w = new JsonWriter();
      const ok = w.scalar(buf, 4, size, type);
      expect(ok, `type 0x${type.toString(16)} size ${size}`).toBe(scalarFits(buf, 4, size, type));
      if (!ok) {
        expect(w.pos).toBe(0);
        continue;
      }
      written++;
      const text = renderScalar(buf, 4, size, type, ansi);
      expect(text, `type 0x${type.toString(16)} size ${size}`).toBeDefined();
      expect(w.take(), `type 0x${type.toString(16)} ${buf.subarray(4, 4 + size).toString('hex')}`).toBe(toSafeJson(text));
    }
    expect(written).toBeGreaterThan(5000);
  });

  it('fileTime writes isoTime(renderFileTime) for every time before the year 10000, and declines the rest', async () => {
    const { fileTimeFits } = await import('../../../src/parsers/evtx/jsonWriter.js');
    const { renderFileTime } = await import('../../../src/parsers/evtx/binxml/values.js');
    const { isoTime } = await import('../../../src/parsers/evtx/event.js');
    const rnd = seeded(12);
    // 10000-01-01T00:00:00Z as a FILETIME, and around it.
    const limit = (253402300800n + 11644473600n) * 10000000n;
    const cases: bigint[] = [0n, 1n, 9999999n, 10000000n, limit - 1n, limit, limit + 1n, 2n ** 63n - 1n, 2n ** 64n - 1n, 116444736000000000n];
    for (let i = 0; i < 5000; i++) cases.push(BigInt(Math.floor(rnd() * 2 ** 31)) * 2n ** 32n + BigInt(Math.floor(rnd() * 2 ** 32)));
    for (let i = 0; i < 2000; i++) cases.push(BigInt(Math.floor(rnd() * 2 ** 30)) * 2n ** 27n + BigInt(Math.floor(rnd() * 2 ** 27)));
    for (const t of cases) {
      const buf = Buffer.alloc(8);
      buf.writeBigUInt64LE(t);
      const want = isoTime(renderFileTime(buf, 0));
      const w = new JsonWriter();
      if (fileTimeFits(buf, 0)) {
        expect(w.fileTime(buf, 0)).toBe(true);
        expect(w.take(), String(t)).toBe(JSON.stringify(want));
      } else {
        expect(want, String(t)).toBeUndefined();
        expect(w.fileTime(buf, 0)).toBe(false);
        expect(w.pos).toBe(0);
      }
    }
  });
});

describe('JsonWriter numbers', () => {
  it('uint() and hex() write what String(n) and n.toString(16) write, for 0 ≤ n < 2^53', () => {
    const rnd = seeded(53);
    const edges = [0, 1, 9, 10, 15, 16, 255, 0xffffffff, 0x100000000, 0x100000001, 0x1f00000000, Number.MAX_SAFE_INTEGER];
    const ns = [...edges];
    // Every magnitude: a random mantissa scaled to 1..53 bits.
    for (let i = 0; i < 4000; i++) ns.push(Math.floor(rnd() * 2 ** (1 + Math.floor(rnd() * 53))));
    for (const n of ns) {
      const w = new JsonWriter();
      w.uint(n);
      w.raw(' ');
      w.hex(n);
      expect(Buffer.from(w.takeBytes()).toString('latin1'), String(n)).toBe(`${String(n)} ${n.toString(16)}`);
    }
  });
});
