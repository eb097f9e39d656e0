// NormalizedEvent ⇄ events row. Column order of INSERT_EVENT and eventParams must match.
import type { ContextRecord, Fidelity, Format, NormalizedEvent } from '../model/event.js';
import type { StoredEvent } from '../model/stages.js';

export const INSERT_EVENT = `INSERT INTO events (source_id, time, provider, provider_guid, event_source_name, event_id,
  qualifiers, version, level, task, opcode, keywords, record_id, activity_id, related_activity_id, process_id,
  thread_id, channel, computer, user_id, data, message, position, byte_offset, chunk, recovered, fidelity)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

type Param = string | number | null;

const n = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

// A lone surrogate (malformed UTF-16 in a record) cannot be written as UTF-8: SQLite would get three
// replacement bytes. Store one U+FFFD instead, as the report does. (Data is JSON, which escapes them.)
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const t = (v: string): string => {
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(v) ? v.replace(LONE_SURROGATE, '\ufffd') : v;
};
const s = (v: string | undefined): string | null => (v === undefined ? null : t(v));

export function eventParams(sourceId: number, e: NormalizedEvent): Param[] {
  return [
    sourceId,
    t(e.time),
    t(e.provider),
    s(e.providerGuid),
    s(e.eventSourceName),
    e.eventId,
    n(e.qualifiers),
    n(e.version),
    n(e.level),
    n(e.task),
    n(e.opcode),
    s(e.keywords),
    n(e.recordId),
    s(e.activityId),
    s(e.relatedActivityId),
    n(e.processId),
    n(e.threadId),
    t(e.channel),
    t(e.computer),
    s(e.userId),
    JSON.stringify(e.data),
    s(e.message),
    t(e.source.position),
    n(e.source.offset),
    n(e.source.chunk),
    e.source.recovered ? 1 : 0,
    e.source.fidelity,
  ];
}

/** A row of `SELECT e.*, s.path AS file, s.format AS format FROM events e JOIN sources s`. */
export interface EventRow {
  id: number;
  source_id: number;
  time: string;
  provider: string;
  provider_guid: string | null;
  event_source_name: string | null;
  event_id: number;
  qualifiers: number | null;
  version: number | null;
  level: number | null;
  task: number | null;
  opcode: number | null;
  keywords: string | null;
  record_id: number | null;
  activity_id: string | null;
  related_activity_id: string | null;
  process_id: number | null;
  thread_id: number | null;
  channel: string;
  computer: string;
  user_id: string | null;
  data: string;
  message: string | null;
  position: string;
  byte_offset: number | null;
  chunk: number | null;
  recovered: number;
  fidelity: string;
  file: string;
  format: string;
}

/**
 * One copy of each repeated text of the rows read in one pass (provider, channel, computer, file,
 * GUIDs, SIDs, keywords…): SQLite hands over a fresh string for every row, and a case of a million
 * events held a million copies of the same few dozen names. Bounded: a hostile case with millions
 * of distinct names just stops being shared.
 */
export class RowStrings {
  private readonly m = new Map<string, string>();
  constructor(private readonly max = 65_536) {}
  get size(): number {
    return this.m.size;
  }
  get(s: string): string {
    const v = this.m.get(s);
    if (v !== undefined) return v;
    if (this.m.size < this.max) this.m.set(s, s);
    return s;
  }
}

/** For rows read one at a time: nothing kept. */
const UNSHARED = new RowStrings(0);

/** Builds the StoredEvent, leaving out absent optional fields (so JSON output has no nulls). */
export function rowToEvent(r: EventRow, names: RowStrings = UNSHARED): StoredEvent {
  const e: StoredEvent = {
    rowId: r.id,
    time: r.time,
    provider: names.get(r.provider),
    eventId: r.event_id,
    channel: names.get(r.channel),
    computer: names.get(r.computer),
    data: parseData(r.data),
    source: { file: names.get(r.file), format: names.get(r.format) as Format, position: r.position, fidelity: names.get(r.fidelity) as Fidelity },
  };
  if (r.provider_guid !== null) e.providerGuid = names.get(r.provider_guid);
  if (r.event_source_name !== null) e.eventSourceName = names.get(r.event_source_name);
  if (r.qualifiers !== null) e.qualifiers = r.qualifiers;
  if (r.version !== null) e.version = r.version;
  if (r.level !== null) e.level = r.level;
  if (r.task !== null) e.task = r.task;
  if (r.opcode !== null) e.opcode = r.opcode;
  if (r.keywords !== null) e.keywords = names.get(r.keywords);
  if (r.record_id !== null) e.recordId = r.record_id;
  if (r.activity_id !== null) e.activityId = r.activity_id;
  if (r.related_activity_id !== null) e.relatedActivityId = r.related_activity_id;
  if (r.process_id !== null) e.processId = r.process_id;
  if (r.thread_id !== null) e.threadId = r.thread_id;
  if (r.user_id !== null) e.userId = names.get(r.user_id);
  if (r.message !== null) e.message = r.message;
  if (r.byte_offset !== null) e.source.offset = r.byte_offset;
  if (r.chunk !== null) e.source.chunk = r.chunk;
  if (r.recovered) e.source.recovered = true;
  return e;
}

function parseData(text: string): Record<string, string> {
  // Written by eventParams from a Record<string, string>; a hand-edited row may hold anything.
  try {
    const v: unknown = JSON.parse(text);
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, string>;
  } catch {
    // fall through
  }
  return { '#raw': text };
}

export const INSERT_CONTEXT = `INSERT INTO context (source_id, kind, target, settings, position, byte_offset, fidelity)
  VALUES (?, ?, ?, ?, ?, ?, ?)`;

export function contextParams(sourceId: number, c: ContextRecord): Param[] {
  return [sourceId, c.kind, s(c.target), JSON.stringify(c.settings), t(c.source.position), n(c.source.offset), c.source.fidelity];
}

export interface ContextRow {
  id: number;
  kind: string;
  target: string | null;
  settings: string;
  position: string;
  byte_offset: number | null;
  fidelity: string;
  file: string;
  format: string;
}

export function rowToContext(r: ContextRow): ContextRecord & { rowId: number } {
  const c: ContextRecord & { rowId: number } = {
    rowId: r.id,
    kind: r.kind as ContextRecord['kind'],
    settings: parseData(r.settings),
    source: { file: r.file, format: r.format as Format, position: r.position, fidelity: r.fidelity as Fidelity },
  };
  if (r.target !== null) c.target = r.target;
  if (r.byte_offset !== null) c.source.offset = r.byte_offset;
  return c;
}
