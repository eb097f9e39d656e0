// What a scenario is: events per host and channel, export files, the expected diagnosis, and a
// README. Scenarios only describe; make-samples.ts turns them into files.
import type { EvtxEventSpec } from '../../../test/support/evtx-writer/index.js';

export type Side = 'client' | 'server' | 'gateway';

export interface ExpectedAttempt {
  /** Client host (System/Computer of its events). */
  client: string;
  /** The target as typed (RDPClient 1024 Value). */
  target: string;
  /** ISO UTC time of the client's 1024, as logged by the client (its own clock). */
  start: string;
  outcome: 'failed' | 'succeeded';
  /** A cause id, `none` for a success, `unknown` when the evidence cannot decide. */
  rootCause: string;
  /** discReason as logged by the client's 1026 (decimal), when the attempt logged one. */
  disconnectReason?: number;
  /** Extended code, only where an input carries it (RDCMan log); 1026 never does. */
  extendedReason?: number;
}

export interface Expected {
  scenario: string;
  attempts: ExpectedAttempt[];
  notes: string;
  /** Zone of the local times in text exports (RDCMan logs); give it as `--source-tz`. */
  sourceTz?: string;
  /** Codes the user read from the error dialog, for inputs that carry none (`--code`/`--ext`). */
  userCodes?: { disconnectReason?: number; extendedReason?: number };
}

export interface PlacedEvent {
  side: Side;
  spec: EvtxEventSpec;
}

export interface ExportFile {
  side: Side;
  /** Host folder when a side has several hosts (see Scenario.hostFolders). */
  host: string;
  name: string;
  content: string | Buffer;
}

export interface Scenario {
  id: string;
  /** One-line summary for the README catalogue. */
  summary: string;
  /** Cause ids this scenario is about (the catalogue's "cause" column). */
  causes: string[];
  /** Key events, as `side channel id (what)`, for the catalogue. */
  keyEvents: string[];
  /** What happened, in plain words (README "What happened"). */
  story: string;
  /** What in the logs shows it (README "Evidence"). */
  evidence: string[];
  /** Facts the knowledge base marks UNCONFIRMED that this sample relies on. */
  unconfirmed: string[];
  expected: Expected;
  events: PlacedEvent[];
  exports: ExportFile[];
}
