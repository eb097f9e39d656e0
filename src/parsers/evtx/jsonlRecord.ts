// One live evtx record written as a JSON line from its template's plan (jsonlPlan.ts), straight
// from its bytes: System fields are read from their substitutions, and values whose rendering is
// simple (UTF-16 strings, integers, hex, GUIDs, SIDs, FILETIMEs) are written without a string in
// between (JsonWriter.scalar mirrors renderScalar). Anything else goes through toEvent's own
// helpers (textOf, numberOf, attrPresent…). jsonlPlan.test compares the bytes with the generic
// path on every corpus file, and the fuzzer on mutated ones.
import type { Values, XAttr } from './binxml/ir.js';
import { readSingleInstance, type ChunkContext } from './binxml/parser.js';
import { ValueType } from './binxml/values.js';
import { attrPresent, eventIdOf, numberOf, textOf, valueText } from './binxml/walk.js';
import { DataBuilder, headerTime, isoTime, readEventData, readUserData } from './event.js';
import { fileTimeFits, scalarFits, type JsonWriter } from './jsonWriter.js';
import { dataJson, numOrNull, optNum, type LineSource } from './jsonlLine.js';
import { Field, planOf, sectionPlanOf, SrcKind, userDataPlanOf, type DataOp, type JsonPlan, type Section, type Src, type SysOp } from './jsonlPlan.js';
import { recordHeaderTime, RECORD_HEADER_SIZE, type RecordHeader } from './record.js';

/** Text fields kept as a value reference until written (no string is made for them). */
const enum Slot {
  Provider,
  ProviderGuid,
  EventSourceName,
  Keywords,
  ActivityId,
  RelatedActivityId,
  Channel,
  Computer,
  UserId,
}
const SLOTS = 9;

/** evalText results besides a value index (≥ 0): */
const ABSENT = -2;
const TEXT = -1;
/** The text of the last evalText that returned TEXT. */
let txt = '';

/**
 * attrText / textOf of a source, as a value index when the value can be written straight from its
 * bytes (a UTF-16 string, or a type JsonWriter.scalar renders), else TEXT with the text in `txt`,
 * or ABSENT (attributes only: attrText would give undefined).
 */
function evalText(ctx: ChunkContext, src: Src, v: Values, attr: boolean): number {
  switch (src.k) {
    case SrcKind.Absent:
      return ABSENT;
    case SrcKind.Const:
      txt = src.text;
      return TEXT;
    case SrcKind.Subst: {
      const i = src.index;
      if (i < v.types.length) {
        const t = v.types[i]!;
        if (attr && src.optional && (t === ValueType.Null || v.sizes[i] === 0)) return ABSENT;
        if (t === ValueType.String || scalarFits(v.buf, v.offs[i]!, v.sizes[i]!, t)) return i;
      } else if (attr && src.optional) return ABSENT;
      txt = textOf(ctx, src.nodes, v, 3);
      return TEXT;
    }
    default:
      txt = textOf(ctx, src.nodes, v, 3);
      return TEXT;
  }
}

/** A value reference's rendering is non-empty: a UTF-16 string with text before its NULs, or any scalar. */
function refNonEmpty(v: Values, i: number): boolean {
  if (v.types[i] !== ValueType.String) return true;
  const b = v.buf;
  const off = v.offs[i]!;
  for (let e = off + (v.sizes[i]! & ~1); e > off; e -= 2) if (b[e - 1] !== 0 || b[e - 2] !== 0) return true;
  return false;
}

/** The System fields of a record, as toEvent fills them; text fields as slots. Reused: reset per record. */
class Fields {
  recordId = 0;
  time = '';
  /** The FILETIME value index of the time (written from its bytes), or -1: `time` holds it. */
  timeRef = -1;
  eventId = 0;
  level: number | undefined = undefined;
  qualifiers: number | undefined = undefined;
  version: number | undefined = undefined;
  task: number | undefined = undefined;
  opcode: number | undefined = undefined;
  processId: number | undefined = undefined;
  threadId: number | undefined = undefined;
  /** Per slot: a value index (≥ 0), or -1 with the text in strs (undefined: absent). */
  readonly refs: number[] = new Array<number>(SLOTS).fill(-1);
  readonly strs: (string | undefined)[] = new Array<string | undefined>(SLOTS).fill(undefined);
  reset(recordId: number): void {
    this.recordId = recordId;
    this.time = '';
    this.timeRef = -1;
    this.eventId = 0;
    this.level = undefined;
    this.qualifiers = undefined;
    this.version = undefined;
    this.task = undefined;
    this.opcode = undefined;
    this.processId = undefined;
    this.threadId = undefined;
    for (let i = 0; i < SLOTS; i++) {
      this.refs[i] = -1;
      this.strs[i] = undefined;
    }
    this.strs[Slot.Provider] = '';
    this.strs[Slot.Channel] = '';
    this.strs[Slot.Computer] = '';
  }
  /** `slot = text` (toEvent's unconditional fields). */
  set(slot: Slot, code: number): void {
    if (code >= 0) this.refs[slot] = code;
    else {
      this.refs[slot] = -1;
      this.strs[slot] = code === TEXT ? txt : '';
    }
  }
  /** `if (text) slot = text`. */
  setIf(slot: Slot, code: number, v: Values): void {
    if (code >= 0 ? refNonEmpty(v, code) : code === TEXT && txt !== '') this.set(slot, code);
  }
  has(slot: Slot): boolean {
    return this.refs[slot]! >= 0 || this.strs[slot] !== undefined;
  }
}

/** attrNumber with the attribute already found. */
function aNum(ctx: ChunkContext, a: XAttr | undefined, v: Values): number | undefined {
  return a !== undefined && attrPresent(a, v) ? numberOf(ctx, a.value, v, 3) : undefined;
}

/** toEvent's systemField, with the element's name and attributes resolved at compile time. */
function readField(ctx: ChunkContext, op: SysOp, v: Values, ev: Fields): void {
  const el = op.el;
  switch (op.f) {
    case Field.Provider: {
      ev.set(Slot.Provider, evalText(ctx, op.s1, v, true));
      let g = evalText(ctx, op.s2, v, true);
      // The GUID is upper-cased: only a GUID value is already; anything else becomes text first.
      if (g >= 0 && v.types[g] !== ValueType.Guid) {
        txt = valueText(ctx, v, g, 3) ?? '';
        g = TEXT;
      }
      if (g === TEXT) txt = txt.toUpperCase();
      ev.setIf(Slot.ProviderGuid, g, v);
      ev.setIf(Slot.EventSourceName, evalText(ctx, op.s3, v, true), v);
      return;
    }
    case Field.EventId: {
      ev.eventId = eventIdOf(numberOf(ctx, el.children, v, 3));
      const q = aNum(ctx, op.a1, v);
      if (q !== undefined) ev.qualifiers = q;
      return;
    }
    case Field.Version:
    case Field.Level:
    case Field.Task:
    case Field.Opcode: {
      const n = numberOf(ctx, el.children, v, 3);
      if (n === undefined) return;
      if (op.f === Field.Version) ev.version = n;
      else if (op.f === Field.Level) ev.level = n;
      else if (op.f === Field.Task) ev.task = n;
      else ev.opcode = n;
      return;
    }
    case Field.Keywords:
      ev.setIf(Slot.Keywords, evalText(ctx, op.content, v, false), v);
      return;
    case Field.TimeCreated: {
      const s1 = op.s1;
      if (s1.k === SrcKind.Subst && s1.index < v.types.length) {
        const i = s1.index;
        // Windows' form: a FILETIME, written from its bytes (what isoTime(renderFileTime) gives).
        if (v.types[i] === ValueType.FileTime && v.sizes[i]! >= 8 && fileTimeFits(v.buf, v.offs[i]!)) {
          ev.timeRef = i;
          ev.time = 'set';
          return;
        }
      }
      const a = op.a1 !== undefined && attrPresent(op.a1, v) ? textOf(ctx, op.a1.value, v, 3) : undefined;
      const t = isoTime(a);
      if (t) {
        ev.time = t;
        ev.timeRef = -1;
      }
      return;
    }
    case Field.EventRecordId: {
      const n = numberOf(ctx, el.children, v, 3);
      if (n !== undefined) ev.recordId = n;
      return;
    }
    case Field.Correlation:
      ev.setIf(Slot.ActivityId, evalText(ctx, op.s1, v, true), v);
      ev.setIf(Slot.RelatedActivityId, evalText(ctx, op.s2, v, true), v);
      return;
    case Field.Execution: {
      const p = aNum(ctx, op.a1, v);
      if (p !== undefined) ev.processId = p;
      const t = aNum(ctx, op.a2, v);
      if (t !== undefined) ev.threadId = t;
      return;
    }
    case Field.Channel:
      ev.set(Slot.Channel, evalText(ctx, op.content, v, false));
      return;
    case Field.Computer:
      ev.set(Slot.Computer, evalText(ctx, op.content, v, false));
      return;
    case Field.Security:
      ev.setIf(Slot.UserId, evalText(ctx, op.s1, v, true), v);
      return;
  }
}

/** A text slot as a JSON string. */
function writeSlot(w: JsonWriter, ev: Fields, slot: Slot, v: Values): void {
  const i = ev.refs[slot]!;
  if (i < 0) w.str(ev.strs[slot]!);
  else if (v.types[i] === ValueType.String) w.utf16(v.buf, v.offs[i]!, v.sizes[i]!);
  else w.scalar(v.buf, v.offs[i]!, v.sizes[i]!, v.types[i]!);
}

/** An optional text field: `,"key":"…"` when present. */
function textField(w: JsonWriter, key: string, ev: Fields, slot: Slot, v: Values): void {
  if (!ev.has(slot)) return;
  w.raw(key);
  writeSlot(w, ev, slot, v);
}

/** The provider name is not empty (what decodeChunk requires of a carved record). */
function providerPresent(ev: Fields, v: Values): boolean {
  const i = ev.refs[Slot.Provider]!;
  return i >= 0 ? refNonEmpty(v, i) : ev.strs[Slot.Provider] !== '';
}

/** lineHead of jsonlLine.ts (same keys, same order), from the slots. */
function head(w: JsonWriter, ev: Fields, v: Values): void {
  w.raw('{"record":');
  w.num(ev.recordId);
  w.raw(',"time":');
  if (ev.timeRef >= 0) w.fileTime(v.buf, v.offs[ev.timeRef]!);
  else w.str(ev.time);
  w.raw(',"provider":');
  writeSlot(w, ev, Slot.Provider, v);
  w.raw(',"eventId":');
  w.num(ev.eventId);
  w.raw(',"level":');
  numOrNull(w, ev.level);
  w.raw(',"channel":');
  writeSlot(w, ev, Slot.Channel, v);
  w.raw(',"computer":');
  writeSlot(w, ev, Slot.Computer, v);
  w.raw(',"activityId":');
  if (ev.has(Slot.ActivityId)) writeSlot(w, ev, Slot.ActivityId, v);
  else w.raw('null');
  w.raw(',"data":');
}

/** lineTail of jsonlLine.ts, from the slots (no message: a plan never has RenderingInfo). */
function tail(w: JsonWriter, ev: Fields, v: Values, src: LineSource): void {
  textField(w, ',"providerGuid":', ev, Slot.ProviderGuid, v);
  textField(w, ',"eventSourceName":', ev, Slot.EventSourceName, v);
  optNum(w, ',"qualifiers":', ev.qualifiers);
  optNum(w, ',"version":', ev.version);
  optNum(w, ',"task":', ev.task);
  optNum(w, ',"opcode":', ev.opcode);
  textField(w, ',"keywords":', ev, Slot.Keywords, v);
  textField(w, ',"relatedActivityId":', ev, Slot.RelatedActivityId, v);
  optNum(w, ',"processId":', ev.processId);
  optNum(w, ',"threadId":', ev.threadId);
  textField(w, ',"userId":', ev, Slot.UserId, v);
  w.lit(src.fileLit!);
  w.uint(src.chunk!);
  w.raw(' record ');
  w.num(ev.recordId);
  w.raw(' @0x');
  w.hex(src.offset!);
  w.raw('","offset":');
  w.num(src.offset!);
  w.raw(',"chunk":');
  w.uint(src.chunk!);
  w.raw(src.recovered === true ? ',"fidelity":"full","recovered":true}}\n' : ',"fidelity":"full"}}\n');
}

/**
 * Writes the compiled EventData. False when a record needs the generic rules after all (an array
 * value repeats its key); the caller then rewinds and uses the DataBuilder.
 */
function writeData(ctx: ChunkContext, ops: DataOp[], v: Values, w: JsonWriter): boolean {
  const types = v.types;
  let unnamed = 0;
  let first = true;
  w.raw('{');
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    const s = op.subst;
    let type = -1;
    if (s !== null) {
      const idx = s.index;
      if (idx < types.length) {
        type = types[idx]!;
        // An empty optional value leaves the element out (isEmptyOptional).
        if (s.optional && (type === ValueType.Null || v.sizes[idx] === 0)) continue;
        if (type & ValueType.ArrayFlag || (type === ValueType.BinXml && op.leaf)) return false;
      } else if (s.optional) continue;
    }
    if (op.keyLit !== null) w.lit(op.keyLit, first ? 1 : 0);
    else {
      w.raw(first ? '"Data[' : ',"Data[');
      w.uint(unnamed++);
      w.raw(']":');
    }
    first = false;
    if (type === ValueType.String) w.utf16(v.buf, v.offs[s!.index]!, v.sizes[s!.index]!);
    else if (type >= 0 && type !== ValueType.BinXml) {
      const i = s!.index;
      if (!w.scalar(v.buf, v.offs[i]!, v.sizes[i]!, type)) w.str(valueText(ctx, v, i, 3) ?? '');
    } else w.str(textOf(ctx, op.el.children, v, 3));
  }
  w.raw('}');
  return true;
}

/** Per-thread scratch: the record's fields, values and data sections, and the fallback's DataBuilder. */
const fields = new Fields();
const builder = new DataBuilder();
const recordVals: Values = { buf: Buffer.alloc(0), types: [], offs: [], sizes: [] };
/** Values of embedded sections, one per section of a record (reused). */
const embeddedVals: Values[] = [];
// Kept with a count, not emptied: setting an array's length to 0 drops its backing store, and
// every record would allocate a new one.
const secs: Section[] = [];
const secVals: Values[] = [];
/** Per section, its compiled data and the values they read (an embedded UserData's own); null: the DataBuilder. */
const secOps: (DataOp[] | null)[] = [];
const secOpVals: Values[] = [];
let nSecs = 0;

function addSection(sp: Section, v: Values, ops: DataOp[] | null = sp.data, opVals: Values = v): void {
  if (nSecs === secs.length) {
    secs.push(sp);
    secVals.push(v);
    secOps.push(ops);
    secOpVals.push(opVals);
  } else {
    secs[nSecs] = sp;
    secVals[nSecs] = v;
    secOps[nSecs] = ops;
    secOpVals[nSecs] = opVals;
  }
  nSecs++;
}

/** A pooled Values for an embedded fragment (one per fragment of a record). */
function embeddedSlot(k: number, v: Values): Values {
  if (k === embeddedVals.length) embeddedVals.push({ buf: v.buf, types: [], offs: [], sizes: [] });
  return embeddedVals[k]!;
}

/**
 * The record's data sections into secs/secVals (as toEvent's eachElement finds them); false when
 * the record has a shape the plan does not cover (the generic path then takes it).
 */
function findSections(ctx: ChunkContext, plan: JsonPlan, v: Values): boolean {
  nSecs = 0;
  let embedded = 0;
  for (const part of plan.parts) {
    if (typeof part !== 'number') {
      const i = part.inner;
      if (i < 0 || i >= v.types.length || v.types[i] !== ValueType.BinXml) {
        addSection(part, v);
        continue;
      }
      // <UserData>%n</UserData>: the wrapper is in the embedded fragment, with its own values.
      const ev = embeddedSlot(embedded++, v);
      const off = v.offs[i]!;
      const t = readSingleInstance(ctx, off, Math.min(off + v.sizes[i]!, ctx.end), ev);
      if (t === null) return false;
      addSection(part, v, userDataPlanOf(t), ev);
      continue;
    }
    if (part >= v.types.length || v.types[part] !== ValueType.BinXml) continue;
    const off = v.offs[part]!;
    const ev = embeddedSlot(embedded++, v);
    const t = readSingleInstance(ctx, off, Math.min(off + v.sizes[part]!, ctx.end), ev);
    if (t === null) return false;
    const sp = sectionPlanOf(t);
    if (sp === null || sp.el.name === 'RenderingInfo' || sp.el.name === 'System') return false;
    if (sp.el.name !== 'EventData' && sp.el.name !== 'UserData') continue;
    addSection(sp, ev);
  }
  return true;
}

/**
 * Writes one live record as a JSON line, straight from its bytes. False, with nothing written, when
 * it must take the generic path: another shape, no plan for its template, or damage (the generic
 * path then reports the error as it always has).
 */
export function writeRecord(w: JsonWriter, ctx: ChunkContext, rec: RecordHeader, src: LineSource): boolean {
  const start = w.pos;
  try {
    const v = recordVals;
    const t = readSingleInstance(ctx, rec.offset + RECORD_HEADER_SIZE, rec.offset + rec.size - 4, v);
    if (t === null) return false;
    const plan = planOf(t);
    if (plan === null || !findSections(ctx, plan, v)) return false;
    const ev = fields;
    ev.reset(rec.recordId);
    for (const op of plan.sys) readField(ctx, op, v, ev);
    // A carved record without a provider is dropped (decodeChunk): the generic path decides.
    if (src.recovered === true && !providerPresent(ev, v)) return false;
    if (ev.time === '') ev.time = headerTime({ time: () => recordHeaderTime(ctx.buf, rec) });
    head(w, ev, v);
    const dataAt = w.pos;
    const one = nSecs === 1 ? secOps[0]! : null;
    if (one === null || !writeData(ctx, one, secOpVals[0]!, w)) {
      w.pos = dataAt;
      builder.reset();
      for (let i = 0; i < nSecs; i++) {
        const el = secs[i]!.el;
        if (el.name === 'EventData') readEventData(ctx, el, secVals[i]!, builder);
        else readUserData(ctx, el, secVals[i]!, builder);
      }
      dataJson(w, builder);
    }
    tail(w, ev, v, src);
    return true;
  } catch {
    w.pos = start;
    return false;
  }
}
