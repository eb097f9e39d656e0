// The case summary above the list: attempts by outcome, findings, hosts with their clock skew,
// input counts, and the list's current sort/filter/search.
import { Box } from 'ink';
import { memo, useMemo } from 'react';
import type { AnalysisDocument } from '../../model/report.js';
import { formatSkew } from '../format.js';
import { LineBuilder, seg, type Seg } from '../lines.js';
import { hostName } from '../safe.js';
import { LineText } from './SegText.js';

export const HEADER_HEIGHT = 4;

export interface HeaderProps {
  doc: AnalysisDocument;
  width: number;
  listState: string;
}

export const Header = memo(function Header({ doc, width, listState }: HeaderProps) {
  const lines = useMemo(() => {
    const b = new LineBuilder(width);
    const s = doc.summary;
    const warnings = doc.findings.filter((f) => f.severity !== 'info').length;
    b.add([
      seg('rdpdoctor ', 'accent', true),
      seg(`${s.attempts.total} attempts: `),
      seg(`${s.attempts.failed} failed`, s.attempts.failed ? 'fail' : 'muted', s.attempts.failed > 0),
      seg(' · '),
      seg(`${s.attempts.succeeded} ok`, 'ok'),
      seg(' · '),
      seg(`${s.attempts.unknown} unknown`, s.attempts.unknown ? 'warn' : 'muted'),
      seg(' · '),
      seg(`${doc.findings.length} findings`, warnings ? 'warn' : 'muted'),
      seg(warnings ? ` (${warnings} warning${warnings === 1 ? '' : 's'}, w shows)` : ' (w)', 'muted'),
    ]);
    const hosts: Seg[] = [seg('hosts: ', 'muted')];
    if (!doc.hosts.length) hosts.push(seg('none identified', 'warn'));
    doc.hosts.forEach((h, i) => {
      if (i) hosts.push(seg(' · ', 'muted'));
      hosts.push(seg(hostName(h.name), h.roles.includes('client') ? 'client' : 'server'));
      hosts.push(seg(` ${h.roles.join('+')} `, 'muted'));
      hosts.push(seg(formatSkew(h.skewMs), h.skewMs ? 'warn' : 'muted'));
    });
    b.add(hosts);
    const r = s.records;
    b.add([
      seg('inputs: ', 'muted'),
      seg(`${s.files.seen} files, ${s.files.read} read${s.files.skipped ? `, ${s.files.skipped} skipped` : ''}`, s.files.skipped ? 'warn' : undefined),
      seg(' · ', 'muted'),
      seg(`${r.parsed} records${r.recovered ? ` (${r.recovered} recovered)` : ''}${r.skipped ? `, ${r.skipped} unreadable` : ''}`, r.skipped ? 'warn' : undefined),
      seg(' · ', 'muted'),
      seg(`${s.eventsStored} events kept · ${s.rulesEvaluated} rules`),
    ]);
    b.add([seg(listState, 'muted')]);
    return b.lines;
  }, [doc, width, listState]);
  return (
    <Box flexDirection="column" height={HEADER_HEIGHT}>
      {lines.map((l) => (
        <LineText key={l.key} line={l} selected={false} />
      ))}
    </Box>
  );
});
