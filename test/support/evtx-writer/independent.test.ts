// Files from the writer read by independent parsers: Debian's evtxexport (libevtx) must render every
// value type, the System variants (classic source, qualifiers, related activity, no user) and a
// multi-chunk file exactly as written; python-evtx must count the same records.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectedRecord } from '../../samples/expectRecord.js';
import { parseEvtxexportXml, requireTool, run } from '../../samples/tools.js';
import { writeEvtx, type EvtxEventSpec } from './index.js';

const haveEvtxexport = requireTool('evtxexport', 'evtx-writer/evtxexport');
const haveEvtxinfo = requireTool('evtxinfo', 'evtx-writer/evtxinfo');
const havePyEvtx = requireTool('/usr/bin/python3', 'evtx-writer/python-evtx', ['/usr/bin/evtx_dump.py', '-h']);

const base = { computer: 'RDS01.corp.example', processId: 1136, threadId: 4242 };
const manifest = { name: 'Microsoft-Windows-Security-Auditing', guid: '{54849625-5478-4994-a5ba-3e3b0328c30d}' };

const EVENTS: EvtxEventSpec[] = [
  {
    ...base,
    provider: manifest,
    eventId: 4625,
    level: 0,
    task: 12544,
    keywords: '0x8010000000000000',
    time: '2026-03-02T09:00:00.0000001Z',
    channel: 'Security',
    activityId: '{11111111-2222-3333-4444-555555555555}',
    relatedActivityId: '{66666666-7777-8888-9999-AAAAAAAAAAAA}',
    payload: {
      kind: 'EventData',
      fields: [
        { name: 'String', value: 'CORP\\alice' },
        { name: 'Empty', value: '' },
        { name: 'U8', value: { type: 'uint8', value: 255 } },
        { name: 'U16', value: { type: 'uint16', value: 65535 } },
        { name: 'U32', value: { type: 'uint32', value: 4294967295 } },
        { name: 'I32', value: { type: 'int32', value: 2147483647 } },
        { name: 'U64', value: { type: 'uint64', value: 18446744073709551615n } },
        { name: 'I64', value: { type: 'int64', value: 9007199254740993n } },
        { name: 'Hex32', value: { type: 'hex32', value: 0xc000015b } },
        { name: 'Hex64', value: { type: 'hex64', value: 0x2a3b4c5dn } },
        { name: 'Guid', value: { type: 'guid', value: '{df6202fa-5e43-2c09-ebc9-b4482335f90a}' } },
        { name: 'FileTime', value: { type: 'filetime', value: '2026-03-02T08:59:59.9999999Z' } },
        { name: 'Sid', value: { type: 'sid', value: 'S-1-5-21-3623811015-3361044348-30300820-1104' } },
        { name: 'Binary', value: { type: 'binary', value: '00FF10ab' } },
        { name: 'BoolTrue', value: { type: 'bool', value: true } },
        { name: 'BoolFalse', value: { type: 'bool', value: false } },
        { name: 'Absent', value: { type: 'null' } },
        { name: 'Unicode', value: 'Zoë – 東京' },
      ],
    },
  },
  {
    ...base,
    provider: { name: 'LsaSrv', guid: '{199fe037-2b82-40a9-82ac-e1d46c792b99}', eventSourceName: 'LsaSrv' },
    eventId: 6041,
    qualifiers: 0,
    level: 2,
    keywords: '0x0080000000000000',
    time: '2026-03-02T09:00:01Z',
    channel: 'System',
    payload: { kind: 'EventData', fields: [{ value: 'TERMSRV/RDS01.corp.example' }, { value: '4' }], binary: 'DEADBEEF' },
  },
  {
    ...base,
    provider: { name: 'Microsoft-Windows-TerminalServices-RemoteConnectionManager', guid: '{C76BAA63-AE81-421C-B425-340B4B24157F}' },
    eventId: 1149,
    keywords: '0x1000000000000000',
    time: '2026-03-02T09:00:02.5Z',
    channel: 'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational',
    userId: 'S-1-5-20',
    payload: { kind: 'UserData', element: 'EventXML', xmlns: 'Event_NS', fields: [{ name: 'Param1', value: 'alice' }, { name: 'Param2', value: '' }, { name: 'Param3', value: '192.0.2.10' }] },
  },
  { ...base, provider: { name: 'No-Payload-Provider' }, eventId: 7, time: '2026-03-02T09:00:03Z', channel: 'Application' },
  {
    ...base,
    provider: { name: 'EventLog', legacy: true },
    eventId: 6005,
    qualifiers: 32768,
    keywords: '0x0080000000000000',
    time: '2026-03-02T09:00:04Z',
    channel: 'System',
    payload: { kind: 'EventData', fields: [], binary: 'EA07030001000200090000000400000000000000' },
  },
];

describe('writer output read by independent parsers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rdpdoctor-evtxw-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const types = join(dir, 'types.evtx');
  writeFileSync(types, writeEvtx(EVENTS, { firstRecordId: 41 }));
  // Few but large records: several chunks while python-evtx (slow per record) stays quick.
  const many = Array.from({ length: 150 }, (_, i): EvtxEventSpec => ({
    ...EVENTS[2]!,
    time: `2026-03-02T10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
    payload: { kind: 'UserData', element: 'EventXML', xmlns: 'Event_NS', fields: [{ name: 'Param1', value: `${'p'.repeat(1200)}${i}` }] },
  }));
  const empty = join(dir, 'empty.evtx');
  writeFileSync(empty, writeEvtx([]));
  const dirty = join(dir, 'dirty.evtx');
  writeFileSync(dirty, writeEvtx(EVENTS.slice(0, 1), { flags: 1 }));
  const spill = join(dir, 'spill.evtx');
  const spillBytes = writeEvtx(many);
  writeFileSync(spill, spillBytes);

  it.skipIf(!haveEvtxexport)('evtxexport renders every value type and System variant as written', () => {
    const r = run('evtxexport', ['-f', 'xml', types]);
    expect(r.status, r.stderr).toBe(0);
    const got = parseEvtxexportXml(r.stdout);
    expect(got).toEqual(EVENTS.map((e, i) => expectedRecord(e, 41 + i)));
    expect(r.stdout).toContain('RelatedActivityID="{66666666-7777-8888-9999-AAAAAAAAAAAA}"');
    expect(r.stdout).not.toContain('Name="Absent"'); // NULL in an optional substitution drops the element
    const legacy = r.stdout.slice(r.stdout.lastIndexOf('<Event '));
    expect(legacy).toContain('<Provider Name="EventLog"/>');
    expect(legacy).not.toMatch(/<Version>|<Opcode>|<Correlation|<Execution/);
  });

  it.skipIf(!haveEvtxexport)('evtxexport reads all records of a multi-chunk file', () => {
    expect(spillBytes.readUInt16LE(42)).toBeGreaterThan(1);
    const r = run('evtxexport', ['-f', 'xml', spill]);
    expect(r.status, r.stderr).toBe(0);
    const got = parseEvtxexportXml(r.stdout);
    expect(got.map((g) => g.recordId)).toEqual(many.map((_, i) => i + 1));
    expect(got[149]).toEqual(expectedRecord(many[149]!, 150));
  });

  it.skipIf(!haveEvtxinfo)('evtxinfo finds an empty log clean', () => {
    const r = run('evtxinfo', [empty]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Number of records\s*:\s*0\n/);
    expect(r.stdout).not.toMatch(/corrupted/i);
  });

  it.skipIf(!haveEvtxinfo)('evtxinfo reports the dirty flag when asked for', () => {
    expect(run('evtxinfo', [dirty]).stdout).toMatch(/Is dirty/);
    expect(run('evtxinfo', [types]).stdout).not.toMatch(/Is dirty/);
  });

  it.skipIf(!havePyEvtx)('python-evtx reads the same records', () => {
    for (const [file, n] of [[types, EVENTS.length], [spill, many.length]] as const) {
      const r = run('/usr/bin/python3', ['/usr/bin/evtx_dump.py', file]);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout.match(/<Event xmlns=/g)?.length ?? 0).toBe(n);
    }
    const r = run('/usr/bin/python3', ['/usr/bin/evtx_dump.py', types]);
    expect(r.stdout).toContain('<Data Name="Hex32">0xc000015b</Data>');
    expect(r.stdout).toContain('<Param3>192.0.2.10</Param3>');
  });
});
