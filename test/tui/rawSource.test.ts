// The raw record read again from the source file for the event pane.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Provenance } from '../../src/model/event.js';
import type { StoredEvent } from '../../src/model/stages.js';
import { prettyXml, readRawSource } from '../../src/tui/rawSource.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'rdpdoctor-raw-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function ev(source: Partial<Provenance> & Pick<Provenance, 'file' | 'format'>, recordId?: number): StoredEvent {
  return {
    rowId: 1,
    time: '2026-03-02T09:58:04.5517500Z',
    provider: 'p',
    eventId: 1,
    channel: 'System',
    computer: 'H',
    data: {},
    ...(recordId !== undefined ? { recordId } : {}),
    source: { position: 'x', fidelity: 'full', ...source },
  };
}

describe('readRawSource', () => {
  const system = join(repoRoot, 'samples/server-denied/server/System.evtx');
  it.skipIf(!existsSync(system))('re-renders an evtx record as indented Event XML from its chunk', () => {
    const r = readRawSource(ev({ file: system, format: 'evtx', chunk: 0, offset: 0x1200 }, 23748));
    expect(r.raw).toBeDefined();
    expect(r.raw).toContain('<EventRecordID>23748</EventRecordID>');
    expect(r.raw).toMatch(/^<Event xmlns=.*>\n {2}<System>\n {4}<Provider /);
    expect(r.note).toContain('chunk 0');
    const gone = readRawSource(ev({ file: system, format: 'evtx', chunk: 0 }, 999_999));
    expect(gone.raw).toBeUndefined();
    expect(gone.note).toContain('record 999999 is no longer in chunk 0');
  });

  it('reads the line of a CSV export at its offset, UTF-8 or UTF-16LE', () => {
    const lines = 'Level,Date and Time,Source,Event ID\r\nError,3/2/2026 9:58:04 AM,TermService,1071\r\nInformation,x,y,1\r\n';
    const u8 = join(work, 'a.csv');
    writeFileSync(u8, lines);
    const off = Buffer.byteLength(lines.split('\r\n')[0] as string) + 2;
    expect(readRawSource(ev({ file: u8, format: 'evt-csv', offset: off })).raw).toBe('Error,3/2/2026 9:58:04 AM,TermService,1071');
    const u16 = join(work, 'b.csv');
    writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lines, 'utf16le')]));
    expect(readRawSource(ev({ file: u16, format: 'evt-csv', offset: 2 + off * 2 })).raw).toBe('Error,3/2/2026 9:58:04 AM,TermService,1071');
  });

  it('reads one element of an Event XML export', () => {
    const xml = '<Events><Event><System><EventID>1</EventID></System></Event><Event><System><EventID>2</EventID></System></Event></Events>';
    const f = join(work, 'e.xml');
    writeFileSync(f, xml);
    expect(readRawSource(ev({ file: f, format: 'event-xml', offset: xml.indexOf('<Event><System><EventID>2') })).raw).toBe('<Event><System><EventID>2</EventID></System></Event>');
  });

  it('explains instead of reading: archives, missing files, formats without a raw form', () => {
    expect(readRawSource(ev({ file: 'logs.zip!/System.evtx', format: 'evtx', chunk: 0 }, 1)).note).toContain('inside an archive');
    expect(readRawSource(ev({ file: join(work, 'gone.evtx'), format: 'evtx', chunk: 0 }, 1)).note).toMatch(/cannot read .*ENOENT/);
    expect(readRawSource(ev({ file: 'x.json', format: 'ps-json', offset: 0 })).note).toContain('no raw form is kept for ps-json');
  });
});

describe('prettyXml', () => {
  it('puts one element per line and keeps leaf text with its element', () => {
    expect(prettyXml("<Event><System><EventID Qualifiers='0'>1071</EventID><Correlation/></System><EventData><Data Name='a'>b</Data></EventData></Event>")).toBe(
      ["<Event>", "  <System>", "    <EventID Qualifiers='0'>1071</EventID>", '    <Correlation/>', '  </System>', '  <EventData>', "    <Data Name='a'>b</Data>", '  </EventData>', '</Event>'].join('\n'),
    );
  });
});
