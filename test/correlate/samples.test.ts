// Every scenario sample (samples/<cause>/{client,server}/…, expected.json) read with the real
// readers, correlated and diagnosed: each expected attempt gets its outcome and root cause, and no
// other attempt is reported as a failure.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAttempts } from '../../src/correlate/index.js';
import { diagnose, loadCatalog } from '../../src/rules/index.js';
import { readSample, sampleUserCodes, type SampleExpectation } from './sampleLoader.js';

const samplesDir = resolve(import.meta.dirname, '../../samples');
const names = existsSync(samplesDir) ? readdirSync(samplesDir).filter((n) => existsSync(join(samplesDir, n, 'expected.json'))).sort() : [];
const catalog = loadCatalog();

const sameHost = (a: string | undefined, b: string | undefined): boolean => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

describe.skipIf(names.length === 0)('scenario samples', () => {
  for (const name of names) {
    it(name, async () => {
      const dir = join(samplesDir, name);
      const exp = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { attempts: SampleExpectation[]; notes?: string };
      const { events, contexts } = await readSample(dir);
      const result = buildAttempts(events, contexts);
      const userCodes = sampleUserCodes(exp.notes);
      const rows = result.attempts.filter((a) => !a.preconnect).map((a) => ({ a, d: diagnose(a, catalog, userCodes ? { userCodes } : {}) }));
      // An expected attempt is the one of that client and target whose start is within 1.5 s (client clock).
      const matches = (a: (typeof rows)[number]['a'], e: SampleExpectation): boolean =>
        sameHost(a.client?.host, e.client) && (e.target === undefined || a.target === e.target) && Math.abs(Date.parse(a.start) - Date.parse(e.start)) < 1500;
      const got = exp.attempts.map((e) => {
        const hit = rows.find((r) => matches(r.a, e));
        return { start: e.start, outcome: hit?.a.outcome, rootCause: hit?.d.rootCause };
      });
      expect(got).toEqual(exp.attempts.map((e) => ({ start: e.start, outcome: e.outcome, rootCause: e.rootCause })));
      const unexpectedFailures = rows.filter((r) => r.a.outcome === 'failed' && !exp.attempts.some((e) => matches(r.a, e)));
      expect(unexpectedFailures.map((r) => `${r.a.start} ${r.a.server?.host ?? ''} ${r.a.events.map((e) => e.id).join(',')}`)).toEqual([]);
    });
  }
});

describe.skipIf(!names.includes('clock-skew'))('clock-skew sample', () => {
  it('estimates the skew the sample states between its server and its client', async () => {
    const dir = join(samplesDir, 'clock-skew');
    const exp = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { notes?: string };
    const stated = Number(/([+-−]?\d+) s\b/.exec(exp.notes ?? '')?.[1]?.replace('−', '-') ?? 'NaN');
    expect(Number.isFinite(stated)).toBe(true);
    const { events, contexts } = await readSample(dir);
    const { hosts } = buildAttempts(events, contexts);
    const server = hosts.find((h) => h.roles.includes('server'))!;
    const client = hosts.find((h) => h.roles.includes('client'))!;
    expect(Math.abs(Math.abs((server.skewMs ?? NaN) - (client.skewMs ?? NaN)) - Math.abs(stated) * 1000)).toBeLessThan(5_000);
  });
});
