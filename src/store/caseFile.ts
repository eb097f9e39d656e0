// The case file: one SQLite database per investigation, grown over several ingests and read by
// diagnosis, the TUI and the sqlite3 shell. WAL mode lets readers work while an ingest writes;
// writers take turns (BEGIN IMMEDIATE, waiting while another process holds the write lock).
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { Attempt, Diagnosis, Finding, HostInfo } from '../model/analysis.js';
import type { ContextRecord, NormalizedEvent } from '../model/event.js';
import type { InputReport } from '../model/report.js';
import type { StoredEvent } from '../model/stages.js';
import { type AnalysisResult, readAttempts, readDiagnoses, readFindings, readHosts, writeAnalysis } from './analysis.js';
import { asCaseFileError, caseFileError, guard } from './errors.js';
import {
  type ContextRow,
  EVENT_SELECT,
  type EventRow,
  INSERT_CONTEXT,
  INSERT_EVENT,
  contextParams,
  eventParams,
  rowToContext,
  rowToEvent,
  RowStrings,
} from './eventRows.js';
import { type EventQuery, compileQuery } from './query.js';
import { APPLICATION_ID, EVENT_INDEXES, MIGRATIONS, SCHEMA_VERSION } from './schema.js';

export interface OpenOptions {
  /** Open without writing anything (no migration, no journal changes). */
  readonly?: boolean;
  /** Create the file when it does not exist (default true unless readonly). */
  create?: boolean;
  /** How long one statement waits for another process's lock (ms, default 2000). */
  busyTimeoutMs?: number;
  /**
   * A case no one else opens and nothing keeps (analyze without --db): rollback journal in memory
   * and no syncing instead of WAL, so each page is written once, not to the WAL and again at the
   * checkpoint. A source still rolls back whole on failure.
   */
  scratch?: boolean;
}

/** A source as recorded in the case file. */
export interface SourceRecord {
  id: number;
  path: string;
  sha256: string;
  size: number;
  format: string;
  hosts: string[];
  /** Channels met in the source, before filtering. */
  channels: string[];
  counts: InputReport['counts'];
  errorCount: number;
  errors: string[];
  status: string;
  /** 'all', 'needs:<hash>', or 'unknown' for sources stored before filters were recorded. */
  filter: string;
  ingestedAt: string;
}

export interface NewSource {
  path: string;
  sha256: string;
  size: number;
  format: string;
  filter: string;
}

export interface SourceTotals {
  hosts: string[];
  channels?: string[];
  counts: InputReport['counts'];
  errorCount: number;
  errors: string[];
}

export interface CaseStats {
  sources: number;
  events: number;
  context: number;
  firstTime?: string;
  lastTime?: string;
}

interface SourceRow {
  id: number;
  path: string;
  sha256: string;
  size: number;
  format: string;
  hosts: string;
  /** Absent in a v1 case opened read-only. */
  channels?: string;
  read_count: number;
  recovered_count: number;
  skipped_count: number;
  filtered_count: number;
  stored_count: number;
  error_count: number;
  errors: string;
  status: string;
  filter?: string;
  ingested_at: string;
}

const EVENT_ORDER = 'ORDER BY e.time, e.source_id, e.id';

/** Page size of a new case file (SQLite's default is 4096). */
export const NEW_PAGE_SIZE = 16384;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class CaseFile {
  private readonly stmts = new Map<string, Database.Statement>();

  constructor(
    /** The underlying connection, for tests and for the rare query the API does not cover. */
    readonly db: Database.Database,
    readonly path: string,
    readonly readonly: boolean,
  ) {}

  /** Prepared once per SQL text and reused (prepare is the expensive part of a small statement). */
  private stmt(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) this.stmts.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  private guard<T>(fn: () => T): T {
    return guard(this.path, fn);
  }

  close(): void {
    if (!this.db.open) return;
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    if (!this.readonly) {
      // Leave the file in rollback-journal mode when we are its last user: a WAL-mode file cannot
      // be opened read-only from a read-only folder or medium (SQLite must create its -shm file).
      // With other connections open the switch is refused, which is fine: the last one does it.
      try {
        // Do not wait for other users: if there are any, one of them will do it.
        this.db.pragma('busy_timeout = 0');
        this.db.pragma('journal_mode = DELETE');
      } catch {
        // busy or read-only: stays in WAL mode
      }
    }
    this.db.close();
  }

  get schemaVersion(): number {
    return Number(this.meta('schema_version') ?? 0);
  }

  meta(key: string): string | undefined {
    const row = this.stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value;
  }

  // ---- writing -------------------------------------------------------------------------------

  /**
   * Starts a write transaction. Another process may be writing: we wait for it (busy timeout per
   * try, then short sleeps) up to maxWaitMs, calling onWait once so the CLI can say why it pauses.
   */
  async beginWrite(opts: { maxWaitMs?: number; onWait?: () => void } = {}): Promise<void> {
    if (this.readonly) throw caseFileError(this.path, 'is open read-only');
    const deadline = Date.now() + (opts.maxWaitMs ?? WRITE_WAIT_MS);
    let told = false;
    for (;;) {
      try {
        this.db.exec('BEGIN IMMEDIATE');
        return;
      } catch (err) {
        if (!isBusy(err) || Date.now() > deadline) throw asCaseFileError(this.path, err) ?? err;
        if (!told) opts.onWait?.();
        told = true;
        await sleep(50);
      }
    }
  }

  commit(): void {
    this.guard(() => this.db.exec('COMMIT'));
  }

  rollback(): void {
    // A failed COMMIT (disk full) may already have rolled back.
    if (this.db.open && this.db.inTransaction) this.db.exec('ROLLBACK');
  }

  sourceByHash(sha256: string): SourceRecord | undefined {
    const row = this.stmt('SELECT * FROM sources WHERE sha256 = ?').get(sha256) as SourceRow | undefined;
    return row && toSourceRecord(row);
  }

  private indexesDeferred = false;

  /**
   * Drops the events indexes of an empty case until restoreIndexes(): rows then go in without
   * updating five B-trees each, and the indexes are built once (1 GiB: about 1.3 s of inserts
   * saved, 0.7 s to build). Only for a case no one else reads meanwhile (a scratch case).
   */
  deferIndexes(): void {
    if (this.countEvents() !== 0) return;
    this.guard(() => {
      for (const ix of EVENT_INDEXES) this.db.exec(`DROP INDEX IF EXISTS ${ix.name}`);
    });
    this.indexesDeferred = true;
  }

  /** Builds the indexes deferIndexes() dropped (nothing otherwise). */
  restoreIndexes(): void {
    if (!this.indexesDeferred) return;
    this.guard(() => {
      for (const ix of EVENT_INDEXES) this.db.exec(`CREATE INDEX IF NOT EXISTS ${ix.name} ON ${ix.on}`);
    });
    this.indexesDeferred = false;
  }

  /** Whether a stored source has this many bytes: only then can a new input be one already stored. */
  hasSourceOfSize(size: number): boolean {
    return this.stmt('SELECT 1 FROM sources WHERE size = ? LIMIT 1').get(size) !== undefined;
  }

  /** Gives a source stored under a provisional hash its real one (inside the caller's transaction). */
  setSourceHash(id: number, sha256: string): void {
    this.guard(() => {
      this.stmt('UPDATE sources SET sha256 = ? WHERE id = ?').run(sha256, id);
    });
  }

  /** Removes a source and everything stored from it (inside the caller's transaction). */
  deleteSource(id: number): void {
    this.guard(() => {
      this.stmt('DELETE FROM events WHERE source_id = ?').run(id);
      this.stmt('DELETE FROM context WHERE source_id = ?').run(id);
      this.stmt('DELETE FROM sources WHERE id = ?').run(id);
    });
  }

  /** Records a source as being ingested; returns its id. Call within beginWrite/commit. */
  insertSource(s: NewSource): number {
    return this.guard(() => {
      const r = this.stmt(
        `INSERT INTO sources (path, sha256, size, format, status, filter, ingested_at) VALUES (?, ?, ?, ?, 'ingesting', ?, ?)`,
      ).run(s.path, s.sha256, s.size, s.format, s.filter, new Date().toISOString());
      return Number(r.lastInsertRowid);
    });
  }

  insertEvents(sourceId: number, events: readonly NormalizedEvent[]): void {
    this.guard(() => {
      const ins = this.stmt(INSERT_EVENT);
      for (const e of events) ins.run(eventParams(sourceId, e));
    });
  }

  insertContext(sourceId: number, records: readonly ContextRecord[]): void {
    this.guard(() => {
      const ins = this.stmt(INSERT_CONTEXT);
      for (const c of records) ins.run(contextParams(sourceId, c));
    });
  }

  /** Writes a source's final counts, marks it ingested and moves the case's generation on. */
  finishSource(sourceId: number, t: SourceTotals): void {
    this.guard(() => {
      this.stmt(
        `UPDATE sources SET hosts = ?, channels = ?, read_count = ?, recovered_count = ?, skipped_count = ?, filtered_count = ?,
          stored_count = ?, error_count = ?, errors = ?, status = 'ingested' WHERE id = ?`,
      ).run(
        JSON.stringify(t.hosts),
        JSON.stringify(t.channels ?? []),
        t.counts.read,
        t.counts.recovered,
        t.counts.skipped,
        t.counts.filtered,
        t.counts.stored,
        t.errorCount,
        JSON.stringify(t.errors),
        sourceId,
      );
      this.bumpGeneration();
    });
  }

  private bumpGeneration(): void {
    this.stmt(`INSERT INTO meta(key, value) VALUES ('generation', '1')
      ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1`).run();
  }

  // ---- reading -------------------------------------------------------------------------------

  sources(): SourceRecord[] {
    return (this.stmt('SELECT * FROM sources ORDER BY id').all() as SourceRow[]).map(toSourceRecord);
  }

  /** Events matching q, in time, source, position order. */
  events(q: EventQuery = {}): StoredEvent[] {
    const { sql, params } = this.eventSql(q);
    // Row by row: `.all()` held every raw row (its JSON text included) beside the events made from
    // them (re-analysing a 1 GiB case: 1.29 GB peak RSS and 12.1 s, row by row 483 MB and 4.0 s, and 390 MB with the names shared).
    const out: StoredEvent[] = [];
    const names = new RowStrings();
    for (const row of this.stmt(sql).raw(true).iterate(...params)) out.push(rowToEvent(row as EventRow, names));
    return out;
  }

  /** Same as events() without holding them all in memory (the connection is busy until it ends). */
  *iterateEvents(q: EventQuery = {}): Generator<StoredEvent> {
    const { sql, params } = this.eventSql(q);
    const names = new RowStrings();
    for (const row of this.db.prepare(sql).raw(true).iterate(...params)) yield rowToEvent(row as EventRow, names);
  }

  countEvents(q: EventQuery = {}): number {
    const { where, params } = compileQuery(q);
    const row = this.stmt(`SELECT count(*) AS n FROM events e ${where}`).get(...params) as { n: number };
    return row.n;
  }

  eventsByRowIds(ids: readonly number[]): StoredEvent[] {
    const out: StoredEvent[] = [];
    const stmt = this.stmt(`${EVENT_SELECT} WHERE e.id = ?`).raw(true);
    for (const id of [...new Set(ids)].sort((a, b) => a - b)) {
      const row = stmt.get(id) as EventRow | undefined;
      if (row) out.push(rowToEvent(row));
    }
    return out;
  }

  contextRecords(): (ContextRecord & { rowId: number })[] {
    const rows = this.stmt(
      'SELECT c.*, s.path AS file, s.format AS format FROM context c JOIN sources s ON s.id = c.source_id ORDER BY c.source_id, c.id',
    ).all() as ContextRow[];
    return rows.map(rowToContext);
  }

  /** Stored event counts per channel, by channel name. */
  channelCounts(): { channel: string; events: number }[] {
    return this.stmt('SELECT channel, count(*) AS events FROM events GROUP BY channel ORDER BY channel').all() as {
      channel: string;
      events: number;
    }[];
  }

  stats(): CaseStats {
    const r = this.stmt(`SELECT (SELECT count(*) FROM sources) AS sources, (SELECT count(*) FROM events) AS events,
      (SELECT count(*) FROM context) AS context, (SELECT min(time) FROM events) AS first,
      (SELECT max(time) FROM events) AS last`).get() as { sources: number; events: number; context: number; first: string | null; last: string | null };
    const s: CaseStats = { sources: r.sources, events: r.events, context: r.context };
    if (r.first !== null) s.firstTime = r.first;
    if (r.last !== null) s.lastTime = r.last;
    return s;
  }

  private eventSql(q: EventQuery): { sql: string; params: (string | number)[] } {
    const { where, params } = compileQuery(q);
    let sql = `${EVENT_SELECT} ${where} ${EVENT_ORDER}`;
    if (q.limit !== undefined || q.offset !== undefined) {
      sql += ' LIMIT ? OFFSET ?';
      params.push(q.limit ?? -1, q.offset ?? 0);
    }
    return { sql, params };
  }

  // ---- analysis ------------------------------------------------------------------------------

  /**
   * Replaces the stored analysis in one transaction (readers see the old one or the new one). An
   * ingest may hold the write lock for a whole source: then we wait for it like any other write
   * (onWait is called once, so the CLI can say why it pauses).
   */
  replaceAnalysis(result: AnalysisResult, opts: { onWait?: () => void } = {}): void {
    if (this.readonly) throw caseFileError(this.path, 'is open read-only');
    const write = this.db.transaction(() => {
      writeAnalysis(this.db, result);
      this.stmt(`INSERT OR REPLACE INTO meta(key, value) VALUES ('analysis_generation', ?)`).run(this.meta('generation') ?? '0');
      this.stmt(`INSERT OR REPLACE INTO meta(key, value) VALUES ('analyzed_at', ?)`).run(new Date().toISOString());
    });
    try {
      write.immediate();
      return;
    } catch (err) {
      if (!isBusy(err)) throw asCaseFileError(this.path, err) ?? err;
    }
    opts.onWait?.();
    waitingLong(this.db, () => this.guard(() => write.immediate()));
  }

  readAttempts(): Attempt[] {
    return readAttempts(this.db);
  }

  readDiagnoses(): Diagnosis[] {
    return readDiagnoses(this.db);
  }

  readHosts(): HostInfo[] {
    return readHosts(this.db);
  }

  readFindings(): Finding[] {
    return readFindings(this.db);
  }

  /** The stored analysis, or undefined when the case was never analyzed. */
  readAnalysis(): AnalysisResult | undefined {
    if (this.meta('analysis_generation') === undefined) return undefined;
    return { attempts: this.readAttempts(), diagnoses: this.readDiagnoses(), hosts: this.readHosts(), findings: this.readFindings() };
  }

  /** True when an analysis is stored and no source was added or replaced since. */
  analysisIsCurrent(): boolean {
    const g = this.meta('analysis_generation');
    return g !== undefined && g === (this.meta('generation') ?? '0');
  }
}

function toSourceRecord(r: SourceRow): SourceRecord {
  return {
    id: r.id,
    path: r.path,
    sha256: r.sha256,
    size: r.size,
    format: r.format,
    hosts: JSON.parse(r.hosts) as string[],
    channels: r.channels === undefined ? [] : (JSON.parse(r.channels) as string[]),
    counts: { read: r.read_count, recovered: r.recovered_count, skipped: r.skipped_count, filtered: r.filtered_count, stored: r.stored_count },
    errorCount: r.error_count,
    errors: JSON.parse(r.errors) as string[],
    status: r.status,
    filter: r.filter ?? 'unknown',
    ingestedAt: r.ingested_at,
  };
}

/** Opens (and creates or upgrades) a case file. Every failure is a FatalError naming the file. */
export function openCase(path: string, opts: OpenOptions = {}): CaseFile {
  const readonly = opts.readonly ?? false;
  const create = opts.create ?? !readonly;
  const exists = existsSync(path);
  if (!exists && !create) throw caseFileError(path, 'does not exist');
  if (!readonly) checkWritable(path, exists);
  let db: Database.Database;
  try {
    db = new Database(path, { readonly, fileMustExist: !create });
  } catch (err) {
    throw asCaseFileError(path, err) ?? err;
  }
  try {
    return guard(path, () => {
      const busy = Math.max(0, Math.trunc(opts.busyTimeoutMs ?? 2000));
      // A new case file gets 16 KiB pages (set before WAL, which fixes the page size): ingest writes
      // every page to the WAL and again at the checkpoint, and with 4 KiB pages that was a million
      // syscalls per GiB of events (ingest --all-events of 1 GiB: 31.0 s, with 16 KiB 24.5 s).
      // Existing case files keep theirs.
      if (!readonly && db.pragma('page_count', { simple: true }) === 0) db.pragma(`page_size = ${NEW_PAGE_SIZE}`);
      if (!readonly && opts.scratch) {
        db.pragma('journal_mode = MEMORY');
        db.pragma('synchronous = OFF');
      } else if (!readonly && db.pragma('journal_mode', { simple: true }) !== 'wal') {
        // Back to WAL (close() leaves the file in rollback mode): this needs the file to itself for a
        // moment, so wait longer for a reader (`events` on a big case) to finish.
        db.pragma(`busy_timeout = ${Math.max(busy, 60_000)}`);
        // Two processes opening a new case at once can both hold the read lock and want the write
        // lock: SQLite fails one at once (no busy wait, that would deadlock), so retry here.
        retryBusy(() => db.pragma('journal_mode = WAL'), Math.max(busy, 60_000));
      }
      db.pragma(`busy_timeout = ${busy}`);
      if (!readonly) {
        if (!opts.scratch) db.pragma('synchronous = NORMAL');
        // 8 MB of page cache, not the 16 MB this SQLite build defaults to: with 16 KiB pages the
        // default left ingest 45-60 MB more peak RSS on 1 GiB (181 against 136 MB) for no speed.
        db.pragma('cache_size = -8000');
        // A big source is one transaction, so the WAL grows to its size; give the space back after.
        db.pragma('journal_size_limit = 67108864');
      }
      const cf = new CaseFile(db, path, readonly);
      migrate(cf);
      return cf;
    });
  } catch (err) {
    db.close();
    throw err;
  }
}

function checkWritable(path: string, exists: boolean): void {
  const dir = dirname(resolve(path));
  if (!existsSync(dir)) throw caseFileError(path, `its folder ${dir} does not exist`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw caseFileError(path, `its folder ${dir} is not writable (SQLite needs to create journal files there)`);
  }
  if (exists) {
    try {
      accessSync(path, constants.W_OK);
    } catch {
      throw caseFileError(path, 'is read-only (no write permission)');
    }
  }
}

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;
}

function currentVersion(cf: CaseFile): number {
  const db = cf.db;
  const appId = db.pragma('application_id', { simple: true }) as number;
  const hasTables = (db.prepare(`SELECT count(*) AS n FROM sqlite_master`).get() as { n: number }).n > 0;
  if (appId === 0 && !hasTables) return 0;
  if (appId !== APPLICATION_ID || !tableExists(db, 'meta')) {
    throw caseFileError(cf.path, 'is an SQLite database but not an rdpdoctor case file; refusing to touch it');
  }
  const v = Number(cf.meta('schema_version'));
  if (!Number.isInteger(v) || v < 1) throw caseFileError(cf.path, 'has no valid schema version in its meta table');
  return v;
}

/** How long a write (a source, schema creation, storing an analysis) waits for another writer. */
const WRITE_WAIT_MS = 30 * 60_000;

const napCell = new Int32Array(new SharedArrayBuffer(4));

/** Another connection holds the lock (SQLITE_BUSY and its extended codes). */
function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}

/**
 * fn, again every 50 ms while it fails with SQLITE_BUSY, for up to waitMs; for the lock errors SQLite
 * returns without calling the busy handler (a deadlock between two readers that both want to write).
 */
export function retryBusy<T>(fn: () => T, waitMs: number, now: () => number = Date.now): T {
  const deadline = now() + waitMs;
  for (;;) {
    try {
      return fn();
    } catch (err) {
      if (!isBusy(err) || now() >= deadline) throw err;
      Atomics.wait(napCell, 0, 0, 50);
    }
  }
}

/** Runs fn with the busy timeout raised to WRITE_WAIT_MS (another writer may hold the lock for a source). */
function waitingLong<T>(db: Database.Database, fn: () => T): T {
  const busy = Number(db.pragma('busy_timeout', { simple: true }));
  db.pragma(`busy_timeout = ${WRITE_WAIT_MS}`);
  try {
    return fn();
  } finally {
    db.pragma(`busy_timeout = ${busy}`);
  }
}

function migrate(cf: CaseFile): void {
  const db = cf.db;
  const check = (v: number): void => {
    if (v > SCHEMA_VERSION) {
      throw caseFileError(
        cf.path,
        `was written by a newer rdpdoctor (case schema v${v}; this version reads up to v${SCHEMA_VERSION}). Upgrade rdpdoctor to open it.`,
      );
    }
  };
  let v = currentVersion(cf);
  check(v);
  if (v === SCHEMA_VERSION) return;
  if (cf.readonly) {
    if (v === 0) throw caseFileError(cf.path, 'is empty, not a case file');
    // Read as it is: events and sources read the same in every version; analysis tables need v2.
    return;
  }
  // Two processes may open a fresh or old case together: re-read the version under the write lock.
  // The other may hold that lock for a whole source (seconds to minutes): wait for it as
  // beginWrite does, not just the usual busy timeout (two concurrent ingests failed that way).
  waitingLong(db, () => db.exec('BEGIN IMMEDIATE'));
  try {
    v = currentVersion(cf);
    check(v);
    for (const m of MIGRATIONS) {
      if (m.version <= v) continue;
      m.up(db);
      db.prepare(`INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)`).run(String(m.version));
    }
    if (v === 0) {
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.prepare(`INSERT OR REPLACE INTO meta(key, value) VALUES ('created_at', ?)`).run(new Date().toISOString());
    }
    db.exec('COMMIT');
  } catch (err) {
    if (db.inTransaction) db.exec('ROLLBACK');
    throw err;
  }
}
