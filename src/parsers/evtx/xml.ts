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

/** Whether s holds a character esc() rewrites: most values hold none, and a loop finds that sooner than a regex. */
function needsEsc(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 ? c !== 0x09 && c !== 0x0a : c === 38 || c === 60 || c === 62 || c === 39 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

function esc(s: string, attr: boolean): string {
  if (!needsEsc(s)) return s;
  return s.replace(/[&<>'\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => {
    switch (c) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case "'":
        return attr ? '&apos;' : "'";
      default:
        return `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`;
    }
  });
}

/** Renders a record's element tree as one line of Event XML. */
export function recordXml(ctx: ChunkContext, nodes: XNode[]): string {
  const out: string[] = [];
  emit(ctx, nodes, NO_VALUES, out, 0, true);
  return out.join('');
}

function emit(ctx: ChunkContext, nodes: XNode[], vals: Values, out: string[], depth: number, top: boolean): void {
  if (depth > 64) throw new EvtxFormatError('elements nested too deeply', ctx.fileBase);
  for (const n of nodes) {
    switch (n.k) {
      case Kind.Element:
        element(ctx, n, vals, out, depth, top);
        break;
      case Kind.Instance:
        emit(ctx, n.template.nodes, n.values, out, depth + 1, top);
        break;
      case Kind.Text:
        out.push(esc(n.text, false));
        break;
      case Kind.CData:
        out.push(`<![CDATA[${n.text.replace(/]]>/g, ']]]]><![CDATA[>')}]]>`);
        break;
      case Kind.CharRef:
        out.push(`&#${n.code};`);
        break;
      case Kind.EntityRef:
        out.push(`&${n.name};`);
        break;
      case Kind.PI:
        out.push(`<?${n.target} ${esc(n.data, false)}?>`);
        break;
      case Kind.Subst: {
        if (n.index < vals.types.length && vals.types[n.index] === ValueType.BinXml) {
          emit(ctx, ctx.embeddedAt(vals.offs[n.index]!, vals.sizes[n.index]!, depth), NO_VALUES, out, depth + 1, false);
        } else out.push(esc(valueText(ctx, vals, n.index, depth) ?? '', false));
        break;
      }
    }
  }
}

function attrs(ctx: ChunkContext, el: XElement, vals: Values, depth: number): string {
  let s = '';
  for (const a of el.attrs) {
    if (!attrPresent(a, vals)) continue;
    s += ` ${a.name}='${attrValue(ctx, a.value, vals, depth)}'`;
  }
  return s;
}

/** An attribute's text (concatenated: its parts are few and short, an array and a join cost more). */
function attrValue(ctx: ChunkContext, nodes: XNode[], vals: Values, depth: number): string {
  let v = '';
  for (const n of nodes) {
    if (n.k === Kind.Text) v += esc(n.text, true);
    else if (n.k === Kind.Subst) v += esc(valueText(ctx, vals, n.index, depth) ?? '', true);
    else if (n.k === Kind.CharRef) v += `&#${n.code};`;
    else if (n.k === Kind.EntityRef) v += `&${n.name};`;
  }
  return v;
}

function element(ctx: ChunkContext, el: XElement, vals: Values, out: string[], depth: number, top: boolean): void {
  const a = attrs(ctx, el, vals, depth);
  // The Event element carries the namespace even when the template left it out.
  const ns = top && el.name === 'Event' && !el.attrs.some((x) => x.name === 'xmlns') ? " xmlns='http://schemas.microsoft.com/win/2004/08/events/event'" : '';
  if (el.children.length === 1 && el.children[0]!.k === Kind.Subst) {
    // Windows leaves out an element whose only content is an empty optional substitution.
    if (isEmptyOptional(el.children[0]!, vals)) return;
    // An array substitution repeats the element once per item, as Windows renders it.
    const items = valueItems(ctx, vals, el.children[0]!.index);
    if (items) {
      if (items.length === 0) items.push('');
      for (const it of items) out.push(`<${el.name}${ns}${a}>${esc(it, false)}</${el.name}>`);
      return;
    }
  }
  if (el.children.length === 0) {
    out.push(`<${el.name}${ns}${a}/>`);
    return;
  }
  out.push(`<${el.name}${ns}${a}>`);
  emit(ctx, el.children, vals, out, depth + 1, false);
  out.push(`</${el.name}>`);
}

export interface ChunkXml {
  /** One Event XML document per record, in file order (live records, then carved ones). */
  records: string[];
  issues: ParseIssue[];
  read: number;
  recovered: number;
  skipped: number;
  skippedBy: Record<string, number>;
}

/** The Event XML of every record of one chunk; a record that cannot be rendered is a counted issue. */
export function chunkXml(buf: Buffer, job: ChunkJob): ChunkXml {
  const out: ChunkXml = { records: [], issues: [], read: 0, recovered: 0, skipped: 0, skippedBy: {} };
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
      try {
        out.records.push(recordXml(r.ctx, r.nodes));
      } catch (e) {
        if (r.recovered) return false;
        skip({ severity: 'error', code: e instanceof EvtxFormatError ? e.code : 'evtx.bad-binxml', message: (e as Error).message, file: job.file, chunk: job.index, offset: r.offset, recordId: r.head.recordId });
        return false;
      }
      if (warning) out.issues.push(warning);
      out.read++;
      if (r.recovered) out.recovered++;
      return true;
    },
    skip,
  );
  return out;
}
