// The `analyze --json` document (schemaVersion 1). The TUI and the text report read this same
// shape, so every view of a case says the same thing. schema/analyze.schema.json must match it.
import type { Codes, Confidence, EventRef, Finding, HostInfo, Outcome, VerdictKind } from './analysis.js';
import type { Format } from './event.js';

export const SCHEMA_VERSION = '1.0.0';

export interface InputReport {
  file: string;
  format: Format | 'unknown';
  sha256?: string;
  size: number;
  /** Hosts (Computer values) seen in this input. */
  hosts: string[];
  /** Channels seen in this input (before any filter), when the reader reports them. */
  channels?: string[];
  status: 'ingested' | 'already-in-case' | 'skipped' | 'failed';
  skipReason?: string;
  counts: { read: number; recovered: number; skipped: number; filtered: number; stored: number };
  /** Formatted issues (file @offset (chunk, record): message), capped; `errorCount` is the true total. */
  errors: string[];
  errorCount: number;
}

export interface EvidenceItem {
  role: 'supports' | 'refutes';
  says: string;
  weight: number;
  unconfirmed: boolean;
  events: EventRef[];
}

export interface CauseReport {
  id: string;
  title: string;
  verdict: VerdictKind;
  score: number;
  confidence: Confidence;
  evidence: EvidenceItem[];
  remediation: string[];
  references: string[];
}

export interface AttemptReport {
  id: string;
  start: string;
  end?: string;
  client?: { host: string; user?: string; ip?: string };
  server?: { host: string; ip?: string };
  target?: string;
  outcome: Outcome;
  preconnect: boolean;
  codes: Codes & { meaning?: string; extendedMeaning?: string };
  rootCause: string;
  causes: CauseReport[];
  collectNext: string[];
  events: EventRef[];
  context: EventRef[];
  coverage: { client: boolean; server: boolean };
}

export interface Summary {
  files: { seen: number; read: number; skipped: number; skipReasons: Record<string, number> };
  records: { parsed: number; recovered: number; skipped: number; filtered: number };
  eventsStored: number;
  /** Events within the --since/--until/--host filters, when filters were applied. */
  eventsAnalyzed?: number;
  attempts: { total: number; failed: number; succeeded: number; unknown: number };
  rulesEvaluated: number;
  rootCauses: Record<string, number>;
  /** Set when there are no attempts: why, and which logs to collect. */
  noAttemptsReason?: string;
  /** First and last stored event time (UTC), when the case holds events. */
  timeRange?: { first: string; last: string };
}

export interface AnalysisDocument {
  schemaVersion: string;
  tool: { name: 'rdpdoctor'; version: string };
  inputs: InputReport[];
  hosts: HostInfo[];
  attempts: AttemptReport[];
  findings: Finding[];
  summary: Summary;
}
