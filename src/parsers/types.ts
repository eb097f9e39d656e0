// The contract every reader implements. Readers are pure producers: they never write to stdout,
// never touch the store, and report problems as ParseIssue items instead of throwing.
import type { FilterSpec } from '../model/eventSelection.js';
import type { Readable } from 'node:stream';
import type { ContextRecord, Format, NormalizedEvent } from '../model/event.js';
import type { ParseIssue } from '../model/issue.js';

/** One input, whether a file on disk or a member of a zip archive. */
export interface InputSource {
  /** Display name used in provenance and errors (`dir/a.evtx`, `logs.zip!/srv/System.evtx`). */
  name: string;
  size: number;
  /** Path on disk when the input is a plain file (lets the evtx reader use random access and workers). */
  path?: string;
  /** Opens a fresh byte stream over the whole input. */
  open(): Readable;
}

/** Push-down filter: asked before a record is fully decoded. Omitted means "keep everything". */
export interface EventFilter {
  wants(channel: string, provider: string, eventId: number): boolean;
  /** The same decision as data: with it, the evtx reader's workers filter too (a function cannot cross threads). */
  spec?: FilterSpec;
  /** Told of records of `channel` that a worker's copy (built from spec) dropped, `n` at a time. */
  countFiltered?(channel: string, n: number): void;
}

export interface ReadOptions {
  /** Drop records whose checksums fail (default: keep them and report). */
  strict?: boolean;
  /** IANA zone or ±hh:mm for formats that carry local times (CSV/text exports, RDCMan logs). */
  sourceTz?: string;
  /** Code page for ANSI strings in evtx (default windows-1252). */
  codepage?: string;
  filter?: EventFilter;
  /** Worker threads for evtx decoding (default 1 = inline). */
  workers?: number;
  /** Host name for formats that do not record one (Event Viewer CSV/text, RDCMan logs); default ''. */
  computer?: string;
}

export interface SourceStats {
  /** Records (or lines/elements) turned into events, recovered ones included. */
  read: number;
  /** Of `read`, how many were carved from slack / recovered from damage. */
  recovered: number;
  /** Records that could not be turned into events. */
  skipped: number;
  /** Records dropped by the push-down filter. */
  filtered: number;
  /** Skip counts by issue code. */
  skippedBy: Record<string, number>;
}

export type ReadItem =
  | { kind: 'event'; event: NormalizedEvent }
  | { kind: 'context'; context: ContextRecord }
  | { kind: 'issue'; issue: ParseIssue };

/**
 * Readers yield batches (one evtx chunk, a few hundred lines…) so the per-item async cost stays low.
 * The iterator's return value is the source's final stats.
 */
export type ReadStream = AsyncGenerator<ReadItem[], SourceStats, void>;

export interface Reader {
  format: Format;
  /** Content sniffing: `head` is the first bytes of the input (up to 64 KiB). Never by extension alone. */
  sniff(head: Buffer, name: string): boolean;
  read(input: InputSource, opts: ReadOptions): ReadStream;
}

export function emptyStats(): SourceStats {
  return { read: 0, recovered: 0, skipped: 0, filtered: 0, skippedBy: {} };
}

/** Adds one batch's counts (an evtx chunk, a block of lines) to a source's running stats. */
export function addStats(s: SourceStats, r: Pick<SourceStats, 'read' | 'recovered' | 'skipped' | 'skippedBy'> & { filtered?: number }): void {
  s.read += r.read;
  s.recovered += r.recovered;
  s.skipped += r.skipped;
  s.filtered += r.filtered ?? 0;
  for (const [k, v] of Object.entries(r.skippedBy)) s.skippedBy[k] = (s.skippedBy[k] ?? 0) + v;
}
