// `analyze --ndjson`: one JSON object per line (each attempt, each finding, then the summary) with
// ECS-aligned top-level fields, so Elastic and Splunk index it without a custom mapping. The full
// rdpdoctor object rides under `rdpdoctor.*`; ECS fields are only set where the value fits their type
// (source.ip only holds a real IP address).
import { isIP } from 'node:net';
import type { AnalysisDocument, AttemptReport } from '../model/report.js';
import type { Finding } from '../model/analysis.js';
import { toJson } from './json.js';

export const ECS_VERSION = '8.11.0';

type Line = Record<string, unknown>;

/** ECS @timestamp: millisecond ISO UTC, the precision both Elastic `date` and Splunk take natively. */
function ts(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z$/.exec(iso);
  return m ? `${m[1]}.${(m[2] ?? '').padEnd(3, '0').slice(0, 3)}Z` : iso;
}

/** Strips a port (`10.0.0.5:51234`, `[fe80::1]:3389`) and keeps the address only if it is an IP. */
export function ipOnly(v: string | undefined): string | undefined {
  if (!v) return undefined;
  let a = v.trim();
  const br = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (br) a = br[1] as string;
  else if (/^[\d.]+:\d+$/.test(a)) a = a.slice(0, a.lastIndexOf(':'));
  return isIP(a) ? a : undefined;
}

const OUTCOME = { failed: 'failure', succeeded: 'success', unknown: 'unknown' } as const;

function attemptLine(a: AttemptReport, doc: AnalysisDocument): Line {
  const likely = a.causes.find((c) => c.verdict === 'likely' && c.id === a.rootCause) ?? a.causes.find((c) => c.verdict === 'likely');
  const code = a.codes.disconnectReason !== undefined ? `0x${a.codes.disconnectReason.toString(16)}` : undefined;
  const ext = a.codes.extendedReason !== undefined ? `0x${a.codes.extendedReason.toString(16)}` : undefined;
  const srcIp = ipOnly(a.client?.ip);
  const dstIp = ipOnly(a.server?.ip) ?? ipOnly(a.target);
  const target = a.target ?? a.server?.host;
  const line: Line = {
    '@timestamp': ts(a.start),
    ecs: { version: ECS_VERSION },
    message: `RDP attempt ${a.outcome} ${a.client?.host ?? '?'} -> ${target ?? '?'}${code ? ` code ${code}${ext ? `/${ext}` : ''}` : ''}: ${a.rootCause}`,
    event: {
      kind: 'event',
      category: ['network', 'session'],
      type: ['connection'],
      module: 'rdpdoctor',
      dataset: 'rdpdoctor.attempt',
      outcome: OUTCOME[a.outcome],
      ...(code ? { code } : {}),
      start: ts(a.start),
      ...(a.end ? { end: ts(a.end) } : {}),
    },
    ...(a.client?.host || a.server?.host ? { host: { name: a.client?.host ?? a.server?.host } } : {}),
    ...(a.client?.user ? { user: { name: a.client.user } } : {}),
    ...(srcIp || a.client?.host ? { source: { ...(srcIp ? { ip: srcIp } : {}), ...(a.client?.host ? { address: srcIp ?? a.client.host } : {}) } } : {}),
    ...(target || dstIp ? { destination: { ...(target ? { address: target } : {}), ...(dstIp ? { ip: dstIp } : {}) } } : {}),
    ...(likely ? { rule: { id: likely.id, name: likely.title, ruleset: 'rdpdoctor' } } : {}),
    related: related(a),
    rdpdoctor: { type: 'attempt', schemaVersion: doc.schemaVersion, attempt: a },
  };
  return line;
}

function related(a: AttemptReport): Line {
  const hosts = new Set<string>();
  const ips = new Set<string>();
  for (const h of [a.client?.host, a.server?.host]) if (h) hosts.add(h);
  for (const v of [a.client?.ip, a.server?.ip, a.target]) {
    const ip = ipOnly(v);
    if (ip) ips.add(ip);
  }
  const out: Line = { hosts: [...hosts].sort() };
  if (ips.size) out['ip'] = [...ips].sort();
  return out;
}

const SEVERITY_NUM = { info: 1, warning: 2, error: 3 } as const;

function findingLine(f: Finding, doc: AnalysisDocument, when: string | undefined): Line {
  const t = typeof f.details['time'] === 'string' ? f.details['time'] : when;
  return {
    ...(t ? { '@timestamp': ts(t) } : {}),
    ecs: { version: ECS_VERSION },
    message: f.message,
    event: { kind: 'event', category: ['host'], type: ['info'], module: 'rdpdoctor', dataset: 'rdpdoctor.finding', code: f.kind, severity: SEVERITY_NUM[f.severity] },
    ...(f.host ? { host: { name: f.host } } : {}),
    ...(f.file ? { file: { path: f.file } } : {}),
    log: { level: f.severity },
    rdpdoctor: { type: 'finding', schemaVersion: doc.schemaVersion, finding: f },
  };
}

function summaryLine(doc: AnalysisDocument, when: string | undefined): Line {
  return {
    ...(when ? { '@timestamp': ts(when) } : {}),
    ecs: { version: ECS_VERSION },
    message: `rdpdoctor summary: ${doc.summary.attempts.total} attempt(s), ${doc.summary.attempts.failed} failed`,
    event: { kind: 'metric', category: ['host'], type: ['info'], module: 'rdpdoctor', dataset: 'rdpdoctor.summary', code: 'summary' },
    rdpdoctor: { type: 'summary', schemaVersion: doc.schemaVersion, tool: doc.tool, summary: doc.summary, hosts: doc.hosts, inputs: doc.inputs },
  };
}

/**
 * The lines, each without its newline. Findings and the summary take the case's last event time as
 * @timestamp (never the wall clock, so output stays reproducible); without events they have none.
 */
export function ndjsonLines(doc: AnalysisDocument): string[] {
  const when = doc.summary.timeRange?.last ?? doc.attempts[doc.attempts.length - 1]?.start;
  return [
    ...doc.attempts.map((a) => toJson(attemptLine(a, doc))),
    ...doc.findings.map((f) => toJson(findingLine(f, doc, when))),
    toJson(summaryLine(doc, when)),
  ];
}

export function renderNdjson(doc: AnalysisDocument): string {
  return `${ndjsonLines(doc).join('\n')}\n`;
}
