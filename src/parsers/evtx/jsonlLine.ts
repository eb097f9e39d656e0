// One JSONL line of an evtx event, written straight into a JsonWriter: the same keys, order and
// escaping as eventJson (toSafeJson of the event object), byte for byte. Shared by the generic
// path (an event built by decodeChunk) and the compiled-template path (jsonlPlan.ts).
import { toSafeJson } from '../../model/json.js';
import type { DataBuilder } from './event.js';
import type { JsonWriter } from './jsonWriter.js';

/** The event fields a line is written from (NormalizedEvent's). */
export interface LineFields {
  recordId?: number;
  time: string;
  provider: string;
  eventId: number;
  level?: number;
  channel: string;
  computer: string;
  activityId?: string;
  providerGuid?: string;
  eventSourceName?: string;
  qualifiers?: number;
  version?: number;
  task?: number;
  opcode?: number;
  keywords?: string;
  relatedActivityId?: string;
  processId?: number;
  threadId?: number;
  userId?: string;
  message?: string;
}

/** `{"record":…` up to and including `,"data":`. */
export function lineHead(w: JsonWriter, e: LineFields): void {
  w.raw('{"record":');
  numOrNull(w, e.recordId);
  w.raw(',"time":');
  w.str(e.time);
  w.raw(',"provider":');
  w.str(e.provider);
  w.raw(',"eventId":');
  w.num(e.eventId);
  w.raw(',"level":');
  numOrNull(w, e.level);
  w.raw(',"channel":');
  w.str(e.channel);
  w.raw(',"computer":');
  w.str(e.computer);
  w.raw(',"activityId":');
  if (e.activityId === undefined) w.raw('null');
  else w.str(e.activityId);
  w.raw(',"data":');
}

/** A number, or null for undefined (the keys eventJson always writes). */
export function numOrNull(w: JsonWriter, n: number | undefined): void {
  if (n === undefined) w.raw('null');
  else w.num(n);
}

/** `<key>n` when n is defined (`key` is `,"name":`): the keys eventJson leaves out when undefined. */
export function optNum(w: JsonWriter, key: string, n: number | undefined): void {
  if (n === undefined) return;
  w.raw(key);
  w.num(n);
}

/** `<key>"s"` when s is defined. */
function optStr(w: JsonWriter, key: string, s: string | undefined): void {
  if (s === undefined) return;
  w.raw(key);
  w.str(s);
}

/** Where a record came from, as decodeChunk's Provenance has it. */
export interface LineSource {
  file: string;
  chunk?: number;
  offset?: number;
  position: string;
  recovered?: boolean;
  /** `,"source":{"file":…,"format":"evtx","position":"chunk ` as bytes (the compiled path). */
  fileLit?: Uint8Array;
}

/** The fields after data, then `source`, then the closing brace and newline. */
export function lineTail(w: JsonWriter, e: LineFields, src: LineSource): void {
  optStr(w, ',"providerGuid":', e.providerGuid);
  optStr(w, ',"eventSourceName":', e.eventSourceName);
  optNum(w, ',"qualifiers":', e.qualifiers);
  optNum(w, ',"version":', e.version);
  optNum(w, ',"task":', e.task);
  optNum(w, ',"opcode":', e.opcode);
  optStr(w, ',"keywords":', e.keywords);
  optStr(w, ',"relatedActivityId":', e.relatedActivityId);
  optNum(w, ',"processId":', e.processId);
  optNum(w, ',"threadId":', e.threadId);
  optStr(w, ',"userId":', e.userId);
  optStr(w, ',"message":', e.message);
  w.raw(',"source":{"file":');
  w.str(src.file);
  w.raw(',"format":"evtx","position":');
  // decodeChunk's position is `chunk <index> record <EventRecordID> @0x<offset>`: on the JSONL
  // path it leaves it to us, written from its parts.
  if (e.recordId !== undefined && src.chunk !== undefined && src.offset !== undefined) {
    w.raw('"chunk ');
    w.raw(String(src.chunk));
    w.raw(' record ');
    w.raw(String(e.recordId));
    w.raw(' @0x');
    w.raw(src.offset.toString(16));
    w.raw('"');
  } else w.str(src.position);
  if (src.offset !== undefined) {
    w.raw(',"offset":');
    w.num(src.offset);
  }
  if (src.chunk !== undefined) {
    w.raw(',"chunk":');
    w.num(src.chunk);
  }
  w.raw(',"fidelity":"full"');
  if (src.recovered !== undefined) w.raw(src.recovered ? ',"recovered":true' : ',"recovered":false');
  w.raw('}}\n');
}

/** The last key list found plain: records of one template repeat it (the same strings), so the check is a compare. */
let plainKeys: string[] = [];

/**
 * `data` from the builder's puts. A record with a repeated key or a key that JSON objects treat
 * specially (array index, __proto__) goes through the object, so the bytes are eventJson's.
 */
export function dataJson(w: JsonWriter, d: DataBuilder): void {
  const keys = d.keys;
  const n = keys.length;
  let same = n === plainKeys.length;
  for (let i = 0; same && i < n; i++) same = keys[i] === plainKeys[i];
  if (!same) {
    if (!plainKeyList(keys)) {
      // Already escaped (the same policy as the writer); written byte for byte.
      w.json(toSafeJson(d.toObject()));
      return;
    }
    plainKeys = keys.slice();
  }
  const vals = d.vals;
  const offs = d.offs;
  w.raw('{');
  for (let i = 0; i < n; i++) {
    if (i > 0) w.raw(',');
    w.str(keys[i]!);
    w.raw(':');
    const off = offs[i]!;
    if (off < 0) w.str(vals[i]!);
    else w.utf16(d.buf, off, d.sizes[i]!);
  }
  w.raw('}');
}

/** No key repeats and none is one JSON objects treat specially (array index, __proto__). */
export function plainKeyList(keys: string[]): boolean {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const c = k.charCodeAt(0);
    if ((c >= 48 && c <= 57) || c === 95) return false;
    for (let j = 0; j < i; j++) if (keys[j] === k) return false;
  }
  return true;
}
