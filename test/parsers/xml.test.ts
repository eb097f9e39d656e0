import { mkdtempSync, rmSync, writeFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSource } from '../../src/ingest/discover.js';
import { formatIssue } from '../../src/model/issue.js';
import { eventXmlReader, sniffEventXml } from '../../src/parsers/xml.js';
import { collect, fixture, fixtureBytes, memorySource, utf16 } from './support/collect.js';

const tmp = mkdtempSync(join(tmpdir(), 'rdpdoctor-xml-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const stripOffsets = <T extends { source: { offset?: number } }>(events: T[]): T[] =>
  events.map((e) => ({ ...e, source: { ...e.source, offset: undefined } }));

const EVENT = (id: number, extra = ''): string =>
  `<Event><System><Provider Name="P"/><EventID>${id}</EventID><TimeCreated SystemTime="2024-03-14T13:05:06.1234567Z"/><Channel>C</Channel><Computer>H</Computer></System>${extra}</Event>`;

describe('Event XML reader', () => {
  it('reads wevtutil /f:xml output (bare concatenated elements) to the golden events', async () => {
    const r = await collect(eventXmlReader, fixture('wevtutil-client.xml'), {});
    expect(r.issues).toEqual([]);
    expect(r.stats).toMatchObject({ read: 3, skipped: 0 });
    await expect(JSON.stringify(r.events, null, 2)).toMatchFileSnapshot('../fixtures/inputs/golden/wevtutil-client.xml.golden.json');
  });

  it('reads Event Viewer "Save as XML" (Events root, RenderingInfo message) to the golden events', async () => {
    const r = await collect(eventXmlReader, fixture('saved-server.xml'), {});
    expect(r.issues).toEqual([]);
    expect(r.events.map((e) => e.eventId)).toEqual([131, 4625, 1149, 36888]);
    expect(r.events[2]!.data).toEqual({ Param1: 'alice', Param2: 'CONTOSO', Param3: '10.0.0.15' });
    expect(r.events[1]!.message).toContain('Sub Status:\t\t0xC000006A');
    await expect(JSON.stringify(r.events, null, 2)).toMatchFileSnapshot('../fixtures/inputs/golden/saved-server.xml.golden.json');
  });

  it('gives identical events for UTF-8, UTF-16LE and UTF-16BE (with BOM) and any chunking', async () => {
    const text = fixtureBytes('saved-server.xml').toString('utf8');
    const base = await collect(eventXmlReader, memorySource('s.xml', text), {});
    for (const [name, bytes, chunk] of [
      ['le', utf16(text), 1 << 16],
      ['be', utf16(text, true), 1 << 16],
      ['le-odd-chunks', utf16(text), 7],
      ['utf8-tiny-chunks', Buffer.from(`\ufeff${text}`), 3],
    ] as const) {
      expect(sniffEventXml(bytes.subarray(0, 4096)), name).toBe(true);
      const r = await collect(eventXmlReader, memorySource('s.xml', bytes, chunk), {});
      expect(r.issues, name).toEqual([]);
      expect(stripOffsets(r.events), name).toEqual(stripOffsets(base.events));
    }
  });

  it('reports byte offsets of each element in UTF-16 (BOM counted)', async () => {
    const text = `<Events>${EVENT(1)}\n${EVENT(2)}</Events>`;
    const r = await collect(eventXmlReader, memorySource('o.xml', utf16(text), 5), {});
    expect(r.events.map((e) => e.source.offset)).toEqual([2 + 2 * '<Events>'.length, 2 + 2 * ('<Events>'.length + EVENT(1).length + 1)]);
    expect(r.events.map((e) => e.source.position)).toEqual(['element 1', 'element 2']);
  });

  it('accepts /e:Events roots, namespace prefixes, unnamed Data, Binary, python-evtx times and nested UserData', async () => {
    const xml = `<?xml version="1.0" encoding="utf-8"?>
<Events>
<e:Event xmlns:e="http://schemas.microsoft.com/win/2004/08/events/event"><e:System><e:Provider Name="TermDD"/><e:EventID Qualifiers="">56</e:EventID><e:TimeCreated SystemTime="2012-03-15 21:11:54.822373"/><e:Correlation ActivityID=""/><e:Channel>System</e:Channel><e:Computer>W</e:Computer></e:System><e:EventData><e:Data>\\Device\\Termdd</e:Data><e:Data>10.3.16.5</e:Data><e:Binary>00000400</e:Binary></e:EventData></e:Event>
${EVENT(7, '<UserData><Outer xmlns="x"><A>1</A><B><C>2</C><C>3</C></B><A>4</A></Outer></UserData>')}
</Events>`;
    const r = await collect(eventXmlReader, memorySource('v.xml', xml), {});
    expect(r.issues).toEqual([]);
    expect(r.events[0]).toMatchObject({
      time: '2012-03-15T21:11:54.8223730Z',
      provider: 'TermDD',
      eventId: 56,
      data: { 'Data[0]': '\\Device\\Termdd', 'Data[1]': '10.3.16.5', Binary: '00000400' },
    });
    expect(r.events[0]!.qualifiers).toBeUndefined();
    expect(r.events[0]!.activityId).toBeUndefined();
    expect(r.events[1]!.data).toEqual({ A: '1', 'B/C': '2', 'B/C#2': '3', 'A#2': '4' });
  });

  it('decodes the predefined entities and character references, nothing else', async () => {
    const r = await collect(eventXmlReader, memorySource('e.xml', EVENT(1, '<EventData><Data Name="x">a &amp; b &lt;c&gt; &#x41;&#66; &unknown;</Data></EventData>')), {});
    expect(r.events[0]!.data.x).toBe('a & b <c> AB &unknown;');
  });

  it('refuses billion-laughs entity expansion without expanding anything', async () => {
    const lol = `<?xml version="1.0"?>
<!DOCTYPE Event [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
${EVENT(1, '<EventData><Data Name="x">&lol9;</Data></EventData>')}`;
    expect(sniffEventXml(Buffer.from(lol))).toBe(true);
    const before = process.memoryUsage().heapUsed;
    const r = await collect(eventXmlReader, memorySource('lol.xml', lol), {});
    expect(r.events).toEqual([]);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({ code: 'xml.entity-refused', file: 'lol.xml', offset: 22 });
    expect(formatIssue(r.issues[0]!)).toMatch(/^lol\.xml @0x16: DOCTYPE\/ENTITY declarations are refused/);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(32 * 1024 * 1024);
  });

  it('refuses external entities (XXE) and never reads the referenced file', async () => {
    const secret = join(tmp, 'secret.txt');
    writeFileSync(secret, 'TOP-SECRET');
    const xxe = `<?xml version="1.0"?><!DOCTYPE Event [<!ENTITY xxe SYSTEM "file://${secret}">]>${EVENT(1, '<EventData><Data Name="x">&xxe;</Data></EventData>')}`;
    const r = await collect(eventXmlReader, memorySource('xxe.xml', xxe), {});
    expect(r.events).toEqual([]);
    expect(r.issues.map((i) => i.code)).toEqual(['xml.entity-refused']);
    expect(JSON.stringify(r)).not.toContain('TOP-SECRET');
  });

  it('reports a truncated file with the offset of the open element and keeps what came before', async () => {
    const text = `<Events>${EVENT(1)}${EVENT(2).slice(0, 60)}`;
    const r = await collect(eventXmlReader, memorySource('t.xml', text), {});
    expect(r.events.map((e) => e.eventId)).toEqual([1]);
    expect(r.issues).toEqual([expect.objectContaining({ code: 'xml.truncated', file: 't.xml', offset: 8 + EVENT(1).length })]);
    expect(r.stats).toMatchObject({ read: 1, skipped: 1, skippedBy: { 'xml.truncated': 1 } });
  });

  it('reports a malformed element by index and offset and reads the others', async () => {
    const bad = '<Event><System><EventID>3</EventID></Oops></Event>';
    const text = `${EVENT(1)}${bad}${EVENT(2)}${EVENT(9).replace('2024-03-14T13:05:06.1234567Z', 'yesterday')}`;
    const r = await collect(eventXmlReader, memorySource('m.xml', text), {});
    expect(r.events.map((e) => e.eventId)).toEqual([1, 2]);
    expect(r.issues.map((i) => [i.code, i.offset, i.message.slice(0, 10)])).toEqual([
      ['xml.bad-event', EVENT(1).length, 'element 2:'],
      ['xml.bad-event', 2 * EVENT(1).length + bad.length, 'element 4:'],
    ]);
  });

  it('says so when the bytes are in the wrong encoding (UTF-16 text without BOM read as garbage, mixed bytes)', async () => {
    const text = EVENT(1);
    const noEvents = await collect(eventXmlReader, memorySource('w.xml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf8')])), {});
    expect(noEvents.events).toEqual([]);
    expect(noEvents.issues.map((i) => i.code)).toEqual(['xml.no-events']);
    const head = EVENT(1, '<EventData><Data Name="x">caf').replace(/<\/Event>$/, '');
    const mixed = Buffer.concat([Buffer.from(head), Buffer.from([0xe9]), Buffer.from('</Data></EventData></Event>')]);
    const r = await collect(eventXmlReader, memorySource('mixed.xml', mixed), {});
    expect(r.events).toHaveLength(1);
    expect(r.events[0]!.data.x).toBe('caf\uFFFD');
    expect(r.issues.map((i) => i.code)).toEqual(['text.invalid-encoding']);
  });

  it('skips an element above the size cap with an issue and continues', async () => {
    const big = EVENT(2, `<EventData><Data Name="x">${'A'.repeat(5000)}</Data></EventData>`);
    const text = `<Events>${EVENT(1)}${big}${EVENT(3)}</Events>`;
    const r = await collect(eventXmlReader, memorySource('b.xml', text, 256), { maxElementChars: 1000 } as never);
    expect(r.events.map((e) => e.eventId)).toEqual([1, 3]);
    expect(r.issues).toEqual([expect.objectContaining({ code: 'xml.element-too-large', offset: 8 + EVENT(1).length })]);
  });

  it('streams a file with a 100 MB element in bounded memory and reads the events around it', async () => {
    const path = join(tmp, 'huge.xml');
    const fd = openSync(path, 'w');
    writeSync(fd, `<Events>${EVENT(1)}${EVENT(2, '<EventData><Data Name="x">').replace(/<\/Event>$/, '')}`);
    const block = Buffer.alloc(1 << 20, 0x41);
    for (let i = 0; i < 100; i++) writeSync(fd, block);
    writeSync(fd, `</Data></EventData></Event>${EVENT(3)}</Events>`);
    closeSync(fd);
    let peak = 0;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    const base = process.memoryUsage().heapUsed;
    const r = await collect(eventXmlReader, fileSource(path, statSync(path).size), {});
    clearInterval(timer);
    expect(r.events.map((e) => e.eventId)).toEqual([1, 3]);
    expect(r.issues).toEqual([expect.objectContaining({ code: 'xml.element-too-large', file: path })]);
    expect(peak - base).toBeLessThan(120 * 1024 * 1024);
  });

  it('pushes the filter down and counts what it drops', async () => {
    const r = await collect(eventXmlReader, fixture('saved-server.xml'), { filter: { wants: (ch, _p, id) => ch === 'Security' || id === 131 } });
    expect(r.events.map((e) => e.eventId)).toEqual([131, 4625]);
    expect(r.stats).toMatchObject({ read: 2, filtered: 2 });
  });

  it('sniffs by content, not by name', () => {
    expect(sniffEventXml(fixtureBytes('wevtutil-client.xml'))).toBe(true);
    expect(sniffEventXml(fixtureBytes('servers.rdg'))).toBe(false);
    expect(sniffEventXml(Buffer.from('<html><body>Event</body></html>'))).toBe(false);
    expect(sniffEventXml(Buffer.from('<!DOCTYPE html><html></html>'))).toBe(false);
  });
});

describe('well-formedness check', () => {
  it('rejects what fast-xml-parser would silently accept', async () => {
    const { checkWellFormed } = await import('../../src/parsers/xml/wellFormed.js');
    expect(checkWellFormed('<a><b/><c x="1" y=\'2\'>t</c><!-- c --><![CDATA[<x>]]></a>')).toBeUndefined();
    expect(checkWellFormed('<a><b></a>')?.error).toBe('closing tag </a> does not match <b>');
    expect(checkWellFormed('<a>')?.error).toBe('<a> is not closed');
    expect(checkWellFormed('<a x=1></a>')?.error).toBe('malformed attributes in <a>');
    expect(checkWellFormed('<a><!-- open</a>')?.error).toBe('comment not closed');
    expect(checkWellFormed('</a>')?.error).toBe('closing tag </a> without an opening tag');
    expect(checkWellFormed('<1a></1a>')?.error).toMatch(/invalid tag name/);
  });
});

describe('hostile structure', () => {
  it('refuses absurd nesting instead of recursing, and reads UTF-16LE without a BOM', async () => {
    const deep = EVENT(1, `<UserData>${'<a>'.repeat(5000)}x${'</a>'.repeat(5000)}</UserData>`);
    const r = await collect(eventXmlReader, memorySource('deep.xml', `${deep}${EVENT(2)}`), {});
    expect(r.events.map((e) => e.eventId)).toEqual([2]);
    expect(r.issues).toEqual([expect.objectContaining({ code: 'xml.bad-event', message: expect.stringContaining('nested deeper than 100') })]);
    const noBom = Buffer.from(EVENT(3), 'utf16le');
    expect(sniffEventXml(noBom)).toBe(true);
    expect((await collect(eventXmlReader, memorySource('nobom.xml', noBom), {})).events.map((e) => e.eventId)).toEqual([3]);
  });
});

describe('System field ranges', () => {
  it('drops negative or out-of-range System numbers and refuses an impossible EventID', async () => {
    const odd = EVENT(5).replace('<Channel>', '<Level>-1</Level><Opcode>300</Opcode><Task>-4</Task><EventRecordID>-7</EventRecordID><Execution ProcessID="-1" ThreadID="4294967296"/><Channel>');
    const r = await collect(eventXmlReader, memorySource('n.xml', `${odd}${EVENT(70000)}`), {});
    expect(r.events).toHaveLength(1);
    const e = r.events[0]!;
    expect([e.level, e.opcode, e.task, e.recordId, e.processId, e.threadId]).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(r.issues.map((i) => i.message)).toEqual(['element 2: missing or invalid <EventID>']);
  });
});
