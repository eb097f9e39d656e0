// A problem met while reading input. Issues are data: they are counted and reported, never thrown
// past the reader, so one bad record or file never ends the run.

export type IssueSeverity = 'error' | 'warning';

export interface ParseIssue {
  severity: IssueSeverity;
  /** Stable machine code, e.g. `evtx.bad-record-magic`, `evtx.chunk-checksum`, `xml.entity-refused`. */
  code: string;
  message: string;
  file: string;
  offset?: number;
  chunk?: number;
  recordId?: number;
  line?: number;
}

/** Formats an issue the way every error line reads: `file @0x1f200 (chunk 3, record 1234): message`. */
export function formatIssue(i: ParseIssue): string {
  const where: string[] = [];
  if (i.chunk !== undefined) where.push(`chunk ${i.chunk}`);
  if (i.recordId !== undefined) where.push(`record ${i.recordId}`);
  if (i.line !== undefined) where.push(`line ${i.line}`);
  const off = i.offset !== undefined ? ` @0x${i.offset.toString(16)}` : '';
  const ctx = where.length ? ` (${where.join(', ')})` : '';
  return `${i.file}${off}${ctx}: ${i.message}`;
}
