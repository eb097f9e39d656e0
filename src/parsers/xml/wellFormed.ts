// A fast well-formedness check for one element's text: tags balanced and properly named,
// attributes quoted, comments/CDATA/PIs closed. fast-xml-parser's own parse does not reject
// mismatched tags, and its validator costs half as much again as the parse itself.

const NAME = /^[A-Za-z_][\w.:-]*$/;
/** Event XML is a handful of levels deep; far deeper nesting is hostile (and would recurse). */
export const MAX_DEPTH = 100;
const ATTRS = /^(?:\s+[A-Za-z_][\w.:-]*\s*=\s*(?:"[^"<]*"|'[^'<]*'))*\s*$/;

/** Undefined when well-formed, else what is wrong and the character index where. */
export function checkWellFormed(xml: string): { error: string; at: number } | undefined {
  const stack: string[] = [];
  let i = 0;
  for (;;) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) break;
    if (xml.startsWith('<!--', lt)) {
      const end = xml.indexOf('-->', lt + 4);
      if (end < 0) return { error: 'comment not closed', at: lt };
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<![CDATA[', lt)) {
      const end = xml.indexOf(']]>', lt + 9);
      if (end < 0) return { error: 'CDATA section not closed', at: lt };
      i = end + 3;
      continue;
    }
    if (xml.startsWith('<?', lt)) {
      const end = xml.indexOf('?>', lt + 2);
      if (end < 0) return { error: 'processing instruction not closed', at: lt };
      i = end + 2;
      continue;
    }
    const gt = xml.indexOf('>', lt + 1);
    if (gt < 0) return { error: 'tag not closed', at: lt };
    const inner = xml.slice(lt + 1, gt);
    if (inner.startsWith('/')) {
      const name = inner.slice(1).trimEnd();
      const open = stack.pop();
      if (open !== name) return { error: open ? `closing tag </${name}> does not match <${open}>` : `closing tag </${name}> without an opening tag`, at: lt };
    } else {
      const selfClosing = inner.endsWith('/');
      const body = selfClosing ? inner.slice(0, -1) : inner;
      const sp = body.search(/\s/);
      const name = sp < 0 ? body : body.slice(0, sp);
      if (!NAME.test(name)) return { error: `invalid tag name "${name.slice(0, 40)}"`, at: lt };
      if (sp >= 0 && !ATTRS.test(body.slice(sp))) return { error: `malformed attributes in <${name}>`, at: lt };
      if (!selfClosing) {
        stack.push(name);
        if (stack.length > MAX_DEPTH) return { error: `elements nested deeper than ${MAX_DEPTH} levels`, at: lt };
      }
    }
    i = gt + 1;
  }
  if (stack.length) return { error: `<${stack[stack.length - 1]}> is not closed`, at: xml.length };
  return undefined;
}
