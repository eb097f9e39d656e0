// BinXML serialisation: templates (element trees with substitution slots), names and template
// instances, written the way Windows writes them into a chunk: a name or template definition is
// inline the first time the chunk uses it and referenced by chunk offset afterwards.
import { Sink } from './sink.js';
import type { Encoded } from './values.js';
import { VT } from './values.js';

export const TOKEN = {
  eof: 0x00,
  openStart: 0x01,
  closeStart: 0x02,
  closeEmpty: 0x03,
  end: 0x04,
  value: 0x05,
  attribute: 0x06,
  templateInstance: 0x0c,
  normalSub: 0x0d,
  optionalSub: 0x0e,
  fragmentHeader: 0x0f,
  /** Flag on open-start (has attributes) and attribute (another attribute follows). */
  more: 0x40,
} as const;

/** Element without a dependency on a substitution. */
export const NO_DEP = 0xffff;

export interface TText {
  k: 'text';
  value: string;
}
export interface TSub {
  k: 'sub';
  index: number;
  /** Declared value type; the instance may carry NULL instead. */
  type: number;
  optional: boolean;
}
export interface TElement {
  k: 'el';
  name: string;
  /** Substitution index this element depends on (omitted when that value is NULL), or NO_DEP. */
  dep: number;
  attrs: Array<{ name: string; value: TText | TSub }>;
  children: Array<TElement | TText | TSub>;
}

export interface Template {
  /** 16 bytes; its first 4 bytes (LE) are the template id in every instance. */
  guid: Buffer;
  root: TElement;
}

export const NAME_BUCKETS = 64;
export const TEMPLATE_BUCKETS = 32;

/** Per-chunk name and template tables, with a journal so a record that does not fit can be undone. */
export class ChunkTables {
  names = new Map<string, number>();
  nameHeads: number[] = new Array<number>(NAME_BUCKETS).fill(0);
  templates = new Map<string, number>();
  templateHeads: number[] = new Array<number>(TEMPLATE_BUCKETS).fill(0);
  private journal?: { names: string[]; templates: string[]; nameHeads: number[]; templateHeads: number[] };

  /** Starts recording additions (one record's worth). */
  begin(): void {
    this.journal = { names: [], templates: [], nameHeads: [...this.nameHeads], templateHeads: [...this.templateHeads] };
  }

  addName(name: string, at: number, bucket: number): void {
    this.names.set(name, at);
    this.nameHeads[bucket] = at;
    this.journal?.names.push(name);
  }

  addTemplate(key: string, at: number, bucket: number): void {
    this.templates.set(key, at);
    this.templateHeads[bucket] = at;
    this.journal?.templates.push(key);
  }

  /** Forgets everything added since begin(). */
  rollback(): void {
    const j = this.journal;
    if (!j) return;
    for (const n of j.names) this.names.delete(n);
    for (const t of j.templates) this.templates.delete(t);
    this.nameHeads = j.nameHeads;
    this.templateHeads = j.templateHeads;
    this.journal = undefined;
  }
}

/** The name hash EVTX stores (and buckets by): h = h * 65599 + c over UTF-16 code units, low 16 bits. */
export function nameHash(name: string): number {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (Math.imul(h, 65599) + name.charCodeAt(i)) >>> 0;
  return h & 0xffff;
}

function writeName(s: Sink, t: ChunkTables, name: string): void {
  const known = t.names.get(name);
  if (known !== undefined) {
    s.u32(known);
    return;
  }
  const at = s.abs() + 4;
  s.u32(at);
  const hash = nameHash(name);
  const bucket = hash % NAME_BUCKETS;
  // A new name goes to the head of its bucket's chain, pointing at the previous head.
  s.u32(t.nameHeads[bucket]!);
  s.u16(hash);
  s.u16(name.length);
  s.bytes(Buffer.from(name, 'utf16le'));
  s.u16(0);
  t.addName(name, at, bucket);
}

function writeText(s: Sink, v: string): void {
  if (v.length > 0xffff) throw new Error(`text too long for a BinXML value (${v.length} characters)`);
  s.u8(TOKEN.value);
  s.u8(VT.string);
  s.u16(v.length);
  s.bytes(Buffer.from(v, 'utf16le'));
}

function writeSub(s: Sink, sub: TSub): void {
  s.u8(sub.optional ? TOKEN.optionalSub : TOKEN.normalSub);
  s.u16(sub.index);
  s.u8(sub.type);
}

function writeElement(s: Sink, t: ChunkTables, el: TElement): void {
  s.u8(el.attrs.length ? TOKEN.openStart | TOKEN.more : TOKEN.openStart);
  s.u16(el.dep);
  const sizeAt = s.length;
  s.u32(0);
  writeName(s, t, el.name);
  if (el.attrs.length) {
    const listAt = s.length;
    s.u32(0);
    el.attrs.forEach((a, i) => {
      s.u8(i < el.attrs.length - 1 ? TOKEN.attribute | TOKEN.more : TOKEN.attribute);
      writeName(s, t, a.name);
      if (a.value.k === 'text') writeText(s, a.value.value);
      else writeSub(s, a.value);
    });
    s.patchU32(listAt, s.length - listAt - 4);
  }
  if (el.children.length === 0) {
    s.u8(TOKEN.closeEmpty);
  } else {
    s.u8(TOKEN.closeStart);
    for (const c of el.children) {
      if (c.k === 'el') writeElement(s, t, c);
      else if (c.k === 'text') writeText(s, c.value);
      else writeSub(s, c);
    }
    s.u8(TOKEN.end);
  }
  s.patchU32(sizeAt, s.length - sizeAt - 4);
}

export function writeFragmentHeader(s: Sink): void {
  s.u8(TOKEN.fragmentHeader);
  s.u8(1); // major
  s.u8(1); // minor
  s.u8(0); // flags
}

/** A substitution value: already encoded, or nested BinXML written in place (its offsets depend on where it lands). */
export type InstanceValue = Encoded | { type: typeof VT.binxml; write: (s: Sink) => void };

/** TemplateInstance token, inline definition on first use in the chunk, value descriptors and values. */
export function writeTemplateInstance(s: Sink, t: ChunkTables, tpl: Template, values: InstanceValue[]): void {
  const key = tpl.guid.toString('hex');
  s.u8(TOKEN.templateInstance);
  s.u8(1);
  s.u32(tpl.guid.readUInt32LE(0));
  const known = t.templates.get(key);
  if (known !== undefined) {
    s.u32(known);
  } else {
    const at = s.abs() + 4;
    s.u32(at);
    const bucket = tpl.guid.readUInt32LE(0) % TEMPLATE_BUCKETS;
    s.u32(t.templateHeads[bucket]!);
    s.bytes(tpl.guid);
    const sizeAt = s.length;
    s.u32(0);
    const start = s.length;
    writeFragmentHeader(s);
    writeElement(s, t, tpl.root);
    s.u8(TOKEN.eof);
    s.patchU32(sizeAt, s.length - start);
    t.addTemplate(key, at, bucket);
  }
  s.u32(values.length);
  const descAt = s.length;
  for (const v of values) {
    s.u16(0);
    s.u8(v.type);
    s.u8(0);
  }
  values.forEach((v, i) => {
    const start = s.length;
    if ('write' in v) v.write(s);
    else s.bytes(v.bytes);
    const size = s.length - start;
    if (size > 0xffff) throw new Error(`substitution value ${i} is ${size} bytes, more than a descriptor can hold`);
    s.patchU16(descAt + 4 * i, size);
  });
}
