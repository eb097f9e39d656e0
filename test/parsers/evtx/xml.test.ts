// Event XML rendering: Windows' text forms, escaping (control characters never reach a terminal),
// embedded BinXML, and the same data in the JSON view.
import { describe, expect, it } from 'vitest';
import { decodeChunk } from '../../../src/parsers/evtx/decode.js';
import { chunkXml, xmlRecords } from '../../../src/parsers/evtx/xml.js';
import { buildChunk, embeddedElement, u32, utf16z, type TestValue } from './binxmlBuilder.js';

function both(values: TestValue[]): { xml: string; data: Record<string, string> } {
  const { chunk } = buildChunk(values);
  const job = { file: 't.evtx', index: 0, fileOffset: 4096 };
  const x = chunkXml(chunk, job);
  expect(x.issues).toEqual([]);
  const d = decodeChunk(chunk, job);
  const ev = d.items.find((i) => i.kind === 'event');
  if (!ev || ev.kind !== 'event') throw new Error('no event');
  return { xml: xmlRecords(x)[0]!, data: ev.event.data };
}

describe('evtx Event XML', () => {
  it('renders the element tree with the event namespace and Windows value forms', () => {
    const { xml } = both([
      { name: 'LogonType', type: 0x08, bytes: u32(10) },
      { name: 'Flag', type: 0x0d, bytes: u32(1) },
      { name: 'Blob', type: 0x0e, bytes: Buffer.from([0xde, 0xad]) },
    ]);
    expect(xml).toBe(
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><EventData><Data Name='LogonType'>10</Data><Data Name='Flag'>true</Data><Data Name='Blob'>DEAD</Data></EventData></Event>",
    );
  });

  it('escapes markup and writes control characters as character references', () => {
    const { xml, data } = both([{ name: 'Msg', type: 0x01, bytes: utf16z("\u001b[31m<b>'x' & y</b>\u0007") }]);
    expect(xml).toContain("<Data Name='Msg'>&#x1B;[31m&lt;b&gt;'x' &amp; y&lt;/b&gt;&#x7;</Data>");
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
    // The JSON view keeps the value as stored; JSON escaping keeps it off the terminal.
    expect(data.Msg).toBe("\u001b[31m<b>'x' & y</b>\u0007");
    expect(JSON.stringify(data)).toContain('\\u001b[31m');
  });

  it('references exactly the characters that need it, at each edge of the ranges (tab and LF stay, CR does not)', () => {
    const raw = 'a\tb\nc\rd\u001fe~\u007ff\u0085g\u009fh\u00a0i\u20ac';
    const { xml } = both([{ name: "it's", type: 0x01, bytes: utf16z(raw) }]);
    expect(xml).toContain("<Data Name='it&apos;s'>a\tb\nc&#xD;d&#x1F;e~&#x7F;f&#x85;g&#x9F;h\u00a0i\u20ac</Data>");
    // Each alone (the check that skips the rewrite must see every one of them by itself).
    const alone: [string, string][] = [['\r', '&#xD;'], ['\u0000', '&#x0;'], ['\u001f', '&#x1F;'], ['\u007f', '&#x7F;'], ['\u0085', '&#x85;'], ['\u009f', '&#x9F;'], ['&', '&amp;'], ['<', '&lt;'], ['>', '&gt;']];
    for (const [c, ref] of alone) expect(both([{ name: 'V', type: 0x01, bytes: utf16z(`x${c}y`) }]).xml).toContain(`<Data Name='V'>x${ref}y</Data>`);
    for (const c of ['\t', '\n', '~', '\u00a0', "'"]) expect(both([{ name: 'V', type: 0x01, bytes: utf16z(`x${c}y`) }]).xml).toContain(`<Data Name='V'>x${c}y</Data>`);
    // A value with nothing to escape comes out as it is.
    expect(both([{ name: 'Plain', type: 0x01, bytes: utf16z('%%2313 C:\\x') }]).xml).toContain("<Data Name='Plain'>%%2313 C:\\x</Data>");
  });

  it('writes UTF-8 as the string path did: pairs as one character, a lone surrogate as U+FFFD', () => {
    const cases: [string, string][] = [
      ['x\u{1F600}y', 'x\u{1F600}y'],
      ['x\ud800y', 'x\ufffdy'],
      ['x\udc00y', 'x\ufffdy'],
      ['x\udc00\ud800y', 'x\ufffd\ufffdy'],
      ['x\u{1F600}', 'x\u{1F600}'],
      ['x\ud83d', 'x\ufffd'],
      ['\u0080\u07ff\u0800\uffff', '&#x80;\u07ff\u0800\uffff'],
    ];
    for (const [value, shown] of cases) {
      // As a UTF-16 value (written from its bytes) and as template text in an attribute.
      expect(both([{ name: 'V', type: 0x01, bytes: utf16z(value) }]).xml).toContain(`<Data Name='V'>${shown}</Data>`);
      expect(both([{ name: value, type: 0x01, bytes: utf16z('v') }]).xml).toContain(`<Data Name='${shown}'>v</Data>`);
    }
    const { xml } = both([{ name: 'Größe\u0085\u20ac', type: 0x01, bytes: utf16z('v') }]);
    expect(xml).toContain("<Data Name='Größe&#x85;\u20ac'>v</Data>");
  });

  it('escapes values of other types the same way (an ANSI string: text made before escaping)', () => {
    // windows-1252 leaves 0x81 undefined: it decodes to U+0081, a C1 control.
    const ansi = Buffer.from([0x78, 0x26, 0x3c, 0x3e, 0x27, 0x0d, 0x09, 0x1f, 0x7f, 0x81, 0x80, 0xe9, 0x79, 0x00]);
    expect(both([{ name: 'A', type: 0x02, bytes: ansi }]).xml).toContain("<Data Name='A'>x&amp;&lt;&gt;'&#xD;\t&#x1F;&#x7F;&#x81;€éy</Data>");
  });

  it('repeats an element with its attributes once per array item', () => {
    const items = Buffer.concat([utf16z('a&b'), utf16z(''), utf16z('c')]);
    const { xml } = both([{ name: "L'", type: 0x81, bytes: items }]);
    expect(xml).toContain("<EventData><Data Name='L&apos;'>a&amp;b</Data><Data Name='L&apos;'></Data><Data Name='L&apos;'>c</Data></EventData>");
  });

  it('renders embedded BinXML (type 0x21) as elements in XML and as markup text in data', () => {
    const v: TestValue = { name: 'Payload', type: 0x21, bytes: embeddedElement(0, 'Inner', ['id', '7'], 'hi'), bytesAt: (at) => embeddedElement(at, 'Inner', ['id', '7'], 'hi') };
    const { xml, data } = both([v]);
    expect(xml).toContain("<Data Name='Payload'><Inner id='7'>hi</Inner></Data>");
    expect(data.Payload).toBe('<Inner id="7">hi</Inner>');
  });
});
