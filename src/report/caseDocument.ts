// The document of a case file as last analyzed: what `attempts`, `show` (and the `tui` command) print
// when they come back to a kept case, without re-reading any input.
import type { Diagnosis } from '../model/analysis.js';
import type { AnalysisDocument, InputReport } from '../model/report.js';
import type { CaseFile, SourceRecord } from '../store/caseFile.js';
import { type CodeDescriber, buildDocument } from './document.js';

const FORMATS = new Set(['evtx', 'event-xml', 'evt-csv', 'evt-text', 'ps-json', 'ps-csv', 'rdp', 'rdg', 'rdcman-log']);

/** A stored source as an input report (status as recorded: a source is in the case whole or not at all). */
export function sourceToInput(s: SourceRecord, status?: InputReport['status']): InputReport {
  const st: InputReport['status'] =
    status ?? (s.status === 'ingested' ? 'ingested' : s.status === 'skipped' ? 'skipped' : s.status === 'failed' ? 'failed' : 'ingested');
  const r: InputReport = {
    file: s.path,
    format: FORMATS.has(s.format) ? (s.format as InputReport['format']) : 'unknown',
    sha256: s.sha256,
    size: s.size,
    hosts: [...s.hosts],
    channels: [...s.channels],
    status: st,
    counts: { ...s.counts },
    errors: [...s.errors],
    errorCount: s.errorCount,
  };
  return r;
}

/** Rules evaluated per attempt: every rule yields one verdict per attempt, so the widest diagnosis tells. */
export function rulesInDiagnoses(diagnoses: Diagnosis[]): number {
  const ids = new Set<string>();
  for (const d of diagnoses) for (const v of d.verdicts) ids.add(v.cause);
  return ids.size;
}

export interface CaseDocumentOptions {
  toolVersion: string;
  describeCodes?: CodeDescriber;
}

/** Builds the document from the analysis stored in the case; undefined when it was never analyzed. */
export function documentFromCase(cf: CaseFile, opts: CaseDocumentOptions): AnalysisDocument | undefined {
  const analysis = cf.readAnalysis();
  if (!analysis) return undefined;
  const stats = cf.stats();
  return buildDocument({
    toolVersion: opts.toolVersion,
    inputs: cf.sources().map((s) => sourceToInput(s)),
    hosts: analysis.hosts,
    attempts: analysis.attempts,
    diagnoses: analysis.diagnoses,
    findings: analysis.findings,
    rulesEvaluated: rulesInDiagnoses(analysis.diagnoses),
    eventsStored: stats.events,
    channelsSeen: cf.channelCounts().map((c) => c.channel),
    ...(stats.firstTime !== undefined && stats.lastTime !== undefined ? { timeRange: { first: stats.firstTime, last: stats.lastTime } } : {}),
    ...(opts.describeCodes ? { describeCodes: opts.describeCodes } : {}),
  });
}
