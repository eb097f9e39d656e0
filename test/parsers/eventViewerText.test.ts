import { describe, expect, it } from 'vitest';
import { eventViewerCsvReader, eventViewerTextReader, sniffEventViewerHeader } from '../../src/parsers/eventViewerText.js';
import { collect, fixture, fixtureBytes, memorySource, utf16 } from './support/collect.js';

const HEADER = 'Level,Date and Time,Source,Event ID,Task Category\r\n';

describe('Event Viewer CSV / text reader', () => {
  it('reads an en-US CSV export in the exporting zone to the golden events', async () => {
    const r = await collect(eventViewerCsvReader, fixture('evtviewer-client.csv'), { sourceTz: 'America/New_York', computer: 'HLPC01.contoso.local' });
    expect(r.issues).toEqual([]);
    expect(r.events.map((e) => [e.time, e.eventId, e.data])).toEqual([
      ['2024-03-14T13:05:09.0000000Z', 1026, { Value: '2308' }],
      ['2024-03-14T13:05:06.0000000Z', 1024, { Value: 'srv01.contoso.local' }],
      ['2024-03-14T12:58:31.0000000Z', 6041, { 'Data[0]': 'TERMSRV/srv02.contoso.local', 'Data[1]': '4' }],
    ]);
    expect(r.events.every((e) => e.source.fidelity === 'message-only' && e.computer === 'HLPC01.contoso.local')).toBe(true);
    await expect(JSON.stringify(r.events, null, 2)).toMatchFileSnapshot('../fixtures/inputs/golden/evtviewer-client.csv.golden.json');
  });

  it('reads a tab-separated text export with day-first dates, short source names and multi-line messages', async () => {
    const r = await collect(eventViewerTextReader, fixture('evtviewer-server.txt'), { sourceTz: '+01:00' });
    expect(r.issues).toEqual([]);
    expect(r.events.map((e) => [e.time, e.provider, e.channel, e.source.position])).toEqual([
      ['2024-03-14T13:05:07.0000000Z', 'Microsoft-Windows-TerminalServices-RemoteConnectionManager', 'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational', 'line 2'],
      ['2024-03-14T13:05:06.0000000Z', 'Schannel', 'System', 'line 7'],
      ['2024-03-14T13:05:06.0000000Z', 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS', 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational', 'line 8'],
      ['2024-03-14T13:04:50.0000000Z', 'Microsoft-Windows-Security-Auditing', 'Security', 'line 9'],
    ]);
    expect(r.events[3]).toMatchObject({ level: 0, keywords: '0x8010000000000000', computer: '' });
    await expect(JSON.stringify(r.events, null, 2)).toMatchFileSnapshot('../fixtures/inputs/golden/evtviewer-server.txt.golden.json');
  });

  it('without a source zone takes UTC and warns exactly once', async () => {
    const r = await collect(eventViewerCsvReader, fixture('evtviewer-client.csv'), {});
    expect(r.issues.map((i) => [i.code, i.severity, i.file])).toEqual([['time.no-zone', 'warning', 'inputs/evtviewer-client.csv']]);
    expect(r.events[0]!.time).toBe('2024-03-14T09:05:09.0000000Z');
  });

  it('rejects an unusable zone with an error and falls back to UTC', async () => {
    const r = await collect(eventViewerCsvReader, fixture('evtviewer-client.csv'), { sourceTz: 'Mars/Olympus' });
    expect(r.issues.map((i) => i.code)).toEqual(['time.bad-zone']);
    expect(r.events).toHaveLength(3);
  });

  it('decides day/month order from the whole file, and warns when nothing decides it', async () => {
    const rows = (d1: string, d2: string): string =>
      `${HEADER}Information,${d1},Schannel,36887,None,The alert code is 46.\r\nInformation,${d2},Schannel,36887,None,x\r\n`;
    const late = await collect(eventViewerCsvReader, memorySource('a.csv', rows('03/04/2024 10:00:00', '25/04/2024 10:00:00')), { sourceTz: 'UTC' });
    expect(late.events.map((e) => e.time.slice(0, 10))).toEqual(['2024-04-03', '2024-04-25']);
    expect(late.issues).toEqual([]);
    expect(late.events[0]!.data).toEqual({ AlertDesc: '46' });
    const us = await collect(eventViewerCsvReader, memorySource('b.csv', rows('03/04/2024 10:00:00', '04/25/2024 10:00:00')), { sourceTz: 'UTC' });
    expect(us.events.map((e) => e.time.slice(0, 10))).toEqual(['2024-03-04', '2024-04-25']);
    const amb = await collect(eventViewerCsvReader, memorySource('c.csv', rows('03/04/2024 10:00:00', '05/04/2024 10:00:00')), { sourceTz: 'UTC' });
    expect(amb.issues.map((i) => i.code)).toEqual(['time.ambiguous-date-order']);
    expect(amb.events[0]!.time.slice(0, 10)).toBe('2024-04-03');
    const dots = await collect(eventViewerCsvReader, memorySource('d.csv', rows('14.03.2024 14:05:06', '\u200e14.03.2024 14:05:07')), { sourceTz: 'Europe/Berlin' });
    expect(dots.events.map((e) => e.time)).toEqual(['2024-03-14T13:05:06.0000000Z', '2024-03-14T13:05:07.0000000Z']);
  });

  it('reports broken quoting with the line, keeping the rows before it', async () => {
    const text = `${HEADER}Information,3/14/2024 9:05:06 AM,Microsoft-Windows-TerminalServices-ClientActiveXCore,1024,Connection Sequence,"RDP ClientActiveX is trying to connect to the server (a)"\r\nError,3/14/2024 9:05:07 AM,LsaSrv,6041,None,"never closed\r\nmore\r\n`;
    const r = await collect(eventViewerCsvReader, memorySource('q.csv', text), { sourceTz: 'UTC' });
    expect(r.events.map((e) => e.eventId)).toEqual([1024]);
    expect(r.issues).toEqual([expect.objectContaining({ code: 'csv.malformed', file: 'q.csv', line: 3 })]);
  });

  it('reports rows it cannot use by line and reads the rest', async () => {
    const text = `${HEADER}Information,3/14/2024 9:05:06 AM,Schannel,abc,None,x\r\nInformation,someday,Schannel,36887,None,x\r\nInformation,3/14/2024 9:05:08 AM,Schannel,36887,None,x\r\n`;
    const r = await collect(eventViewerCsvReader, memorySource('r.csv', text), { sourceTz: 'UTC' });
    expect(r.events).toHaveLength(1);
    expect(r.issues.map((i) => [i.code, i.line])).toEqual([
      ['csv.bad-event-id', 2],
      ['csv.bad-time', 3],
    ]);
    expect(r.stats).toMatchObject({ read: 1, skipped: 2 });
  });

  it('reads UTF-16LE exports and sniffs both delimiters by header', async () => {
    const text = fixtureBytes('evtviewer-client.csv').toString('utf8').replace(/^\ufeff/, '');
    expect(sniffEventViewerHeader(utf16(text))).toBe(',');
    expect(sniffEventViewerHeader(fixtureBytes('evtviewer-server.txt'))).toBe('\t');
    expect(sniffEventViewerHeader(fixtureBytes('ps-server.csv'))).toBeUndefined();
    const r = await collect(eventViewerCsvReader, memorySource('u.csv', utf16(text)), { sourceTz: 'America/New_York' });
    expect(r.events.map((e) => e.data.Value)).toEqual(['2308', 'srv01.contoso.local', undefined]);
  });

  it('accepts a German header and level names', async () => {
    const text = 'Ebene,Datum und Uhrzeit,Quelle,Ereignis-ID,Aufgabenkategorie\r\nFehler,14.03.2024 14:05:06,Schannel,36887,Keine,x\r\n';
    expect(sniffEventViewerHeader(Buffer.from(text))).toBe(',');
    const r = await collect(eventViewerCsvReader, memorySource('de.csv', text), { sourceTz: 'Europe/Berlin' });
    expect(r.events[0]).toMatchObject({ level: 2, time: '2024-03-14T13:05:06.0000000Z' });
  });

  it('says so when an export is only a header', async () => {
    const r = await collect(eventViewerCsvReader, memorySource('h.csv', HEADER), { sourceTz: 'UTC' });
    expect(r.events).toEqual([]);
    expect(r.stats.read).toBe(0);
  });
});
