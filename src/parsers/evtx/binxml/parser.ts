// BinXML fragment → element tree. One ChunkContext per chunk holds the name and template caches,
// so each template definition is parsed once however many records use it.
import type { AnsiDecoder } from './values.js';
import { ByteCursor, EvtxFormatError } from '../cursor.js';
import { NameTable } from '../stringTable.js';
import type { Template, Values, XAttr, XElement, XNode } from './ir.js';
import { TemplateCache, readTemplateDef, TEMPLATE_HEADER_SIZE } from './templates.js';
import { Kind, Token } from './tokens.js';

/** Nesting limit for elements, templates and embedded BinXML: deeper input is refused, not recursed. */
const MAX_DEPTH = 64;
/** No real event has more substitutions than this; larger counts are corruption. */
const MAX_SUBSTITUTIONS = 4096;

export class ChunkContext {
  readonly names: NameTable;
  readonly templates = new TemplateCache();
  /** Parsed embedded-BinXML values, by chunk offset. */
  readonly embedded = new Map<number, XNode[]>();

  constructor(
    readonly buf: Buffer,
    /** Bytes of the chunk actually present (less than 64 KiB for a truncated file). */
    readonly end: number,
    /** File offset of the chunk start, for messages. */
    readonly fileBase: number,
    /** Decoder for ANSI strings (code page option). */
    readonly ansi: AnsiDecoder,
  ) {
    this.names = new NameTable(buf, end, fileBase);
  }

  /** Template at a chunk offset, parsed on first use. */
  template(off: number, depth: number): Template {
    const hit = this.templates.byOffset.get(off);
    if (hit) return hit;
    if (this.templates.inProgress.has(off)) {
      throw new EvtxFormatError(`template at 0x${off.toString(16)} refers to itself`, this.fileBase + off, 'evtx.bad-template');
    }
    const def = readTemplateDef(this.buf, off, this.end, this.fileBase);
    this.templates.inProgress.add(off);
    try {
      const c = new ByteCursor(this.buf, def.start, def.end, this.fileBase);
      const nodes = parseFragment(this, c, depth + 1);
      const t: Template = { offset: off, guid: def.guid, nodes };
      this.templates.byOffset.set(off, t);
      return t;
    } finally {
      this.templates.inProgress.delete(off);
    }
  }

  /** An embedded BinXML value (type 0x21) parsed into nodes, cached by offset. */
  embeddedAt(off: number, size: number, depth: number): XNode[] {
    const hit = this.embedded.get(off);
    if (hit) return hit;
    if (depth > MAX_DEPTH) throw new EvtxFormatError('embedded BinXML nested too deeply', this.fileBase + off);
    const nodes = parseFragment(this, new ByteCursor(this.buf, off, Math.min(off + size, this.end), this.fileBase), depth + 1);
    this.embedded.set(off, nodes);
    return nodes;
  }
}

/** Parses tokens until end of fragment (or end of the cursor's range). */
export function parseFragment(ctx: ChunkContext, c: ByteCursor, depth: number): XNode[] {
  if (depth > MAX_DEPTH) c.fail('BinXML nested too deeply');
  const out: XNode[] = [];
  while (c.pos < c.end) {
    const tok = c.buf[c.pos]!;
    if (tok === Token.EndOfFragment) {
      c.pos++;
      break;
    }
    if (tok === Token.FragmentHeader) {
      c.skip(4, 'fragment header');
      continue;
    }
    if (tok === Token.TemplateInstance) {
      out.push(parseInstance(ctx, c, depth));
      continue;
    }
    if ((tok & ~Token.MoreBit) === Token.OpenStartElement) {
      out.push(parseElement(ctx, c, depth + 1));
      continue;
    }
    const v = parseContentToken(ctx, c);
    if (v) {
      out.push(v);
      continue;
    }
    c.fail(`unexpected BinXML token 0x${tok.toString(16)} in fragment`);
  }
  return out;
}

/** Value-like tokens that may appear as element content or attribute values. Returns undefined if the token is not one. */
function parseContentToken(ctx: ChunkContext, c: ByteCursor): XNode | undefined {
  const tok = c.buf[c.pos]!;
  switch (tok & ~Token.MoreBit) {
    case Token.Value: {
      c.pos++;
      const type = c.u8();
      return { k: Kind.Text, text: readValueText(ctx, c, type) };
    }
    case Token.NormalSubstitution:
    case Token.OptionalSubstitution: {
      if (tok & Token.MoreBit) return undefined;
      c.pos++;
      const index = c.u16();
      const type = c.u8();
      return { k: Kind.Subst, index, type, optional: tok === Token.OptionalSubstitution };
    }
    case Token.CharRef:
      c.pos++;
      return { k: Kind.CharRef, code: c.u16() };
    case Token.EntityRef:
      c.pos++;
      return { k: Kind.EntityRef, name: readNameRef(ctx, c) };
    case Token.CDataSection: {
      c.pos++;
      const n = c.u16();
      return { k: Kind.CData, text: c.utf16(n, 'CDATA') };
    }
    case Token.PITarget: {
      if (tok & Token.MoreBit) return undefined;
      c.pos++;
      const target = readNameRef(ctx, c);
      let data = '';
      if (c.pos < c.end && c.buf[c.pos] === Token.PIData) {
        c.pos++;
        data = c.utf16(c.u16(), 'PI data');
      }
      return { k: Kind.PI, target, data };
    }
    default:
      return undefined;
  }
}

/** Text of a value token. Windows writes only UTF-16 strings (type 0x01) here; other writers use ANSI too. */
function readValueText(ctx: ChunkContext, c: ByteCursor, type: number): string {
  if (type === 0x01) return c.utf16(c.u16(), 'value text');
  if (type === 0x02) {
    const n = c.u16();
    c.need(n, 'value text');
    const s = ctx.ansi.decode(c.buf.subarray(c.pos, c.pos + n));
    c.pos += n;
    return s;
  }
  return c.fail(`value token with unsupported type 0x${type.toString(16)}`);
}

/** A name reference: a chunk offset, with the name defined inline when the offset points right here. */
function readNameRef(ctx: ChunkContext, c: ByteCursor): string {
  const off = c.u32();
  if (off === c.pos) {
    const name = ctx.names.get(off);
    c.skip(ctx.names.sizeAt(off), 'inline name');
    return name;
  }
  return ctx.names.get(off);
}

function parseElement(ctx: ChunkContext, c: ByteCursor, depth: number): XElement {
  if (depth > MAX_DEPTH) c.fail('elements nested too deeply');
  const tok = c.u8();
  // Dependency id (u16) then data size (u32). Some writers omit the dependency id; tell by whether
  // the name offset that follows is this very position (inline name) or a known earlier name.
  const save = c.pos;
  c.need(10, 'element header');
  c.pos = save + 6;
  if (!plausibleNameRef(ctx, c)) {
    c.pos = save + 4;
    if (!plausibleNameRef(ctx, c)) c.pos = save + 6;
  }
  const name = readNameRef(ctx, c);
  const el: XElement = { k: Kind.Element, name, attrs: [], children: [], constName: undefined };
  if (tok & Token.MoreBit) {
    c.skip(4, 'attribute list size');
    while (c.pos < c.end && (c.buf[c.pos]! & ~Token.MoreBit) === Token.Attribute) {
      c.pos++;
      const attr: XAttr = { name: readNameRef(ctx, c), value: [] };
      for (;;) {
        if (c.pos >= c.end) c.fail('truncated attribute');
        const next = c.buf[c.pos]! & ~Token.MoreBit;
        if (next === Token.Attribute || next === Token.CloseStartElement || next === Token.CloseEmptyElement) break;
        const v = parseContentToken(ctx, c);
        if (!v) c.fail(`unexpected BinXML token 0x${c.buf[c.pos]!.toString(16)} in attribute ${attr.name}`);
        attr.value.push(v);
      }
      el.attrs.push(attr);
    }
  }
  const close = c.u8();
  if (close === Token.CloseEmptyElement) return el;
  if (close !== Token.CloseStartElement) {
    c.pos--;
    c.fail(`expected end of start tag of <${name}>, got token 0x${close.toString(16)}`);
  }
  for (;;) {
    if (c.pos >= c.end) c.fail(`truncated content of <${name}>`);
    const tok2 = c.buf[c.pos]!;
    const t = tok2 & ~Token.MoreBit;
    if (tok2 === Token.EndElement) {
      c.pos++;
      return el;
    }
    if (t === Token.OpenStartElement) {
      el.children.push(parseElement(ctx, c, depth + 1));
      continue;
    }
    if (tok2 === Token.TemplateInstance) {
      el.children.push(parseInstance(ctx, c, depth));
      continue;
    }
    if (tok2 === Token.EndOfFragment) c.fail(`end of fragment inside <${name}>`);
    const v = parseContentToken(ctx, c);
    if (!v) c.fail(`unexpected BinXML token 0x${tok2.toString(16)} in <${name}>`);
    el.children.push(v);
  }
}

/** True when the u32 at the cursor is an offset that can be a name: defined right here, or an earlier in-chunk name. */
function plausibleNameRef(ctx: ChunkContext, c: ByteCursor): boolean {
  if (c.pos + 4 > c.end) return false;
  const off = c.buf.readUInt32LE(c.pos);
  if (off === c.pos + 4) return true;
  return off >= 0x200 && off + 8 <= ctx.end && off < c.pos;
}

function parseInstance(ctx: ChunkContext, c: ByteCursor, depth: number): XNode {
  c.skip(1, 'template instance token');
  c.skip(1, 'template instance');
  c.skip(4, 'template id');
  const defOff = c.u32();
  let template: Template;
  if (defOff === c.pos) {
    // Definition inline: parse it (cached for later records) and step over it.
    if (c.pos + TEMPLATE_HEADER_SIZE > c.end) c.fail('truncated template definition');
    const size = c.buf.readUInt32LE(c.pos + 20);
    template = ctx.template(defOff, depth);
    c.skip(TEMPLATE_HEADER_SIZE + size, 'template definition');
  } else {
    template = ctx.template(defOff, depth);
  }
  return { k: Kind.Instance, template, values: readValues(c) };
}

/**
 * The usual record (or embedded value) read without building nodes: fragment headers, one template
 * instance, then the end. Fills `vals` (reused by the caller) and returns the template; null when
 * the bytes have any other shape or do not fit, so parseFragment reads them and reports what it
 * finds. Template errors throw as in parseInstance.
 */
export function readSingleInstance(ctx: ChunkContext, start: number, end: number, vals: Values): Template | null {
  const b = ctx.buf;
  if (end > b.length) end = b.length;
  let p = start;
  while (p < end && b[p] === Token.FragmentHeader) p += 4;
  if (p + 10 > end || b[p] !== Token.TemplateInstance) return null;
  const defOff = b.readUInt32LE(p + 6);
  p += 10;
  const template = ctx.template(defOff, 0);
  if (defOff === p) {
    if (p + TEMPLATE_HEADER_SIZE > end) return null;
    p += TEMPLATE_HEADER_SIZE + b.readUInt32LE(p + 20);
  }
  if (p + 4 > end) return null;
  const n = b.readUInt32LE(p);
  p += 4;
  if (n > MAX_SUBSTITUTIONS || n * 4 > end - p) return null;
  const types = vals.types;
  const offs = vals.offs;
  const sizes = vals.sizes;
  // Records of one template have the same count: the arrays keep their length (setting it is a
  // runtime call) and are overwritten in place. Otherwise they are cut or grown to n, never
  // emptied (length 0 drops the backing store, and records of other templates come and go).
  if (types.length !== n) {
    if (types.length > n) {
      types.length = n;
      offs.length = n;
      sizes.length = n;
    }
    while (types.length < n) {
      types.push(0);
      offs.push(0);
      sizes.push(0);
    }
  }
  let q = p + n * 4;
  for (let i = 0, d = p; i < n; i++, d += 4) {
    const size = b[d]! | (b[d + 1]! << 8);
    types[i] = b[d + 2]!;
    offs[i] = q;
    sizes[i] = size;
    q += size;
  }
  if (q > end || (q < end && b[q] !== Token.EndOfFragment)) return null;
  vals.buf = b;
  return template;
}

/** Substitution array: count, then (size u16, type u8, pad u8) per value, then the values back to back. */
function readValues(c: ByteCursor): Values {
  const n = c.u32();
  if (n > MAX_SUBSTITUTIONS || n * 4 > c.end - c.pos) c.fail(`impossible substitution count ${n}`);
  const types: number[] = [];
  const offs: number[] = [];
  const sizes: number[] = [];
  const b = c.buf;
  let p = c.pos + n * 4;
  for (let i = 0, d = c.pos; i < n; i++, d += 4) {
    const size = b[d]! | (b[d + 1]! << 8);
    types.push(b[d + 2]!);
    offs.push(p);
    sizes.push(size);
    p += size;
  }
  if (p > c.end) {
    c.pos += n * 4;
    c.fail(`substitution values run ${p - c.end} bytes past the record`);
  }
  c.pos = p;
  return { buf: c.buf, types, offs, sizes };
}
