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

/**
 * The columns rowToEvent reads, in its order. Rows are read raw (an array each, not an object with
 * 29 named keys): re-reading the 306,540 events of a 1 GiB case took 1.2 s instead of 2.1 s.
 */
export const EVENT_SELECT = `SELECT e.id, e.time, e.provider, e.event_id, e.channel, e.computer, e.data, s.path, s.format,
  e.position, e.fidelity, e.provider_guid, e.event_source_name, e.qualifiers, e.version, e.level, e.task, e.opcode,
  e.keywords, e.record_id, e.activity_id, e.related_activity_id, e.process_id, e.thread_id, e.user_id, e.message,
  e.byte_offset, e.chunk, e.recovered FROM events e JOIN sources s ON s.id = e.source_id`;

/** A raw row of EVENT_SELECT. */
export type EventRow = readonly (string | number | null)[];

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

/** Builds the StoredEvent from a raw row of EVENT_SELECT, leaving out absent optional fields (so JSON output has no nulls). */
export function rowToEvent(r: EventRow, names: RowStrings = UNSHARED): StoredEvent {
  const e: StoredEvent = {
    rowId: r[0] as number,
    time: r[1] as string,
    provider: names.get(r[2] as string),
    eventId: r[3] as number,
    channel: names.get(r[4] as string),
    computer: names.get(r[5] as string),
    data: parseData(r[6] as string),
    source: { file: names.get(r[7] as string), format: names.get(r[8] as string) as Format, position: r[9] as string, fidelity: names.get(r[10] as string) as Fidelity },
  };
  const text = (i: number): string | undefined => (r[i] === null ? undefined : names.get(r[i] as string));
  const num = (i: number): number | undefined => (r[i] === null ? undefined : (r[i] as number));
  let v: string | number | undefined;
  if ((v = text(11)) !== undefined) e.providerGuid = v;
  if ((v = text(12)) !== undefined) e.eventSourceName = v;
  if ((v = num(13)) !== undefined) e.qualifiers = v;
  if ((v = num(14)) !== undefined) e.version = v;
  if ((v = num(15)) !== undefined) e.level = v;
  if ((v = num(16)) !== undefined) e.task = v;
  if ((v = num(17)) !== undefined) e.opcode = v;
  if ((v = text(18)) !== undefined) e.keywords = v;
  if ((v = num(19)) !== undefined) e.recordId = v;
  if (r[20] !== null) e.activityId = r[20] as string;
  if (r[21] !== null) e.relatedActivityId = r[21] as string;
  if ((v = num(22)) !== undefined) e.processId = v;
  if ((v = num(23)) !== undefined) e.threadId = v;
  if ((v = text(24)) !== undefined) e.userId = v;
  if (r[25] !== null) e.message = r[25] as string;
  if ((v = num(26)) !== undefined) e.source.offset = v;
  if ((v = num(27)) !== undefined) e.source.chunk = v;
  if (r[28]) e.source.recovered = true;
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
