// Builds the `analyze --json` document from a diagnosed case. Every list has an explicit total order
// and nothing depends on the clock or the machine, so one case always gives byte-identical JSON.
import type { Attempt, Codes, Diagnosis, EventRef, Evidence, Finding, HostInfo, Verdict, VerdictKind } from '../model/analysis.js';
import { SCHEMA_VERSION } from '../model/report.js';
import type { AnalysisDocument, AttemptReport, CauseReport, EvidenceItem, InputReport, Summary } from '../model/report.js';
import { sortFindings } from './findings.js';
import { repairDocument } from './utf8.js';

export interface SkippedInput {
  name: string;
  reason: string;
}

export type CodeDescriber = (codes: Codes) => { meaning?: string; extendedMeaning?: string };

export interface DocumentInput {
  toolVersion: string;
  inputs: InputReport[];
  /** Paths discovery could not use (folders it could not list, special files…). */
  skipped?: SkippedInput[];
  hosts: HostInfo[];
  attempts: Attempt[];
  diagnoses: Diagnosis[];
  findings: Finding[];
  rulesEvaluated: number;
  eventsStored: number;
  /** Events left after the user's filters (set only when filters were applied). */
  eventsAnalyzed?: number;
  /** Channels of the stored events; explains a run with no attempts. */
  channelsSeen?: Iterable<string>;
  /** Filters the user applied (`--since …`), named in the no-attempts explanation. */
  filters?: string[];
  timeRange?: { first: string; last: string };
  describeCodes?: CodeDescriber;
}

const VERDICT_ORDER: Record<VerdictKind, number> = { likely: 0, possible: 1, 'no-evidence': 2, 'ruled-out': 3 };

export function cmp(a: string | number | undefined, b: string | number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return a < b ? -1 : 1;
}

export function compareEventRefs(a: EventRef, b: EventRef): number {
  return (
    cmp(a.correctedTime, b.correctedTime) ||
    cmp(a.time, b.time) ||
    cmp(a.host, b.host) ||
    cmp(a.channel, b.channel) ||
    cmp(a.recordId, b.recordId) ||
    cmp(a.file, b.file) ||
    cmp(a.position, b.position) ||
    cmp(a.eventId, b.eventId)
  );
}

/** Stored-time form everywhere (7 fractional digits): producers that write milliseconds still compare and read alike. */
export function time7(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(iso);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(7, '0').slice(0, 7)}Z` : iso;
}

/** The model's fields in a fixed order, values by name: producers' key order never shows in the bytes. */
function eventRef(e: EventRef): EventRef {
  const values: Record<string, string> = {};
  for (const k of Object.keys(e.values).sort()) values[k] = e.values[k] as string;
  return {
    eventId: e.eventId,
    side: e.side,
    host: e.host,
    channel: e.channel,
    provider: e.provider,
    id: e.id,
    time: time7(e.time),
    correctedTime: time7(e.correctedTime),
    file: e.file,
    position: e.position,
    ...(e.recordId !== undefined ? { recordId: e.recordId } : {}),
    values,
    ...(e.textRepaired ? { textRepaired: true } : {}),
  };
}

function sortedRefs(refs: EventRef[]): EventRef[] {
  return refs.map(eventRef).sort(compareEventRefs);
}

function evidenceItems(role: EvidenceItem['role'], list: Evidence[]): EvidenceItem[] {
  return list
    .map((e) => ({ role, says: e.says, weight: e.weight, unconfirmed: e.unconfirmed === true, events: sortedRefs(e.events) }))
    .sort((a, b) => b.weight - a.weight || cmp(a.says, b.says));
}

function causeReport(v: Verdict): CauseReport {
  return {
    id: v.cause,
    title: v.title,
    verdict: v.verdict,
    score: v.score,
    confidence: v.confidence,
    evidence: [...evidenceItems('supports', v.supports), ...evidenceItems('refutes', v.refutes)],
    remediation: [...v.remediation],
    references: [...v.references],
  };
}

/** likely, possible, no-evidence, ruled-out; then score (high first); then id. */
export function orderCauses(causes: CauseReport[]): CauseReport[] {
  return [...causes].sort((a, b) => VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] || b.score - a.score || cmp(a.id, b.id));
}

/** The named keys that are set, in the given order. */
function pick<T extends object, K extends keyof T>(o: T, keys: K[]): Pick<T, K> {
  const out = {} as Pick<T, K>;
  for (const k of keys) if (o[k] !== undefined) out[k] = o[k];
  return out;
}

function attemptReport(a: Attempt, d: Diagnosis | undefined, describe?: CodeDescriber): AttemptReport {
  const codes: AttemptReport['codes'] = {
    ...(a.codes.disconnectReason !== undefined ? { disconnectReason: a.codes.disconnectReason } : {}),
    ...(a.codes.extendedReason !== undefined ? { extendedReason: a.codes.extendedReason } : {}),
    source: a.codes.source,
  };
  if (describe) {
    const m = describe(a.codes);
    if (m.meaning !== undefined) codes.meaning = m.meaning;
    if (m.extendedMeaning !== undefined) codes.extendedMeaning = m.extendedMeaning;
  }
  const collectNext = [...new Set([...(d?.collectNext ?? []), ...(d?.verdicts ?? []).flatMap((v) => v.collectNext ?? [])])];
  const r: AttemptReport = {
    id: a.id,
    start: time7(a.start),
    ...(a.end !== undefined ? { end: time7(a.end) } : {}),
    ...(a.client ? { client: pick(a.client, ['host', 'user', 'ip']) } : {}),
    ...(a.server ? { server: pick(a.server, ['host', 'ip']) } : {}),
    ...(a.target !== undefined ? { target: a.target } : {}),
    outcome: a.outcome,
    preconnect: a.preconnect === true,
    codes,
    rootCause: d?.rootCause ?? (a.outcome === 'succeeded' ? 'none' : 'unknown'),
    causes: orderCauses((d?.verdicts ?? []).map(causeReport)),
    collectNext,
    events: sortedRefs(a.events),
    context: sortedRefs(a.context),
    coverage: { client: a.coverage.client, server: a.coverage.server },
  };
  return r;
}

function summarize(input: DocumentInput, inputs: InputReport[], attempts: AttemptReport[]): Summary {
  const skipReasons: Record<string, number> = {};
  let read = 0;
  let skipped = 0;
  const records = { parsed: 0, recovered: 0, skipped: 0, filtered: 0 };
  for (const i of inputs) {
    if (i.status === 'ingested' || i.status === 'already-in-case') read++;
    else {
      skipped++;
      const reason = i.skipReason ?? (i.status === 'failed' ? 'could not be read' : 'skipped');
      skipReasons[reason] = (skipReasons[reason] ?? 0) + 1;
    }
    records.parsed += i.counts.read;
    records.recovered += i.counts.recovered;
    records.skipped += i.counts.skipped;
    records.filtered += i.counts.filtered;
  }
  const rootCauses: Record<string, number> = {};
  const counts = { total: attempts.length, failed: 0, succeeded: 0, unknown: 0 };
  for (const a of attempts) {
    counts[a.outcome]++;
    rootCauses[a.rootCause] = (rootCauses[a.rootCause] ?? 0) + 1;
  }
  const s: Summary = {
    files: { seen: inputs.length, read, skipped, skipReasons: sortKeys(skipReasons) },
    records,
    eventsStored: input.eventsStored,
    ...(input.eventsAnalyzed !== undefined ? { eventsAnalyzed: input.eventsAnalyzed } : {}),
    attempts: counts,
    rulesEvaluated: input.rulesEvaluated,
    rootCauses: sortKeys(rootCauses),
  };
  if (attempts.length === 0) s.noAttemptsReason = noAttemptsReason(s, input);
  if (input.timeRange) s.timeRange = { ...input.timeRange };
  return s;
}

const CLIENT_OP = 'Microsoft-Windows-TerminalServices-RDPClient/Operational';
const SERVER_OP = 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational';

/** Why a run found no attempts, and what to collect: a zero is never left unexplained. */
export function noAttemptsReason(s: Summary, input: Pick<DocumentInput, 'channelsSeen' | 'filters'>): string {
  const collect =
    `Collect ${CLIENT_OP} on the client and ${SERVER_OP} on the server (both on by default), e.g. ` +
    `\`wevtutil epl "${CLIENT_OP}" client-rdp.evtx\` and \`wevtutil epl "${SERVER_OP}" server-rdpcorets.evtx\`.`;
  const filtered = input.filters && input.filters.length ? ` (with ${input.filters.join(', ')})` : '';
  if (s.files.seen === 0) return `No input files were given. ${collect}`;
  if (s.files.read === 0) return `None of the ${s.files.seen} input file(s) could be read. ${collect}`;
  if (s.eventsAnalyzed === 0 && s.eventsStored > 0) {
    return `None of the ${s.eventsStored} stored event(s) falls within the filters${filtered}; widen --since/--until or check --host.`;
  }
  if (s.eventsStored === 0) {
    return `The input holds no events that bear on RDP connections (${s.records.parsed} record(s) read${filtered}). ${collect}`;
  }
  const seen = new Set([...(input.channelsSeen ?? [])].map((c) => c.toLowerCase()));
  const client = seen.has(CLIENT_OP.toLowerCase());
  const server = seen.has(SERVER_OP.toLowerCase());
  if (!client && !server) {
    return `No RDPClient/Operational or RdpCoreTS/Operational events in the input${filtered}, so no connection attempt can be rebuilt. ${collect}`;
  }
  return (
    `RDP events are present (${[client ? 'RDPClient' : '', server ? 'RdpCoreTS' : ''].filter((x) => x).join(' and ')}) but none starts a ` +
    `connection attempt (client 1024 or server 131)${filtered}. Check that the logs cover the time of the failure.`
  );
}

function sortKeys(o: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k] as number;
  return out;
}

function mergeSkipped(inputs: InputReport[], skipped: SkippedInput[]): InputReport[] {
  const known = new Set(inputs.map((i) => i.file));
  const extra: InputReport[] = skipped
    .filter((s) => !known.has(s.name))
    .map((s) => ({
      file: s.name,
      format: 'unknown',
      size: 0,
      hosts: [],
      status: 'skipped',
      skipReason: s.reason,
      counts: { read: 0, recovered: 0, skipped: 0, filtered: 0, stored: 0 },
      errors: [],
      errorCount: 0,
    }));
  return [...inputs, ...extra];
}

/** Fixed key order, whatever order the producer wrote them in: the document's bytes stay stable. */
function inputReport(i: InputReport): InputReport {
  return {
    file: i.file,
    format: i.format,
    ...(i.sha256 !== undefined ? { sha256: i.sha256 } : {}),
    size: i.size,
    hosts: [...i.hosts].sort(),
    ...(i.channels ? { channels: [...i.channels].sort() } : {}),
    status: i.status,
    ...(i.skipReason !== undefined ? { skipReason: i.skipReason } : {}),
    counts: { read: i.counts.read, recovered: i.counts.recovered, skipped: i.counts.skipped, filtered: i.counts.filtered, stored: i.counts.stored },
    errors: [...i.errors],
    errorCount: i.errorCount,
  };
}

function hostInfo(h: HostInfo): HostInfo {
  return {
    name: h.name,
    roles: [...h.roles].sort(),
    ...(h.skewMs !== undefined ? { skewMs: h.skewMs } : {}),
    ...(h.skewBasis !== undefined ? { skewBasis: h.skewBasis } : {}),
  };
}

function finding(f: Finding): Finding {
  const details: Finding['details'] = {};
  for (const k of Object.keys(f.details).sort()) details[k] = f.details[k] as string | number;
  return {
    id: f.id,
    kind: f.kind,
    severity: f.severity,
    message: f.message,
    ...(f.host !== undefined ? { host: f.host } : {}),
    ...(f.channel !== undefined ? { channel: f.channel } : {}),
    ...(f.file !== undefined ? { file: f.file } : {}),
    details,
  };
}

export function buildDocument(input: DocumentInput): AnalysisDocument {
  const inputs = mergeSkipped(input.inputs, input.skipped ?? []).map(inputReport);
  const byAttempt = new Map(input.diagnoses.map((d) => [d.attemptId, d]));
  const attempts = input.attempts
    .map((a) => attemptReport(a, byAttempt.get(a.id), input.describeCodes))
    .sort((a, b) => cmp(a.start, b.start) || cmp(a.id, b.id));
  const hosts = input.hosts.map(hostInfo).sort((a, b) => cmp(a.name, b.name));
  const doc: AnalysisDocument = {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'rdpdoctor', version: input.toolVersion },
    inputs,
    hosts,
    attempts,
    findings: sortFindings(input.findings.map(finding)),
    summary: summarize(input, inputs, attempts),
  };
  return repairDocument(doc);
}
