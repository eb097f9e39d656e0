// A record template compiled once per chunk into a JSONL emitter. The generic path (toEvent, then
// the line writer) finds each System field by walking the element tree and comparing names for
// every record; here that walk happens once per template, and each record only reads its
// substitution values. Every value goes through the same helpers as toEvent (textOf, numberOf,
// attrPresent…), so the bytes are the generic path's by construction; the parity tests compare.
// Templates of unusual shape get no plan (null) and keep the generic path.
import type { Template, Values, XAttr, XElement, XNode, XSubst } from './binxml/ir.js';
import { readSingleInstance, type ChunkContext } from './binxml/parser.js';
import { Kind } from './binxml/tokens.js';
import { ValueType } from './binxml/values.js';
import { attrPresent, numberOf, textOf, valueText } from './binxml/walk.js';
import { DataBuilder, headerTime, isoTime, readEventData, readUserData } from './event.js';
import { fileTimeFits, JsonWriter } from './jsonWriter.js';
import { recordHeaderTime, RECORD_HEADER_SIZE, type RecordHeader } from './record.js';
import { dataJson, numOrNull, optNum, plainKeyList, type LineSource } from './jsonlLine.js';

const enum Field {
  Provider,
  EventId,
  Version,
  Level,
  Task,
  Opcode,
  Keywords,
  TimeCreated,
  EventRecordId,
  Correlation,
  Execution,
  Channel,
  Computer,
  Security,
}

const FIELDS: Record<string, Field> = {
  Provider: Field.Provider,
  EventID: Field.EventId,
  Version: Field.Version,
  Level: Field.Level,
  Task: Field.Task,
  Opcode: Field.Opcode,
  Keywords: Field.Keywords,
  TimeCreated: Field.TimeCreated,
  EventRecordID: Field.EventRecordId,
  Correlation: Field.Correlation,
  Execution: Field.Execution,
  Channel: Field.Channel,
  Computer: Field.Computer,
  Security: Field.Security,
};

/** One System child, with the attributes its field reads looked up once (toEvent's attrText finds the first of a name). */
interface SysOp {
  f: Field;
  el: XElement;
  a1: XAttr | undefined;
  a2: XAttr | undefined;
  a3: XAttr | undefined;
  /** The sources of a1..a3 (attributes) and of the element's content. */
  s1: Src;
  s2: Src;
  s3: Src;
  content: Src;
}

const enum SrcKind {
  /** No such attribute, or an empty optional value: attrText gives undefined. */
  Absent,
  Const,
  Subst,
  /** Anything else: textOf of the nodes. */
  Slow,
}

/** Where a System text comes from, decided once per template. */
interface Src {
  k: SrcKind;
  text: string;
  index: number;
  optional: boolean;
  nodes: XNode[];
}

function srcOf(nodes: XNode[] | undefined): Src {
  if (nodes === undefined) return { k: SrcKind.Absent, text: '', index: 0, optional: false, nodes: [] };
  const one = nodes.length === 1 ? nodes[0]! : undefined;
  if (nodes.length === 0) return { k: SrcKind.Const, text: '', index: 0, optional: false, nodes };
  if (one?.k === Kind.Text) return { k: SrcKind.Const, text: one.text, index: 0, optional: false, nodes };
  if (one?.k === Kind.Subst) return { k: SrcKind.Subst, text: '', index: one.index, optional: one.optional, nodes };
  return { k: SrcKind.Slow, text: '', index: 0, optional: false, nodes };
}

/** One EventData child: its key (null: unnamed, `Data[n]`) and its single substitution, if that is its only content. */
interface DataOp {
  key: string | null;
  /** `,"key":` as JSON bytes (written from index 1 for the first key); null for unnamed Data. */
  keyLit: Uint8Array | null;
  el: XElement;
  subst: XSubst | null;
}

export interface JsonPlan {
  sys: SysOp[];
  /**
   * Where data comes from, in order: a section element (EventData/UserData) of this template, or
   * the index of a substitution that may hold embedded BinXML (Windows puts EventData there).
   */
  parts: (Section | number)[];
}

/** A data section with its EventData compiled to direct writes (null: it goes through the DataBuilder). */
interface Section {
  el: XElement;
  data: DataOp[] | null;
}

declare module './binxml/ir.js' {
  interface Template {
    /** This template's JSONL plan as a record: undefined until compiled, null when it has none. */
    jsonPlan?: JsonPlan | null;
    /** As an embedded fragment holding one data section: undefined until compiled, null when not that. */
    sectionPlan?: Section | null;
  }
}

function firstAttr(el: XElement, name: string): XAttr | undefined {
  for (const a of el.attrs) if (a.name === name) return a;
  return undefined;
}

/** The plan for a template, compiled on first use. */
export function planOf(t: Template): JsonPlan | null {
  if (t.jsonPlan === undefined) t.jsonPlan = compile(t.nodes);
  return t.jsonPlan;
}

function compile(nodes: XNode[]): JsonPlan | null {
  // toEvent's root is the first element reached; here it must be a direct element of the template.
  let root: XElement | undefined;
  for (const n of nodes) {
    if (n.k === Kind.Element) {
      root = n;
      break;
    }
    if (n.k === Kind.Instance || n.k === Kind.Subst) return null;
  }
  if (!root) return null;
  let sys: SysOp[] | null = null;
  const parts: (Section | number)[] = [];
  // What eachElement visits: elements, instances, and substitutions that turn out to be BinXML.
  for (const s of root.children) {
    if (s.k === Kind.Subst) parts.push(s.index);
    else if (s.k === Kind.Instance) return null;
    else if (s.k !== Kind.Element) continue;
    else if (s.name === 'System') {
      if (sys !== null || !s.children.every((c) => c.k === Kind.Element)) return null;
      sys = [];
      for (const c of s.children) {
        const f = FIELDS[(c as XElement).name];
        if (f !== undefined) sys.push(sysOp(f, c as XElement));
      }
    } else if (s.name === 'EventData' || s.name === 'UserData') parts.push(section(s));
    else if (s.name === 'RenderingInfo') return null;
  }
  return { sys: sys ?? [], parts };
}

function section(el: XElement): Section {
  return { el, data: el.name === 'EventData' ? compileEventData(el) : null };
}

/** The section plan of a template used as embedded BinXML: exactly one element. */
function sectionPlanOf(t: Template): Section | null {
  if (t.sectionPlan === undefined) {
    const only = t.nodes.length === 1 && t.nodes[0]!.k === Kind.Element ? t.nodes[0]! : undefined;
    t.sectionPlan = only ? section(only) : null;
  }
  return t.sectionPlan;
}

/** The attributes each System field reads (systemField of event.ts). */
const ATTRS: Partial<Record<Field, string[]>> = {
  [Field.Provider]: ['Name', 'Guid', 'EventSourceName'],
  [Field.EventId]: ['Qualifiers'],
  [Field.TimeCreated]: ['SystemTime'],
  [Field.Correlation]: ['ActivityID', 'RelatedActivityID'],
  [Field.Execution]: ['ProcessID', 'ThreadID'],
  [Field.Security]: ['UserID'],
};
const NONE: string[] = [];

function sysOp(f: Field, el: XElement): SysOp {
  const n = ATTRS[f] ?? NONE;
  const a1 = n[0] ? firstAttr(el, n[0]) : undefined;
  const a2 = n[1] ? firstAttr(el, n[1]) : undefined;
  const a3 = n[2] ? firstAttr(el, n[2]) : undefined;
  return { f, el, a1, a2, a3, s1: srcOf(a1?.value), s2: srcOf(a2?.value), s3: srcOf(a3?.value), content: srcOf(el.children) };
}

const scratch = new JsonWriter();

function keyBytes(key: string): Uint8Array {
  scratch.raw(',');
  scratch.str(key);
  scratch.raw(':');
  return scratch.takeBytes();
}

/** EventData of plain elements with constant, distinct, plain keys; else null (DataBuilder path). */
function compileEventData(ed: XElement): DataOp[] | null {
  const ops: DataOp[] = [];
  const named: string[] = [];
  for (const c of ed.children) {
    if (c.k !== Kind.Element) return null;
    let key: string | null;
    if (c.name === 'Data') {
      const a = firstAttr(c, 'Name');
      if (!a || a.value.length === 0) key = null;
      else if (a.value.length === 1 && a.value[0]!.k === Kind.Text) key = a.value[0]!.text || null;
      else return null; // a name from a substitution: known only per record
      // A named key that could meet an unnamed one (`Data[0]`) needs the repeat rule.
      if (key !== null && key.startsWith('Data[')) return null;
    } else key = c.name;
    if (key !== null) named.push(key);
    const only = c.children.length === 1 ? c.children[0]! : undefined;
    ops.push({ key, keyLit: key === null ? null : keyBytes(key), el: c, subst: only && only.k === Kind.Subst ? only : null });
  }
  return plainKeyList(named) ? ops : null;
}

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

/** Whether JsonWriter.scalar writes this value (mirrors its checks). */
function scalarFits(b: Buffer, off: number, size: number, type: number): boolean {
  switch (type) {
    case ValueType.UInt8:
      return size >= 1;
    case ValueType.UInt16:
      return size >= 2;
    case ValueType.UInt32:
    case ValueType.Bool:
    case ValueType.HexInt32:
      return size >= 4;
    case ValueType.HexInt64:
      return size >= 8;
    case ValueType.SizeT:
      return size === 4 || size === 8;
    case ValueType.Guid:
      return size >= 16;
    case ValueType.Sid: {
      if (size < 8) return false;
      const n = b[off + 1]!;
      return n <= 15 && 8 + n * 4 <= size;
    }
    default:
      return false;
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
      ev.eventId = numberOf(ctx, el.children, v, 3) ?? 0;
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
      if (n !== undefined && n >= 0) ev.recordId = n;
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
  w.raw(src.offset!.toString(16));
  w.raw('","offset":');
  w.num(src.offset!);
  w.raw(',"chunk":');
  w.uint(src.chunk!);
  w.raw(',"fidelity":"full"}}\n');
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
        if (type & ValueType.ArrayFlag) return false;
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
const secs: Section[] = [];
const secVals: Values[] = [];

/**
 * The record's data sections into secs/secVals (as toEvent's eachElement finds them); false when
 * the record has a shape the plan does not cover (the generic path then takes it).
 */
function findSections(ctx: ChunkContext, plan: JsonPlan, v: Values): boolean {
  secs.length = 0;
  secVals.length = 0;
  let embedded = 0;
  for (const part of plan.parts) {
    if (typeof part !== 'number') {
      secs.push(part);
      secVals.push(v);
      continue;
    }
    if (part >= v.types.length || v.types[part] !== ValueType.BinXml) continue;
    const off = v.offs[part]!;
    if (embedded === embeddedVals.length) embeddedVals.push({ buf: v.buf, types: [], offs: [], sizes: [] });
    const ev = embeddedVals[embedded++]!;
    const t = readSingleInstance(ctx, off, Math.min(off + v.sizes[part]!, ctx.end), ev);
    if (t === null) return false;
    const sp = sectionPlanOf(t);
    if (sp === null || sp.el.name === 'RenderingInfo' || sp.el.name === 'System') return false;
    if (sp.el.name !== 'EventData' && sp.el.name !== 'UserData') continue;
    secs.push(sp);
    secVals.push(ev);
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
    if (ev.time === '') ev.time = headerTime({ time: () => recordHeaderTime(ctx.buf, rec) });
    head(w, ev, v);
    const dataAt = w.pos;
    const one = secs.length === 1 ? secs[0]!.data : null;
    if (one === null || !writeData(ctx, one, secVals[0]!, w)) {
      w.pos = dataAt;
      builder.reset();
      for (let i = 0; i < secs.length; i++) {
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
