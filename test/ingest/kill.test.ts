// Crash safety and concurrency, with real processes: an ingest SIGKILLed at random moments leaves a
// case that opens, passes integrity_check and holds only whole sources; re-running it gives exactly
// what an uninterrupted ingest gives. Two ingests into one case at once both finish cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCase } from '../../src/store/caseFile.js';
import { writeFakeInput } from './fakeReader.js';
import { checkConsistent, prng, snapshot, start } from './killSupport.js';

let dir: string;
let inputs: string;
let baseline: unknown;
let baselineMs: number;
const FILES = 6;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rdpd-kill-'));
  inputs = join(dir, 'in');
  mkdirSync(inputs);
  for (let i = 0; i < FILES; i++) writeFakeInput(join(inputs, `part${i}.txt`), { count: 12_000, seed: i, host: `HOST${i % 2}`, batch: 250 });
  const base = join(dir, 'baseline.db');
  const run = await start(base, [inputs]).done;
  expect(run.code, run.stderr).toBe(0);
  baselineMs = run.ingestMs;
  baseline = snapshot(base);
  expect((baseline as { sources: unknown[] }).sources).toHaveLength(FILES);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ingest under SIGKILL', () => {
  it('survives 6 kills at random moments (3 cases × 2 kills); each re-run matches an uninterrupted ingest', async () => {
    const seed = Number(process.env.RDPDOCTOR_KILL_SEED ?? Date.now() % 100_000);
    const rand = prng(seed);
    let landed = 0;
    let partial = 0;
    for (let c = 0; c < 3; c++) {
      const db = join(dir, `killed${c}.db`);
      const progress: number[] = [];
      for (let k = 0; k < 2; k++) {
        const { proc, ready, done } = start(db, [inputs]);
        await ready;
        const delay = Math.round((0.05 + rand() * 0.85) * baselineMs);
        await new Promise((r) => setTimeout(r, delay));
        proc.kill('SIGKILL');
        const run = await done;
        const label = `seed ${seed}, case ${c}, kill ${k} after ${delay} ms (baseline ${baselineMs} ms)`;
        expect(run.code === 0 || run.signal === 'SIGKILL', `${label}: ${run.stderr}`).toBe(true);
        if (run.signal === 'SIGKILL') landed++;
        const n = checkConsistent(db, label);
        if (n < FILES) partial++;
        progress.push(n);
      }
      // Sources only ever accumulate across kills.
      expect(progress[1]!, `seed ${seed}`).toBeGreaterThanOrEqual(progress[0]!);
      const last = await start(db, [inputs]).done;
      expect(last.code, last.stderr).toBe(0);
      expect(snapshot(db), `seed ${seed}, case ${c}`).toEqual(baseline);
    }
    // The kills must have hit running ingests, some of them mid-way (not only before or after).
    expect(landed, `seed ${seed}`).toBeGreaterThanOrEqual(2);
    expect(partial, `seed ${seed}`).toBeGreaterThanOrEqual(1);
  });
});

describe('concurrent ingests', () => {
  it('two processes ingesting the same folder into one case both finish; each source is stored once', async () => {
    const db = join(dir, 'concurrent.db');
    const a = start(db, [inputs]);
    const b = start(db, [inputs]);
    // Meanwhile a reader in this process keeps reading (WAL: never blocked by the writers).
    let reads = 0;
    const reader = (async () => {
      const deadline = Date.now() + baselineMs * 2;
      await a.ready;
      while (Date.now() < deadline) {
        try {
          const cf = openCase(db, { readonly: true });
          cf.countEvents();
          cf.close();
          reads++;
        } catch (err) {
          // Only before the first process has created the schema is "empty" acceptable.
          if (!/is empty|does not exist/.test((err as Error).message)) throw err;
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const [ra, rb] = await Promise.all([a.done, b.done]);
    await reader;
    expect(ra.code, ra.stderr).toBe(0);
    expect(rb.code, rb.stderr).toBe(0);
    const sa = JSON.parse(ra.stdout) as { statuses: string[] };
    const sb = JSON.parse(rb.stdout) as { statuses: string[] };
    // Between them, each input was ingested exactly once and found already in the case once.
    for (let i = 0; i < FILES; i++) expect([sa.statuses[i], sb.statuses[i]].sort()).toEqual(['already-in-case', 'ingested']);
    expect(reads).toBeGreaterThan(0);
    checkConsistent(db, 'concurrent');
    expect(snapshot(db)).toEqual(baseline);
  });
});

describe('ingest interrupted with Ctrl-C', () => {
  it('exits 130, says how many inputs are stored, and leaves the case whole', async () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const db = join(dir, 'sigint.db');
    // The real CLI reads only registered formats: six Event XML files, written here, big enough
    // that the signal lands after the first file is stored and before the last.
    const xmlDir = join(dir, 'xml');
    mkdirSync(xmlDir);
    for (let f = 0; f < 6; f++) {
      const events = Array.from({ length: 4000 }, (_, i) => {
        const t = new Date(Date.UTC(2024, 0, 1) + f * 86_400_000 + i * 1000).toISOString();
        return `<Event><System><Provider Name="Microsoft-Windows-RemoteDesktopServices-RdpCoreTS"/><EventID>131</EventID><TimeCreated SystemTime="${t}"/><EventRecordID>${i + 1}</EventRecordID><Channel>Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational</Channel><Computer>SRV${f}</Computer></System><EventData><Data Name="ClientIP">10.0.${f}.${i % 250}:${40000 + i}</Data></EventData></Event>`;
      });
      writeFileSync(join(xmlDir, `part${f}.xml`), `<Events>\n${events.join('\n')}\n</Events>\n`);
    }
    const proc = spawn(process.execPath, ['--import', 'tsx', join(here, 'cliChild.ts'), 'ingest', xmlDir, '--db', db], {
      cwd: join(here, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const firstStored = new Promise<void>((resolve) =>
      proc.stderr!.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (/^ingested /m.test(stderr)) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    await Promise.race([firstStored, exited]);
    proc.kill('SIGINT');
    const code = await exited;
    if (code === 0) {
      // The machine was fast enough to finish first: nothing to interrupt, the case is complete.
      expect(checkConsistent(db, 'sigint (finished)')).toBe(6);
      return;
    }
    expect(code, stderr).toBe(130);
    const m = /interrupted; (\d+) input\(s\) stored in .*sigint\.db, the one being read was not/.exec(stderr);
    expect(m, stderr).not.toBeNull();
    expect(checkConsistent(db, 'sigint')).toBe(Number(m![1]));
  });
});

/** One RdpCoreTS 131 as an Event XML export, written to `name` in the test folder. */
function oneEventXml(name: string): string {
  const xml = join(dir, name);
  writeFileSync(
    xml,
    '<Events><Event><System><Provider Name="Microsoft-Windows-RemoteDesktopServices-RdpCoreTS"/><EventID>131</EventID>' +
      '<TimeCreated SystemTime="2024-01-01T00:00:00.0000000Z"/><EventRecordID>1</EventRecordID>' +
      '<Channel>Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational</Channel><Computer>SRV</Computer></System>' +
      '<EventData><Data Name="ClientIP">10.0.0.1:1</Data></EventData></Event></Events>\n',
  );
  return xml;
}

/** The CLI from source in a child process: its exit code and stderr. */
function cliChild(args: string[]): { proc: ChildProcess; exited: Promise<number | null>; stderr: () => string } {
  const here = dirname(fileURLToPath(import.meta.url));
  const proc = spawn(process.execPath, ['--import', 'tsx', join(here, 'cliChild.ts'), ...args], { cwd: join(here, '../..'), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return { proc, stderr: () => stderr, exited: new Promise((resolve) => proc.on('exit', (code) => resolve(code))) };
}

/** Holds the write lock of a case in WAL mode, as an ingest storing a source does. */
async function holdWriteLock(db: string): Promise<{ release: () => void }> {
  const { default: Database } = await import('better-sqlite3');
  const holder = new Database(db);
  holder.pragma('journal_mode = WAL');
  holder.exec('BEGIN IMMEDIATE');
  return {
    release: () => {
      holder.exec('COMMIT');
      holder.close();
    },
  };
}

/**
 * Runs the CLI with `args`; after `ms` it must still be waiting for the lock (not failed). Then
 * `release` frees the lock and the run must end cleanly. Returns its stderr from while it waited.
 */
async function waitsThenSucceeds(args: string[], ms: number, release: () => void): Promise<string> {
  const child = cliChild(args);
  await new Promise((r) => setTimeout(r, ms));
  expect(child.proc.exitCode, child.stderr()).toBeNull();
  const waiting = child.stderr();
  release();
  expect(await child.exited, child.stderr()).toBe(0);
  return waiting;
}

describe('a writer and a reader of an idle case', () => {
  it('ingest waits for a long read to end before switching the case back to WAL, then succeeds', async () => {
    const db = join(dir, 'idle.db');
    const cf = openCase(db);
    cf.close();
    const xml = oneEventXml('one.xml');
    // A read transaction on the idle (rollback-journal) file, as a long `events` listing holds one.
    const { default: Database } = await import('better-sqlite3');
    const reader = new Database(db, { readonly: true });
    reader.exec('BEGIN');
    reader.prepare('SELECT count(*) FROM events').get();
    // Still waiting after 5 s (a 2 s busy timeout would have failed it by then).
    await waitsThenSucceeds(['ingest', xml, '--db', db], 5000, () => {
      reader.exec('COMMIT');
      reader.close();
    });
    expect(checkConsistent(db, 'idle')).toBe(1);
  });
});

describe('two ingests opening a fresh case together', () => {
  it('the second waits for the write lock at schema creation instead of failing after the 2 s busy timeout', async () => {
    const db = join(dir, 'fresh-locked.db');
    // A fresh file whose write lock the first of two concurrent ingests holds for its first source.
    const lock = await holdWriteLock(db);
    await waitsThenSucceeds(['ingest', oneEventXml('fresh-one.xml'), '--db', db], 4000, lock.release);
    expect(checkConsistent(db, 'fresh-locked')).toBe(1);
  });
});

describe('analyze --db while another process writes', () => {
  it('waits for the write lock to store its analysis, says so, then succeeds', async () => {
    const db = join(dir, 'analyze-locked.db');
    const ing = cliChild(['ingest', oneEventXml('analyze-one.xml'), '--db', db]);
    expect(await ing.exited, ing.stderr()).toBe(0);
    const lock = await holdWriteLock(db);
    const waiting = await waitsThenSucceeds(['analyze', '--db', db, '--json'], 4000, lock.release);
    expect(waiting).toContain('waiting: another process is writing to');
    const { default: Database } = await import('better-sqlite3');
    const check = new Database(db, { readonly: true });
    expect((check.prepare("SELECT value FROM meta WHERE key = 'analyzed_at'").get() as { value?: string } | undefined)?.value).toBeTruthy();
    check.close();
  });
});
