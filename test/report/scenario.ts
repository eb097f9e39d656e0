// A synthetic 0x904/0x7 case written as real .evtx files with the project's own writer (test/support):
// the client's RDPClient log, the server's RdpCoreTS and System logs. It carries what the report
// must handle: a record-id gap, a cleared log, hostile terminal sequences in event data, and a lone
// surrogate. SYNTHETIC: no public sample of a 0x904/0x7 failure exists (rdp-kb §6).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type EvtxEventSpec, writeEvtx } from '../support/evtx-writer/index.js';

const CLIENT = 'Microsoft-Windows-TerminalServices-RDPClient/Operational';
const CORETS = 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational';
const AX = { name: 'Microsoft-Windows-TerminalServices-ClientActiveXCore', guid: '{28AA95BB-D444-4719-A36F-40462168127E}' };
const CORE = { name: 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS', guid: '{1139C61B-B549-4251-8ED3-27250A1EDEC8}' };
const RCM = { name: 'Microsoft-Windows-TerminalServices-RemoteConnectionManager', guid: '{C76BAA63-AE81-421C-B425-340B4B24157F}' };

/** Screen clear, OSC 52 clipboard write, BEL, a C1 CSI and a right-to-left override. */
export const HOSTILE = 'evil\u001b[2J\u001b]52;c;ZXZpbA==\u0007\u009b31m\u202etxt.exe';

function clientEvent(id: number, time: string, activity: string, name: string, value: string, recordId: number): EvtxEventSpec {
  return {
    provider: AX,
    eventId: id,
    level: 4,
    time,
    recordId,
    activityId: activity,
    processId: 4242,
    threadId: 17,
    channel: CLIENT,
    computer: 'WS01.contoso.local',
    userId: 'S-1-5-21-1111111111-2222222222-3333333333-1001',
    payload: { kind: 'EventData', fields: [{ name: 'Name', value: name }, { name: 'Value', value }, { name: 'CustomLevel', value: 'Info' }] },
  };
}

function coreEvent(id: number, time: string, recordId: number, fields: Array<{ name: string; value: string }>): EvtxEventSpec {
  return {
    provider: CORE,
    eventId: id,
    level: 4,
    time,
    recordId,
    activityId: '{F420C0D6-1D5B-4AB4-A1F5-DAB6D0A70000}',
    channel: CORETS,
    computer: 'SRV01.contoso.local',
    userId: 'S-1-5-20',
    payload: { kind: 'EventData', fields },
  };
}

export interface Scenario {
  dir: string;
  client: string;
  server: string;
}

/** Writes the scenario under `root` (client/ and server/ folders plus an unreadable notes.txt). */
export function writeScenario(root: string): Scenario {
  const client = path.join(root, 'client');
  const server = path.join(root, 'server');
  mkdirSync(client, { recursive: true });
  mkdirSync(server, { recursive: true });
  const A = '{780CF827-0ED1-4F4B-924C-3B14E7660000}';
  const B = '{11111111-2222-3333-4444-555555550000}';
  writeFileSync(
    path.join(client, 'RDPClient.evtx'),
    writeEvtx([
      clientEvent(1024, '2024-05-01T12:06:33.6543161Z', A, 'Server Name', 'srv01.contoso.local', 100),
      clientEvent(1026, '2024-05-01T12:06:35.1000000Z', A, 'Disconnect Reason', '2308', 101),
      clientEvent(1024, '2024-05-01T12:30:00.0000000Z', B, 'Server Name', HOSTILE, 102),
      clientEvent(1026, '2024-05-01T12:30:21.0000000Z', B, 'Disconnect Reason', '516', 103),
      // A lone high surrogate (malformed UTF-16 as a damaged record would carry).
      clientEvent(1029, '2024-05-01T12:30:00.5000000Z', B, 'TraceMessage', 'hash\ud800tail', 104),
    ]),
  );
  writeFileSync(
    path.join(server, 'RdpCoreTS.evtx'),
    writeEvtx([
      coreEvent(131, '2024-05-01T12:06:34.0100000Z', 500, [{ name: 'ConnType', value: 'TCP' }, { name: 'ClientIP', value: '10.0.0.5:51234' }]),
      coreEvent(102, '2024-05-01T12:06:35.0500000Z', 501, []),
      coreEvent(103, '2024-05-01T12:06:35.0510000Z', 502, [{ name: 'ReasonCode', value: '14' }]),
      // Records 503–509 are missing: a gap inside one log.
      coreEvent(131, '2024-05-01T13:00:00.0000000Z', 510, [{ name: 'ConnType', value: 'TCP' }, { name: 'ClientIP', value: '10.0.0.77:40000' }]),
    ]),
  );
  writeFileSync(
    path.join(server, 'System.evtx'),
    writeEvtx([
      {
        provider: { name: 'Microsoft-Windows-Eventlog', guid: '{FC65DDD8-D6EF-4962-83D5-6E5CFE9CE148}' },
        eventId: 104,
        level: 4,
        time: '2024-05-01T08:00:00.0000000Z',
        recordId: 1,
        channel: 'System',
        computer: 'SRV01.contoso.local',
        userId: 'S-1-5-21-1111111111-2222222222-3333333333-500',
        payload: {
          kind: 'UserData',
          element: 'LogFileCleared',
          xmlns: 'http://manifests.microsoft.com/win/2004/08/windows/eventlog',
          fields: [
            { name: 'SubjectUserName', value: 'admin' },
            { name: 'SubjectDomainName', value: 'CONTOSO' },
            { name: 'Channel', value: 'System' },
            { name: 'BackupPath', value: '' },
          ],
        },
      },
      {
        provider: { ...RCM, eventSourceName: 'TermService' },
        eventId: 1071,
        qualifiers: 49152,
        level: 2,
        time: '2024-05-01T12:06:35.0400000Z',
        recordId: 2,
        channel: 'System',
        computer: 'SRV01.contoso.local',
        payload: { kind: 'EventData', fields: [] },
      },
    ]),
  );
  writeFileSync(path.join(root, 'notes.txt'), 'collected by the helpdesk\n');
  return { dir: root, client, server };
}
