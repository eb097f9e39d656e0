// The `w` pane: what the evidence itself looks like (inputs, per-file errors, findings such as
// record gaps or logs with no overlap), so "no cause found" is never a silent result.
import type { AnalysisDocument } from '../model/report.js';
import { formatSkew } from './format.js';
import { LineBuilder, seg, type Line } from './lines.js';
import { hostName, inline } from './safe.js';
import type { Tone } from './theme.js';

const SEV: Record<string, Tone> = { error: 'fail', warning: 'warn', info: 'muted' };

export function buildCaseLines(doc: AnalysisDocument, width: number): Line[] {
  const b = new LineBuilder(width);
  const s = doc.summary;
  b.add([seg('Case', 'accent', true), seg(` ${doc.tool.name} ${inline(doc.tool.version)} · schema ${inline(doc.schemaVersion)}`, 'muted')]);
  b.para([seg('  ')], `${s.attempts.total} attempts: ${s.attempts.failed} failed, ${s.attempts.succeeded} succeeded, ${s.attempts.unknown} unknown · ${s.rulesEvaluated} rules evaluated`);
  const causes = Object.keys(s.rootCauses).sort();
  if (causes.length) b.para([seg('  root causes: ', 'muted')], causes.map((c) => `${inline(c)} ${s.rootCauses[c]}`).join(', '));
  if (s.noAttemptsReason) b.para([seg('  ')], inline(s.noAttemptsReason), 'warn');

  b.blank();
  b.add([seg('Hosts', 'accent', true)]);
  if (!doc.hosts.length) b.add([seg('  (none)', 'muted')]);
  for (const h of doc.hosts) {
    b.para([seg('  '), seg(hostName(h.name), undefined, true), seg(` ${h.roles.join('+') || 'no role'} `, 'muted')], `${formatSkew(h.skewMs)}${h.skewBasis ? ` (${inline(h.skewBasis)})` : ''}`);
  }

  b.blank();
  b.add([seg('Findings', 'accent', true), seg(` (${doc.findings.length})`, 'muted')]);
  if (!doc.findings.length) b.add([seg('  none', 'muted')]);
  for (const f of doc.findings) {
    const where = [f.host, f.channel, f.file].filter(Boolean).map((x) => inline(x)).join(' · ');
    b.para([seg(`  ${f.severity.padEnd(8)}`, SEV[f.severity]), seg(`${f.kind} `, 'muted')], `${inline(f.message)}${where ? ` [${where}]` : ''}`);
  }

  b.blank();
  b.add([seg('Inputs', 'accent', true), seg(` (${s.files.seen} seen, ${s.files.read} read, ${s.files.skipped} skipped)`, 'muted')]);
  for (const i of doc.inputs) {
    const c = i.counts;
    const tone: Tone = i.status === 'failed' ? 'fail' : i.status === 'skipped' ? 'warn' : 'text';
    b.para(
      [seg(`  ${i.status.padEnd(15)}`, tone)],
      `${inline(i.file)} [${i.format}] read ${c.read}, stored ${c.stored}, skipped ${c.skipped}${c.recovered ? `, recovered ${c.recovered}` : ''}${i.skipReason ? ` (${inline(i.skipReason)})` : ''}`,
    );
    for (const e of i.errors) b.para([seg('      ! ', 'fail')], inline(e), 'muted');
    if (i.errorCount > i.errors.length) b.add([seg(`      … ${i.errorCount - i.errors.length} more errors`, 'muted')]);
  }
  return b.lines;
}
