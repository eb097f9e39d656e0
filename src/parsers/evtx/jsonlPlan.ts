// A record template compiled once per chunk into a JSONL plan (jsonlRecord.ts writes records from
// it). The generic path (toEvent, then the line writer) finds each System field by walking the
// element tree and comparing names for every record; here that walk happens once per template.
// Templates of unusual shape get no plan (null) and keep the generic path.
import type { Template, XAttr, XElement, XNode, XSubst } from './binxml/ir.js';
import { Kind } from './binxml/tokens.js';
import { jsonPiece } from './jsonWriter.js';
import { plainKeyList } from './jsonlLine.js';

export const enum Field {
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
export interface SysOp {
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

export const enum SrcKind {
  /** No such attribute, or an empty optional value: attrText gives undefined. */
  Absent,
  Const,
  Subst,
  /** Anything else: textOf of the nodes. */
  Slow,
}

/** Where a System text comes from, decided once per template. */
export interface Src {
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
export interface DataOp {
  key: string | null;
  /** `,"key":` as JSON bytes (written from index 1 for the first key); null for unnamed Data. */
  keyLit: Uint8Array | null;
  el: XElement;
  subst: XSubst | null;
  /** A UserData leaf: an embedded BinXML value would give it child elements (nested keys), so the record goes the general way. */
  leaf: boolean;
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
export interface Section {
  el: XElement;
  data: DataOp[] | null;
  /**
   * `<UserData>%n</UserData>`, as Windows writes most UserData: the substitution whose embedded
   * BinXML holds the wrapper element (its template's plan: userDataPlanOf); else -1.
   */
  inner: number;
}

declare module './binxml/ir.js' {
  interface Template {
    /** This template's JSONL plan as a record: undefined until compiled, null when it has none. */
    jsonPlan?: JsonPlan | null;
    /** As an embedded fragment holding one data section: undefined until compiled, null when not that. */
    sectionPlan?: Section | null;
    /** As the embedded content of `<UserData>%n</UserData>`: undefined until compiled, null when not plain. */
    userDataPlan?: DataOp[] | null;
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
  if (el.name === 'EventData') return { el, data: compileEventData(el), inner: -1 };
  const only = el.children.length === 1 ? el.children[0]! : undefined;
  if (only && only.k === Kind.Subst) return { el, data: null, inner: only.index };
  return { el, data: compileUserData(el.children), inner: -1 };
}

/** The plan of a template embedded as `<UserData>%n</UserData>` content, compiled on first use. */
export function userDataPlanOf(t: Template): DataOp[] | null {
  if (t.userDataPlan === undefined) t.userDataPlan = compileUserData(t.nodes);
  return t.userDataPlan;
}

/** The section plan of a template used as embedded BinXML: exactly one element. */
export function sectionPlanOf(t: Template): Section | null {
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

/** `,"key":` as JSON bytes. */
function keyBytes(key: string): Uint8Array {
  return jsonPiece((w) => {
    w.raw(',');
    w.str(key);
    w.raw(':');
  });
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
    ops.push({ key, keyLit: key === null ? null : keyBytes(key), el: c, subst: only && only.k === Kind.Subst ? only : null, leaf: false });
  }
  return plainKeyList(named) ? ops : null;
}

/**
 * UserData content as readUserData walks it, when the template fixes its shape: wrapper elements
 * whose children are leaf elements, or that are leaves themselves (`<ServiceShutdown/>`); a leaf
 * holds one substitution or constant text, and its name is the key. Anything that could grow
 * elements per record (instances, substitutions beside elements, deeper nesting) or repeat a key:
 * null, and the DataBuilder takes it.
 */
function compileUserData(nodes: XNode[]): DataOp[] | null {
  const ops: DataOp[] = [];
  const named: string[] = [];
  const leaf = (el: XElement): boolean => {
    const only = el.children.length === 1 ? el.children[0]! : undefined;
    const subst = only && only.k === Kind.Subst ? only : null;
    if (subst === null && !el.children.every((c) => c.k === Kind.Text)) return false;
    named.push(el.name);
    ops.push({ key: el.name, keyLit: keyBytes(el.name), el, subst, leaf: true });
    return true;
  };
  for (const w of nodes) {
    if (w.k === Kind.Instance || w.k === Kind.Subst) return null;
    if (w.k !== Kind.Element) continue;
    if (!w.children.some((c) => c.k === Kind.Element)) {
      if (!leaf(w)) return null;
      continue;
    }
    for (const c of w.children) {
      if (c.k === Kind.Element) {
        if (!leaf(c)) return null;
      } else if (c.k === Kind.Instance || c.k === Kind.Subst) return null;
    }
  }
  return plainKeyList(named) ? ops : null;
}
