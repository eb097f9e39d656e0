// A case written by the first schema (v1), made here with the SQL that version shipped, opens and is
// upgraded in place; its data survives and the v2 additions work.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCase } from '../../src/store/caseFile.js';
import { SCHEMA_VERSION } from '../../src/store/schema.js';

// Frozen copy of schema v1 as released; deliberately not imported from src.
const V1_SQL = `
PRAGMA application_id = 1380208708;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources (id INTEGER PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT NOT NULL UNIQUE, size INTEGER NOT NULL,
  format TEXT NOT NULL, hosts TEXT NOT NULL DEFAULT '[]', read_count INTEGER NOT NULL DEFAULT 0,
  recovered_count INTEGER NOT NULL DEFAULT 0, skipped_count INTEGER NOT NULL DEFAULT 0,
  filtered_count INTEGER NOT NULL DEFAULT 0, stored_count INTEGER NOT NULL DEFAULT 0,
  error_count INTEGER NOT NULL DEFAULT 0, errors TEXT NOT NULL DEFAULT '[]', status TEXT NOT NULL, ingested_at TEXT NOT NULL);
CREATE TABLE events (id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources(id), time TEXT NOT NULL,
  provider TEXT NOT NULL, provider_guid TEXT, event_source_name TEXT, event_id INTEGER NOT NULL, qualifiers INTEGER,
  version INTEGER, level INTEGER, task INTEGER, opcode INTEGER, keywords TEXT, record_id INTEGER, activity_id TEXT,
  related_activity_id TEXT, process_id INTEGER, thread_id INTEGER, channel TEXT NOT NULL COLLATE NOCASE,
  computer TEXT NOT NULL COLLATE NOCASE, user_id TEXT, data TEXT NOT NULL, message TEXT, position TEXT NOT NULL,
  byte_offset INTEGER, chunk INTEGER, recovered INTEGER NOT NULL DEFAULT 0, fidelity TEXT NOT NULL);
CREATE INDEX events_time ON events(time);
CREATE INDEX events_channel_id ON events(channel, event_id);
CREATE INDEX events_activity ON events(activity_id) WHERE activity_id IS NOT NULL;
CREATE INDEX events_source ON events(source_id);
CREATE TABLE context (id INTEGER PRIMARY KEY, source_id INTEGER NOT NULL REFERENCES sources(id), kind TEXT NOT NULL,
  target TEXT, settings TEXT NOT NULL, position TEXT NOT NULL, byte_offset INTEGER, fidelity TEXT NOT NULL);
CREATE INDEX context_source ON context(source_id);
INSERT INTO meta VALUES ('schema_version', '1');
INSERT INTO sources (id, path, sha256, size, format, hosts, read_count, stored_count, status, ingested_at)
  VALUES (1, 'client/RDPClient.evtx', 'abc123', 69632, 'evtx', '["CLIENT01"]', 2, 2, 'ingested', '2024-05-02T08:00:00.000Z');
INSERT INTO events (source_id, time, provider, event_id, channel, computer, data, position, fidelity, activity_id)
  VALUES (1, '2024-05-01T10:00:00.0000000Z', 'Microsoft-Windows-TerminalServices-ClientActiveXCore', 1024,
          'Microsoft-Windows-TerminalServices-RDPClient/Operational', 'CLIENT01', '{"Value":"srv01"}', 'chunk 0 record 1', 'full',
          '{11111111-0000-0000-0000-000000000000}'),
         (1, '2024-05-01T10:00:03.0000000Z', 'Microsoft-Windows-TerminalServices-ClientActiveXCore', 1026,
          'Microsoft-Windows-TerminalServices-RDPClient/Operational', 'CLIENT01', '{"Value":"2308"}', 'chunk 0 record 2', 'full',
          '{11111111-0000-0000-0000-000000000000}');
`;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rdpd-migrate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function makeV1(path: string): void {
  const db = new Database(path);
  db.exec(V1_SQL);
  db.close();
}

describe('schema migration', () => {
  it('opens a v1 case, upgrades it in place to the current version, and keeps its data', () => {
    const path = join(dir, 'v1.db');
    makeV1(path);
    expect(SCHEMA_VERSION).toBe(2);
    const cf = openCase(path, { create: false });
    expect(cf.schemaVersion).toBe(2);
    const tables = (cf.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    expect(tables).toEqual(['attempt_events', 'attempts', 'context', 'events', 'findings', 'hosts', 'meta', 'sources']);
    const [src] = cf.sources();
    // v1 did not record the filter: 'unknown' makes the next ingest of that file re-read it.
    expect(src).toMatchObject({ path: 'client/RDPClient.evtx', filter: 'unknown', channels: [], hosts: ['CLIENT01'], counts: { stored: 2 } });
    const events = cf.events({ hosts: ['client01'] });
    expect(events.map((e) => [e.eventId, e.data.Value, e.source.file, e.source.format])).toEqual([
      [1024, 'srv01', 'client/RDPClient.evtx', 'evtx'],
      [1026, '2308', 'client/RDPClient.evtx', 'evtx'],
    ]);
    // The v2 additions work on the upgraded file.
    expect(cf.meta('generation')).toBe('0');
    cf.replaceAnalysis({ attempts: [], diagnoses: [], hosts: [{ name: 'CLIENT01', roles: ['client'] }], findings: [] });
    expect(cf.readHosts()).toEqual([{ name: 'CLIENT01', roles: ['client'] }]);
    expect(cf.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'events_computer'`).get()).toBeDefined();
    expect(cf.db.pragma('integrity_check', { simple: true })).toBe('ok');
    cf.close();
    // Upgraded once: reopening read-only sees v2 without touching it.
    const ro = openCase(path, { readonly: true });
    expect(ro.schemaVersion).toBe(2);
    ro.close();
  });

  it('reads a v1 case opened read-only as it is, without upgrading', () => {
    const path = join(dir, 'v1ro.db');
    makeV1(path);
    const cf = openCase(path, { readonly: true });
    expect(cf.schemaVersion).toBe(1);
    expect(cf.countEvents({ ids: [1026] })).toBe(1);
    expect(cf.sources()[0]!.filter).toBe('unknown');
    cf.close();
  });
});
