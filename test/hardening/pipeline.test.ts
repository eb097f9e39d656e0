// The whole pipeline on damaged evidence: a scenario from samples/ (client and server logs) with
// one or two of its files mutated as the fuzzer does, through `rdpdoctor analyze`. Readers are
// fuzzed on their own elsewhere; this checks that what damaged input still yields (odd times,
// huge or empty values, duplicated records) cannot crash correlation, rules or the report:
// never an internal error (exit 70), always a complete JSON document or text report (free of
// terminal controls), bounded time.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { mutate } from '../../scripts/fuzz/mutators.mjs';
import { Rng } from '../../scripts/fuzz/rng.mjs';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BIN = join(REPO, 'bin/rdpdoctor.js');
const SAMPLES = join(REPO, 'samples');
const haveCli = existsSync(join(REPO, 'dist/cli/commands/analyze.js'));
const scenarios = existsSync(SAMPLES) ? readdirSync(SAMPLES).filter((d) => statSync(join(SAMPLES, d)).isDirectory()).sort() : [];
const RUNS = Number(process.env.PIPELINE_RUNS ?? 12);
const SEED = process.env.PIPELINE_SEED ?? 'pipeline-1';
const work = mkdtempSync(join(tmpdir(), 'rdpdoctor-pipeline-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

if (haveCli && !scenarios.length) console.warn('hardening/pipeline: samples/ has no scenarios; pipeline fuzz skipped');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const n of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, n.name);
    if (n.isDirectory()) out.push(...files(p));
    else out.push(p);
  }
  return out.sort();
}

describe.skipIf(!haveCli || !scenarios.length)('pipeline on damaged scenarios (analyze)', () => {
  for (let i = 0; i < RUNS; i++) {
    const rng = new Rng(`${SEED}:${i}`);
    const scenario = rng.pick(scenarios);
    // Odd runs print the text report instead: it must complete and stay free of terminal controls.
    const text = i % 2 === 1;
    it(`run ${i}: ${scenario} with damaged files, analyze ${text ? '--text' : '--json'} completes`, () => {
      const dir = join(work, `run-${i}`);
      cpSync(join(SAMPLES, scenario), dir, { recursive: true });
      const all = files(dir);
      // The evidence, not the scenario's README and expected results.
      const evidence = all.filter((f) => !/\.(md|json)$/.test(f));
      const damaged: string[] = [];
      for (let k = 0; k < rng.range(1, 2); k++) {
        const f = rng.pick(evidence);
        const buf = readFileSync(f);
        const kind = buf.subarray(0, 8).toString('latin1') === 'ElfFile\0' ? 'evtx' : 'text';
        const { buf: out, steps } = mutate(buf, kind, rng, { maxSize: 4 << 20 });
        writeFileSync(f, out);
        damaged.push(`${relative(dir, f)}: ${steps.join(' | ')}`);
      }
      const label = `seed ${SEED} run ${i}, ${scenario}, damaged:\n  ${damaged.join('\n  ')}`;
      const r = spawnSync(process.execPath, [BIN, 'analyze', text ? '--text' : '--json', dir], { encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL', maxBuffer: 256 << 20, env: { ...process.env, CI: 'true' } });
      expect(r.signal, `${label}\nkilled (time limit)`).toBeNull();
      expect(r.stderr, label).not.toMatch(/internal error/);
      expect([0, 3], `${label}\nexit ${r.status}: ${r.stderr.slice(-1500)}`).toContain(r.status);
      if (r.status === 0 && text) {
        expect(r.stdout, label).toMatch(/attempt/i);
        const bad = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.exec(r.stdout + r.stderr);
        expect(bad && JSON.stringify((r.stdout + r.stderr).slice(Math.max(0, bad.index - 40), bad.index + 20)), `${label}\nterminal control in the text report`).toBeNull();
      } else if (r.status === 0) {
        const doc = JSON.parse(r.stdout) as { schemaVersion: string; attempts: unknown[]; summary: { files: { seen: number } } };
        expect(doc.schemaVersion, label).toMatch(/^\d+\.\d+\.\d+$/);
        expect(doc.summary.files.seen, label).toBe(all.length);
      }
    });
  }
});
