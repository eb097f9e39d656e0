// The attempt-detail pane as lines: what happened, the two-lane timeline, the causes ranked with
// their evidence (and what rules each out), remediation, and what to collect next.
import type { Zone } from 'luxon';
import type { EventRef } from '../model/analysis.js';
import type { AnalysisDocument, AttemptReport, CauseReport, EvidenceItem } from '../model/report.js';
import { formatClock, formatCodes, formatGap, formatSkew, formatStamp, hex, zoneLabel } from './format.js';
import { eventLabel, whereText } from './eventLabel.js';
import { LineBuilder, seg, type Line, type Seg } from './lines.js';
import { hostName, inline } from './safe.js';
import { fit } from './text.js';
import { buildTimeline } from './timeline.js';
import type { Tone } from './theme.js';

const VERDICT_ORDER: Record<CauseReport['verdict'], number> = { likely: 0, possible: 1, 'ruled-out': 2, 'no-evidence': 3 };

/** Likely first, then possible, ruled out, no evidence; by score within a group; id breaks ties. */
export function rankCauses(causes: readonly CauseReport[]): CauseReport[] {
  return [...causes].sort(
    (a, b) => VERDICT_ORDER[a.verdict] - VERDICT_ORDER[b.verdict] || b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

export function outcomeTone(a: AttemptReport): Tone {
  if (a.preconnect) return 'muted';
  return a.outcome === 'failed' ? 'fail' : a.outcome === 'succeeded' ? 'ok' : 'warn';
}

export function outcomeLabel(a: { outcome: AttemptReport['outcome']; preconnect: boolean }): string {
  if (a.preconnect) return 'pre-connect';
  return a.outcome === 'failed' ? 'FAILED' : a.outcome === 'succeeded' ? 'succeeded' : 'unknown';
}

function header(b: LineBuilder, a: AttemptReport, zone: Zone): void {
  const compact = b.width < 100;
  b.add([
    seg('Attempt ', 'muted'),
    seg(inline(a.id), 'accent', true),
    seg('  '),
    seg(outcomeLabel(a), outcomeTone(a), true),
    seg('  '),
    seg(formatCodes(a.codes), a.outcome === 'failed' ? 'fail' : 'muted'),
    seg(`  ${formatStamp(a.start, zone, compact)}`),
    seg(a.end ? ` → ${formatStamp(a.end, zone, compact).slice(compact ? 6 : 11)}` : ''),
  ]);
  const client = a.client ? `${hostName(a.client.host)}${a.client.ip ? ` (${inline(a.client.ip)})` : ''}` : '(client host not identified)';
  const server = a.server ? `${hostName(a.server.host)}${a.server.ip ? ` (${inline(a.server.ip)})` : ''}` : '(server not identified)';
  b.para([seg('Client ', 'muted')], `${client}${a.client?.user ? `  user ${inline(a.client.user)}` : ''}`, 'client');
  b.para([seg('Target ', 'muted')], `${inline(a.target ?? '?')}  →  server ${server}`, 'server');
  if (a.codes.disconnectReason !== undefined || a.codes.extendedReason !== undefined) {
    const parts: string[] = [];
    if (a.codes.disconnectReason !== undefined) parts.push(`${hex(a.codes.disconnectReason)} (${a.codes.disconnectReason}) ${inline(a.codes.meaning ?? 'undocumented')}`);
    if (a.codes.extendedReason !== undefined) parts.push(`extended ${hex(a.codes.extendedReason)} ${inline(a.codes.extendedMeaning ?? 'undocumented')}`);
    b.para([seg('Codes  ', 'muted')], `${parts.join('; ')} [from ${a.codes.source}]`);
  }
  const cov = (ok: boolean): Seg => seg(ok ? 'yes' : 'NO', ok ? 'ok' : 'warn');
  b.add([seg('Logs   ', 'muted'), seg('client '), cov(a.coverage.client), seg('  server '), cov(a.coverage.server)]);
  if (!a.coverage.server) b.para([seg('       ')], 'No server log covers this attempt: server-side causes can be neither confirmed nor ruled out.', 'warn');
  if (!a.coverage.client) b.para([seg('       ')], 'No client log covers this attempt: the disconnect code comes from elsewhere or is missing.', 'warn');
  if (a.preconnect) b.para([seg('Note   ', 'muted')], "mstsc's short first connection that precedes the real one: not a failure.", 'muted');
}

function timeline(b: LineBuilder, doc: AnalysisDocument, a: AttemptReport, zone: Zone): void {
  const rows = buildTimeline(a);
  const involved = new Set(rows.map((r) => r.event.host));
  const skewed = doc.hosts.filter((h) => involved.has(h.name) && h.skewMs !== undefined && h.skewMs !== 0);
  const skewNote = skewed.length ? `, corrected for ${skewed.map((h) => `${hostName(h.name)} ${formatSkew(h.skewMs)}`).join(', ')}` : '';
  b.blank();
  b.add([seg('Timeline', 'accent', true), seg(` (${zoneLabel(zone, a.start)}${skewNote}; · = host context)`, 'muted')]);
  if (!rows.length) {
    b.add([seg('  no events recorded for this attempt', 'muted')]);
    return;
  }
  const lane = Math.max(12, Math.floor((b.width - 24) / 2));
  const clientName = a.client?.host ? inline(a.client.host) : '';
  const serverName = a.server?.host ? inline(a.server.host) : '';
  b.add([
    seg(fit('time', 12), 'muted'),
    seg(' '),
    seg(fit('gap', 8, 'right'), 'muted'),
    seg(' │', 'muted'),
    seg(fit(`client ${clientName}`, lane), 'client', true),
    seg('│', 'muted'),
    seg(fit(`server ${serverName}`, lane), 'server', true),
  ]);
  for (const r of rows) {
    const e = r.event;
    const label = `${r.context ? '· ' : ''}${e.side === 'gateway' ? 'gw ' : ''}${eventLabel(e)}`;
    const tone: Tone = r.context ? 'muted' : r.lane;
    const cell = fit(label, lane);
    const empty = ' '.repeat(lane);
    b.add(
      [
        seg(fit(formatClock(e.correctedTime || e.time, zone), 12)),
        seg(' '),
        seg(fit(r.gapMs === undefined ? '' : formatGap(r.gapMs), 8, 'right'), r.gapMs !== undefined && r.gapMs >= 5000 ? 'warn' : 'muted'),
        seg(' │', 'muted'),
        seg(r.lane === 'client' ? cell : empty, tone),
        seg('│', 'muted'),
        seg(r.lane === 'server' ? cell : empty, tone),
      ],
      e,
    );
  }
}

function eventLine(b: LineBuilder, e: EventRef, zone: Zone, indent: string): void {
  b.add(
    [
      seg(`${indent}↳ `, 'muted'),
      seg(formatClock(e.correctedTime || e.time, zone)),
      seg(` ${hostName(e.host)} `, e.side === 'client' ? 'client' : 'server'),
      seg(eventLabel(e)),
      seg(`  ${whereText(e)}`, 'muted'),
    ],
    e,
  );
}

function evidence(b: LineBuilder, ev: EvidenceItem, zone: Zone, ruledOut: boolean): void {
  const sign = ev.role === 'supports' ? '+' : '−';
  const tail = ev.unconfirmed ? [seg(' [unconfirmed]', 'warn', true)] : [];
  b.para([seg(`    ${sign}${ev.weight} `, ev.role === 'supports' ? 'ok' : 'fail')], inline(ev.says), undefined, tail);
  if (!ev.events.length) b.add([seg(`        (${ruledOut ? 'ruled out by an absence or by the codes' : 'no event: from the codes or an absence'})`, 'muted')]);
  for (const e of ev.events) eventLine(b, e, zone, '        ');
}

const VERDICT_TEXT: Record<CauseReport['verdict'], [string, Tone]> = {
  likely: ['LIKELY', 'fail'],
  possible: ['possible', 'warn'],
  'ruled-out': ['ruled out', 'ok'],
  'no-evidence': ['no evidence', 'muted'],
};

function causes(b: LineBuilder, a: AttemptReport, zone: Zone): void {
  const ranked = rankCauses(a.causes);
  b.blank();
  b.add([seg('Causes', 'accent', true), seg(` (root cause: ${inline(a.rootCause)})`, 'muted')]);
  const shown = ranked.filter((c) => c.verdict !== 'no-evidence');
  if (!shown.length) b.add([seg('  no rule found evidence either way', 'muted')]);
  for (const c of shown) {
    const [vt, tone] = VERDICT_TEXT[c.verdict];
    const anyUnconfirmed = c.evidence.some((e) => e.unconfirmed);
    b.add([
      seg(`  ${c.verdict === 'ruled-out' ? '✗' : '●'} `, tone),
      seg(fit(vt, 10), tone, true),
      seg(fit(`${c.confidence} confidence`, 18), 'muted'),
      seg(inline(c.id), undefined, true),
      seg(`  score ${c.score}`, 'muted'),
      ...(anyUnconfirmed ? [seg('  unconfirmed', 'warn', true)] : []),
    ]);
    b.para([seg('    ')], inline(c.title), c.verdict === 'likely' ? 'accent' : undefined);
    const ruledOut = c.verdict === 'ruled-out';
    // A ruled-out cause is explained by what refutes it; the others by what supports them first.
    const order = ruledOut ? ['refutes', 'supports'] : ['supports', 'refutes'];
    for (const role of order) for (const ev of c.evidence.filter((e) => e.role === role)) evidence(b, ev, zone, ruledOut);
    if (!ruledOut && c.remediation.length) {
      b.add([seg('    Remediation', 'accent')]);
      c.remediation.forEach((r, i) => b.para([seg(`     ${i + 1}. `)], inline(r)));
    }
    if (c.references.length && !ruledOut) b.para([seg('    Refs ', 'muted')], c.references.map(inline).join('; '), 'muted');
  }
  const none = ranked.filter((c) => c.verdict === 'no-evidence');
  if (none.length) b.para([seg('  No evidence for: ', 'muted')], none.map((c) => inline(c.id)).join(', '), 'muted');
}

function collectNext(b: LineBuilder, a: AttemptReport): void {
  if (!a.collectNext.length) return;
  b.blank();
  b.add([seg('Collect next', 'warn', true), seg(a.rootCause === 'unknown' ? ' (the verdict is unknown; these logs would decide it)' : '', 'muted')]);
  for (const c of a.collectNext) b.para([seg('  • ')], inline(c));
}

export function buildAttemptLines(doc: AnalysisDocument, a: AttemptReport, zone: Zone, width: number): Line[] {
  const b = new LineBuilder(width);
  header(b, a, zone);
  if (a.rootCause === 'unknown') collectNext(b, a);
  timeline(b, doc, a, zone);
  causes(b, a, zone);
  if (a.rootCause !== 'unknown') collectNext(b, a);
  return b.lines;
}
