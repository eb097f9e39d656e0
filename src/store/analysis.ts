// The diagnosis stage's tables: hosts, attempts (with their diagnosis), attempt_events, findings.
// Nested shapes are JSON columns; what people filter on (start, outcome, root cause, event row ids)
// gets its own column so the sqlite3 shell can answer questions without JSON functions.
import type Database from 'better-sqlite3';
import type { Attempt, Diagnosis, EventRef, Finding, HostInfo, Side } from '../model/analysis.js';

export interface AnalysisResult {
  attempts: Attempt[];
  /** One per attempt (by attemptId); attempts without one are stored undiagnosed. */
  diagnoses: Diagnosis[];
  hosts: HostInfo[];
  findings: Finding[];
}

interface AttemptRow {
  id: string;
  start: string;
  end: string | null;
  client: string | null;
  server: string | null;
  target: string | null;
  outcome: Attempt['outcome'];
  codes: string;
  coverage: string;
  preconnect: number;
  root_cause: string | null;
  diagnosis: string | null;
}

const json = (v: unknown): string | null => (v === undefined ? null : JSON.stringify(v));

export function writeAnalysis(db: Database.Database, result: AnalysisResult): void {
  db.exec('DELETE FROM attempt_events; DELETE FROM attempts; DELETE FROM hosts; DELETE FROM findings;');
  const byAttempt = new Map(result.diagnoses.map((d) => [d.attemptId, d]));
  const insAttempt = db.prepare(`INSERT INTO attempts (id, ord, start, "end", client, server, target, outcome, codes,
    coverage, preconnect, root_cause, diagnosis) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insRef = db.prepare('INSERT INTO attempt_events (attempt_id, role, ord, event_row_id, ref) VALUES (?, ?, ?, ?, ?)');
  result.attempts.forEach((a, ord) => {
    const d = byAttempt.get(a.id);
    insAttempt.run(a.id, ord, a.start, a.end ?? null, json(a.client), json(a.server), a.target ?? null, a.outcome,
      JSON.stringify(a.codes), JSON.stringify(a.coverage), a.preconnect ? 1 : 0, d?.rootCause ?? null, json(d));
    a.events.forEach((r, i) => insRef.run(a.id, 'event', i, r.eventId, JSON.stringify(r)));
    a.context.forEach((r, i) => insRef.run(a.id, 'context', i, r.eventId, JSON.stringify(r)));
  });
  const insHost = db.prepare('INSERT INTO hosts (name, roles, skew_ms, skew_basis) VALUES (?, ?, ?, ?)');
  for (const h of result.hosts) insHost.run(h.name, JSON.stringify(h.roles), h.skewMs ?? null, h.skewBasis ?? null);
  const insFinding = db.prepare(`INSERT INTO findings (id, ord, kind, severity, message, host, channel, file, details)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  result.findings.forEach((f, ord) =>
    insFinding.run(f.id, ord, f.kind, f.severity, f.message, f.host ?? null, f.channel ?? null, f.file ?? null, JSON.stringify(f.details)),
  );
}

export function readAttempts(db: Database.Database): Attempt[] {
  const rows = db.prepare('SELECT * FROM attempts ORDER BY ord, id').all() as AttemptRow[];
  const refs = db.prepare('SELECT attempt_id, role, ref FROM attempt_events ORDER BY attempt_id, role, ord').all() as {
    attempt_id: string;
    role: 'event' | 'context';
    ref: string;
  }[];
  const byAttempt = new Map<string, { events: EventRef[]; context: EventRef[] }>();
  for (const r of refs) {
    let slot = byAttempt.get(r.attempt_id);
    if (!slot) byAttempt.set(r.attempt_id, (slot = { events: [], context: [] }));
    (r.role === 'event' ? slot.events : slot.context).push(JSON.parse(r.ref) as EventRef);
  }
  return rows.map((r) => {
    const slot = byAttempt.get(r.id) ?? { events: [], context: [] };
    const a: Attempt = {
      id: r.id,
      start: r.start,
      outcome: r.outcome,
      codes: JSON.parse(r.codes) as Attempt['codes'],
      events: slot.events,
      context: slot.context,
      coverage: JSON.parse(r.coverage) as Attempt['coverage'],
    };
    if (r.end !== null) a.end = r.end;
    if (r.client !== null) a.client = JSON.parse(r.client) as NonNullable<Attempt['client']>;
    if (r.server !== null) a.server = JSON.parse(r.server) as NonNullable<Attempt['server']>;
    if (r.target !== null) a.target = r.target;
    if (r.preconnect) a.preconnect = true;
    return a;
  });
}

export function readDiagnoses(db: Database.Database): Diagnosis[] {
  const rows = db.prepare('SELECT diagnosis FROM attempts WHERE diagnosis IS NOT NULL ORDER BY ord, id').all() as { diagnosis: string }[];
  return rows.map((r) => JSON.parse(r.diagnosis) as Diagnosis);
}

export function readHosts(db: Database.Database): HostInfo[] {
  const rows = db.prepare('SELECT * FROM hosts ORDER BY name').all() as {
    name: string;
    roles: string;
    skew_ms: number | null;
    skew_basis: string | null;
  }[];
  return rows.map((r) => {
    const h: HostInfo = { name: r.name, roles: JSON.parse(r.roles) as Side[] };
    if (r.skew_ms !== null) h.skewMs = r.skew_ms;
    if (r.skew_basis !== null) h.skewBasis = r.skew_basis;
    return h;
  });
}

export function readFindings(db: Database.Database): Finding[] {
  const rows = db.prepare('SELECT * FROM findings ORDER BY ord, id').all() as {
    id: string;
    kind: Finding['kind'];
    severity: Finding['severity'];
    message: string;
    host: string | null;
    channel: string | null;
    file: string | null;
    details: string;
  }[];
  return rows.map((r) => {
    const f: Finding = { id: r.id, kind: r.kind, severity: r.severity, message: r.message, details: JSON.parse(r.details) as Finding['details'] };
    if (r.host !== null) f.host = r.host;
    if (r.channel !== null) f.channel = r.channel;
    if (r.file !== null) f.file = r.file;
    return f;
  });
}
