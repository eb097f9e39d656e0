// The diagnosis model shared by correlate → rules → report → tui. The JSON document of
// `analyze --json` is built from these types (schema/analyze.schema.json is its contract).

export type Outcome = 'succeeded' | 'failed' | 'unknown';
export type VerdictKind = 'likely' | 'possible' | 'ruled-out' | 'no-evidence';
export type Confidence = 'high' | 'medium' | 'low';
export type Side = 'client' | 'server' | 'gateway';

/** A pointer to one stored event, with what matters of it, so evidence is always traceable. */
export interface EventRef {
  /** Row id in the case file's events table. */
  eventId: number;
  side: Side;
  host: string;
  channel: string;
  provider: string;
  id: number;
  /** UTC time as logged. */
  time: string;
  /** Time corrected for the host's estimated clock skew (same as `time` when no skew). */
  correctedTime: string;
  file: string;
  /** Record id, line or element index, as in Provenance.position. */
  position: string;
  recordId?: number;
  /** The field values that matter for this reference (e.g. Value, ClientIP, ReasonCode). */
  values: Record<string, string>;
  /** Set by the report when a value held malformed UTF-16 (lone surrogates), replaced with U+FFFD. */
  textRepaired?: boolean;
}

export interface Codes {
  /** discReason as shown by mstsc (e.g. 0x904 = 2308). */
  disconnectReason?: number;
  /** ExtendedDisconnectReasonCode (e.g. 0x7). */
  extendedReason?: number;
  source: 'log' | 'rdcman' | 'user' | 'server' | 'none';
}

export interface Attempt {
  id: string;
  /** ISO UTC time of the first client-side event (server-side when there is no client log). */
  start: string;
  end?: string;
  client?: { host: string; user?: string; ip?: string };
  server?: { host: string; ip?: string };
  /** The target as typed (RDPClient 1024 Value, .rdp full address, RDCMan server). */
  target?: string;
  outcome: Outcome;
  codes: Codes;
  /** The attempt's own events, both sides. */
  events: EventRef[];
  /** Host-context events near the attempt (Schannel, RCM 105x, LsaSrv 6041, DNS-Client…). */
  context: EventRef[];
  /** Which sides have logs covering this attempt's time; an absent side is itself evidence. */
  coverage: { client: boolean; server: boolean };
  /** True for mstsc's short first TCP connection that precedes the real one (not a failure). */
  preconnect?: boolean;
  /** Channels whose logs cover this attempt's time, per side (absence of an event only counts there). */
  covered?: { client: string[]; server: string[] };
  /** Client configuration for the target (.rdp / RDCMan settings), names as in the file. */
  settings?: Record<string, string>;
  /** Derived facts rules may test (e.g. targetKind: local|ip|name, joinedBy: activity|name|ip|single-server). */
  facts?: Record<string, string>;
}

export interface Evidence {
  /** What this evidence says, in plain words. */
  says: string;
  weight: number;
  /** Events cited; empty for evidence from codes the user reported or from an absence. */
  events: EventRef[];
  /** True when the statement rests on a fact the knowledge base marks UNCONFIRMED. */
  unconfirmed?: boolean;
}

export interface Verdict {
  cause: string;
  title: string;
  verdict: VerdictKind;
  score: number;
  confidence: Confidence;
  supports: Evidence[];
  refutes: Evidence[];
  remediation: string[];
  references: string[];
  collectNext?: string[];
}

export interface Diagnosis {
  attemptId: string;
  /** The likely cause with the strongest support; `none` for a success; `unknown` when undecided. */
  rootCause: string;
  verdicts: Verdict[];
  /** What to collect next when rootCause is `unknown`. */
  collectNext: string[];
}

/** A finding about the evidence itself, not tied to one attempt. */
export interface Finding {
  id: string;
  kind: 'record-gap' | 'log-cleared' | 'no-overlap' | 'missing-channel' | 'parse-errors' | 'other';
  severity: 'info' | 'warning' | 'error';
  message: string;
  host?: string;
  channel?: string;
  file?: string;
  details: Record<string, string | number>;
}

export interface HostInfo {
  name: string;
  roles: Side[];
  /** Estimated clock skew against the reference host, in milliseconds (host − reference). */
  skewMs?: number;
  skewBasis?: string;
}
