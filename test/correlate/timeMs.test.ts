// timeMs parses the normalized event time by hand, with the date cached per day: it must give
// exactly what Date.parse gives (the slow path), for valid times and for anything near them.
import { describe, expect, it } from 'vitest';
import { timeMs } from '../../src/correlate/util.js';

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
});
