// Hand-written fast paths of the correlation helpers against what they replaced: timeMs parses
// the normalized event time itself (the date cached per day) and must give what Date.parse gives;
// splitHostPort splits `host:port` without a regex and must split as the regex version did.
import { describe, expect, it } from 'vitest';
import { sortIfNeeded, splitHostPort, timeMs } from '../../src/correlate/util.js';

/** splitHostPort as it was written with regular expressions. */
function splitByRegex(s: string): { addr: string; port?: number } {
  const t = s.trim();
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (v6) return v6[2] ? { addr: v6[1]!.toLowerCase(), port: Number(v6[2]) } : { addr: v6[1]!.toLowerCase() };
  const colons = t.split(':').length - 1;
  if (colons === 1) {
    const [a, p] = t.split(':') as [string, string];
    if (/^\d+$/.test(p)) return { addr: a.toLowerCase(), port: Number(p) };
  }
  return { addr: t.toLowerCase() };
}

describe('timeMs', () => {
  it('agrees with Date.parse on normalized times and on mutations of them', () => {
    let seed = 3;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = '0123456789-:.TZ x+';
    const cases = ['2026-01-05T07:00:00Z', '2026-01-05T07:00:00.1Z', '2026-01-05T07:00:00.9999999Z', '2026-02-30T07:00:00Z', '2026-13-01T00:00:00Z', '2026-01-05T24:00:00Z', '2026-01-05T23:60:00Z', '2026-01-05T23:59:60Z', '2026-01-05T07:00:00.Z', '1601-01-01T00:00:00.0000000Z', '9999-12-31T23:59:59.9999999Z'];
    for (let i = 0; i < 20000; i++) {
      const ms = Math.floor(rnd() * 2 ** 44) - 2 ** 42;
      let s = new Date(ms).toISOString();
      if (s.startsWith('+') || s.startsWith('-')) continue;
      // 0 to 9 fractional digits, as the writers in the corpus produce them.
      const digits = Math.floor(rnd() * 10);
      s = s.slice(0, 19) + (digits ? `.${String(Math.floor(rnd() * 10 ** digits)).padStart(digits, '0')}` : '') + 'Z';
      const chars = [...s];
      for (let k = Math.floor(rnd() * 3); k > 0; k--) chars[Math.floor(rnd() * chars.length)] = alphabet[Math.floor(rnd() * alphabet.length)]!;
      cases.push(chars.join(''));
    }
    // The hand-parsed domain: T at 10 and Z at the end (other forms go a separate, slower way).
    const domain = cases.filter((s) => s.length >= 20 && s[10] === 'T' && s.endsWith('Z'));
    expect(domain.length).toBeGreaterThan(10000);
    for (const s of domain) expect(timeMs(s), s).toBe(Date.parse(s));
  });

  it('splitHostPort splits as the regex version did', () => {
    let seed = 5;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = 'aZ09.:[] -f٣';
    const cases = ['10.0.0.1:3389', 'RDS01.corp.example', 'rds01:3389', '[::1]:3389', '[fe80::1]', '::1', 'host:', ':3389', ' host:12 ', 'a:b:c', 'h:3a', '[x]:', '[x]:y'];
    for (let i = 0; i < 20000; i++) {
      const n = Math.floor(rnd() * 12);
      let s = '';
      for (let k = 0; k < n; k++) s += alphabet[Math.floor(rnd() * alphabet.length)];
      cases.push(s);
    }
    for (const s of cases) expect(splitHostPort(s), JSON.stringify(s)).toEqual(splitByRegex(s));
  });
});

describe('sortIfNeeded', () => {
  it('leaves what Array.prototype.sort leaves, sorted input untouched (same array)', () => {
    let s = 99;
    const rnd = (): number => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const order = (a: { k: number; i: number }, b: { k: number; i: number }): number => a.k - b.k;
    for (let n = 0; n < 400; n++) {
      const len = Math.floor(rnd() * 12);
      const sortedAlready = rnd() < 0.5;
      let xs = Array.from({ length: len }, (_, i) => ({ k: Math.floor(rnd() * 4), i }));
      if (sortedAlready) xs = xs.sort(order);
      const want = [...xs].sort(order);
      const got = sortIfNeeded(xs, order);
      expect(got).toBe(xs);
      // Stable like sort: equal keys keep their order.
      expect(got).toEqual(want);
    }
  });
});
