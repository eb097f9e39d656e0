// Crash consistency of `rdpdoctor ingest`, with the real CLI on real corpus files: SIGKILLed at
// seeded random moments (12 times, some with evtx worker threads running), the case always opens,
// passes integrity and foreign-key checks, holds no half source, and a re-run reaches exactly what
// an uninterrupted ingest stores (same rows, same counts). Concurrent ingests into one case, one
// of them killed, end the same way. Checks read SQLite directly, independent of src/store.
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../../scripts/fuzz/rng.mjs';
import { eventXml } from './support/inputs.js';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BIN = join(REPO, 'bin/rdpdoctor.js');
const CORPUS = resolve(REPO, '../shared/corpus');
const haveCorpus = existsSync(CORPUS);
const haveCli = existsSync(join(REPO, 'dist/cli/commands/ingest.js'));
const SEED = process.env.RDPDOCTOR_CRASH_SEED ?? 'crash-1';
const CASES = 4;
const KILLS_PER_CASE = 3;
const FILES = [
  'dbc__many-events-application.evtx',
  'oevtx__security.evtx',
  'tsevtx__Security.evtx',
  'vraptor__RDPAuth_System.evtx',
  'vraptor__RDPAuth_Security.evtx',
];

if (!haveCorpus) {
  console.warn(`hardening/crash: corpus not found at ${CORPUS}; crash-consistency test skipped`);
  if (process.env.CI === 'true') throw new Error(`corpus missing at ${CORPUS} (required when CI=true)`);
}

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
}

function ingest(db: string, inputs: string, extra: string[] = []): { proc: ChildProcess; done: Promise<Exit> } {
  const t0 = Date.now();
  // RDPDOCTOR_PARALLEL_MIN_MB=0: the workers asked for run whatever the input size. Without
  // --workers, one thread (the default, auto, would use workers here too).
  const threads = extra.includes('--workers') ? [] : ['--workers', '1'];
  const proc = spawn(process.execPath, [BIN, 'ingest', '--all-events', '--db', db, ...threads, ...extra, inputs], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CI: 'true', RDPDOCTOR_PARALLEL_MIN_MB: '0' } });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Exit>((r) => proc.on('exit', (code, signal) => r({ code, signal, stderr, ms: Date.now() - t0 })));
  return { proc, done };
}

interface Check {
  sources: number;
  events: number;
}

/** Opens the case as a plain SQLite file and checks what a crash must never break. */
function checkCase(db: string, label: string): Check {
  if (!existsSync(db)) return { sources: 0, events: 0 };
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    expect(d.pragma('integrity_check', { simple: true }), `${label}: integrity_check`).toBe('ok');
    expect(d.pragma('foreign_key_check'), `${label}: foreign_key_check`).toEqual([]);
    const hasSources = d.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'sources'").get() as { n: number };
    if (!hasSources.n) return { sources: 0, events: 0 };
    const rows = d.prepare('SELECT s.id, s.path, s.status, s.stored_count AS stored, (SELECT count(*) FROM events e WHERE e.source_id = s.id) + (SELECT count(*) FROM context c WHERE c.source_id = s.id) AS n FROM sources s').all() as { id: number; path: string; status: string; stored: number; n: number }[];
    for (const r of rows) {
      expect(r.status, `${label}: ${r.path} left as ${r.status}`).toBe('ingested');
      expect(r.n, `${label}: ${r.path} is half present`).toBe(r.stored);
    }
    const orphans = d.prepare('SELECT count(*) AS n FROM events WHERE source_id NOT IN (SELECT id FROM sources)').get() as { n: number };
    expect(orphans.n, `${label}: events without a source`).toBe(0);
    const ev = d.prepare('SELECT count(*) AS n FROM events').get() as { n: number };
    return { sources: rows.length, events: ev.n };
  } finally {
    d.close();
  }
}

/** Everything stored, independent of row ids and insertion order. */
function snapshot(db: string): { sources: unknown[]; events: number; digest: string } {
  const d = new Database(db, { readonly: true, fileMustExist: true });
  try {
    const sources = d.prepare('SELECT path, sha256, size, format, read_count, recovered_count, skipped_count, filtered_count, stored_count, error_count, status FROM sources ORDER BY sha256').all();
    const cols = (d.prepare('PRAGMA table_info(events)').all() as { name: string }[]).map((c) => c.name).filter((c) => c !== 'id' && c !== 'source_id');
    const lines: string[] = [];
    for (const r of d.prepare(`SELECT s.sha256 AS src, ${cols.map((c) => `e."${c}"`).join(', ')} FROM events e JOIN sources s ON s.id = e.source_id`).iterate()) lines.push(JSON.stringify(r));
    lines.sort();
    const h = createHash('sha256');
    for (const l of lines) h.update(l).update('\n');
    return { sources, events: lines.length, digest: h.digest('hex') };
  } finally {
    d.close();
  }
}

describe.skipIf(!haveCorpus || !haveCli)('ingest crash consistency (real CLI, SIGKILL)', () => {
  let dir: string;
  let inputs: string;
  let baseline: ReturnType<typeof snapshot>;
  let baselineMs: number;
  /** A run with nothing left to do (every source already in the case): startup and the walk. */
  let noopMs: number;
  const log: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rdpdoctor-crash-'));
    inputs = join(dir, 'in');
    mkdirSync(inputs);
    // Corpus files are linked, never copied; two text exports join them.
    for (const f of FILES) symlinkSync(join(CORPUS, f), join(inputs, f));
    const many = Array.from({ length: 3000 }, (_, i) => eventXml({ id: 1024 + (i % 3), record: i + 1, computer: `XMLPC${i % 4}` })).join('\r\n');
    writeFileSync(join(inputs, 'export.xml'), `<Events>${many}</Events>\r\n`);
    writeFileSync(join(inputs, 'small.xml'), `<Events>${eventXml({ record: 1 })}</Events>`);
    const base = join(dir, 'baseline.db');
    const run = await ingest(base, inputs).done;
    expect(run.code, run.stderr).toBe(0);
    baselineMs = run.ms;
    baseline = snapshot(base);
    expect(baseline.sources).toHaveLength(FILES.length + 2);
    expect(baseline.events).toBeGreaterThan(10_000);
    const noop = await ingest(base, inputs).done;
    expect(noop.code, noop.stderr).toBe(0);
    noopMs = noop.ms;
  });

  afterAll(() => {
    if (log.length) console.info(`crash test (seed ${SEED}, baseline ${baselineMs} ms, no-op run ${noopMs} ms):\n  ${log.join('\n  ')}`);
    rmSync(dir, { recursive: true, force: true });
  });

  it(`survives ${CASES * KILLS_PER_CASE} SIGKILLs at seeded random moments; every re-run matches the uninterrupted ingest`, async () => {
    const rng = new Rng(SEED);
    let landed = 0;
    let midway = 0;
    for (let c = 0; c < CASES; c++) {
      const db = join(dir, `killed-${c}.db`);
      let prev = 0;
      let kept = 0;
      for (let k = 0; k < KILLS_PER_CASE; k++) {
        // Kill anywhere from process start (schema creation) to the expected end of this run,
        // which is shorter once earlier runs stored some sources.
        const expected = noopMs + (baselineMs - noopMs) * (1 - kept / baseline.events);
        const delay = Math.round(rng.next() * expected);
        const workers = rng.chance(0.5) ? ['--workers', '2'] : [];
        const { proc, done } = ingest(db, inputs, workers);
        const timer = setTimeout(() => proc.kill('SIGKILL'), delay);
        const run = await done;
        clearTimeout(timer);
        const label = `seed ${SEED}, case ${c}, kill ${k} at ${delay} ms${workers.length ? ' (2 workers)' : ''}`;
        expect(run.code === 0 || run.signal === 'SIGKILL', `${label}: exit ${run.code}\n${run.stderr}`).toBe(true);
        const got = checkCase(db, label);
        if (run.signal === 'SIGKILL') landed++;
        if (run.signal === 'SIGKILL' && got.sources > 0 && got.sources < baseline.sources.length) midway++;
        log.push(`${label}: ${run.signal ?? `exit ${run.code}`}, ${got.sources} sources / ${got.events} events kept`);
        // Whole sources only accumulate across kills.
        expect(got.sources, label).toBeGreaterThanOrEqual(prev);
        prev = got.sources;
        kept = got.events;
      }
      const last = await ingest(db, inputs).done;
      expect(last.code, last.stderr).toBe(0);
      checkCase(db, `case ${c} final`);
      expect(snapshot(db), `seed ${SEED}, case ${c}: re-run after kills differs from the uninterrupted ingest`).toEqual(baseline);
    }
    log.push(`${landed} kills landed on a running ingest, ${midway} mid-way (some sources stored, not all)`);
    expect(landed, `seed ${SEED}`).toBeGreaterThanOrEqual(8);
    expect(midway, `seed ${SEED}`).toBeGreaterThanOrEqual(2);
  });

  it('three concurrent ingests into one case all finish, each source stored once', async () => {
    const db = join(dir, 'concurrent.db');
    const runs = await Promise.all([ingest(db, inputs).done, ingest(db, inputs, ['--workers', '2']).done, ingest(db, inputs).done]);
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    checkCase(db, 'concurrent');
    expect(snapshot(db)).toEqual(baseline);
  });

  it('a concurrent ingest killed mid-way leaves the other one and the case intact', async () => {
    const db = join(dir, 'concurrent-kill.db');
    const a = ingest(db, inputs);
    const b = ingest(db, inputs, ['--workers', '2']);
    const timer = setTimeout(() => b.proc.kill('SIGKILL'), Math.round(baselineMs * 0.5));
    const [ra, rb] = await Promise.all([a.done, b.done]);
    clearTimeout(timer);
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code === 0 || rb.signal === 'SIGKILL', rb.stderr).toBe(true);
    checkCase(db, 'concurrent kill');
    expect(snapshot(db)).toEqual(baseline);
  });
});
