// The working view of a stored event during correlation: parsed time, host key and lower-cased
// names computed once, so every later step compares numbers and interned strings only.
import type { EventRef, Side } from '../model/analysis.js';
import type { StoredEvent } from '../model/stages.js';
import { norm } from './channels.js';
import { hostKey, isoMs, timeMs } from './util.js';

export interface Ev {
  e: StoredEvent;
  /** Logged time, ms since epoch. */
  t: number;
  host: string;
  ch: string;
  prov: string;
  id: number;
  /** Set once an attempt has taken this event. */
  claimed: boolean;
}

export function toEv(e: StoredEvent): Ev | undefined {
  const t = timeMs(e.time);
  if (!Number.isFinite(t)) return undefined;
  return { e, t, host: hostKey(e.computer), ch: norm(e.channel), prov: norm(e.provider), id: e.eventId, claimed: false };
}

/** Stable order: time, then host, then record id, then row id. */
export function byTime(a: Ev, b: Ev): number {
  return a.t - b.t || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0) || (a.e.recordId ?? 0) - (b.e.recordId ?? 0) || a.e.rowId - b.e.rowId;
}

export function d(ev: Ev, key: string): string | undefined {
  return ev.e.data[key];
}

const MAX_VALUES = 24;
const MAX_VALUE_LEN = 512;

/** Removes control characters (and so terminal escape sequences) from event text. */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export function clean(s: string): string {
  if (s.length <= MAX_VALUE_LEN && !UNSAFE.test(s)) return s;
  const t = s.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ');
  return t.length > MAX_VALUE_LEN ? `${t.slice(0, MAX_VALUE_LEN)}…` : t;
}

export function toRef(ev: Ev, side: Side, skewMs: number): EventRef {
  // Field order is the event's own (deterministic for the same input); at most MAX_VALUES fields.
  // Most events are already clean and small: then the event's own data object is shared, read-only.
  let values: Record<string, string> = ev.e.data;
  let n = 0;
  let copy = false;
  for (const k in ev.e.data) {
    const v = ev.e.data[k] ?? '';
    if (++n > MAX_VALUES || clean(k) !== k || clean(v) !== v) {
      copy = true;
      break;
    }
  }
  if (copy) {
    values = {};
    n = 0;
    for (const k in ev.e.data) {
      if (n++ >= MAX_VALUES) break;
      values[clean(k)] = clean(ev.e.data[k] ?? '');
    }
  }
  const ref: EventRef = {
    eventId: ev.e.rowId,
    side,
    host: clean(ev.e.computer),
    channel: clean(ev.e.channel),
    provider: clean(ev.e.provider),
    id: ev.id,
    time: ev.e.time,
    correctedTime: skewMs === 0 ? ev.e.time : isoMs(ev.t - skewMs),
    file: clean(ev.e.source.file),
    position: clean(ev.e.source.position),
    values,
  };
  if (ev.e.recordId !== undefined) ref.recordId = ev.e.recordId;
  return ref;
}
