import { describe, expect, it } from 'vitest';
import { rdcmanReader, sniffRdg } from '../../src/parsers/rdcman.js';
import { parseRdcmanMessage, rdcmanLogReader, sniffRdcmanLog } from '../../src/parsers/rdcmanLog.js';
import { collect, fixture, fixtureBytes, memorySource } from './support/collect.js';

describe('RDCMan .rdg reader', () => {
  it('emits one rdg-server context per server with group → server inheritance resolved', async () => {
    const r = await collect(rdcmanReader, fixture('servers.rdg'), {});
    expect(r.issues).toEqual([]);
    const [srv01, srv02, lab01] = r.contexts;
    expect(r.contexts.map((c) => [c.target, c.source.position])).toEqual([
      ['srv01.contoso.local', 'server 1'],
      ['srv02.contoso.local:3390', 'server 2'],
      ['lab01', 'server 3'],
    ]);
    // Inherited from the file: gateway on, authentication Warn; from the group: logon user.
    expect(srv01!.settings).toMatchObject({ 'gatewaySettings/enabled': 'True', 'gatewaySettings/hostName': 'rdgw.contoso.com', 'securitySettings/authentication': 'Warn', 'logonCredentials/userName': 'alice', group: 'Session hosts' });
    // Own settings win over inherited ones.
    expect(srv02!.settings).toMatchObject({ 'gatewaySettings/enabled': 'False', 'securitySettings/authentication': 'Required', 'connectionSettings/port': '3390', comment: 'moved to 3390 & NLA only' });
    expect(srv02!.settings['gatewaySettings/hostName']).toBeUndefined();
    // inherit="FromParent" goes up; a credentials profile is resolved by name.
    expect(lab01!.settings).toMatchObject({ 'securitySettings/authentication': 'Warn', 'logonCredentials/userName': 'admin.alice', group: 'Session hosts/Lab' });
    expect(JSON.stringify(r.contexts)).not.toContain('AQAAANCMnd8B');
    await expect(JSON.stringify(r.contexts, null, 2)).toMatchFileSnapshot('../fixtures/inputs/golden/servers.rdg.golden.json');
  });

  it('refuses DOCTYPE and reports malformed files', async () => {
    const bad = await collect(rdcmanReader, memorySource('b.rdg', '<?xml version="1.0"?><!DOCTYPE RDCMan [<!ENTITY x SYSTEM "file:///etc/passwd">]><RDCMan><file>&x;</file></RDCMan>'), {});
    expect(bad.issues.map((i) => [i.code, i.offset])).toEqual([['xml.entity-refused', 21]]);
    const broken = await collect(rdcmanReader, memorySource('c.rdg', '<RDCMan><file><server></file></RDCMan>'), {});
    expect(broken.issues.map((i) => i.code)).toEqual(['rdg.malformed']);
    expect(broken.issues[0]!.line).toBe(1);
  });

  it('reads v2.2 files with names on the server element', async () => {
    const r = await collect(rdcmanReader, memorySource('old.rdg', '<?xml version="1.0"?><RDCMan schemaVersion="1"><version>2.2</version><file><name>old</name><server><name>legacy01</name><displayName>Legacy</displayName></server></file></RDCMan>'), {});
    expect(r.contexts.map((c) => [c.target, c.settings.displayName])).toEqual([['legacy01', 'Legacy']]);
  });

  it('sniffs by the RDCMan root', () => {
    expect(sniffRdg(fixtureBytes('servers.rdg'))).toBe(true);
    expect(sniffRdg(fixtureBytes('saved-server.xml'))).toBe(false);
  });
});

describe('RDCMan log reader', () => {
  it('turns connection lines into client events carrying both codes', async () => {
    const r = await collect(rdcmanLogReader, fixture('RDCMan-202403140904.log'), { sourceTz: 'America/New_York', computer: 'HLPC01' });
    expect(r.issues).toEqual([]);
    expect(r.events.map((e) => [e.time, e.eventId, e.source.position])).toEqual([
      ['2024-03-14T13:05:06.0000000Z', 1, 'line 5'],
      ['2024-03-14T13:05:09.0000000Z', 3, 'line 6'],
      ['2024-03-14T13:07:12.0000000Z', 1, 'line 7'],
      ['2024-03-14T13:07:14.0000000Z', 2, 'line 8'],
      ['2024-03-14T13:12:40.0000000Z', 3, 'line 10'],
      ['2024-03-14T13:13:02.0000000Z', 1, 'line 11'],
      ['2024-03-14T13:13:05.0000000Z', 4, 'line 12'],
      ['2024-03-14T13:13:05.0000000Z', 3, 'line 13'],
    ]);
    expect(r.events[1]).toMatchObject({
      provider: 'RDCMan',
      channel: 'RDCMan',
      computer: 'HLPC01',
      level: 2,
      data: { Server: 'SRV01 (session host)', DiscReason: '2308', ExtendedReason: '7', ExtendedReasonName: 'exDiscReasonServerDeniedConnection' },
    });
    expect(r.events[4]!.level).toBe(4);
    expect(r.events[7]!.data).toEqual({ Server: 'srv02.contoso.local:3390', DiscReason: '2055', ExtendedReason: '18' });
    await expect(JSON.stringify(r.events, null, 2)).toMatchFileSnapshot('../fixtures/inputs/golden/RDCMan-202403140904.log.golden.json');
  });

  it('parses every documented line shape and flags unknown ones', () => {
    expect(parseRdcmanMessage('OnAutoReconnecting2 srv: disconnectReason=264 networkAvailable=True attemptCount=2 maxAttemptCount=20')).toMatchObject({ id: 5, data: { Server: 'srv', DiscReason: '264', AttemptCount: '2' } });
    expect(parseRdcmanMessage('Error(0x80004005) connecting to srv')).toMatchObject({ id: 7, data: { HResult: '0x80004005', Server: 'srv' } });
    expect(parseRdcmanMessage('OnDisconnected srv: discReason=2308 extendedDisconnectReason=exDiscReasonSomethingNew')).toMatchObject({ id: 3, data: { ExtendedReasonName: 'exDiscReasonSomethingNew' }, warning: expect.stringContaining('unknown extended reason') });
    expect(parseRdcmanMessage('OnDisconnected srv')).toEqual({ kind: 'odd', warning: expect.any(String) });
    expect(parseRdcmanMessage('Begin logoff from srv')).toBeUndefined();
  });

  it('warns once without a source zone and skips an over-long line with a clear issue', async () => {
    const big = `2024-03-14T09:05:06  OnConnecting a\n2024-03-14T09:05:07  ${'x'.repeat(3_000_000)}\n2024-03-14T09:05:08  OnConnected a\n`;
    const r = await collect(rdcmanLogReader, memorySource('l.log', big, 1 << 16), {});
    expect(r.issues.map((i) => [i.code, i.line])).toEqual([
      ['time.no-zone', undefined],
      ['text.line-too-long', 2],
    ]);
    expect(r.events.map((e) => [e.eventId, e.source.position])).toEqual([
      [1, 'line 1'],
      [2, 'line 3'],
    ]);
  });

  it('sniffs by its header and connection lines', () => {
    expect(sniffRdcmanLog(fixtureBytes('RDCMan-202403140904.log'))).toBe(true);
    expect(sniffRdcmanLog(Buffer.from('2024-03-14T09:05:06 something else\n'))).toBe(false);
  });
});
