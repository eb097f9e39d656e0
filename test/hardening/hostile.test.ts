// Hostile structured input, end to end through `rdpdoctor ingest --json`: each hostile file sits
// beside a good one; the hostile one must give a clear issue or skip reason naming it, within
// bounded time and memory (measured in the child), nothing may be extracted to disk, and the good
// file must still be read. Big inputs are generated into a temp folder and deleted after.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CSV_HEADER, billionLaughs, deepJson, deepXml, eventXml, externalEntity, loneSurrogatesXml, parameterEntity, streamWrite, unclosedXml, writeGood } from './support/inputs.js';
import { writeZip, zeroBomb } from './support/zip.js';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const MEASURE = fileURLToPath(new URL('./support/measure.mjs', import.meta.url));
const haveCli = existsSync(join(REPO, 'dist/cli/commands/ingest.js'));
const haveDiscover = existsSync(join(REPO, 'dist/ingest/zip.js'));
const DISCOVER = fileURLToPath(new URL('./support/discover.mjs', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'rdpdoctor-hostile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Bounds every hostile case must stay under (the CLI's own baseline is ~100 MB RSS).
const MAX_RSS_MB = 350;
const MAX_MS = 60_000;
const JSON_MB = Number(process.env.HOSTILE_JSON_MB ?? 200);
const CSV_MB = Number(process.env.HOSTILE_CSV_MB ?? 1024);
// Discovery sniffs every member (~0.3 ms each); 20,000 keeps CI short, the module allows 100,000.
const ZIP_ENTRIES = Number(process.env.HOSTILE_ZIP_ENTRIES ?? 20_000);

interface InputReportLike {
  file: string;
  status: string;
  skipReason?: string;
  errors: string[];
  errorCount: number;
  counts: { read: number; stored: number };
}
interface Run {
  exit: number | null;
  stdout: Buffer;
  stderr: string;
  usage: { exitCode: number; maxRssMb: number; elapsedMs: number; cpuMs: number };
  summary: { inputs: InputReportLike[]; skipped: { name: string; reason: string }[] };
}

function ingest(dir: string, extra: string[] = []): Run {
  const usageFile = join(root, `usage-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
  const db = join(root, `case-${Date.now()}-${Math.random().toString(36).slice(2)}.db`);
  const r = spawnSync(process.execPath, [MEASURE, usageFile, 'ingest', '--json', '--all-events', '--db', db, ...extra, dir], {
    cwd: root,
    timeout: MAX_MS * 4,
    killSignal: 'SIGKILL',
    maxBuffer: 512 << 20,
    env: { ...process.env, CI: 'true' },
  });
  const stderr = r.stderr?.toString('utf8') ?? '';
  if (!existsSync(usageFile)) throw new Error(`ingest of ${dir} did not finish (signal ${r.signal}):\n${stderr.slice(-2000)}`);
  const usage = JSON.parse(readFileSync(usageFile, 'utf8')) as Run['usage'];
  let summary: Run['summary'];
  try {
    summary = JSON.parse(r.stdout.toString('utf8')) as Run['summary'];
  } catch {
    throw new Error(`ingest stdout is not JSON (exit ${r.status}):\n${stderr.slice(-2000)}`);
  }
  rmSync(db, { force: true });
  for (const x of ['-wal', '-shm']) rmSync(db + x, { force: true });
  return { exit: r.status, stdout: r.stdout, stderr, usage, summary };
}

/** Everything the run said about inputs whose name contains `part`. */
function said(run: Run, part: string): string[] {
  const out: string[] = [];
  for (const i of run.summary.inputs) if (i.file.includes(part)) out.push(...(i.skipReason ? [`skipped: ${i.skipReason}`] : []), ...i.errors);
  for (const s of run.summary.skipped) if (s.name.includes(part)) out.push(`${s.name}: ${s.reason}`);
  return out;
}

// Time is bounded on CPU (wall time on a shared 2-core CI box says more about the neighbours);
// wall time only has a loose sanity bound.
function expectBounded(run: Run, what: string): void {
  expect(run.usage.maxRssMb, `${what}: peak RSS`).toBeLessThan(MAX_RSS_MB);
  expect(run.usage.cpuMs, `${what}: CPU time`).toBeLessThan(MAX_MS);
  expect(run.usage.elapsedMs, `${what}: wall time`).toBeLessThan(MAX_MS * 3);
}

function expectGoodRead(run: Run): void {
  const good = run.summary.inputs.find((i) => /[/\\]good\.xml$/.test(i.file) && !i.file.includes('!'));
  expect(good, 'the good file beside the hostile one was not reported').toBeDefined();
  expect(good!.status).toBe('ingested');
  expect(good!.counts.stored).toBe(2);
  expect(run.exit).toBe(0);
  // stdout is the JSON document only, valid UTF-8.
  expect(() => new TextDecoder('utf-8', { fatal: true }).decode(run.stdout)).not.toThrow();
}

/** A fresh folder with the good neighbour in it. */
function caseDir(name: string): string {
  const d = join(root, name);
  mkdirSync(d, { recursive: true });
  writeGood(d);
  return d;
}

/** Files anywhere under `dir` (for "nothing extracted" checks). */
function listAll(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, n.name);
      if (n.isDirectory()) walk(p);
      else out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

const results: { name: string; rss: number; ms: number; said: string }[] = [];
afterAll(() => {
  if (results.length) console.info(`hostile cases (peak RSS MB, ms):\n${results.map((r) => `  ${r.name.padEnd(28)} ${String(r.rss).padStart(4)} ${String(r.ms).padStart(6)}  ${r.said.slice(0, 140)}`).join('\n')}`);
});

interface Case {
  name: string;
  file: string;
  make: (path: string) => void;
  /** What the issue or skip reason must say (besides naming the file). */
  expect: RegExp;
  /** The issue must carry a position (offset, line or element). */
  position?: boolean;
}

const POSITION = /@0x[0-9a-f]+|line \d+|element \d+|record \d+|chunk \d+/;

const cases: Case[] = [
  { name: 'xml billion laughs', file: 'laughs.xml', make: (p) => writeFileSync(p, billionLaughs()), expect: /DOCTYPE|ENTITY|entit/i, position: true },
  { name: 'xml external entity', file: 'xxe.xml', make: (p) => writeFileSync(p, externalEntity()), expect: /DOCTYPE|ENTITY|entit/i, position: true },
  { name: 'xml parameter entity', file: 'xxe-param.xml', make: (p) => writeFileSync(p, parameterEntity()), expect: /DOCTYPE|ENTITY|entit/i, position: true },
  { name: 'xml nested 100,000 deep', file: 'deep.xml', make: (p) => writeFileSync(p, deepXml(100_000)), expect: /deep|nest|depth|large|long|too/i, position: true },
  { name: 'xml 100,000 unclosed', file: 'unclosed.xml', make: (p) => writeFileSync(p, unclosedXml(100_000)), expect: /deep|nest|depth|large|long|unclosed|end|incomplete|truncat|too/i },
  { name: 'json nested 100,000 deep', file: 'deep.json', make: (p) => writeFileSync(p, deepJson(100_000)), expect: /deep|nest|depth|large|long|too|unknown|format/i },
  {
    name: `json ${JSON_MB} MB string`,
    file: 'huge.json',
    make: (p) => streamWrite(p, '[{"Id":1024,"ProviderName":"Microsoft-Windows-TerminalServices-ClientActiveXCore","LogName":"Microsoft-Windows-TerminalServices-RDPClient/Operational","MachineName":"X","TimeCreated":"2023-07-14T16:06:30+02:00","Message":"', 0x41, JSON_MB << 20, '"}]'),
    expect: /large|long|longer|limit|too|characters/i,
    position: true,
  },
  {
    name: `csv ${CSV_MB} MB line`,
    file: 'huge.csv',
    make: (p) => streamWrite(p, `${CSV_HEADER}Error,7/14/2023 4:06:33 PM,Microsoft-Windows-TerminalServices-ClientActiveXCore,1026,Connection Sequence,"`, 0x41, CSV_MB << 20, '"\r\n'),
    expect: /large|long|longer|limit|too|characters/i,
    position: true,
  },
];

describe.skipIf(!haveCli)('hostile inputs (ingest end to end)', () => {
  if (!haveCli) console.warn('hardening/hostile: dist/cli/commands/ingest.js missing; run `npm run build`');

  for (const c of cases) {
    it(`${c.name}: refused with a clear issue, bounded, good file still read`, () => {
      const dir = caseDir(c.file.replace(/\W/g, '-'));
      const path = join(dir, c.file);
      c.make(path);
      const run = ingest(dir);
      rmSync(path, { force: true });
      const msgs = said(run, c.file);
      results.push({ name: c.name, rss: run.usage.maxRssMb, ms: run.usage.elapsedMs, said: msgs[0] ?? '(nothing)' });
      expect(msgs.length, `nothing reported about ${c.file}:\n${run.stderr.slice(-1500)}`).toBeGreaterThan(0);
      expect(msgs.join('\n')).toMatch(c.expect);
      if (c.position) expect(msgs.some((m) => POSITION.test(m)), `no position in: ${msgs.join(' | ')}`).toBe(true);
      expectBounded(run, c.name);
      expectGoodRead(run);
    });
  }

  it('xml external entity: the referenced file never appears in output or the case', () => {
    const dir = caseDir('xxe-leak');
    writeFileSync(join(dir, 'xxe.xml'), externalEntity());
    const db = join(root, 'xxe.db');
    const r = spawnSync(process.execPath, [join(REPO, 'bin/rdpdoctor.js'), 'ingest', '--json', '--all-events', '--db', db, dir], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    const leak = /root:.*:0:0:/;
    expect(r.stdout).not.toMatch(leak);
    expect(r.stderr).not.toMatch(leak);
    expect(readFileSync(db).toString('latin1')).not.toMatch(leak);
  });

  it('utf-16 with lone surrogates: read or flagged, output stays valid UTF-8', () => {
    const dir = caseDir('surrogates');
    writeFileSync(join(dir, 'surrogates.xml'), loneSurrogatesXml());
    const run = ingest(dir);
    const rep = run.summary.inputs.find((i) => i.file.endsWith('surrogates.xml'));
    expect(rep).toBeDefined();
    // Either the event is kept (with replacement characters, flagged) or the input says why not.
    if (rep!.counts.stored > 0) expect(rep!.errors.join('\n')).toMatch(/encod|U\+FFFD|surrogate|replac/i);
    else expect(said(run, 'surrogates.xml').length).toBeGreaterThan(0);
    expectBounded(run, 'surrogates');
    expectGoodRead(run);
    results.push({ name: 'utf-16 lone surrogates', rss: run.usage.maxRssMb, ms: run.usage.elapsedMs, said: said(run, 'surrogates.xml')[0] ?? `stored ${rep!.counts.stored}` });
  });
});

interface Discovered {
  inputs: { name: string; format: string; events: number; issues: string[] }[];
  skipped: { name: string; code?: string; reason: string }[];
  usage: { maxRssMb: number; elapsedMs: number; cpuMs: number };
}

/** Discovery + full read of every member, in a child (support/discover.mjs). */
function discoverRead(dir: string): Discovered {
  const r = spawnSync(process.execPath, [DISCOVER, dir], { cwd: root, timeout: MAX_MS * 4, killSignal: 'SIGKILL', maxBuffer: 512 << 20 });
  if (r.status !== 0) throw new Error(`discovery of ${dir} failed (exit ${r.status}, signal ${r.signal}):\n${r.stderr.toString('utf8').slice(-2000)}`);
  return JSON.parse(r.stdout.toString('utf8')) as Discovered;
}

function zipSaid(d: Discovered, part: string): string[] {
  return [...d.skipped.filter((s) => s.name.includes(part)).map((s) => `${s.name}: ${s.reason}`), ...d.inputs.filter((i) => i.name.includes(part)).flatMap((i) => i.issues)];
}

function expectZipBounded(d: Discovered, what: string): void {
  expect(d.usage.maxRssMb, `${what}: peak RSS`).toBeLessThan(MAX_RSS_MB);
  expect(d.usage.cpuMs, `${what}: CPU time`).toBeLessThan(MAX_MS);
  expect(d.usage.elapsedMs, `${what}: wall time`).toBeLessThan(MAX_MS * 3);
  const good = d.inputs.find((i) => /[/\\]good\.xml$/.test(i.name) && !i.name.includes('!'));
  expect(good?.events, 'the good file beside the archive').toBe(2);
}

describe.skipIf(!haveDiscover)('hostile zip archives (discovery and read, in place)', () => {
  const evil = ['../../evil-1.xml', '/tmp/evil-2.xml', 'C:\\evil-3.xml', '..\\..\\evil-4.xml', 'ok/../../evil-5.xml', 'C:/evil-6.xml'];

  it('a 2 GiB bomb in a 2 MiB zip is skipped as a bomb, nothing inflated to disk', () => {
    const dir = caseDir('bomb');
    const bomb = zeroBomb(Buffer.from('<Events>', 'utf8'), 2048);
    writeZip(join(dir, 'bomb.zip'), [{ name: 'logs/System.xml', raw: bomb }, { name: 'logs/inner-good.xml', data: Buffer.from(`<Events>${eventXml({ computer: 'ZIPPC' })}</Events>`) }]);
    const before = listAll(root);
    const d = discoverRead(dir);
    expect(listAll(root).filter((p) => !before.includes(p))).toEqual([]);
    const msgs = zipSaid(d, 'bomb.zip!/logs/System.xml');
    results.push({ name: 'zip bomb 2 GiB', rss: d.usage.maxRssMb, ms: d.usage.elapsedMs, said: msgs[0] ?? '(nothing)' });
    expect(msgs.join('\n')).toMatch(/bomb|ratio|too large/i);
    expect(d.inputs.find((i) => i.name.endsWith('bomb.zip!/logs/inner-good.xml'))?.events).toBe(1);
    expectZipBounded(d, 'zip bomb');
  });

  it('a zip declaring absurd sizes is refused or flagged per member, naming it', () => {
    const dir = caseDir('absurd');
    const data = Buffer.from(`<Events>${eventXml()}</Events>`);
    writeZip(join(dir, 'absurd.zip'), [
      { name: 'declared-huge.xml', data, declaredSize: 0xfffffffe },
      { name: 'declared-tiny.xml', data: Buffer.from(`<Events>${eventXml()}${' '.repeat(1 << 20)}</Events>`), declaredSize: 10 },
      { name: 'compressed-past-end.xml', data, declaredCompressedSize: 0x7fffffff },
    ]);
    const d = discoverRead(dir);
    const msgs = zipSaid(d, 'absurd.zip');
    results.push({ name: 'zip absurd sizes', rss: d.usage.maxRssMb, ms: d.usage.elapsedMs, said: msgs.join(' | ') });
    for (const m of ['declared-huge.xml', 'declared-tiny.xml', 'compressed-past-end.xml']) {
      expect(msgs.some((x) => x.includes(m)), `${m} not reported: ${msgs.join(' | ')}`).toBe(true);
    }
    expectZipBounded(d, 'zip absurd sizes');
  });

  it(`a zip with ${ZIP_ENTRIES} entries is handled within bounds, every member accounted for`, () => {
    const dir = caseDir('many');
    const entries = Array.from({ length: ZIP_ENTRIES }, (_, i) => ({ name: `e/${String(i).padStart(5, '0')}.txt`, data: Buffer.from('x'), store: true }));
    entries.push({ name: 'e/real.xml', data: Buffer.from(`<Events>${eventXml({ computer: 'MANYPC' })}</Events>`), store: true });
    writeZip(join(dir, 'many.zip'), entries);
    const d = discoverRead(dir);
    const accounted = d.inputs.filter((i) => i.name.includes('many.zip!')).length + d.skipped.filter((s) => s.name.includes('many.zip')).length;
    results.push({ name: `zip ${ZIP_ENTRIES + 1} entries`, rss: d.usage.maxRssMb, ms: d.usage.elapsedMs, said: `${accounted} members accounted for; ${zipSaid(d, 'many.zip')[0] ?? ''}` });
    // Either every member is listed (read or skipped with a reason) or the archive is refused as a whole.
    expect(accounted === ZIP_ENTRIES + 1 || d.skipped.some((s) => s.name.endsWith('many.zip'))).toBe(true);
    if (accounted === ZIP_ENTRIES + 1) expect(d.inputs.find((i) => i.name.endsWith('many.zip!/e/real.xml'))?.events).toBe(1);
    expectZipBounded(d, 'zip many entries');
  });

  it('zip members named ../ or absolute are skipped as unsafe and nothing is written outside', () => {
    const dir = caseDir('traversal');
    const data = Buffer.from(`<Events>${eventXml({ computer: 'EVILPC' })}</Events>`);
    writeZip(join(dir, 'traversal.zip'), [...evil.map((name) => ({ name, data })), { name: 'fine/ok.xml', data }]);
    const before = listAll(root);
    const d = discoverRead(dir);
    expect(listAll(root).filter((p) => !before.includes(p))).toEqual([]);
    for (const base of ['/etc', '/tmp', REPO, resolve(root, '..'), resolve(root, '../..')]) {
      for (let i = 1; i <= 6; i++) expect(existsSync(join(base, `evil-${i}.xml`))).toBe(false);
    }
    // Display names use forward slashes whatever the archive wrote.
    for (const name of evil.map((n) => n.replaceAll('\\', '/'))) {
      const msgs = zipSaid(d, name);
      expect(msgs.join('\n'), `${name}: ${msgs.join(' | ')}`).toMatch(/unsafe|absolute|\.\.|outside|escapes/i);
      expect(d.inputs.some((i) => i.name.includes(name)), `${name} was read`).toBe(false);
    }
    expect(d.skipped.filter((s) => s.name.includes('evil-')).length).toBe(evil.length);
    expect(d.inputs.find((i) => i.name.endsWith('traversal.zip!/fine/ok.xml'))?.events).toBe(1);
    results.push({ name: 'zip ../ and absolute', rss: d.usage.maxRssMb, ms: d.usage.elapsedMs, said: zipSaid(d, evil[0]!)[0] ?? '' });
    expectZipBounded(d, 'zip traversal');
  });

  it('ingest end to end: zip members read in place, bomb and unsafe names skipped with reasons, bounded', () => {
    const dir = caseDir('zip-e2e');
    const before = listAll(root);
    writeZip(join(dir, 'logs.zip'), [
      { name: 'inner/ok.xml', data: Buffer.from(`<Events>${eventXml({ computer: 'ZIPPC' })}</Events>`) },
      { name: 'inner/bomb.xml', raw: zeroBomb(Buffer.from('<Events>', 'utf8'), 1024) },
      { name: '../../evil-e2e.xml', data: Buffer.from(`<Events>${eventXml({ computer: 'EVILPC' })}</Events>`) },
      { name: '/tmp/evil-e2e-abs.xml', data: Buffer.from(`<Events>${eventXml({ computer: 'EVILPC' })}</Events>`) },
    ]);
    const run = ingest(dir);
    expectGoodRead(run);
    expectBounded(run, 'zip end to end');
    expect(run.summary.inputs.find((i) => i.file.endsWith('logs.zip!/inner/ok.xml'))?.counts.stored).toBe(1);
    expect(said(run, 'logs.zip!/inner/bomb.xml').join('\n')).toMatch(/bomb|ratio|too large/i);
    expect(said(run, 'evil-e2e.xml').join('\n')).toMatch(/unsafe|escapes|\.\./i);
    expect(said(run, 'evil-e2e-abs.xml').join('\n')).toMatch(/unsafe|absolute/i);
    expect(run.summary.inputs.some((i) => i.file.includes('evil-e2e'))).toBe(false);
    // Nothing extracted anywhere (the archive itself and the run's own bookkeeping aside).
    expect(listAll(root).filter((p) => !before.includes(p) && p !== join(dir, 'logs.zip') && !/usage-|case-/.test(p))).toEqual([]);
    results.push({ name: 'zip end to end (ingest)', rss: run.usage.maxRssMb, ms: run.usage.elapsedMs, said: said(run, 'bomb.xml')[0] ?? '' });
  });
});
