import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExitCode, FatalError } from '../../src/cli/exitCodes.js';
import type { Attempt, Diagnosis } from '../../src/model/analysis.js';
import type { NormalizedEvent } from '../../src/model/event.js';
import { type CaseFile, NEW_PAGE_SIZE, openCase, retryBusy } from '../../src/store/caseFile.js';
import { normalizeTime } from '../../src/store/query.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';
import { withTemporaryCase } from '../../src/store/temporary.js';
import { synthEvent } from '../ingest/fakeReader.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rdpd-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function addSource(cf: CaseFile, path: string, events: NormalizedEvent[], sha = path): Promise<number> {
  await cf.beginWrite();
  const id = cf.insertSource({ path, sha256: sha, size: 1, format: 'evt-text', filter: 'all' });
  cf.insertEvents(id, events);
  cf.finishSource(id, { hosts: [], counts: { read: events.length, recovered: 0, skipped: 0, filtered: 0, stored: events.length }, errorCount: 0, errors: [] });
  cf.commit();
  return id;
}

function caseError(fn: () => unknown): FatalError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FatalError);
    expect((err as FatalError).exitCode).toBe(ExitCode.CASE_FILE);
    return err as FatalError;
  }
  throw new Error('expected a FatalError');
}

describe('openCase', () => {
  it('creates a marked, WAL-mode case at the current schema version', () => {
    const path = join(dir, 'c.db');
    const cf = openCase(path);
    expect(cf.schemaVersion).toBe(SCHEMA_VERSION);
    expect(cf.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(cf.db.pragma('application_id', { simple: true })).toBe(0x52445044);
    expect(cf.stats()).toEqual({ sources: 0, events: 0, context: 0 });
    cf.close();
    // Reopening does not migrate again. Closed by its last user, the file is back in rollback-journal
    // mode with no -wal/-shm beside it, so it can be read from read-only media.
    const again = openCase(path, { readonly: true });
    expect(again.schemaVersion).toBe(SCHEMA_VERSION);
    expect(again.db.pragma('journal_mode', { simple: true })).toBe('delete');
    again.close();
    expect(existsSync(`${path}-wal`) || existsSync(`${path}-shm`)).toBe(false);
  });

  it('gives a new case 16 KiB pages and leaves an existing case its own page size', async () => {
    const path = join(dir, 'c.db');
    const cf = openCase(path);
    expect(cf.db.pragma('page_size', { simple: true })).toBe(NEW_PAGE_SIZE);
    cf.close();
    // A case made before the change: 4 KiB pages (rebuilt by VACUUM in rollback-journal mode).
    const raw = new Database(path);
    raw.pragma('page_size = 4096');
    raw.exec('VACUUM');
    expect(raw.pragma('page_size', { simple: true })).toBe(4096);
    raw.close();
    const old = openCase(path);
    expect(old.db.pragma('page_size', { simple: true })).toBe(4096);
    await addSource(old, 'a.txt', [synthEvent(0, 1, 'HOST', 'a.txt')]);
    expect(old.stats().events).toBe(1);
    old.close();
  });

  it('retries a lock error SQLite returns without waiting (two processes opening a new case), up to a deadline', () => {
    const busy = (): never => {
      throw Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' });
    };
    let calls = 0;
    expect(retryBusy(() => (++calls < 3 ? busy() : 'ok'), 5_000)).toBe('ok');
    expect(calls).toBe(3);
    // Past the deadline the error goes through.
    let clock = 0;
    calls = 0;
    expect(() =>
      retryBusy(
        () => {
          calls++;
          clock += 400;
          return busy();
        },
        1_000,
        () => clock,
      ),
    ).toThrow('database is locked');
    expect(calls).toBe(3);
    // Any other error is not retried.
    calls = 0;
    expect(() =>
      retryBusy(() => {
        calls++;
        throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' });
      }, 5_000),
    ).toThrow('disk I/O error');
    expect(calls).toBe(1);
  });

  it('refuses a case written by a newer schema, naming the file', () => {
    const path = join(dir, 'new.db');
    openCase(path).close();
    const db = new Database(path);
    db.prepare(`UPDATE meta SET value = '99' WHERE key = 'schema_version'`).run();
    db.close();
    const err = caseError(() => openCase(path));
    expect(err.message).toContain(path);
    expect(err.message).toMatch(/newer rdpdoctor.*v99/);
    caseError(() => openCase(path, { readonly: true }));
  });

  it('refuses files that are not case files, and missing files when not creating', () => {
    const other = join(dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.close();
    expect(caseError(() => openCase(other)).message).toMatch(/not an rdpdoctor case file/);
    const text = join(dir, 'notes.db');
    writeFileSync(text, 'this is not sqlite at all, just some text long enough to fill a header'.repeat(20));
    expect(caseError(() => openCase(text)).message).toContain(text);
    expect(caseError(() => openCase(join(dir, 'missing.db'), { readonly: true })).message).toMatch(/does not exist/);
    expect(caseError(() => openCase(join(dir, 'no', 'such', 'dir.db'))).message).toMatch(/its folder .*such does not exist/);
  });

  it('a read-only case refuses writes with a clear error', async () => {
    const path = join(dir, 'ro.db');
    const w = openCase(path);
    await addSource(w, 'a', [synthEvent(0, 0, 'H', 'a')]);
    w.close();
    const cf = openCase(path, { readonly: true });
    await expect(cf.beginWrite()).rejects.toThrow(/read-only/);
    expect(cf.countEvents()).toBe(1);
    cf.close();
  });
});

describe('events round trip and queries', () => {
  it('stores every field and reads it back as StoredEvent', async () => {
    const cf = openCase(join(dir, 'rt.db'));
    const full: NormalizedEvent = {
      time: '2024-05-01T10:00:00.1234567Z',
      provider: 'Microsoft-Windows-TerminalServices-ClientActiveXCore',
      providerGuid: '{28AA95BB-D444-4719-A36F-40462168127E}',
      eventSourceName: 'Src',
      eventId: 1026,
      qualifiers: 16384,
      version: 1,
      level: 4,
      task: 101,
      opcode: 10,
      keywords: '0x4000000000000000',
      recordId: 77,
      activityId: '{AAAAAAAA-0000-0000-0000-000000000001}',
      relatedActivityId: '{BBBBBBBB-0000-0000-0000-000000000001}',
      processId: 1234,
      threadId: 5678,
      channel: 'Microsoft-Windows-TerminalServices-RDPClient/Operational',
      computer: 'CLIENT01.corp.example',
      userId: 'S-1-5-21-1-2-3-1001',
      data: { Name: 'Disconnect', Value: '2308', 'Data[0]': 'x\u0007y' },
      message: 'RDP ClientActiveX has been disconnected (Reason= 2308)',
      source: { file: 'client/rdp.evtx', format: 'evtx', position: 'chunk 0 record 77 @0x1234', offset: 0x1234, chunk: 0, recovered: true, fidelity: 'full' },
    };
    const minimal = synthEvent(1, 0, 'SRV', 'client/rdp.evtx');
    delete minimal.activityId;
    await cf.beginWrite();
    const id = cf.insertSource({ path: 'client/rdp.evtx', sha256: 'h', size: 10, format: 'evtx', filter: 'all' });
    cf.insertEvents(id, [full, { ...minimal, source: { ...minimal.source, format: 'evtx' } }]);
    cf.finishSource(id, { hosts: ['CLIENT01.corp.example'], counts: { read: 2, recovered: 1, skipped: 0, filtered: 0, stored: 2 }, errorCount: 0, errors: [] });
    cf.commit();
    const [a, b] = cf.events();
    const { rowId, ...rest } = a!;
    expect(rowId).toBeGreaterThan(0);
    expect(rest).toEqual(full);
    expect(b).not.toHaveProperty('activityId');
    expect(b).not.toHaveProperty('message');
    expect(cf.eventsByRowIds([b!.rowId, a!.rowId, a!.rowId]).map((e) => e.rowId)).toEqual([a!.rowId, b!.rowId]);
    // Every reader builds the same events from its raw rows, with no null for an absent field.
    expect(cf.eventsByRowIds([a!.rowId, b!.rowId])).toEqual([a, b]);
    expect([...cf.iterateEvents()]).toEqual([a, b]);
    expect(JSON.stringify(b)).not.toContain('null');
    cf.close();
  });

  it('keeps hostile text intact: NUL, emoji, escaped lone surrogates in data; one U+FFFD for a lone surrogate in a column', async () => {
    const cf = openCase(join(dir, 'hostile.db'));
    const e = synthEvent(0, 0, 'A\u0000B\ud800C\u{1F600}', 'f');
    e.data = { 'k\u0000': 'v\u0000w\udc00', x: '\u{1F600}\u001b[2J' };
    e.message = 'm\u0000n\ud83d';
    await addSource(cf, 'f', [e]);
    const [r] = cf.events();
    expect(r!.computer).toBe('A\u0000B\ufffdC\u{1F600}');
    expect(r!.message).toBe('m\u0000n\ufffd');
    expect(r!.data).toEqual(e.data);
    expect(cf.countEvents({ grep: '\u001b[2J' })).toBe(1);
    cf.close();
  });

  it('filters by channel, provider, id, host, time and grep; orders by time, source, position', async () => {
    const cf = openCase(join(dir, 'q.db'));
    // Two sources with interleaved times; source 2 has an event at exactly the time of one in source 1.
    const s1 = Array.from({ length: 8 }, (_, i) => synthEvent(i, 0, 'CLIENT01', 'one'));
    const s2 = Array.from({ length: 8 }, (_, i) => synthEvent(i, 0, 'SRV01.corp.local', 'two'));
    s2[3]!.data = { Note: '50% of "quoted" C:\\path', Other: 'UPPER lower' };
    s2[5]!.message = 'Connection closed by server';
    await addSource(cf, 'one', s1);
    await addSource(cf, 'two', s2);
    const all = cf.events();
    expect(all).toHaveLength(16);
    // Same times in both sources: source one first, then two, and within a source by position.
    expect(all.slice(0, 4).map((e) => `${e.source.file}:${e.data.Index ?? e.recordId}`)).toEqual(['one:0', 'two:0', 'one:1', 'two:1']);
    expect(cf.events({ channels: ['security'] }).map((e) => e.eventId)).toEqual([4624, 4624, 4624, 4624]);
    expect(cf.countEvents({ channels: ['*RDPClient/Operational'] })).toBe(8);
    expect(cf.countEvents({ channels: ['*rdpclient*', 'Application'] })).toBe(12);
    expect(cf.countEvents({ providers: ['application error'] })).toBe(4);
    expect(cf.countEvents({ ids: [1024, 1026] })).toBe(8);
    expect(cf.countEvents({ hosts: ['srv01'] })).toBe(8);
    expect(cf.countEvents({ hosts: ['SRV01.CORP.LOCAL'] })).toBe(8);
    expect(cf.countEvents({ hosts: ['srv'] })).toBe(0);
    expect(cf.countEvents({ hosts: ['client01', 'srv01'] })).toBe(16);
    const t2 = all[4]!.time;
    const t5 = all[10]!.time;
    expect(cf.events({ since: t2, until: t5 }).map((e) => e.time)).toEqual(all.slice(4, 12).map((e) => e.time));
    expect(cf.countEvents({ grep: '50%' })).toBe(1);
    expect(cf.countEvents({ grep: '"quoted"' })).toBe(1);
    expect(cf.countEvents({ grep: 'c:\\path' })).toBe(1);
    expect(cf.countEvents({ grep: 'upper LOWER' })).toBe(1);
    expect(cf.countEvents({ grep: 'closed by' })).toBe(1);
    expect(cf.countEvents({ grep: '_' })).toBe(0);
    expect(cf.countEvents({ activityId: all[0]!.activityId!.toLowerCase() })).toBe(2);
    expect(cf.events({ limit: 3, offset: 2 }).map((e) => e.rowId)).toEqual(all.slice(2, 5).map((e) => e.rowId));
    expect([...cf.iterateEvents({ ids: [1000] })].map((e) => e.rowId)).toEqual(cf.events({ ids: [1000] }).map((e) => e.rowId));
    expect(cf.channelCounts()).toEqual([
      { channel: 'Application', events: 4 },
      { channel: 'Microsoft-Windows-TerminalServices-RDPClient/Operational', events: 8 },
      { channel: 'Security', events: 4 },
    ]);
    cf.close();
  });

  it('normalizes user times to the stored form', () => {
    expect(normalizeTime('2024-05-01')).toBe('2024-05-01T00:00:00.0000000Z');
    expect(normalizeTime('2024-05-01T10:00')).toBe('2024-05-01T10:00:00.0000000Z');
    expect(normalizeTime('2024-05-01T12:00:00.5+02:00')).toBe('2024-05-01T10:00:00.5000000Z');
    expect(normalizeTime('2024-05-01 10:00:00.123456789Z')).toBe('2024-05-01T10:00:00.1234567Z');
    expect(normalizeTime('yesterday')).toBeUndefined();
  });
});

describe('sources and atomicity', () => {
  it('a rolled-back source leaves nothing behind', async () => {
    const cf = openCase(join(dir, 'rb.db'));
    await addSource(cf, 'kept', [synthEvent(0, 0, 'H', 'kept')]);
    await cf.beginWrite();
    const id = cf.insertSource({ path: 'half', sha256: 'half', size: 1, format: 'evt-text', filter: 'all' });
    cf.insertEvents(id, [synthEvent(1, 0, 'H', 'half')]);
    cf.rollback();
    expect(cf.sources().map((s) => s.path)).toEqual(['kept']);
    expect(cf.countEvents()).toBe(1);
    cf.close();
  });

  it('readers see the last committed state during a write; a second writer waits, then gives up clearly', async () => {
    const path = join(dir, 'lock.db');
    const writer = openCase(path);
    await addSource(writer, 'first', [synthEvent(0, 0, 'H', 'first')]);
    await writer.beginWrite();
    const id = writer.insertSource({ path: 'pending', sha256: 'pending', size: 1, format: 'evt-text', filter: 'all' });
    writer.insertEvents(id, [synthEvent(1, 0, 'H', 'pending')]);
    // WAL: a reader is not blocked and does not see the uncommitted source.
    const reader = openCase(path, { readonly: true });
    expect(reader.countEvents()).toBe(1);
    expect(reader.sources().map((x) => x.path)).toEqual(['first']);
    const other = openCase(path, { busyTimeoutMs: 10 });
    let waited = 0;
    const err = await other.beginWrite({ maxWaitMs: 150, onWait: () => waited++ }).catch((e: unknown) => e);
    expect(waited).toBe(1);
    expect(err).toBeInstanceOf(FatalError);
    expect((err as FatalError).message).toMatch(/locked by another process/);
    writer.commit();
    expect(reader.countEvents()).toBe(2);
    await other.beginWrite({ maxWaitMs: 150 });
    other.rollback();
    for (const c of [reader, other, writer]) c.close();
  });

  it('disk full: the write fails with a case-file error and what was stored stays', async () => {
    const path = join(dir, 'full.db');
    const cf = openCase(path);
    await addSource(cf, 'first', Array.from({ length: 50 }, (_, i) => synthEvent(i, 0, 'H', 'first')));
    const pages = Number(cf.db.pragma('page_count', { simple: true }));
    cf.db.pragma(`max_page_count = ${pages + 2}`);
    await cf.beginWrite();
    const id = cf.insertSource({ path: 'big', sha256: 'big', size: 1, format: 'evt-text', filter: 'all' });
    const err = caseError(() => cf.insertEvents(id, Array.from({ length: 5000 }, (_, i) => synthEvent(i, 1, 'H', 'big'))));
    expect(err.message).toContain(path);
    expect(err.message).toMatch(/full/);
    cf.rollback();
    cf.close();
    const again = openCase(path, { readonly: true });
    expect(again.sources().map((s) => [s.path, s.counts.stored])).toEqual([['first', 50]]);
    expect(again.countEvents()).toBe(50);
    expect(again.db.pragma('integrity_check', { simple: true })).toBe('ok');
    again.close();
  });

  it('records source metadata and moves the generation on', async () => {
    const cf = openCase(join(dir, 'meta.db'));
    const g0 = cf.meta('generation');
    await addSource(cf, 'a', [synthEvent(0, 0, 'H', 'a')], 'sha-a');
    expect(cf.meta('generation')).not.toBe(g0);
    const s = cf.sourceByHash('sha-a')!;
    expect(s).toMatchObject({ path: 'a', status: 'ingested', filter: 'all', counts: { stored: 1, read: 1 } });
    expect(s.ingestedAt).toMatch(/Z$/);
    expect(cf.sourceByHash('nope')).toBeUndefined();
    cf.close();
  });
});

describe('analysis tables', () => {
  const ref = (eventId: number, id: number): Attempt['events'][number] => ({
    eventId,
    side: 'client',
    host: 'CLIENT01',
    channel: 'Microsoft-Windows-TerminalServices-RDPClient/Operational',
    provider: 'Microsoft-Windows-TerminalServices-ClientActiveXCore',
    id,
    time: '2024-05-01T10:00:00.0000000Z',
    correctedTime: '2024-05-01T10:00:00.0000000Z',
    file: 'a',
    position: 'line 2',
    values: { Value: '2308' },
  });

  it('replaceAnalysis stores attempts, diagnoses, hosts, findings and reads them back; staleness follows ingests', async () => {
    const cf = openCase(join(dir, 'an.db'));
    await addSource(cf, 'a', [synthEvent(0, 0, 'H', 'a')]);
    expect(cf.readAnalysis()).toBeUndefined();
    expect(cf.analysisIsCurrent()).toBe(false);
    const attempts: Attempt[] = [
      {
        id: 'A2',
        start: '2024-05-01T10:00:00.0000000Z',
        end: '2024-05-01T10:00:05.0000000Z',
        client: { host: 'CLIENT01', user: 'bob' },
        server: { host: 'SRV01' },
        target: 'srv01.corp',
        outcome: 'failed',
        codes: { disconnectReason: 0x904, extendedReason: 7, source: 'log' },
        events: [ref(1, 1024), ref(2, 1026)],
        context: [ref(3, 36870)],
        coverage: { client: true, server: false },
      },
      { id: 'A1', start: '2024-05-01T11:00:00.0000000Z', outcome: 'unknown', codes: { source: 'none' }, events: [], context: [], coverage: { client: false, server: true }, preconnect: true },
    ];
    const diagnosis: Diagnosis = { attemptId: 'A2', rootCause: 'server-denied', verdicts: [], collectNext: ['server System log'] };
    const result = {
      attempts,
      diagnoses: [diagnosis],
      hosts: [{ name: 'SRV01', roles: ['server' as const], skewMs: -1500, skewBasis: 'pairs' }, { name: 'CLIENT01', roles: ['client' as const] }],
      findings: [{ id: 'f1', kind: 'missing-channel' as const, severity: 'warning' as const, message: 'no server log', host: 'SRV01', details: { n: 1 } }],
    };
    cf.replaceAnalysis(result);
    expect(cf.readAttempts()).toEqual(attempts);
    expect(cf.readDiagnoses()).toEqual([diagnosis]);
    expect(cf.readHosts().map((h) => h.name)).toEqual(['CLIENT01', 'SRV01']);
    expect(cf.readHosts()[1]).toEqual(result.hosts[0]);
    expect(cf.readFindings()).toEqual(result.findings);
    expect(cf.analysisIsCurrent()).toBe(true);
    const rows = cf.db.prepare(`SELECT attempt_id, role, event_row_id FROM attempt_events ORDER BY attempt_id, role, ord`).all();
    expect(rows).toEqual([
      { attempt_id: 'A2', role: 'context', event_row_id: 3 },
      { attempt_id: 'A2', role: 'event', event_row_id: 1 },
      { attempt_id: 'A2', role: 'event', event_row_id: 2 },
    ]);
    // Replacing drops the previous analysis entirely.
    cf.replaceAnalysis({ attempts: [attempts[1]!], diagnoses: [], hosts: [], findings: [] });
    expect(cf.readAttempts()).toEqual([attempts[1]]);
    expect(cf.readFindings()).toEqual([]);
    await addSource(cf, 'b', [synthEvent(1, 0, 'H', 'b')]);
    expect(cf.analysisIsCurrent()).toBe(false);
    cf.close();
  });

  it('withTemporaryCase removes its case afterwards, even on error', async () => {
    let seen = '';
    await withTemporaryCase(async (cf) => {
      seen = cf.path;
      await addSource(cf, 'a', [synthEvent(0, 0, 'H', 'a')]);
      expect(cf.countEvents()).toBe(1);
    });
    expect(seen).not.toBe('');
    await expect(
      withTemporaryCase((cf) => {
        seen = cf.path;
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { existsSync } = await import('node:fs');
    expect(existsSync(seen)).toBe(false);
  });
});

describe('scratch cases (analyze without --db)', () => {
  it('journal in memory, no WAL; a failed source rolls back whole; another connection reads what was committed', async () => {
    const path = join(dir, 'scratch.db');
    const cf = openCase(path, { create: true, scratch: true });
    expect(cf.db.pragma('journal_mode', { simple: true })).toBe('memory');
    expect(existsSync(`${path}-wal`)).toBe(false);
    await addSource(cf, 'a', [synthEvent(0, 0, 'H', 'a'), synthEvent(1, 0, 'H', 'a')]);
    await cf.beginWrite();
    const id = cf.insertSource({ path: 'b', sha256: 'b', size: 1, format: 'evt-text', filter: 'all' });
    cf.insertEvents(id, [synthEvent(2, 0, 'H', 'b')]);
    cf.rollback();
    expect(cf.sources().map((s) => s.path)).toEqual(['a']);
    expect(cf.countEvents()).toBe(2);
    const reader = openCase(path, { readonly: true });
    expect(reader.countEvents()).toBe(2);
    reader.close();
    cf.close();
  });

  it('is what withTemporaryCase opens, filled without the events indexes until they are restored', async () => {
    const indexes = (cf: CaseFile): string[] =>
      (cf.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' ORDER BY name").all() as { sql: string }[]).map((r) => r.sql);
    const normal = openCase(join(dir, 'normal.db'));
    const want = indexes(normal);
    normal.close();
    expect(want).toHaveLength(5);
    const seen = await withTemporaryCase(async (cf) => {
      const mode = cf.db.pragma('journal_mode', { simple: true });
      const during = indexes(cf);
      await addSource(cf, 'a', [synthEvent(0, 0, 'H', 'a')]);
      cf.restoreIndexes();
      return { mode, during, after: indexes(cf), events: cf.countEvents() };
    });
    expect(seen).toEqual({ mode: 'memory', during: [], after: want, events: 1 });
  });

  it('keeps the indexes of a case that already holds events', async () => {
    const cf = openCase(join(dir, 'full.db'));
    await addSource(cf, 'a', [synthEvent(0, 0, 'H', 'a')]);
    cf.deferIndexes();
    expect((cf.db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'").get() as { n: number }).n).toBe(5);
    cf.close();
  });
});
