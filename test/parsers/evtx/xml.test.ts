// Event XML rendering: Windows' text forms, escaping (control characters never reach a terminal),
// embedded BinXML, and the same data in the JSON view.
import { describe, expect, it } from 'vitest';
import { decodeChunk } from '../../../src/parsers/evtx/decode.js';
import { chunkXml } from '../../../src/parsers/evtx/xml.js';
import { buildChunk, embeddedElement, u32, utf16z, type TestValue } from './binxmlBuilder.js';

function both(values: TestValue[]): { xml: string; data: Record<string, string> } {
  const { chunk } = buildChunk(values);
  const job = { file: 't.evtx', index: 0, fileOffset: 4096 };
  const x = chunkXml(chunk, job);
  expect(x.issues).toEqual([]);
  const d = decodeChunk(chunk, job);
  const ev = d.items.find((i) => i.kind === 'event');
  if (!ev || ev.kind !== 'event') throw new Error('no event');
  return { xml: x.records[0]!, data: ev.event.data };
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

  it('renders embedded BinXML (type 0x21) as elements in XML and as markup text in data', () => {
    const v: TestValue = { name: 'Payload', type: 0x21, bytes: embeddedElement(0, 'Inner', ['id', '7'], 'hi'), bytesAt: (at) => embeddedElement(at, 'Inner', ['id', '7'], 'hi') };
    const { xml, data } = both([v]);
    expect(xml).toContain("<Data Name='Payload'><Inner id='7'>hi</Inner></Data>");
    expect(data.Payload).toBe('<Inner id="7">hi</Inner>');
  });
});
