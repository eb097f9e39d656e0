import { describe, expect, it } from 'vitest';
import { psCsvReader, psJsonReader, sniffPsCsv, sniffPsJson } from '../../src/parsers/powershell.js';
import { collect, fixture, fixtureBytes, memorySource } from './support/collect.js';

const ONE = {
  Id: 1149,
  ProviderName: 'Microsoft-Windows-TerminalServices-RemoteConnectionManager',
  LogName: 'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational',
  MachineName: 'SRV01',
  TimeCreated: '/Date(1710421507300)/',
  Properties: [{ Value: 'alice' }, { Value: 'CONTOSO' }, { Value: '10.0.0.15' }],
  Message: 'Remote Desktop Services: User authentication succeeded:\r\n\r\nUser: alice\r\nDomain: CONTOSO\r\nSource Network Address: 10.0.0.15',
};

describe('PowerShell JSON reader', () => {
  it('reads Windows PowerShell 5.1 ConvertTo-Json (array, /Date()/ times, SID objects, Int64 keywords)', async () => {
    const r = await collect(psJsonReader, fixture('ps51-client.json'), {});
    expect(r.issues).toEqual([]);
    expect(r.events[0]).toMatchObject({
      time: '2024-03-14T13:05:09.5010000Z',
      eventId: 1026,
      keywords: '0x4000000000000000',
      userId: 'S-1-5-21-3623811015-3361044348-30300820-1013',
      activityId: '{780CF827-0ED1-4F4B-924C-3B14E7660000}',
      providerGuid: '{28AA95BB-D444-4719-A36F-40462168127E}',
      data: { Name: 'Disconnect Reason', Value: '2308', CustomLevel: 'Info' },
      source: { format: 'ps-json', position: 'object 1', fidelity: 'positional' },
    });
    await expect(JSON.stringify(r.events, null, 2)).toMatchFileSnapshot('../fixtures/inputs/golden/ps51-client.json.golden.json');
  });

  it('reads PowerShell 7 output (offset times with 100 ns, negative Int64 keywords, HexInt fields)', async () => {
    const r = await collect(psJsonReader, fixture('ps7-server.json'), {});
    expect(r.issues).toEqual([]);
    const f = r.events.find((e) => e.eventId === 4625)!;
    expect(f.time).toBe('2024-03-14T13:04:50.2000000Z');
    expect(f.keywords).toBe('0x8010000000000000');
    expect(f.data).toMatchObject({ SubjectUserSid: 'S-1-0-0', Status: '0xc000006d', SubStatus: '0xc000006a', SubjectLogonId: '0x0', LogonType: '3', IpPort: '50119' });
    await expect(JSON.stringify(r.events, null, 2)).toMatchFileSnapshot('../fixtures/inputs/golden/ps7-server.json.golden.json');
  });

  it('reads a single object, and JSON Lines', async () => {
    const single = await collect(psJsonReader, memorySource('one.json', JSON.stringify(ONE)), {});
    expect(single.events.map((e) => e.data)).toEqual([{ Param1: 'alice', Param2: 'CONTOSO', Param3: '10.0.0.15' }]);
    const lines = await collect(psJsonReader, memorySource('l.jsonl', `${JSON.stringify(ONE)}\n${JSON.stringify({ ...ONE, Id: 261, Properties: [{ Value: 'RDP-Tcp' }] })}\n`, 9), {});
    expect(lines.events.map((e) => [e.eventId, e.source.position, e.source.offset])).toEqual([
      [1149, 'object 1', 0],
      [261, 'object 2', JSON.stringify(ONE).length + 1],
    ]);
    expect(lines.events[1]!.data).toEqual({ listenerName: 'RDP-Tcp' });
  });

  it('falls back to the message, with one warning, when Properties were cut by -Depth', async () => {
    const cut = [1, 2].map(() => ({ ...ONE, Properties: ['System.Diagnostics.Eventing.Reader.EventProperty', 'System.Diagnostics.Eventing.Reader.EventProperty'] }));
    const r = await collect(psJsonReader, memorySource('cut.json', JSON.stringify(cut)), {});
    expect(r.issues.map((i) => i.code)).toEqual(['ps.properties-truncated']);
    expect(r.events.map((e) => [e.data, e.source.fidelity])).toEqual([
      [{ Param1: 'alice', Param2: 'CONTOSO', Param3: '10.0.0.15' }, 'message-only'],
      [{ Param1: 'alice', Param2: 'CONTOSO', Param3: '10.0.0.15' }, 'message-only'],
    ]);
  });

  it('keeps unknown events positional as Data[i]', async () => {
    const r = await collect(psJsonReader, memorySource('u.json', JSON.stringify({ ...ONE, Id: 9999, Properties: [{ Value: 1 }, { Value: [1, 171] }, { Value: null }] })), {});
    expect(r.events[0]!.data).toEqual({ 'Data[0]': '1', 'Data[1]': '01AB', 'Data[2]': '' });
  });

  it('reports JSON of the wrong shape and malformed objects by index and offset, reading the rest', async () => {
    const text = `[${JSON.stringify(ONE)},{"Name":"not an event"},{"Id": 5, "TimeCreated": tomorrow},${JSON.stringify({ ...ONE, TimeCreated: 'soon' })},${JSON.stringify(ONE)}]`;
    const r = await collect(psJsonReader, memorySource('w.json', text), {});
    expect(r.events).toHaveLength(2);
    expect(r.issues.map((i) => [i.code, i.message.slice(0, 9)])).toEqual([
      ['json.wrong-shape', 'object 2 '],
      ['json.malformed', 'object 3:'],
      ['json.bad-time', 'object 4:'],
    ]);
    expect(r.issues[0]!.offset).toBe(1 + JSON.stringify(ONE).length + 1);
    expect(r.stats).toMatchObject({ read: 2, skipped: 3 });
    const scalar = await collect(psJsonReader, memorySource('s.json', '"just a string"'), {});
    expect(scalar.issues.map((i) => i.code)).toEqual(['json.unexpected', 'json.no-objects']);
  });

  it('reports a truncated export and an oversized object', async () => {
    const t = await collect(psJsonReader, memorySource('t.json', `[${JSON.stringify(ONE)},${JSON.stringify(ONE).slice(0, 50)}`), {});
    expect(t.events).toHaveLength(1);
    expect(t.issues.map((i) => i.code)).toEqual(['json.truncated']);
    const big = await collect(psJsonReader, memorySource('b.json', `[${JSON.stringify({ ...ONE, Message: 'x'.repeat(4000) })},${JSON.stringify(ONE)}]`, 512), { maxObjectChars: 1000 } as never);
    expect(big.events).toHaveLength(1);
    expect(big.issues.map((i) => i.code)).toEqual(['json.object-too-large']);
  });

  it('sniffs ConvertTo-Json output by content', () => {
    expect(sniffPsJson(fixtureBytes('ps51-client.json'))).toBe(true);
    expect(sniffPsJson(fixtureBytes('ps7-server.json'))).toBe(true);
    expect(sniffPsJson(Buffer.from('{"name":"package","version":"1.0.0"}'))).toBe(false);
  });
});

describe('PowerShell Export-Csv reader', () => {
  it('reads Export-Csv with the #TYPE line: local times, message-mined data, golden output', async () => {
    const r = await collect(psCsvReader, fixture('ps-server.csv'), { sourceTz: 'Europe/Berlin' });
    expect(r.issues).toEqual([]);
    expect(r.events.map((e) => [e.time, e.eventId, e.computer, e.source.fidelity])).toEqual([
      ['2024-03-14T13:05:06.0000000Z', 131, 'SRV01.contoso.local', 'message-only'],
      ['2024-03-14T13:04:50.0000000Z', 4625, 'SRV01.contoso.local', 'message-only'],
      ['2024-03-14T13:05:07.0000000Z', 1149, 'SRV01.contoso.local', 'message-only'],
      ['2024-03-14T13:05:06.0000000Z', 36888, 'SRV01.contoso.local', 'message-only'],
    ]);
    expect(r.events[1]!.keywords).toBe('0x8010000000000000');
    await expect(JSON.stringify(r.events, null, 2)).toMatchFileSnapshot('../fixtures/inputs/golden/ps-server.csv.golden.json');
  });

  it('reads Export-Csv without the #TYPE line (PowerShell 7 / -NoTypeInformation)', async () => {
    const text = fixtureBytes('ps-server.csv').toString('utf8').split('\r\n').slice(1).join('\r\n');
    expect(sniffPsCsv(Buffer.from(text))).toBe(true);
    const r = await collect(psCsvReader, memorySource('n.csv', text), { sourceTz: 'Europe/Berlin' });
    expect(r.events).toHaveLength(4);
    expect(r.events[0]!.source.position).toBe('line 2');
  });
});
