// The scenario building blocks: Windows-like ActivityIDs that differ per host, fixed-clock time
// arithmetic, and the export formats (.rdp UTF-16LE with BOM and CRLF, RDCMan log line layout).
import { describe, expect, it } from 'vitest';
import { rdcmanLog, rdgFile, rdpFile } from '../../scripts/scenarios/lib/exports.js';
import { activityId, pick } from '../../scripts/scenarios/lib/ids.js';
import { between, plus } from '../../scripts/scenarios/lib/time.js';

describe('ids', () => {
  it('ActivityIDs look like Windows ones, are stable, and differ per host and label', () => {
    const a = activityId('s', 'WS-ALICE.corp.example', 'x');
    expect(a).toMatch(/^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{8}0000\}$/);
    expect(activityId('s', 'WS-ALICE.corp.example', 'x')).toBe(a);
    expect(activityId('s', 'RDS01.corp.example', 'x')).not.toBe(a);
    expect(activityId('s', 'WS-ALICE.corp.example', 'y')).not.toBe(a);
  });

  it('pick stays in range and is stable', () => {
    const v = pick(49700, 64000, 'a', 'b');
    expect(v).toBeGreaterThanOrEqual(49700);
    expect(v).toBeLessThanOrEqual(64000);
    expect(pick(49700, 64000, 'a', 'b')).toBe(v);
  });
});

describe('time', () => {
  it('adds milliseconds with 100 ns precision and measures differences', () => {
    expect(plus('2026-03-02T23:59:59.9999999Z', 0.0001)).toBe('2026-03-03T00:00:00.0000000Z');
    expect(plus('2026-03-02T08:00:00Z', -1910)).toBe('2026-03-02T07:59:58.0900000Z');
    expect(between('2026-03-02T08:00:00Z', '2026-03-02T08:06:40.5Z')).toBe(400_500);
  });
});

describe('exports', () => {
  it('.rdp: UTF-16LE with BOM, CRLF lines, full address and gateway settings', () => {
    const b = rdpFile({ fullAddress: 'rdp.example.net:3390', username: 'CORP\\alice', gateway: { host: 'rdgw.corp.example', usage: 1 } });
    expect([...b.subarray(0, 2)]).toEqual([0xff, 0xfe]);
    const text = b.subarray(2).toString('utf16le');
    expect(text).toContain('\r\nfull address:s:rdp.example.net:3390\r\n');
    expect(text).toContain('gatewayhostname:s:rdgw.corp.example\r\ngatewayusagemethod:i:1\r\n');
    expect(text.endsWith('username:s:CORP\\alice\r\n')).toBe(true);
    expect(text.split('\r\n').filter(Boolean).every((l) => /^[a-z ]+:[sib]:/.test(l))).toBe(true);
  });

  it('RDCMan log: local-time lines with two spaces at indent 0, named after the first line', () => {
    const [name, text] = rdcmanLog('2026-03-02T08:30:55.4000000Z', [
      { time: '2026-03-02T09:58:04.9531250Z', text: 'OnDisconnected RDS01: discReason=2308 extendedDisconnectReason=exDiscReasonServerDeniedConnection' },
      { time: '2026-03-02T09:58:03.3437500Z', text: 'OnConnecting RDS01' },
    ]);
    expect(name).toBe('RDCMan-202603020930.log');
    const lines = text.split('\r\n');
    expect(lines[0]).toBe('2026-03-02T09:30:55  RDCMan v2.93 build 1430');
    expect(lines.slice(4, 6)).toEqual([
      '2026-03-02T10:58:03  OnConnecting RDS01',
      '2026-03-02T10:58:04  OnDisconnected RDS01: discReason=2308 extendedDisconnectReason=exDiscReasonServerDeniedConnection',
    ]);
    expect(lines[6]).toBe('');
  });

  it('.rdg: RDCMan 2.93 schema 3 with escaped names and optional gateway settings', () => {
    const x = rdgFile('A & B', [{ displayName: 'RDS01', name: 'RDS01.corp.example', gateway: { host: 'rdgw.corp.example' } }], { name: 'alice', domain: 'CORP' });
    expect(x.startsWith('<?xml version="1.0" encoding="utf-8"?>\n<RDCMan programVersion="2.93" schemaVersion="3">')).toBe(true);
    expect(x).toContain('<name>A &amp; B</name>');
    expect(x).toContain('<hostName>rdgw.corp.example</hostName>');
    expect(x).toContain('<name>RDS01.corp.example</name>');
  });
});
