// The analysis half of `analyze`: stored events → attempts → diagnoses → the report document. It
// holds every event to analyze in memory at once, so `analyze` runs it in a worker thread on big
// cases (analysisWorker.ts): a worker whose heap fills up ends with ERR_WORKER_OUT_OF_MEMORY and
// the command can say so, where the main thread's V8 would abort the whole process.
import type { Attempt, Diagnosis, Finding, HostInfo } from '../model/analysis.js';
import type { AnalysisDocument, InputReport } from '../model/report.js';
import type { DiagnoseOptions } from '../model/stages.js';
import { buildAttempts } from '../correlate/index.js';
import { describeCodes } from '../report/codes.js';
import { buildDocument, type SkippedInput } from '../report/document.js';
import { EvidenceScanner } from '../report/findings.js';
import { type Catalog, catalogNeeds, diagnose, effectiveCodes } from '../rules/index.js';
import type { CaseFile } from '../store/caseFile.js';
import type { EventQuery } from '../store/query.js';
import { toolVersion } from './version.js';

/** Plain data (it crosses to the worker): what to analyze and what the report says about inputs. */
export interface AnalysisParams {
  query: EventQuery;
  code?: number;
  ext?: number;
  /** The narrowing flags as given (`--since …`), for the report. */
  filters: string[];
  inputs: InputReport[];
  skipped: SkippedInput[];
}

export interface AnalysisOutcome {
  doc: AnalysisDocument;
  /** What a kept case stores (replaceAnalysis). */
  analysis: { attempts: Attempt[]; diagnoses: Diagnosis[]; hosts: HostInfo[]; findings: Finding[] };
  /** Milliseconds spent correlating and diagnosing, then building the report (--verbose). */
  ms: { diagnose: number; report: number };
}

export function analyzeStored(cf: CaseFile, p: AnalysisParams, catalog: Catalog): AnalysisOutcome {
  const t0 = Date.now();
  const events = cf.events(p.query);
  const correlation = buildAttempts(events, cf.contextRecords());
  const opts: DiagnoseOptions = {};
  if (p.code !== undefined || p.ext !== undefined) {
    opts.userCodes = {
      ...(p.code !== undefined ? { disconnectReason: p.code } : {}),
      ...(p.ext !== undefined ? { extendedReason: p.ext } : {}),
    };
  }
  const attempts: Attempt[] = correlation.attempts.map((a) => ({ ...a, codes: effectiveCodes(a, opts) }));
  const diagnoses: Diagnosis[] = correlation.attempts.map((a) => diagnose(a, catalog, opts));
  const t1 = Date.now();

  // Record gaps only mean something in sources stored whole (no push-down filter dropped records).
  const whole = new Set(cf.sources().filter((s) => s.filter === 'all' || s.counts.filtered === 0).map((s) => s.path));
  const scanner = new EvidenceScanner((file) => whole.has(file));
  let first: string | undefined;
  let last: string | undefined;
  for (const e of events) {
    scanner.add(e);
    if (first === undefined || e.time < first) first = e.time;
    if (last === undefined || e.time > last) last = e.time;
  }
  // Missing channels are judged against what the diagnosis reads, not the evidence layer's own needs.
  const findings = [...correlation.findings, ...scanner.findings({ hosts: correlation.hosts, inputs: p.inputs, needs: catalogNeeds(catalog) })];
  const doc = buildDocument({
    toolVersion: toolVersion(),
    inputs: p.inputs,
    skipped: p.skipped,
    hosts: correlation.hosts,
    attempts,
    diagnoses,
    findings,
    rulesEvaluated: catalog.rules.length,
    eventsStored: cf.stats().events,
    ...(p.filters.length ? { eventsAnalyzed: events.length } : {}),
    channelsSeen: scanner.channelsSeen(),
    filters: p.filters,
    ...(first !== undefined && last !== undefined ? { timeRange: { first, last } } : {}),
    describeCodes,
  });
  return { doc, analysis: { attempts, diagnoses, hosts: correlation.hosts, findings }, ms: { diagnose: t1 - t0, report: Date.now() - t1 } };
}
