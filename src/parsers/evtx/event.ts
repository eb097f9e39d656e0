// A record's element tree → NormalizedEvent. System fields first, so the push-down filter can
// drop a record before its EventData/UserData is rendered.
import type { NormalizedEvent, Provenance } from '../../model/event.js';
import type { EventFilter } from '../types.js';
import type { Values, XElement, XNode } from './binxml/ir.js';
import type { ChunkContext } from './binxml/parser.js';
import { Kind } from './binxml/tokens.js';
import { ansiDecoder, renderScalar, ValueType } from './binxml/values.js';
import { attrNumber, attrText, eachElement, eventIdOf, hasElements, isEmptyOptional, numberOf, textOf, valueItems } from './binxml/walk.js';

export interface RecordHead {
  recordId: number;
  /** Record header timestamp, ISO 7 digits; asked for only when System/TimeCreated is missing. */
  time: () => string;
}

/** The first element of a fragment (through a template instance), with the values it reads. */
export function rootElement(ctx: ChunkContext, nodes: XNode[], vals: Values): { el: XElement; vals: Values } | undefined {
  let found: { el: XElement; vals: Values } | undefined;
  eachElement(ctx, nodes, vals, 0, (el, v) => {
    found ??= { el, vals: v };
  });
  return found;
}

/**
 * SystemTime as the model wants it (7 fractional digits, Z). Windows stores a FILETIME, already in
 * that form; other writers store text (…16.983Z, …17.762951800Z). Undefined when it is not an
 * ISO UTC time, so the record header's time is kept.
 */
export function isoTime(t: string | undefined): string | undefined {
  if (t === undefined) return undefined;
  if (t.length === 28 && isIso7(t)) return t; // already the model's form (every Windows FILETIME)
  // By hand (a regex was 5% of decoding files whose times are text): YYYY-MM-DDTHH:MM:SS, then
  // optionally `.` and 1 to 9 digits, then optionally `Z`, and nothing else.
  const n = t.length;
  if (n < 19) return undefined;
  for (let i = 0; i < 19; i++) {
    const c = t.charCodeAt(i);
    const want = ISO7.charCodeAt(i);
    if (want === 100 /* d */ ? c < 48 || c > 57 : c !== want) return undefined;
  }
  let p = 19;
  let frac = '';
  if (p < n && t.charCodeAt(p) === 46 /* . */) {
    let q = p + 1;
    while (q < n && t.charCodeAt(q) >= 48 && t.charCodeAt(q) <= 57) q++;
    if (q - p - 1 < 1 || q - p - 1 > 9) return undefined;
    frac = t.slice(p + 1, q);
    p = q;
  }
  if (p < n && t.charCodeAt(p) === 90 /* Z */) p++;
  if (p !== n) return undefined;
  return `${t.slice(0, 19)}.${frac.padEnd(7, '0').slice(0, 7)}Z`;
}

const ISO7 = 'dddd-dd-ddTdd:dd:dd.dddddddZ';

/**
 * A FILETIME past year 9999 (damaged record header) has no 4-digit ISO form; the event then carries
 * the FILETIME epoch, Windows' rendering of "no time", so time sorting and the model's contract hold.
 */
const NO_TIME = '1601-01-01T00:00:00.0000000Z';

export function headerTime(head: { time: () => string }): string {
  return isoTime(head.time()) ?? NO_TIME;
}

/** `t` (28 characters) is YYYY-MM-DDTHH:MM:SS.fffffffZ with ASCII digits: what isoTime would rebuild unchanged. */
function isIso7(t: string): boolean {
  for (let i = 0; i < 28; i++) {
    const c = t.charCodeAt(i);
    const want = ISO7.charCodeAt(i);
    if (want === 100 /* d */ ? c < 48 || c > 57 : c !== want) return false;
  }
  return true;
}

/**
 * Builds the event. Returns null when the filter rejects it (EventData/UserData then never decoded).
 * Throws EvtxFormatError on structural damage (the caller counts it).
 */
export function toEvent(
  ctx: ChunkContext,
  nodes: XNode[],
  emptyVals: Values,
  head: RecordHead,
  source: Provenance,
  filter?: EventFilter,
  /** When given, EventData/UserData go here (reset first) and `data` stays empty: the JSONL writer reads them. */
  sink?: DataBuilder,
): NormalizedEvent | null {
  if (sink) sink.reset();
  const root = rootElement(ctx, nodes, emptyVals);
  const ev: NormalizedEvent = {
    time: '',
    provider: '',
    eventId: 0,
    recordId: head.recordId,
    channel: '',
    computer: '',
    data: {},
    source,
  };
  if (!root) {
    ev.time = headerTime(head);
    return ev;
  }
  const sections: { el: XElement; vals: Values }[] = [];
  // With a filter, System is read in two passes: what the filter asks (provider, id, channel), then
  // the rest only for a record it keeps (most of a Security log is dropped; its times, GUIDs and
  // SIDs were rendered for nothing). The passes set disjoint fields, so the result is the same.
  const systems: { el: XElement; vals: Values }[] = [];
  eachElement(ctx, root.el.children, root.vals, 1, (el, v) => {
    if (el.name !== 'System') sections.push({ el, vals: v });
    else if (filter) {
      readSystem(ctx, el, v, ev, Pass.Key);
      systems.push({ el, vals: v });
    } else readSystem(ctx, el, v, ev, Pass.All);
  });
  if (filter) {
    if (!filter.wants(ev.channel, ev.provider, ev.eventId)) return null;
    for (const s of systems) readSystem(ctx, s.el, s.vals, ev, Pass.Rest);
  }
  if (ev.time === '') ev.time = headerTime(head);
  const data = sink ?? new DataBuilder();
  for (const s of sections) {
    if (s.el.name === 'EventData') readEventData(ctx, s.el, s.vals, data);
    else if (s.el.name === 'UserData') readUserData(ctx, s.el, s.vals, data);
    else if (s.el.name === 'RenderingInfo') readMessage(ctx, s.el, s.vals, ev);
  }
  if (!sink) ev.data = data.toObject();
  return ev;
}

const enum Pass {
  All,
  /** Provider, EventID and Channel: what the push-down filter decides on. */
  Key,
  /** Every other field. */
  Rest,
}

function inPass(name: string, pass: Pass): boolean {
  if (pass === Pass.All) return true;
  const key = name === 'Provider' || name === 'EventID' || name === 'Channel';
  return pass === Pass.Key ? key : !key;
}

function readSystem(ctx: ChunkContext, sys: XElement, vals: Values, ev: NormalizedEvent, pass: Pass): void {
  // System children are plain elements in every template seen; anything else goes the general way.
  if (sys.children.every((c) => c.k === Kind.Element)) {
    for (const c of sys.children) if (inPass((c as XElement).name, pass)) systemField(ctx, c as XElement, vals, ev);
  } else
    eachElement(ctx, sys.children, vals, 2, (el, v) => {
      if (inPass(el.name, pass)) systemField(ctx, el, v, ev);
    });
}

function systemField(ctx: ChunkContext, el: XElement, v: Values, ev: NormalizedEvent): void {
  switch (el.name) {
    case 'Provider': {
      ev.provider = attrText(ctx, el, 'Name', v, 3) ?? '';
      const guid = attrText(ctx, el, 'Guid', v, 3);
      if (guid) ev.providerGuid = guid.toUpperCase();
      const esn = attrText(ctx, el, 'EventSourceName', v, 3);
      if (esn) ev.eventSourceName = esn;
      break;
    }
    case 'EventID': {
      ev.eventId = eventIdOf(numberOf(ctx, el.children, v, 3));
      const q = attrNumber(ctx, el, 'Qualifiers', v, 3);
      if (q !== undefined) ev.qualifiers = q;
      break;
    }
    case 'Version':
    case 'Level':
    case 'Task':
    case 'Opcode': {
      const n = numberOf(ctx, el.children, v, 3);
      if (n !== undefined) {
        if (el.name === 'Version') ev.version = n;
        else if (el.name === 'Level') ev.level = n;
        else if (el.name === 'Task') ev.task = n;
        else ev.opcode = n;
      }
      break;
    }
    case 'Keywords': {
      const k = textOf(ctx, el.children, v, 3);
      if (k) ev.keywords = k;
      break;
    }
    case 'TimeCreated': {
      const t = isoTime(attrText(ctx, el, 'SystemTime', v, 3));
      if (t) ev.time = t;
      break;
    }
    case 'EventRecordID': {
      const n = numberOf(ctx, el.children, v, 3);
      // A damaged record can substitute a signed value (absent to numberOf): the header's id stands.
      if (n !== undefined) ev.recordId = n;
      break;
    }
    case 'Correlation': {
      const a = attrText(ctx, el, 'ActivityID', v, 3);
      if (a) ev.activityId = a;
      const r = attrText(ctx, el, 'RelatedActivityID', v, 3);
      if (r) ev.relatedActivityId = r;
      break;
    }
    case 'Execution': {
      const p = attrNumber(ctx, el, 'ProcessID', v, 3);
      if (p !== undefined) ev.processId = p;
      const t = attrNumber(ctx, el, 'ThreadID', v, 3);
      if (t !== undefined) ev.threadId = t;
      break;
    }
    case 'Channel':
      ev.channel = textOf(ctx, el.children, v, 3);
      break;
    case 'Computer':
      ev.computer = textOf(ctx, el.children, v, 3);
      break;
    case 'Security': {
      const u = attrText(ctx, el, 'UserID', v, 3);
      if (u) ev.userId = u;
      break;
    }
  }
}

/** Forwarded events carry the rendered text: RenderingInfo/Message. */
function readMessage(ctx: ChunkContext, ri: XElement, vals: Values, ev: NormalizedEvent): void {
  eachElement(ctx, ri.children, vals, 2, (el, v) => {
    if (el.name === 'Message' && ev.message === undefined) ev.message = textOf(ctx, el.children, v, 3);
  });
}

/**
 * Collects data keys by the reference convention; a repeated key gets `#2`, `#3`… The puts are
 * kept as two parallel lists (cheap, reusable per chunk); toObject() applies the convention.
 */
export class DataBuilder {
  readonly keys: string[] = [];
  /** The value as text, or '' when it is still UTF-16 bytes (offs ≥ 0). */
  readonly vals: string[] = [];
  /** Byte offset of a UTF-16 string value in `buf`, or -1 when vals holds the text. */
  readonly offs: number[] = [];
  readonly sizes: number[] = [];
  buf: Buffer = EMPTY;
  put(key: string, value: string): void {
    this.keys.push(key);
    this.vals.push(value);
    this.offs.push(-1);
    this.sizes.push(0);
  }
  /** A UTF-16LE string value of `size` bytes at `off` (rendered like renderScalar: trailing NULs dropped). */
  putUtf16(key: string, buf: Buffer, off: number, size: number): void {
    this.buf = buf;
    this.keys.push(key);
    this.vals.push('');
    this.offs.push(off);
    this.sizes.push(size);
  }
  reset(): void {
    this.keys.length = 0;
    this.vals.length = 0;
    this.offs.length = 0;
    this.sizes.length = 0;
  }
  value(i: number): string {
    const off = this.offs[i]!;
    return off < 0 ? this.vals[i]! : renderScalar(this.buf, off, this.sizes[i]!, ValueType.String, NO_ANSI)!;
  }
  toObject(): Record<string, string> {
    const out: Record<string, string> = {};
    let seen: Map<string, number> | undefined;
    for (let i = 0; i < this.keys.length; i++) {
      const key = this.keys[i]!;
      const value = this.value(i);
      if (!Object.hasOwn(out, key)) {
        out[key] = value;
        continue;
      }
      // Repeated key (rare): count occurrences.
      seen ??= new Map();
      const n = (seen.get(key) ?? 1) + 1;
      seen.set(key, n);
      out[`${key}#${n}`] = value;
    }
    return out;
  }
}

const EMPTY = Buffer.alloc(0);
/** Unused for UTF-16 values; renderScalar wants a decoder. */
const NO_ANSI = ansiDecoder();

/**
 * The values an element contributes: one per array item when its only content is an array
 * substitution (Windows repeats the element), none when its only content is an empty optional
 * substitution (Windows leaves the element out), else its text.
 */
function elementValues(ctx: ChunkContext, el: XElement, vals: Values, depth: number): string[] {
  if (el.children.length === 1) {
    const c = el.children[0]!;
    if (c.k === Kind.Subst) {
      if (isEmptyOptional(c, vals)) return [];
      const items = valueItems(ctx, vals, c.index);
      // An empty array still leaves its element, with no text.
      if (items) return items.length ? items : [''];
    }
  }
  return [textOf(ctx, el.children, vals, depth)];
}

export function readEventData(ctx: ChunkContext, ed: XElement, vals: Values, data: DataBuilder): void {
  let unnamed = 0;
  const one = (el: XElement, v: Values): void => {
    if (el.name === 'Data') {
      const name = el.constName === undefined ? constNameOf(el) : el.constName;
      // A single UTF-16 string substitution (most Data) is kept as bytes: the JSONL writer reads them.
      // (Its rendering cannot fail, so reading the name first reports the same errors as before.)
      if (el.children.length === 1) {
        const c = el.children[0]!;
        if (c.k === Kind.Subst && c.index < v.types.length && v.types[c.index] === ValueType.String && !isEmptyOptional(c, v)) {
          const key = name !== null ? name : attrText(ctx, el, 'Name', v, 3);
          data.putUtf16(key !== undefined && key !== '' ? key : `Data[${unnamed++}]`, v.buf, v.offs[c.index]!, v.sizes[c.index]!);
          return;
        }
      }
      const values = elementValues(ctx, el, v, 3);
      const key = name !== null ? name : attrText(ctx, el, 'Name', v, 3);
      for (const value of values) data.put(key !== undefined && key !== '' ? key : `Data[${unnamed++}]`, value);
    } else for (const value of elementValues(ctx, el, v, 3)) data.put(el.name, value);
  };
  // Plain Data elements (the usual template) are walked directly; otherwise expand instances/embedded BinXML.
  if (ed.children.every((c) => c.k === Kind.Element)) for (const c of ed.children) one(c as XElement, vals);
  else eachElement(ctx, ed.children, vals, 2, one);
}

/** The element's first Name attribute when its value is one constant text node (cached on the element), else null. */
function constNameOf(el: XElement): string | null {
  let name: string | null = null;
  for (const a of el.attrs) {
    if (a.name === 'Name') {
      if (a.value.length === 1 && a.value[0]!.k === Kind.Text) name = a.value[0]!.text;
      break;
    }
  }
  el.constName = name;
  return name;
}

export function readUserData(ctx: ChunkContext, ud: XElement, vals: Values, data: DataBuilder): void {
  eachElement(ctx, ud.children, vals, 2, (wrapper, wv) => {
    // A wrapper without child elements is itself the value (e.g. <ServiceShutdown/>).
    if (!hasElements(ctx, wrapper.children, wv, 3)) leaf(ctx, wrapper, wv, '', data, 3);
    else eachElement(ctx, wrapper.children, wv, 3, (el, v) => leaf(ctx, el, v, '', data, 4));
  });
}

function leaf(ctx: ChunkContext, el: XElement, vals: Values, prefix: string, data: DataBuilder, depth: number): void {
  const key = prefix + el.name;
  if (hasElements(ctx, el.children, vals, depth)) {
    eachElement(ctx, el.children, vals, depth, (c, v) => leaf(ctx, c, v, key + '/', data, depth + 1));
  } else for (const value of elementValues(ctx, el, vals, depth)) data.put(key, value);
}
