// Event XML as Windows renders it (EvtRender / wevtutil): single-quoted attributes, empty elements
// self-closed, values in Windows' own text forms. Control characters are written as character
// references so event data can never put escape sequences on a terminal; CR too, as Windows
// writes it (&#xD;), so an XML reader keeps the value and a terminal keeps its line.
import type { Values, XElement, XNode } from './binxml/ir.js';
import type { ChunkContext } from './binxml/parser.js';
import { Kind } from './binxml/tokens.js';
import { attrPresent, isEmptyOptional, NO_VALUES, valueItems, valueText } from './binxml/walk.js';
import { ValueType } from './binxml/values.js';
import { EvtxFormatError } from './cursor.js';
import type { ParseIssue } from '../../model/issue.js';
import { walkChunk } from './chunk.js';
import type { ChunkJob } from './decode.js';
import { ansiDecoder } from './binxml/values.js';
import { XmlBytes } from './xmlBytes.js';

/** Renders a record's element tree as one line of Event XML. */
export function recordXml(ctx: ChunkContext, nodes: XNode[]): string {
  const w = new XmlBytes();
  emit(ctx, nodes, NO_VALUES, w, 0, true);
  return w.buf.toString('utf8', 0, w.pos);
}

function emit(ctx: ChunkContext, nodes: XNode[], vals: Values, w: XmlBytes, depth: number, top: boolean): void {
  if (depth > 64) throw new EvtxFormatError('elements nested too deeply', ctx.fileBase);
  for (const n of nodes) {
    switch (n.k) {
      case Kind.Element:
        element(ctx, n, vals, w, depth, top);
        break;
      case Kind.Instance:
        emit(ctx, n.template.nodes, n.values, w, depth + 1, top);
        break;
      case Kind.Text:
        w.text(n.text, false);
        break;
      case Kind.CData:
        w.raw(`<![CDATA[${n.text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`);
        break;
      case Kind.CharRef:
        w.raw(`&#${n.code};`);
        break;
      case Kind.EntityRef:
        w.raw(`&${n.name};`);
        break;
      case Kind.PI:
        w.raw(`<?${n.target} `);
        w.text(n.data, false);
        w.raw('?>');
        break;
      case Kind.Subst: {
        if (n.index < vals.types.length && vals.types[n.index] === ValueType.BinXml) {
          emit(ctx, ctx.embeddedAt(vals.offs[n.index]!, vals.sizes[n.index]!, depth), NO_VALUES, w, depth + 1, false);
        } else value(ctx, vals, n.index, depth, w, false);
        break;
      }
    }
  }
}

/** Substitution value i as escaped text; a UTF-16 string (most values) straight from its bytes. */
function value(ctx: ChunkContext, vals: Values, i: number, depth: number, w: XmlBytes, attr: boolean): void {
  if (i < vals.types.length && vals.types[i] === ValueType.String) w.utf16(vals.buf, vals.offs[i]!, vals.sizes[i]!, attr);
  else w.text(valueText(ctx, vals, i, depth) ?? '', attr);
}

function attrs(ctx: ChunkContext, el: XElement, vals: Values, depth: number, w: XmlBytes): void {
  for (const a of el.attrs) {
    if (!attrPresent(a, vals)) continue;
    w.raw(' ');
    w.raw(a.name);
    w.raw("='");
    for (const n of a.value) {
      if (n.k === Kind.Text) w.text(n.text, true);
      else if (n.k === Kind.Subst) value(ctx, vals, n.index, depth, w, true);
      else if (n.k === Kind.CharRef) w.raw(`&#${n.code};`);
      else if (n.k === Kind.EntityRef) w.raw(`&${n.name};`);
    }
    w.raw("'");
  }
}

const EVENT_NS = " xmlns='http://schemas.microsoft.com/win/2004/08/events/event'";

function element(ctx: ChunkContext, el: XElement, vals: Values, w: XmlBytes, depth: number, top: boolean): void {
  // The head (name, namespace, attributes) is written first, as the string path rendered the
  // attributes first: a bad value fails the record even where the element is then left out.
  const start = w.pos;
  w.raw('<');
  w.raw(el.name);
  // The Event element carries the namespace even when the template left it out.
  if (top && el.name === 'Event' && !el.attrs.some((x) => x.name === 'xmlns')) w.raw(EVENT_NS);
  attrs(ctx, el, vals, depth, w);
  const headEnd = w.pos;
  if (el.children.length === 1 && el.children[0]!.k === Kind.Subst) {
    // Windows leaves out an element whose only content is an empty optional substitution.
    if (isEmptyOptional(el.children[0]!, vals)) {
      w.pos = start;
      return;
    }
    // An array substitution repeats the element once per item, as Windows renders it.
    const items = valueItems(ctx, vals, el.children[0]!.index);
    if (items) {
      if (items.length === 0) items.push('');
      for (let k = 0; k < items.length; k++) {
        if (k > 0) w.copy(start, headEnd);
        w.raw('>');
        w.text(items[k]!, false);
        w.raw('</');
        w.raw(el.name);
        w.raw('>');
      }
      return;
    }
  }
  if (el.children.length === 0) {
    w.raw('/>');
    return;
  }
  w.raw('>');
  emit(ctx, el.children, vals, w, depth + 1, false);
  w.raw('</');
  w.raw(el.name);
  w.raw('>');
}

export interface ChunkXml {
  /** One Event XML document per record, each ended by a newline, in file order (live records, then carved ones). */
  bytes: Uint8Array;
  /** Where each record's document ends in `bytes` (its newline's offset). */
  ends: number[];
  issues: ParseIssue[];
  read: number;
  recovered: number;
  skipped: number;
  skippedBy: Record<string, number>;
}

/** The records of a chunk's (or batch's) Event XML, as strings. */
export function xmlRecords(c: { bytes: Uint8Array; ends: number[] }): string[] {
  const b = Buffer.from(c.bytes.buffer, c.bytes.byteOffset, c.bytes.byteLength);
  const out: string[] = [];
  let at = 0;
  for (const end of c.ends) {
    out.push(b.toString('utf8', at, end));
    at = end + 1;
  }
  return out;
}

/** The writer every chunk is rendered in (its bytes are copied out per chunk). */
const chunkWriter = new XmlBytes();

/** The Event XML of every record of one chunk; a record that cannot be rendered is a counted issue. */
export function chunkXml(buf: Buffer, job: ChunkJob): ChunkXml {
  const w = chunkWriter;
  w.pos = 0;
  const ends: number[] = [];
  const out = { issues: [] as ParseIssue[], read: 0, recovered: 0, skipped: 0, skippedBy: {} as Record<string, number> };
  const skip = (i: ParseIssue): void => {
    out.skipped++;
    out.skippedBy[i.code] = (out.skippedBy[i.code] ?? 0) + 1;
    out.issues.push(i);
  };
  walkChunk(
    buf,
    { file: job.file, index: job.index, fileOffset: job.fileOffset, strict: job.strict, ansi: ansiDecoder(job.codepage) },
    (i) => out.issues.push(i),
    (r, warning) => {
      const start = w.pos;
      try {
        emit(r.ctx, r.nodes, NO_VALUES, w, 0, true);
      } catch (e) {
        w.pos = start;
        if (r.recovered) return false;
        skip({ severity: 'error', code: e instanceof EvtxFormatError ? e.code : 'evtx.bad-binxml', message: (e as Error).message, file: job.file, chunk: job.index, offset: r.offset, recordId: r.head.recordId });
        return false;
      }
      w.room(1);
      ends.push(w.pos);
      w.buf[w.pos++] = 10;
      if (warning) out.issues.push(warning);
      out.read++;
      if (r.recovered) out.recovered++;
      return true;
    },
    skip,
  );
  // A buffer of its own (never Node's pool), so a worker can transfer it.
  const bytes = Buffer.allocUnsafeSlow(w.pos);
  w.buf.copy(bytes, 0, 0, w.pos);
  w.pos = 0;
  return { bytes, ends, ...out };
}
