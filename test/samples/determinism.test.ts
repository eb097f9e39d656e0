// make-samples is deterministic and samples/ is up to date: regenerating every scenario into a temp
// folder gives byte-identical files, and samples/ holds nothing else. The CLI entry point is run
// once as a subprocess too, so `npx tsx scripts/make-samples.ts <dir>` itself is covered.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeScenario } from '../../scripts/make-samples.js';
import { SCENARIOS } from '../../scripts/scenarios/index.js';

const repo = resolve(import.meta.dirname, '../..');
const samplesDir = join(repo, 'samples');

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(join(dir, d.name)) : [join(dir, d.name)]));
}

function listFiles(dir: string): string[] {
  return walk(dir)
    .map((p) => relative(dir, p))
    .sort();
}

describe('make-samples determinism', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'rdpdoctor-samples-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('regenerates samples/ byte for byte (in process)', () => {
    const out = join(tmp, 'inproc');
    for (const s of SCENARIOS) writeScenario(s, out);
    const want = listFiles(samplesDir);
    expect(listFiles(out)).toEqual(want);
    const differing = want.filter((f) => !readFileSync(join(out, f)).equals(readFileSync(join(samplesDir, f))));
    expect(differing, 'samples/ is stale: run `npx tsx scripts/make-samples.ts`').toEqual([]);
  });

  it('the CLI writes the same bytes into a given folder, removing only stale scenario folders', () => {
    const out = join(tmp, 'cli');
    mkdirSync(join(out, 'old-scenario'), { recursive: true });
    writeFileSync(join(out, 'old-scenario', 'expected.json'), '{}');
    mkdirSync(join(out, 'not-a-scenario'), { recursive: true });
    writeFileSync(join(out, 'not-a-scenario', 'keep.txt'), 'mine');
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(repo, 'scripts/make-samples.ts'), out], { cwd: repo, encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe(''); // data only on stdout; progress goes to stderr
    expect(r.stderr).toMatch(/22 scenarios/);
    expect(existsSync(join(out, 'old-scenario'))).toBe(false);
    expect(readFileSync(join(out, 'not-a-scenario', 'keep.txt'), 'utf8')).toBe('mine');
    rmSync(join(out, 'not-a-scenario'), { recursive: true });
    const want = listFiles(samplesDir);
    expect(listFiles(out)).toEqual(want);
    for (const f of want) expect(readFileSync(join(out, f)).equals(readFileSync(join(samplesDir, f))), f).toBe(true);
  });
});
