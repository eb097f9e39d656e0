// Reading the element tree of a record: text of nodes (substitution values rendered on demand),
// child elements with template instances and embedded BinXML expanded in place.
import { EvtxFormatError } from '../cursor.js';
import type { Values, XAttr, XElement, XNode } from './ir.js';
import type { ChunkContext } from './parser.js';
import { Kind } from './tokens.js';
import { renderArray, renderScalar, ValueType } from './values.js';

const NO_VALUES: Values = { buf: Buffer.alloc(0), types: [], offs: [], sizes: [] };
export { NO_VALUES };

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Renders substitution value `i`; undefined for a missing index. Arrays are joined by commas (see valueItems for the split form). */
export function valueText(ctx: ChunkContext, vals: Values, i: number, depth: number): string | undefined {
  if (i >= vals.types.length) return undefined;
  const type = vals.types[i]!;
  const off = vals.offs[i]!;
  const size = vals.sizes[i]!;
  if (type === ValueType.BinXml) return markup(ctx, ctx.embeddedAt(off, size, depth), NO_VALUES, depth + 1);
  if (type & ValueType.ArrayFlag) {
    const items = renderArray(vals.buf, off, size, type, ctx.ansi);
    if (items === undefined) throw new EvtxFormatError(`substitution ${i}: ${size} bytes do not form an array of type 0x${type.toString(16)}`, ctx.fileBase + off, 'evtx.bad-value');
    return items.join(', ');
  }
  const s = renderScalar(vals.buf, off, size, type, ctx.ansi);
  if (s === undefined) throw new EvtxFormatError(`substitution ${i}: ${size} bytes are not a valid value of type 0x${type.toString(16)}`, ctx.fileBase + off, 'evtx.bad-value');
  return s;
}

/** Array values as separate items (Windows repeats the enclosing element once per item). */
export function valueItems(ctx: ChunkContext, vals: Values, i: number): string[] | undefined {
  if (i >= vals.types.length) return undefined;
  const type = vals.types[i]!;
  if (!(type & ValueType.ArrayFlag)) return undefined;
  return renderArray(vals.buf, vals.offs[i]!, vals.sizes[i]!, type, ctx.ansi);
}

/** True when an optional substitution has no value, so Windows leaves its attribute/element out. */
export function isEmptyOptional(n: XNode, vals: Values): boolean {
  if (n.k !== Kind.Subst || !n.optional) return false;
  if (n.index >= vals.types.length) return true;
  return vals.types[n.index] === ValueType.Null || vals.sizes[n.index] === 0;
}

export function attrPresent(a: XAttr, vals: Values): boolean {
  return !(a.value.length === 1 && isEmptyOptional(a.value[0]!, vals));
}

/** Text content of a node list; child elements are rendered as markup (embedded XML in data). */
export function textOf(ctx: ChunkContext, nodes: XNode[], vals: Values, depth: number): string {
  if (nodes.length === 1) {
    const n = nodes[0]!;
    if (n.k === Kind.Text) return n.text;
    if (n.k === Kind.Subst) return valueText(ctx, vals, n.index, depth) ?? '';
  }
  let s = '';
  for (const n of nodes) {
    switch (n.k) {
      case Kind.Text:
      case Kind.CData:
        s += n.text;
        break;
      case Kind.Subst:
        s += valueText(ctx, vals, n.index, depth) ?? '';
        break;
      case Kind.CharRef:
        s += String.fromCharCode(n.code);
        break;
      case Kind.EntityRef:
        s += XML_ENTITIES[n.name] ?? `&${n.name};`;
        break;
      case Kind.Element:
        s += markup(ctx, [n], vals, depth + 1);
        break;
      case Kind.Instance:
        s += markup(ctx, n.template.nodes, n.values, depth + 1);
        break;
      case Kind.PI:
        s += `<?${n.target} ${n.data}?>`;
        break;
    }
  }
  return s;
}

/** Visits the child elements of a node list, expanding template instances and embedded BinXML. */
export function eachElement(ctx: ChunkContext, nodes: XNode[], vals: Values, depth: number, fn: (el: XElement, vals: Values) => void): void {
  if (depth > 64) throw new EvtxFormatError('elements nested too deeply', ctx.fileBase);
  for (const n of nodes) {
    if (n.k === Kind.Element) fn(n, vals);
    else if (n.k === Kind.Instance) eachElement(ctx, n.template.nodes, n.values, depth + 1, fn);
    else if (n.k === Kind.Subst && n.index < vals.types.length && vals.types[n.index] === ValueType.BinXml) {
      eachElement(ctx, ctx.embeddedAt(vals.offs[n.index]!, vals.sizes[n.index]!, depth), NO_VALUES, depth + 1, fn);
    }
  }
}

/** True when the node list holds element content (directly or through instances/embedded BinXML). */
export function hasElements(ctx: ChunkContext, nodes: XNode[], vals: Values, depth: number): boolean {
  let found = false;
  eachElement(ctx, nodes, vals, depth, () => {
    found = true;
  });
  return found;
}

export function attrText(ctx: ChunkContext, el: XElement, name: string, vals: Values, depth: number): string | undefined {
  for (const a of el.attrs) {
    if (a.name === name) return attrPresent(a, vals) ? textOf(ctx, a.value, vals, depth) : undefined;
  }
  return undefined;
}

function escText(s: string): string {
  return s.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'));
}

/**
 * Embedded XML as the reference renders it inside a data value: double-quoted attributes,
 * explicit end tags, text as is.
 */
export function markup(ctx: ChunkContext, nodes: XNode[], vals: Values, depth: number): string {
  if (depth > 64) throw new EvtxFormatError('embedded XML nested too deeply', ctx.fileBase);
  let s = '';
  for (const n of nodes) {
    if (n.k === Kind.Element) {
      s += `<${n.name}`;
      for (const a of n.attrs) if (attrPresent(a, vals)) s += ` ${a.name}="${textOf(ctx, a.value, vals, depth)}"`;
      s += `>${textOf(ctx, n.children, vals, depth)}</${n.name}>`;
    } else if (n.k === Kind.Instance) {
      s += markup(ctx, n.template.nodes, n.values, depth + 1);
    } else {
      s += textOf(ctx, [n], vals, depth);
    }
  }
  return s;
}

export { escText };

/**
 * The number an element or attribute holds, read straight from the value bytes when it is a
 * single integer substitution (the usual System fields), else parsed from its text. Saves a
 * render-then-parse per field on the hot path. Every System number Windows writes is unsigned:
 * a negative or fractional one (a damaged record's signed or float value) counts as absent.
 */
export function numberOf(ctx: ChunkContext, nodes: XNode[], vals: Values, depth: number): number | undefined {
  if (nodes.length === 1) {
    const n = nodes[0]!;
    if (n.k === Kind.Subst && n.index < vals.types.length) {
      const off = vals.offs[n.index]!;
      const size = vals.sizes[n.index]!;
      const b = vals.buf;
      switch (vals.types[n.index]) {
        case ValueType.UInt8:
          if (size >= 1) return b[off]!;
          break;
        case ValueType.UInt16:
          if (size >= 2) return b.readUInt16LE(off);
          break;
        case ValueType.UInt32:
        case ValueType.HexInt32:
          if (size >= 4) return b.readUInt32LE(off);
          break;
        case ValueType.UInt64:
        case ValueType.HexInt64:
          if (size >= 8) {
            const n = b.readUInt32LE(off + 4) * 0x100000000 + b.readUInt32LE(off);
            return Number.isSafeInteger(n) ? n : undefined;
          }
          break;
        case ValueType.Null:
          return undefined;
      }
    }
  }
  const t = textOf(ctx, nodes, vals, depth);
  if (t === '') return undefined;
  const v = t.startsWith('0x') ? parseInt(t, 16) : Number(t);
  return Number.isSafeInteger(v) && v >= 0 ? v : undefined;
}

/** EventID is 16 bits (Qualifiers hold the high half of a classic event's id): 0 when absent or out of range. */
export function eventIdOf(n: number | undefined): number {
  return n !== undefined && n <= 0xffff ? n : 0;
}

/** numberOf for an attribute (undefined when absent or an empty optional value). */
export function attrNumber(ctx: ChunkContext, el: XElement, name: string, vals: Values, depth: number): number | undefined {
  for (const a of el.attrs) {
    if (a.name === name) return attrPresent(a, vals) ? numberOf(ctx, a.value, vals, depth) : undefined;
  }
  return undefined;
}
