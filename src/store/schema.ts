// The case file's schema as an ordered list of migrations. A new case runs them all; an older case
// runs the ones it lacks, each in its own transaction. Never edit a shipped migration: add one.
import type Database from 'better-sqlite3';

/** Marks a SQLite file as an rdpdoctor case ('RDPD'), so we never write into someone else's database. */
export const APPLICATION_ID = 0x52445044;

export interface Migration {
  /** The schema version this migration produces. */
  version: number;
  description: string;
  up(db: Database.Database): void;
}

// Version 1: the first schema (sources, events, context). Kept verbatim: old case files were made by it.
const V1 = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (
  id INTEGER PRIMARY KEY,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL UNIQUE,
  size INTEGER NOT NULL,
  format TEXT NOT NULL,
  hosts TEXT NOT NULL DEFAULT '[]',
  read_count INTEGER NOT NULL DEFAULT 0,
  recovered_count INTEGER NOT NULL DEFAULT 0,
  skipped_count INTEGER NOT NULL DEFAULT 0,
  filtered_count INTEGER NOT NULL DEFAULT 0,
  stored_count INTEGER NOT NULL DEFAULT 0,
  error_count INTEGER NOT NULL DEFAULT 0,
  errors TEXT NOT NULL DEFAULT '[]',
  status TEXT NOT NULL,
  ingested_at TEXT NOT NULL
);
CREATE TABLE events (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  time TEXT NOT NULL,
  provider TEXT NOT NULL,
  provider_guid TEXT,
  event_source_name TEXT,
  event_id INTEGER NOT NULL,
  qualifiers INTEGER,
  version INTEGER,
  level INTEGER,
  task INTEGER,
  opcode INTEGER,
  keywords TEXT,
  record_id INTEGER,
  activity_id TEXT,
  related_activity_id TEXT,
  process_id INTEGER,
  thread_id INTEGER,
  channel TEXT NOT NULL COLLATE NOCASE,
  computer TEXT NOT NULL COLLATE NOCASE,
  user_id TEXT,
  data TEXT NOT NULL,
  message TEXT,
  position TEXT NOT NULL,
  byte_offset INTEGER,
  chunk INTEGER,
  recovered INTEGER NOT NULL DEFAULT 0,
  fidelity TEXT NOT NULL
);
CREATE INDEX events_time ON events(time);
CREATE INDEX events_channel_id ON events(channel, event_id);
CREATE INDEX events_activity ON events(activity_id) WHERE activity_id IS NOT NULL;
CREATE INDEX events_source ON events(source_id);
CREATE TABLE context (
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id),
  kind TEXT NOT NULL,
  target TEXT,
  settings TEXT NOT NULL,
  position TEXT NOT NULL,
  byte_offset INTEGER,
  fidelity TEXT NOT NULL
);
CREATE INDEX context_source ON context(source_id);
`;

// Version 2: what diagnosis needs. The analysis tables (hosts, attempts and their events, findings),
// the filter each source was stored with (so a wider filter re-reads it) and the channels it held,
// an index by host, and a
// generation counter that tells whether the stored analysis predates the latest ingest.
const V2 = `
ALTER TABLE sources ADD COLUMN filter TEXT NOT NULL DEFAULT 'unknown';
ALTER TABLE sources ADD COLUMN channels TEXT NOT NULL DEFAULT '[]';
CREATE INDEX events_computer ON events(computer);
CREATE TABLE hosts (
  name TEXT PRIMARY KEY COLLATE NOCASE,
  roles TEXT NOT NULL,
  skew_ms REAL,
  skew_basis TEXT
);
CREATE TABLE attempts (
  id TEXT PRIMARY KEY,
  ord INTEGER NOT NULL,
  start TEXT NOT NULL,
  "end" TEXT,
  client TEXT,
  server TEXT,
  target TEXT,
  outcome TEXT NOT NULL,
  codes TEXT NOT NULL,
  coverage TEXT NOT NULL,
  preconnect INTEGER NOT NULL DEFAULT 0,
  root_cause TEXT,
  diagnosis TEXT
);
CREATE INDEX attempts_start ON attempts(start);
CREATE TABLE attempt_events (
  attempt_id TEXT NOT NULL REFERENCES attempts(id),
  role TEXT NOT NULL CHECK (role IN ('event', 'context')),
  ord INTEGER NOT NULL,
  event_row_id INTEGER NOT NULL,
  ref TEXT NOT NULL,
  PRIMARY KEY (attempt_id, role, ord)
);
CREATE INDEX attempt_events_event ON attempt_events(event_row_id);
CREATE TABLE findings (
  id TEXT PRIMARY KEY,
  ord INTEGER NOT NULL,
  kind TEXT NOT NULL,
  severity TEXT NOT NULL,
  message TEXT NOT NULL,
  host TEXT,
  channel TEXT,
  file TEXT,
  details TEXT NOT NULL
);
INSERT OR REPLACE INTO meta(key, value) VALUES ('generation', '0');
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, description: 'sources, events, context', up: (db) => db.exec(V1) },
  { version: 2, description: 'analysis tables, source filter, host index, generation', up: (db) => db.exec(V2) },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/**
 * The events indexes as the migrations above create them (V1 and V2). A scratch case drops them
 * while it is filled and builds them once at the end (CaseFile.deferIndexes / restoreIndexes).
 */
export const EVENT_INDEXES: readonly { name: string; on: string }[] = [
  { name: 'events_time', on: 'events(time)' },
  { name: 'events_channel_id', on: 'events(channel, event_id)' },
  { name: 'events_activity', on: 'events(activity_id) WHERE activity_id IS NOT NULL' },
  { name: 'events_source', on: 'events(source_id)' },
  { name: 'events_computer', on: 'events(computer)' },
];
