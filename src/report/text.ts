// The plain-text report: what an admin reads. For each failed attempt: when (with offset), who → what,
// the codes and their meaning, the likely cause and the events behind it, every ruled-out cause with
// the event that rules it out, and what to do. Every value from the logs goes through the sanitizer.
import type { EventRef } from '../model/analysis.js';
import type { AnalysisDocument, AttemptReport, CauseReport, EvidenceItem, Summary } from '../model/report.js';
import { sanitizeBlock, sanitizeInline as s } from './sanitize.js';
import { type DisplayZone, UTC_ZONE, formatTime } from './time.js';

export interface TextOptions {
  zone?: DisplayZone;
  /** Cap on events listed per evidence line (the JSON keeps them all). */
  maxEventsPerEvidence?: number;
}

const hex = (n: number): string => `0x${n.toString(16)}`;

/** `0x904 (2308)`: the dialog shows hex, the client log decimal; both, so either can be searched. */
export function formatCode(n: number | undefined): string {
  return n === undefined ? 'not known' : `${hex(n)} (${n})`;
}

const CODE_SOURCE: Record<AttemptReport['codes']['source'], string> = {
  log: 'from the client log',
  rdcman: 'from the RDCMan log',
  user: 'as reported by the user (--code/--ext)',
  server: 'from the server log',
  none: 'no code recorded',
};

function shortChannel(channel: string): string {
  const m = /^Microsoft-Windows-(?:TerminalServices-|RemoteDesktopServices-)?(.+)$/.exec(channel);
  return m ? (m[1] as string) : channel;
}

/** One line naming an event so it can be found again: host, log, id, time, file and position, key values. */
export function formatEventRef(e: EventRef, zone: DisplayZone): string {
  const vals = Object.keys(e.values)
    .sort()
    .map((k) => `${s(k)}=${s(e.values[k] as string)}`)
    .join(' ');
  const skew = e.correctedTime !== e.time ? ` (skew-corrected ${formatTime(e.correctedTime, zone)})` : '';
  const repaired = e.textRepaired ? ' [malformed text repaired]' : '';
  return (
    `${s(e.host)} ${s(shortChannel(e.channel))} ${e.id} at ${formatTime(e.time, zone)}${skew} — ${s(e.file)} ${s(e.position)}` +
    `${vals ? `; ${vals}` : ''}${repaired}`
  );
}

/** " (unconfirmed)" for evidence resting on an UNCONFIRMED fact, unless its text already says so. */
function unconfirmedMark(e: EvidenceItem): string {
  return e.unconfirmed && !/\bunconfirmed\b/i.test(e.says) ? ' (unconfirmed)' : '';
}

function evidenceLines(ev: EvidenceItem[], zone: DisplayZone, indent: string, max: number): string[] {
  const out: string[] = [];
  for (const e of ev) {
    out.push(`${indent}${e.role === 'supports' ? '+' : '-'} ${s(e.says)}${unconfirmedMark(e)}`);
    for (const r of e.events.slice(0, max)) out.push(`${indent}    ${formatEventRef(r, zone)}`);
    if (e.events.length > max) out.push(`${indent}    … ${e.events.length - max} more event(s) in the JSON output`);
  }
  return out;
}

function causeHead(c: CauseReport): string {
  const unconfirmed = c.evidence.some((e) => e.role === 'supports' && e.unconfirmed) ? ', rests on unconfirmed facts' : '';
  return `${s(c.id)}: ${s(c.title)} (score ${c.score}, confidence ${c.confidence}${unconfirmed})`;
}

function who(a: AttemptReport): string {
  const client = a.client
    ? `${s(a.client.host)}${a.client.user || a.client.ip ? ` (${[a.client.user, a.client.ip].filter((x) => x).map((x) => s(x as string)).join(', ')})` : ''}`
    : 'unknown client';
  const server = a.server ? ` [server ${s(a.server.host)}${a.server.ip ? `, ${s(a.server.ip)}` : ''}]` : '';
  return `${client} → ${a.target !== undefined ? s(a.target) : a.server ? s(a.server.host) : 'unknown target'}${server}`;
}

function attemptBlock(a: AttemptReport, heading: string, o: Required<TextOptions>): string[] {
  const z = o.zone;
  const lines: string[] = [];
  lines.push(`== ${heading}: ${s(a.id)} ==`);
  lines.push(`Time:      ${formatTime(a.start, z)}${a.end ? ` to ${formatTime(a.end, z)}` : ''}`);
  lines.push(`Path:      ${who(a)}`);
  const c = a.codes;
  const code = `${formatCode(c.disconnectReason)}${c.meaning ? ` ${s(c.meaning)}` : ''}`;
  const ext = c.extendedReason !== undefined ? `; extended ${formatCode(c.extendedReason)}${c.extendedMeaning ? ` ${s(c.extendedMeaning)}` : ''}` : '';
  lines.push(`Codes:     ${code}${ext} (${CODE_SOURCE[c.source]})`);
  const cov = (b: boolean): string => (b ? 'yes' : 'NO');
  lines.push(`Logs:      client log covers it: ${cov(a.coverage.client)}; server log covers it: ${cov(a.coverage.server)}`);
  const likely = a.causes.filter((x) => x.verdict === 'likely');
  const possible = a.causes.filter((x) => x.verdict === 'possible');
  const ruledOut = a.causes.filter((x) => x.verdict === 'ruled-out');
  const none = a.causes.filter((x) => x.verdict === 'no-evidence');
  if (likely.length === 0) {
    if (a.preconnect) lines.push("Result:    mstsc's short pre-connection before the real one; not a failure");
    else if (a.outcome === 'succeeded') lines.push('Result:    the connection succeeded; nothing to diagnose');
    else lines.push(`Likely:    undecided (root cause: ${s(a.rootCause)})`);
  }
  for (const x of likely) {
    lines.push(`Likely:    ${causeHead(x)}`);
    lines.push(...evidenceLines(x.evidence, z, '  ', o.maxEventsPerEvidence));
  }
  for (const x of possible) {
    lines.push(`Possible:  ${causeHead(x)}`);
    lines.push(...evidenceLines(x.evidence.filter((e) => e.role === 'supports'), z, '  ', o.maxEventsPerEvidence));
  }
  if (ruledOut.length) {
    lines.push('Ruled out:');
    for (const x of ruledOut) {
      const why = x.evidence.find((e) => e.role === 'refutes');
      const ev = why?.events[0];
      lines.push(
        `  - ${s(x.id)} (${s(x.title)}): ${why ? s(why.says) + unconfirmedMark(why) : 'no supporting evidence'}` +
          `${ev ? ` — ${formatEventRef(ev, z)}` : ''}`,
      );
    }
  }
  if (none.length) lines.push(`No evidence either way: ${none.map((x) => s(x.id)).join(', ')}`);
  const remediation = likely.flatMap((x) => x.remediation);
  if (remediation.length) {
    lines.push('Remediation:');
    remediation.forEach((r, i) => lines.push(`  ${i + 1}. ${s(r)}`));
  }
  if (a.collectNext.length) {
    lines.push('Collect next:');
    for (const x of a.collectNext) lines.push(`  - ${s(x)}`);
  }
  return lines;
}

/** One attempt in full (`show`): the same block as the report, then every event and context event. */
export function renderAttemptText(a: AttemptReport, opts: TextOptions = {}): string {
  const o: Required<TextOptions> = { zone: opts.zone ?? UTC_ZONE, maxEventsPerEvidence: opts.maxEventsPerEvidence ?? 20 };
  const kind = a.preconnect ? 'mstsc pre-connection' : a.outcome;
  const lines = attemptBlock(a, `Attempt (${kind})`, o);
  lines.push(`Events (${a.events.length}):`);
  for (const e of a.events) lines.push(`  ${e.side.padEnd(6)} ${formatEventRef(e, o.zone)}`);
  lines.push(`Context (${a.context.length}):`);
  for (const e of a.context) lines.push(`  ${e.side.padEnd(6)} ${formatEventRef(e, o.zone)}`);
  return `${sanitizeBlock(lines.join('\n'))}\n`;
}

/** One line per attempt (`attempts`): start, outcome, codes, client → target, root cause, id. */
export function attemptLine(a: AttemptReport, zone: DisplayZone = UTC_ZONE): string {
  const c = a.codes;
  const codes = c.disconnectReason === undefined ? '-' : `${hex(c.disconnectReason)}${c.extendedReason !== undefined ? `/${hex(c.extendedReason)}` : ''}`;
  const outcome = a.preconnect ? 'preconnect' : a.outcome;
  return sanitizeBlock(`${formatTime(a.start, zone)}  ${outcome.padEnd(10)} ${codes.padEnd(12)} ${who(a)}  ${s(a.rootCause)}  [${s(a.id)}]`);
}

/** Counts lines, shared by the report and the end-of-run message on stderr. */
export function summaryLines(sum: Summary): string[] {
  const reasons = Object.entries(sum.files.skipReasons)
    .map(([r, n]) => `${s(r)}: ${n}`)
    .join('; ');
  const causes = Object.entries(sum.rootCauses)
    .map(([c, n]) => `${s(c)} ${n}`)
    .join(', ');
  const a = sum.attempts;
  const lines = [
    `files: ${sum.files.seen} seen, ${sum.files.read} read, ${sum.files.skipped} skipped${reasons ? ` (${reasons})` : ''}`,
    `records: ${sum.records.parsed} parsed, ${sum.records.recovered} recovered, ${sum.records.skipped} unreadable and skipped, ${sum.records.filtered} filtered out (not needed by any rule)`,
    `events stored: ${sum.eventsStored}${sum.eventsAnalyzed !== undefined ? ` (${sum.eventsAnalyzed} within the filters)` : ''}; attempts built: ${a.total} (${a.failed} failed, ${a.succeeded} succeeded, ${a.unknown} unknown)`,
    `rules evaluated: ${sum.rulesEvaluated}${causes ? `; root causes: ${causes}` : ''}`,
  ];
  if (sum.noAttemptsReason) lines.push(`no attempts: ${s(sum.noAttemptsReason)}`);
  return lines;
}

export function renderText(doc: AnalysisDocument, opts: TextOptions = {}): string {
  const o: Required<TextOptions> = { zone: opts.zone ?? UTC_ZONE, maxEventsPerEvidence: opts.maxEventsPerEvidence ?? 5 };
  const z = o.zone;
  const lines: string[] = [];
  const failed = doc.attempts.filter((a) => a.outcome === 'failed' && !a.preconnect);
  lines.push(
    `rdpdoctor ${s(doc.tool.version)}: ${doc.attempts.length} attempt(s), ${failed.length} failed, on ${doc.hosts.length} host(s). Times in ${s(z.label)}.`,
  );
  if (doc.hosts.length) {
    const hosts = doc.hosts.map((h) => `${s(h.name) || '(no host name)'} (${h.roles.join('/') || 'role unknown'}${h.skewMs ? `, clock ${h.skewMs > 0 ? '+' : ''}${h.skewMs} ms` : ''})`);
    lines.push(`Hosts: ${hosts.join(', ')}`);
  }
  failed.forEach((a, i) => {
    lines.push('');
    lines.push(...attemptBlock(a, `Failed attempt ${i + 1} of ${failed.length}`, o));
  });
  const others = doc.attempts.filter((a) => !failed.includes(a));
  if (others.length) {
    lines.push('');
    lines.push('Other attempts:');
    for (const a of others) {
      const note = a.preconnect ? ' (mstsc pre-connection, not a failure)' : '';
      lines.push(`  ${formatTime(a.start, z)}  ${a.outcome.padEnd(9)} ${who(a)}  root cause: ${s(a.rootCause)}  [${s(a.id)}]${note}`);
    }
  }
  if (doc.findings.length) {
    lines.push('');
    lines.push('About the evidence:');
    for (const f of doc.findings) {
      const t = typeof f.details['time'] === 'string' ? ` (at ${formatTime(f.details['time'], z)})` : '';
      lines.push(`  [${f.severity}] ${s(f.message)}${t}`);
    }
  }
  const anyUnconfirmed = failed.some((a) => a.causes.some((c) => c.verdict !== 'no-evidence' && c.evidence.some((e) => e.unconfirmed)));
  if (anyUnconfirmed) {
    lines.push('');
    lines.push('"unconfirmed" marks statements resting on facts no primary source confirms (rdp-kb): treat them as hypotheses.');
  }
  lines.push('');
  lines.push('Summary:');
  for (const l of summaryLines(doc.summary)) lines.push(`  ${l}`);
  // Belt and braces: nothing but \n may remain as a control character.
  return `${sanitizeBlock(lines.join('\n'))}\n`;
}
