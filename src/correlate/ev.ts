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
  /** Computer, channel and provider as shown (cleaned), for its refs: found with the keys above. */
  names: Shown;
}

/** A host's, channel's or provider's key and its cleaned display form. */
interface Keyed {
  key: string;
  shown: string;
}

/** The display names of an event, one object per distinct (computer, channel, provider). */
interface Shown {
  host: string;
  channel: string;
  provider: string;
}

/**
 * Names repeat endlessly (a few channels, providers, hosts): each one's key (lower-cased) and its
 * cleaned display form are computed once, and one lookup finds both.
 */
class Interner {
  private readonly m = new Map<string, Keyed>();
  /** Runs of events repeat the same name: the last one is checked before the map. */
  private lastIn = '';
  private lastOut: Keyed | undefined;
  constructor(private readonly f: (s: string) => string) {}
  get(s: string): Keyed {
    if (s === this.lastIn && this.lastOut !== undefined) return this.lastOut;
    let v = this.m.get(s);
    if (v === undefined) {
      v = { key: this.f(s), shown: cleanName(s) };
      // Bounded: a hostile input with millions of distinct names just stops being cached.
      if (this.m.size < 100_000) this.m.set(s, v);
    }
    this.lastIn = s;
    this.lastOut = v;
    return v;
  }
}

/** Ev made by a constructor (one per stored event: a class allocates them in one fixed shape). */
class EvOf implements Ev {
  id: number;
  claimed = false;
  constructor(
    readonly e: StoredEvent,
    readonly t: number,
    readonly host: string,
    readonly ch: string,
    readonly prov: string,
    readonly names: Shown,
  ) {
    this.id = e.eventId;
  }
}

export function makeToEv(): (e: StoredEvent) => Ev | undefined {
  const names = new Interner(norm);
  const hosts = new Interner(hostKey);
  // Runs of events share computer, channel and provider: their Shown is shared too.
  let last: Shown = { host: '', channel: '', provider: '' };
  return (e) => {
    const t = timeMs(e.time);
    if (!Number.isFinite(t)) return undefined;
    const h = hosts.get(e.computer);
    const c = names.get(e.channel);
    const p = names.get(e.provider);
    if (last.host !== h.shown || last.channel !== c.shown || last.provider !== p.shown) last = { host: h.shown, channel: c.shown, provider: p.shown };
    return new EvOf(e, t, h.key, c.key, p.key, last);
  };
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
/** True for the characters `clean` replaces: C0, DEL, C1, bidi marks/overrides/isolates, line separators. */
function unsafe(c: number): boolean {
  return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x61c || c === 0x200e || c === 0x200f || (c >= 0x2028 && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

export function clean(s: string): string {
  if (s.length <= MAX_VALUE_LEN) {
    let i = 0;
    while (i < s.length && !unsafe(s.charCodeAt(i))) i++;
    if (i === s.length) return s;
  }
  const t = s.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, ' ');
  return t.length > MAX_VALUE_LEN ? `${t.slice(0, MAX_VALUE_LEN)}…` : t;
}

/** Cleaned names (host, channel, provider, file) repeat: cleaned once each. */
const cleanCache = new Map<string, string>();
/** The last name asked for: runs of refs come from one file. */
let lastName = '';
let lastClean = '';
function cleanName(s: string): string {
  if (s === lastName) return lastClean;
  let v = cleanCache.get(s);
  if (v === undefined) {
    v = clean(s);
    if (cleanCache.size < 100_000) cleanCache.set(s, v);
  }
  lastName = s;
  lastClean = v;
  return v;
}

/**
 * toRef for host context, which busy servers show with many attempts: one ref per event, side and
 * skew serves them all (refs are read-only; the report copies them).
 */
export class RefCache {
  private readonly m = new Map<Ev, { side: Side; skew: number; ref: EventRef }>();
  get(ev: Ev, side: Side, skewMs: number): EventRef {
    const hit = this.m.get(ev);
    if (hit !== undefined && hit.side === side && hit.skew === skewMs) return hit.ref;
    const ref = toRef(ev, side, skewMs);
    this.m.set(ev, { side, skew: skewMs, ref });
    return ref;
  }
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
  return new Ref(
    ev.e.rowId,
    side,
    ev.names.host,
    ev.names.channel,
    ev.names.provider,
    ev.id,
    ev.e.time,
    skewMs === 0 ? ev.e.time : isoMs(ev.t - skewMs),
    cleanName(ev.e.source.file),
    clean(ev.e.source.position),
    values,
    ev.e.recordId,
  );
}

/**
 * An EventRef made by a constructor: a million refs are made per million events, and a class
 * allocates them in one fixed shape without copying a literal's boilerplate. Its own fields, in
 * this order, are what JSON and every reader see.
 */
class Ref implements EventRef {
  constructor(
    public eventId: number,
    public side: Side,
    public host: string,
    public channel: string,
    public provider: string,
    public id: number,
    public time: string,
    public correctedTime: string,
    public file: string,
    public position: string,
    public values: Record<string, string>,
    // Always present (undefined when unknown, which JSON leaves out): one shape for every ref.
    public recordId: number | undefined,
  ) {}
}
