// The seams between pipeline stages, as types. Each stage's folder implements its side;
// src/cli wires them. Arrows only point down: parsers → store → correlate → rules → report.
import type { Attempt, Diagnosis, Finding, HostInfo } from './analysis.js';
import type { NormalizedEvent } from './event.js';

/** An event as read back from the case file: the normalized event plus its row id. */
export interface StoredEvent extends NormalizedEvent {
  rowId: number;
}

/** src/correlate: buildAttempts(events, opts) → CorrelationResult */
export interface CorrelationOptions {
  /** Window for host-context events around an attempt (ms). */
  contextWindowMs?: number;
}
export interface CorrelationResult {
  attempts: Attempt[];
  hosts: HostInfo[];
  findings: Finding[];
}

/** src/rules: diagnose(attempt, catalog, opts) → Diagnosis */
export interface DiagnoseOptions {
  /** Codes from the user's error dialog (`--code 0x904 --ext 0x7`). */
  userCodes?: { disconnectReason?: number; extendedReason?: number };
}

/** What the case file must keep: a (channel, provider, event ids) selector declared by rules. */
export interface EventNeed {
  channel?: string;
  provider?: string;
  ids?: number[];
}

export type { Attempt, Diagnosis };
