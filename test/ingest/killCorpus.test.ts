// The SIGKILL test again with the real evtx reader on real corpus files. Copies of a few files
// (one unused header byte changed, so each copy has its own content hash) make an ingest long
// enough to be killed part-way.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkConsistent, prng, snapshot, start } from './killSupport.js';

const CORPUS = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');
const present = existsSync(CORPUS);
if (!present) console.warn(`corpus kill test skipped: ${CORPUS} not found`);

describe.runIf(process.env.CI === 'true' && !present)('corpus kill test (CI)', () => {
  it('needs the corpus in CI', () => expect(present, `${CORPUS} is required when CI=true`).toBe(true));
});

const FILES = [
  'dbc__smb-password-guessing-security.evtx',
  'tsevtx__Security.evtx',
  'oevtx__2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx',
  'vraptor__RDPAuth_System.evtx',
];
const COPIES = 3;
// The evtx file header is one 4 KiB block of which only the first 128 bytes mean anything.
const UNUSED_HEADER_BYTE = 4000;

describe.skipIf(!present)('ingest of real evtx files under SIGKILL', () => {
  let dir: string;
  let inputs: string;
  let baseline: unknown;
  let baselineMs: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rdpd-killc-'));
    inputs = join(dir, 'in');
    mkdirSync(inputs);
    for (let c = 0; c < COPIES; c++) {
      FILES.forEach((f, i) => {
        const bytes = readFileSync(join(CORPUS, f));
        expect(bytes.subarray(128, 4096).every((b) => b === 0), f).toBe(true);
        bytes[UNUSED_HEADER_BYTE] = c + 1;
        writeFileSync(join(inputs, `copy${c}-${i}.evtx`), bytes);
      });
    }
    const run = await start(join(dir, 'baseline.db'), [inputs], ['--real']).done;
    expect(run.code, run.stderr).toBe(0);
    baselineMs = run.ingestMs;
    baseline = snapshot(join(dir, 'baseline.db'));
    expect((baseline as { sources: unknown[] }).sources).toHaveLength(FILES.length * COPIES);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is consistent after each of 3 kills, and the re-run equals the uninterrupted ingest', async () => {
    const seed = Number(process.env.RDPDOCTOR_KILL_SEED ?? Date.now() % 100_000);
    const rand = prng(seed);
    const db = join(dir, 'killed.db');
    let landed = 0;
    for (let k = 0; k < 3; k++) {
      const { proc, ready, done } = start(db, [inputs], ['--real']);
      await ready;
      const delay = Math.round((0.1 + rand() * 0.5) * baselineMs);
      await new Promise((r) => setTimeout(r, delay));
      proc.kill('SIGKILL');
      const run = await done;
      const label = `seed ${seed}, kill ${k} after ${delay} ms (baseline ${baselineMs} ms)`;
      expect(run.code === 0 || run.signal === 'SIGKILL', `${label}: ${run.stderr}`).toBe(true);
      if (run.signal === 'SIGKILL') landed++;
      checkConsistent(db, label);
    }
    expect(landed, `seed ${seed}`).toBeGreaterThanOrEqual(1);
    const last = await start(db, [inputs], ['--real']).done;
    expect(last.code, last.stderr).toBe(0);
    expect(snapshot(db)).toEqual(baseline);
  });
});
