// CI fuzz pass: a bounded, seeded run of the real readers (dist/) over mutated corpus chunks and
// text exports, and a replay of every saved regression fixture. Open fixtures are known bugs:
// their replay is `it.fails` until the reader is fixed and the fixture's status set to "fixed".
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT, replayFixtures, runFuzz } from '../../scripts/fuzz/campaign.mjs';
import { listFixtures } from '../../scripts/fuzz/findings.mjs';

const corpusDir = resolve(REPO_ROOT, '../shared/corpus');
const haveCorpus = existsSync(corpusDir);
const haveDist = existsSync(join(REPO_ROOT, 'dist/parsers/all.js'));
const fixturesDir = join(REPO_ROOT, 'test/fixtures/fuzz');
const SEED = 'ci-2026';
const COUNT = 2000;

if (!haveCorpus) {
  console.warn(`hardening/fuzz: corpus not found at ${corpusDir}; EVTX seeds come from samples/ only`);
  if (process.env.CI === 'true') throw new Error(`corpus missing at ${corpusDir} (required when CI=true)`);
}

describe('fuzz pass (seeded, bounded)', () => {
  it(`runs ${COUNT} mutated inputs through every reader without a crash, hang, heap blow-up or contract violation`, async () => {
    expect(haveDist, 'dist/ is missing: run `npm run build` (npm test does)').toBe(true);
    const s = await runFuzz({ seed: SEED, count: COUNT, jobs: 2, corpusDir, save: false, minimize: false, ignoreKnown: true, outDir: fixturesDir, chunksPerFile: 1, log: () => {} });
    expect(s.formats).toContain('evtx');
    expect(s.inputs).toBe(COUNT);
    expect(s.runs.evtx ?? 0).toBeGreaterThan(COUNT / 4);
    const report = s.findings.map((f) => `${f.kind} in ${f.format} (${f.phase ?? '-'}): ${f.message.slice(0, 300)}\n  reproduce: node scripts/fuzz.mjs --seed ${SEED} --chunks-per-file 1 --input ${f.index} --write repro.bin  (seed ${f.seed}; ${f.steps.join(' | ')})`);
    expect(report, report.join('\n')).toEqual([]);
  });
});

const fixtures = haveDist ? listFixtures(fixturesDir) : [];

describe('regression fixtures replay', () => {
  it('every fixture has its input and a known status', () => {
    for (const f of fixtures) {
      expect(existsSync(f.bin), f.bin).toBe(true);
      expect(['open', 'fixed']).toContain(f.doc.status);
    }
  });

  if (!fixtures.length) it.skip('no regression fixtures saved yet', () => {});

  // One replay for all, then one test per fixture so each shows by name.
  const replayed = fixtures.length ? replayFixtures({ outDir: fixturesDir, log: () => {} }) : Promise.resolve([]);
  for (const f of fixtures) {
    const name = `${f.reader}/${f.hash}.bin (${f.doc.kind}: ${f.doc.message.slice(0, 80)})`;
    const check = async () => {
      const r = (await replayed).find((x) => x.fixture === `${f.reader}/${f.hash}`)!;
      expect(r.findings.map((x) => `${x.via}: ${x.kind} ${x.message.slice(0, 200)}`)).toEqual([]);
    };
    if (f.doc.status === 'open') it.fails(`open bug, replay still fails: ${name}`, check);
    else it(`fixed, stays fixed: ${name}`, check);
  }
});
