// The fuzz harness itself: with deliberately faulty readers (support/toyReaders.mjs) every kind of
// failure (throw, async escape, hang, heap blow-up, throwing sniff, bad output, output that changes
// between two reads) must be caught, deduplicated, minimised, saved and replayed, reproducibly.
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { replayFixtures, runFuzz, type FuzzOptions, type FuzzSummary } from '../../scripts/fuzz/campaign.mjs';
import { listFixtures } from '../../scripts/fuzz/findings.mjs';

const toy = fileURLToPath(new URL('./support/toyReaders.mjs', import.meta.url));
const out = mkdtempSync(join(tmpdir(), 'rdpdoctor-harness-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

const seeds = ['TOY ok\nline two\n', 'TOY CRASH here\nmore text\n', 'TOY HANG\n', 'TOY BOOM\n', 'TOY ASYNC\n', 'TOY line BADTIME\n', 'x SNIFF\n', 'TOY RANDOM\n'].map((t, i) => ({
  name: `toy/${i}.txt`,
  kind: 'text' as const,
  buf: Buffer.from(t),
}));

const base: FuzzOptions = {
  readersModule: toy,
  corpusDir: null,
  repoSeeds: false,
  builtin: false,
  extraSeeds: seeds,
  count: 30,
  timeoutMs: 1500,
  heapMb: 64,
  twiceShare: 1,
  ignoreKnown: false,
  log: () => {},
};

const byKind = (s: FuzzSummary) => Object.fromEntries(s.findings.map((f) => [`${f.kind}:${f.phase ?? ''}`, f]));

describe('fuzz harness', () => {
  let first: FuzzSummary;

  it('catches throws, async escapes, hangs, heap blow-ups, sniff failures and contract violations', async () => {
    first = await runFuzz({ ...base, seed: 'harness', outDir: join(out, 'a') });
    const k = byKind(first);
    expect(k['throw:read']?.message).toMatch(/TypeError: toy reader met CRASH/);
    expect(k['throw:read']?.format).toBe('evt-text');
    expect(k['throw:sniff']?.format).toBe('rdp');
    expect(k['uncaught:']?.message).toMatch(/async failure/);
    expect(k['hang:']?.format).toBe('evt-text');
    expect(k['oom:']?.format).toBe('evt-text');
    const contracts = first.findings.filter((f) => f.kind === 'contract').map((f) => f.message);
    expect(contracts.some((m) => /"yesterday" is not ISO/.test(m))).toBe(true);
    expect(contracts.some((m) => /nondeterministic/.test(m))).toBe(true);
    // Each bug is one finding however often it was met.
    expect(first.findings).toHaveLength(7);
    expect(first.findings.find((f) => f.kind === 'throw' && f.phase === 'read')!.count).toBeGreaterThan(1);
    expect(first.restarts).toBeGreaterThanOrEqual(3);
  });

  it('saves each finding once, minimised, with what is needed to replay it', () => {
    const fixtures = listFixtures(join(out, 'a'));
    expect(fixtures).toHaveLength(7);
    const crash = fixtures.find((f) => f.doc.kind === 'throw' && f.doc.phase === 'read')!;
    const bytes = readFileSync(crash.bin);
    expect(bytes.toString('latin1')).toContain('CRASH');
    expect(bytes.length).toBeLessThan(seeds[1]!.buf.length);
    expect(crash.doc.status).toBe('open');
    expect(crash.doc.replay.force).toContain('evt-text');
    expect(crash.bin).toMatch(/evt-text[/\\][0-9a-f]{12}\.bin$/);
  });

  it('is reproducible: the same seed gives the same inputs and findings', async () => {
    const again = await runFuzz({ ...base, seed: 'harness', save: false });
    const sig = (s: FuzzSummary) => s.findings.map((f) => `${f.signature}#${f.index}#${f.count}`);
    expect(sig(again)).toEqual(sig(first));
    expect(again.runs).toEqual(first.runs);
  });

  it('skips known open fixtures when asked, and replays saved fixtures', async () => {
    const known = await runFuzz({ ...base, seed: 'harness', save: false, ignoreKnown: true, outDir: join(out, 'a') });
    expect(known.findings).toEqual([]);
    expect(known.knownHits).toBeGreaterThan(0);
    const replay = await replayFixtures({ ...base, outDir: join(out, 'a') });
    expect(replay).toHaveLength(7);
    for (const r of replay) expect(r.findings.map((f) => f.signature), r.fixture).toContain(r.signature);
  });

  it('catches a reader whose promise never settles (no CPU used, still a hang)', async () => {
    const s = await runFuzz({ ...base, seed: 'stall', count: 2, save: false, extraSeeds: [{ name: 'toy/stall.txt', kind: 'text', buf: Buffer.from('TOY STALL\n') }] });
    const hang = s.findings.find((f) => f.kind === 'hang');
    expect(hang?.format).toBe('evt-text');
    expect(hang?.message).toMatch(/no result within \d+ ms/);
  });

  it('stops at --seconds', async () => {
    const t0 = Date.now();
    const s = await runFuzz({ ...base, seed: 'clock', count: 1_000_000, seconds: 2, save: false, extraSeeds: [seeds[0]!] });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(s.inputs).toBeGreaterThan(10);
    expect(s.inputs).toBeLessThan(1_000_000);
    expect(existsSync(join(out, 'b'))).toBe(false);
  });
});
