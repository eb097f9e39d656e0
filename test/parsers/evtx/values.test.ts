// Every BinXML value type, arrays included, through the whole path (record → template →
// substitution → rendering), with byte buffers built here.
import { describe, expect, it } from 'vitest';
import { decodeChunk } from '../../../src/parsers/evtx/decode.js';
import { buildChunk, u32, utf16z, type TestValue } from './binxmlBuilder.js';

/** Little-endian two's complement bytes of `v`. */
function le(size: number, v: bigint | number): Buffer {
  const b = Buffer.alloc(size);
  const big = BigInt(v);
  if (size === 1) b[0] = Number(BigInt.asUintN(8, big));
  else if (size === 2) b.writeUInt16LE(Number(BigInt.asUintN(16, big)));
  else if (size === 4) b.writeUInt32LE(Number(BigInt.asUintN(32, big)));
  else b.writeBigUInt64LE(BigInt.asUintN(64, big));
  return b;
}

function dataOf(values: TestValue[], codepage?: string): Record<string, string> {
  const { chunk } = buildChunk(values);
  const r = decodeChunk(chunk, { file: 't.evtx', index: 0, fileOffset: 4096, codepage });
  const issues = r.items.filter((i) => i.kind === 'issue');
  expect(issues).toEqual([]);
  const ev = r.items.find((i) => i.kind === 'event');
  if (!ev || ev.kind !== 'event') throw new Error('no event decoded');
  return ev.event.data;
}

const one = (type: number, bytes: Buffer, codepage?: string): string | undefined => dataOf([{ name: 'v', type, bytes }], codepage).v;

function sidBytes(): Buffer {
  const b = Buffer.alloc(8 + 5 * 4);
  b[0] = 1;
  b[1] = 5;
  b.writeUInt32BE(5, 4); // authority 5 (NT)
  [21, 1, 2, 3, 500].forEach((v, i) => b.writeUInt32LE(v, 8 + i * 4));
  return b;
}

function filetime(iso: string, extraTicks: number): Buffer {
  const ms = BigInt(Date.parse(iso));
  return le(8, (ms + 11644473600000n) * 10000n + BigInt(extraTicks));
}

describe('evtx value types', () => {
  it.each([
    ['null', 0x00, Buffer.alloc(0), ''],
    ['UTF-16 string (trailing NUL dropped)', 0x01, utf16z('héllo ✓'), 'héllo ✓'],
    ['int8', 0x03, le(1, -5), '-5'],
    ['uint8', 0x04, le(1, 250), '250'],
    ['int16', 0x05, le(2, -300), '-300'],
    ['uint16', 0x06, le(2, 65000), '65000'],
    ['int32', 0x07, le(4, -70000), '-70000'],
    ['uint32', 0x08, le(4, 4000000000), '4000000000'],
    ['int64', 0x09, le(8, -5000000000n), '-5000000000'],
    ['int64 beyond 2^53', 0x09, le(8, -9223372036854775807n), '-9223372036854775807'],
    ['uint64', 0x0a, le(8, 18446744073709551615n), '18446744073709551615'],
    ['float', 0x0b, (() => { const b = Buffer.alloc(4); b.writeFloatLE(1.5); return b; })(), '1.5'],
    ['double', 0x0c, (() => { const b = Buffer.alloc(8); b.writeDoubleLE(-2.25); return b; })(), '-2.25'],
    ['bool true', 0x0d, le(4, 1), 'true'],
    ['bool false', 0x0d, le(4, 0), 'false'],
    ['bool irregular (2)', 0x0d, le(4, 2), 'true'],
    ['binary (upper-case hex)', 0x0e, Buffer.from([0x0a, 0xff, 0x00]), '0AFF00'],
    ['GUID (braced, upper-case)', 0x0f, Buffer.from('0d5762f4507df64b93fdc9c86c540000', 'hex'), '{F462570D-7D50-4BF6-93FD-C9C86C540000}'],
    ['size_t 64-bit', 0x10, le(8, 0x1000), '0x1000'],
    ['size_t 32-bit', 0x10, le(4, 0x24c), '0x24c'],
    ['FILETIME (7 digits, Z)', 0x11, filetime('2026-03-02T09:14:05.123Z', 4567), '2026-03-02T09:14:05.1234567Z'],
    ['SYSTEMTIME', 0x12, Buffer.from(new Uint16Array([2019, 3, 5, 8, 23, 23, 5, 123]).buffer), '2019-03-08T23:23:05.123Z'],
    ['SID', 0x13, sidBytes(), 'S-1-5-21-1-2-3-500'],
    ['hex int32', 0x14, le(4, 0xc000006d), '0xc000006d'],
    ['hex int64', 0x15, le(8, 0x3e7), '0x3e7'],
    ['hex int64 high bits', 0x15, le(8, 0x8020000000000000n), '0x8020000000000000'],
  ] as const)('%s', (_n, type, bytes, expected) => {
    expect(one(type, bytes)).toBe(expected);
  });

  it('ANSI strings use windows-1252 by default and the code page option otherwise', () => {
    const bytes = Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x00]);
    expect(one(0x02, bytes)).toBe('café');
    expect(one(0x02, bytes, '1251')).toBe('cafй');
  });

  it('windows-1252 bytes 0x80–0x9F are the Windows characters, not C1 controls (Node 20.18.3+ decodes them as Latin-1)', () => {
    const high = Buffer.alloc(33);
    for (let i = 0; i < 32; i++) high[i] = 0x80 + i;
    // WHATWG windows-1252: 0x81, 0x8D, 0x8F, 0x90 and 0x9D stay U+0081… as Windows leaves them.
    const want = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';
    expect(one(0x02, high)).toBe(want);
    for (const cp of ['windows-1252', 'cp1252', '1252', 'latin1', 'iso-8859-1', 'ascii']) expect(one(0x02, high, cp)).toBe(want);
    expect(one(0x02, Buffer.from([0x41, 0x96, 0xa0, 0xff, 0x00]))).toBe('A–\u00a0ÿ');
    // Other code pages keep their own decoder.
    expect(one(0x02, Buffer.from([0x80, 0x00]), '1251')).toBe('Ђ');
  });

  it('repeats an element per array item (strings, ints, GUIDs), keys #2, #3…', () => {
    const guids = Buffer.concat([Buffer.alloc(16, 0x11), Buffer.alloc(16, 0x22)]);
    const d = dataOf([
      { name: 's', type: 0x81, bytes: Buffer.from('a\0bc\0\0d\0', 'utf16le') },
      { name: 'n', type: 0x86, bytes: Buffer.concat([le(2, 1), le(2, 2)]) },
      { name: 'g', type: 0x8f, bytes: guids },
    ]);
    expect(d).toEqual({
      s: 'a',
      's#2': 'bc',
      's#3': '',
      's#4': 'd',
      n: '1',
      'n#2': '2',
      g: '{11111111-1111-1111-1111-111111111111}',
      'g#2': '{22222222-2222-2222-2222-222222222222}',
    });
  });

  it('leaves out an element whose optional substitution is empty', () => {
    expect(dataOf([{ name: 'gone', type: 0x00, bytes: Buffer.alloc(0), optional: true }, { name: 'kept', type: 0x08, bytes: u32(7) }])).toEqual({ kept: '7' });
  });

  it('reports a value whose size does not fit its type, naming the record', () => {
    const { chunk } = buildChunk([{ name: 'bad', type: 0x0f, bytes: Buffer.alloc(5) }]);
    const r = decodeChunk(chunk, { file: 't.evtx', index: 0, fileOffset: 4096 });
    const issues = r.items.flatMap((i) => (i.kind === 'issue' ? [i.issue] : []));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ severity: 'error', code: 'evtx.bad-value', recordId: 1, chunk: 0 });
    expect(r.skipped).toBe(1);
  });
});

describe('evtx SystemTime written as text', () => {
  it('is normalised to 7 fractional digits and Z, or refused', async () => {
    const { isoTime } = await import('../../../src/parsers/evtx/event.js');
    expect(isoTime('2021-04-27T15:03:16.983Z')).toBe('2021-04-27T15:03:16.9830000Z');
    expect(isoTime('2021-04-27T15:03:17.762951800Z')).toBe('2021-04-27T15:03:17.7629518Z');
    expect(isoTime('2021-04-27T15:03:17Z')).toBe('2021-04-27T15:03:17.0000000Z');
    expect(isoTime('yesterday')).toBeUndefined();
    expect(isoTime(undefined)).toBeUndefined();
  });

  it('accepts exactly what the pattern YYYY-MM-DDTHH:MM:SS[.1-9 digits][Z] accepts', async () => {
    const { isoTime } = await import('../../../src/parsers/evtx/event.js');
    const pattern = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z?$/;
    const viaPattern = (t: string): string | undefined => {
      const m = pattern.exec(t);
      return m ? `${m[1]}.${(m[2] ?? '').padEnd(7, '0').slice(0, 7)}Z` : undefined;
    };
    const base = '2021-04-27T15:03:17';
    const tails = ['', 'Z', '.', '.Z', '.1', '.1Z', '.123456789', '.1234567890', '.123456789Z', '.12Z ', 'ZZ', ' Z', '.1.2', '.١'];
    const cases = [...tails.map((x) => base + x), '2021-04-27 15:03:17', '2021-4-27T15:03:17', '2021-04-27T15:03:1', '２021-04-27T15:03:17', ''];
    // And random mutations of a valid time: each character replaced by one of a few candidates.
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31);
    const alphabet = '0123456789-:.TZ x';
    for (let i = 0; i < 5000; i++) {
      const chars = [...`${base}.${String(next() % 10 ** (next() % 10)).padStart(1, '0')}${next() % 2 ? 'Z' : ''}`];
      for (let k = next() % 3; k > 0; k--) chars[next() % chars.length] = alphabet[next() % alphabet.length]!;
      cases.push(chars.join(''));
    }
    for (const t of cases) expect(isoTime(t), JSON.stringify(t)).toBe(viaPattern(t));
  });
});
