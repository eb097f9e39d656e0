// Small synthetic evtx files for tests that must run without the corpus, built with the
// test-support writer (real file/chunk headers, CRC32, BinXML templates).
import { writeEvtx, type EvtxEventSpec } from '../../support/evtx-writer/index.js';

export const RCM = 'Microsoft-Windows-TerminalServices-RemoteConnectionManager';

export function rcm1149(i: number): EvtxEventSpec {
  return {
    provider: { name: RCM, guid: '{C76BAA63-AE81-421C-B425-340B4B24157F}' },
    eventId: 1149,
    version: 0,
    level: 4,
    task: 0,
    opcode: 0,
    keywords: '0x1000000000000000',
    time: `2026-03-02T09:14:${String(i % 60).padStart(2, '0')}.1234567Z`,
    activityId: '{F462570D-7650-4BF6-93FD-C9C86C540000}',
    processId: 948,
    threadId: 328,
    channel: `${RCM}/Operational`,
    computer: 'SRV01.contoso.local',
    userId: 'S-1-5-20',
    payload: {
      kind: 'UserData',
      element: 'EventXML',
      xmlns: 'Event_NS',
      fields: [
        { name: 'Param1', value: `user${i}` },
        { name: 'Param2', value: 'CONTOSO' },
        { name: 'Param3', value: '10.0.0.5' },
      ],
    },
  };
}

export function security4625(i: number): EvtxEventSpec {
  return {
    provider: { name: 'Microsoft-Windows-Security-Auditing', guid: '{54849625-5478-4994-A5BA-3E3B0328C30D}' },
    eventId: 4625,
    version: 0,
    level: 0,
    task: 12544,
    opcode: 0,
    keywords: '0x8010000000000000',
    time: `2026-03-02T09:15:${String(i % 60).padStart(2, '0')}.0000001Z`,
    processId: 636,
    threadId: 4120,
    channel: 'Security',
    computer: 'SRV01.contoso.local',
    payload: {
      kind: 'EventData',
      fields: [
        { name: 'SubjectUserSid', value: { type: 'sid', value: 'S-1-5-18' } },
        { name: 'SubjectLogonId', value: { type: 'hex64', value: 0x3e7 } },
        { name: 'TargetUserName', value: 'alice' },
        { name: 'Status', value: { type: 'hex32', value: 0xc000006d } },
        { name: 'LogonType', value: { type: 'uint32', value: 10 } },
        { name: 'IpAddress', value: '10.0.0.5' },
        { name: 'LogonGuid', value: { type: 'guid', value: '{00000000-0000-0000-0000-000000000000}' } },
      ],
    },
  };
}

/** A file of `n` events alternating RCM 1149 and Security 4625 (record ids 1..n). */
export function sampleEvtx(n: number): Buffer {
  const events: EvtxEventSpec[] = [];
  for (let i = 0; i < n; i++) events.push(i % 2 === 0 ? rcm1149(i) : security4625(i));
  return writeEvtx(events);
}
