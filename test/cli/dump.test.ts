// `rdpdoctor dump` as a user runs it (child process, CLI from source): JSONL keys, Event XML,
// the summary on stderr, and one-line errors with exit codes for what cannot be read.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliFromSource } from '../support/cli.js';
import { sampleEvtx } from '../parsers/evtx/fixtures.js';


const cli = runCliFromSource;

let dir: string;
let good: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rdpdoctor-dump-'));
  good = join(dir, 'rdp.evtx');
  writeFileSync(good, sampleEvtx(6));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rdpdoctor dump', () => {
  it('writes one JSON object per record with the documented keys, and a summary on stderr', () => {
    const r = cli(['dump', good]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(6);
    expect(Object.keys(lines[0]!).slice(0, 9)).toEqual(['record', 'time', 'provider', 'eventId', 'level', 'channel', 'computer', 'activityId', 'data']);
    expect(lines[0]).toMatchObject({
      record: 1,
      time: '2026-03-02T09:14:00.1234567Z',
      eventId: 1149,
      activityId: '{F462570D-7650-4BF6-93FD-C9C86C540000}',
      data: { Param1: 'user0', Param2: 'CONTOSO', Param3: '10.0.0.5' },
      source: { format: 'evtx', chunk: 0, fidelity: 'full' },
    });
    expect(lines[1]).toMatchObject({ eventId: 4625, channel: 'Security', data: { SubjectLogonId: '0x3e7', Status: '0xc000006d', LogonType: '10', SubjectUserSid: 'S-1-5-18' } });
    expect(r.stderr).toContain('rdp.evtx: 6 records read, 0 recovered, 0 skipped');
  });

  it('writes Event XML, one document per line', () => {
    const r = cli(['dump', '--format', 'xml', good]);
    expect(r.status).toBe(0);
    const docs = r.stdout.trim().split('\n');
    expect(docs).toHaveLength(6);
    expect(docs[0]).toMatch(/^<Event xmlns='http:\/\/schemas.microsoft.com\/win\/2004\/08\/events\/event'><System><Provider Name='Microsoft-Windows-TerminalServices-RemoteConnectionManager'/);
    expect(docs[0]).toContain("<TimeCreated SystemTime='2026-03-02T09:14:00.1234567Z'/>");
    expect(docs[0]).toContain('<Param1>user0</Param1>');
    expect(docs[1]).toContain("<Data Name='SubjectLogonId'>0x3e7</Data>");
    expect(r.stderr).toContain('6 records read');
  });

  it('names a file that cannot be read in one line and exits non-zero, still dumping the others', () => {
    const missing = join(dir, 'nope.evtx');
    const r = cli(['dump', good, missing]);
    expect(r.status).toBe(3);
    expect(r.stdout.trim().split('\n')).toHaveLength(6);
    const errLines = r.stderr.split('\n').filter((l) => l.includes('nope.evtx'));
    expect(errLines).toHaveLength(1);
    expect(errLines[0]).toMatch(/nope\.evtx: cannot read: ENOENT/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits with NO_INPUT when nothing at all could be read', () => {
    const junk = join(dir, 'junk.bin');
    writeFileSync(junk, Buffer.from([0xde, 0xad, 0xbe, 0xef, 0, 1, 2, 3]));
    const r = cli(['dump', junk]);
    expect(r.status).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('junk.bin: unknown format');
    expect(r.stderr).toContain('no input could be read');
  });

  it('gives the same output with two workers over several files, in input order', () => {
    const second = join(dir, 'second.evtx');
    writeFileSync(second, sampleEvtx(30));
    const junk = join(dir, 'between.bin');
    writeFileSync(junk, Buffer.from([0xde, 0xad, 0xbe, 0xef, 0x00, 0x01, 0x02]));
    const one = cli(['dump', good, junk, second]);
    // Small inputs go to one thread unless RDPDOCTOR_PARALLEL_MIN_MB says otherwise.
    const two = cli(['dump', '--workers', '2', good, junk, second], { RDPDOCTOR_PARALLEL_MIN_MB: '0' });
    // A file that is no log is listed, not a failure: the run completed.
    expect(one.status).toBe(0);
    expect(two.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    const lines = one.stdout.trim().split('\n').map((l) => JSON.parse(l) as { source: { file: string } });
    expect(lines).toHaveLength(36);
    expect(lines[0]!.source.file).toBe(good);
    expect(lines[35]!.source.file).toBe(second);
    expect(one.stderr).toContain('between.bin: unknown format');
  });

  it('refuses an unknown code page as a usage error', () => {
    const r = cli(['dump', '--codepage', 'klingon', good]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('unknown code page "klingon"');
  });

  it('reads a truncated file up to the damage and reports it', () => {
    const cut = join(dir, 'cut.evtx');
    writeFileSync(cut, sampleEvtx(40).subarray(0, 4096 + 3000));
    const r = cli(['dump', cut]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').length).toBeGreaterThan(0);
    expect(r.stderr).toMatch(/cut\.evtx @0x1000 \(chunk 0\): chunk is truncated/);
  });
});

describe('threads for dump and ingest', () => {
  it('uses the threads asked for only on enough evtx input (192 MiB unless RDPDOCTOR_PARALLEL_MIN_MB says)', async () => {
    const { threadsFor } = await import('../../src/cli/threads.js');
    const MiB = 1024 * 1024;
    expect(threadsFor(2, 191 * MiB, {})).toBe(1);
    expect(threadsFor(2, 192 * MiB, {})).toBe(2);
    expect(threadsFor(4, 5 * 1024 * MiB, {})).toBe(4);
    expect(threadsFor(1, 5 * 1024 * MiB, {})).toBe(1);
    expect(threadsFor(2, 1000, { RDPDOCTOR_PARALLEL_MIN_MB: '0' })).toBe(2);
    expect(threadsFor(2, 20 * MiB, { RDPDOCTOR_PARALLEL_MIN_MB: '16' })).toBe(2);
    expect(threadsFor(2, 20 * MiB, { RDPDOCTOR_PARALLEL_MIN_MB: '32' })).toBe(1);
    // Not a number: the default.
    expect(threadsFor(2, 100 * MiB, { RDPDOCTOR_PARALLEL_MIN_MB: 'lots' })).toBe(1);
    expect(threadsFor(2, 100 * MiB, { RDPDOCTOR_PARALLEL_MIN_MB: '' })).toBe(1);
  });

  it('--workers takes auto (the default: one per core, at most 4) or a whole number from 1 to 64', async () => {
    const { autoWorkers, parseWorkers, AUTO_WORKERS_MAX } = await import('../../src/cli/threads.js');
    const { availableParallelism } = await import('node:os');
    expect([1, 2, 4, 16].map((c) => autoWorkers(c))).toEqual([1, 2, 4, AUTO_WORKERS_MAX]);
    expect(AUTO_WORKERS_MAX).toBe(4);
    expect(parseWorkers('auto')).toBe(Math.min(availableParallelism(), 4));
    expect(parseWorkers(' AUTO ')).toBe(parseWorkers('auto'));
    expect(parseWorkers('3')).toBe(3);
    for (const bad of ['0', '65', '1.5', 'many', '']) expect(() => parseWorkers(bad), bad).toThrow('expected auto or a whole number from 1 to 64');
  });

  it('dump, ingest and analyze default to --workers auto', () => {
    for (const cmd of ['dump', 'ingest', 'analyze']) {
      const r = cli([cmd, '--help']);
      expect(r.status, cmd).toBe(0);
      expect(r.stdout.replace(/\s+/g, ' '), cmd).toMatch(/--workers <n> .*\(default: auto\)/);
    }
  });
});
