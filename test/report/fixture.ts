// A hand-built diagnosed case: one 0x904/0x7 failure with its server side, a preceding mstsc
// pre-connection, one success, and hostile strings in event data. Shapes follow src/model exactly.
import type { Attempt, Diagnosis, EventRef, Finding, HostInfo } from '../../src/model/analysis.js';
import type { InputReport } from '../../src/model/report.js';
import type { DocumentInput } from '../../src/report/document.js';

export const CLIENT_CH = 'Microsoft-Windows-TerminalServices-RDPClient/Operational';
export const CORETS_CH = 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational';

export function ref(p: Partial<EventRef> & Pick<EventRef, 'eventId' | 'id' | 'time'>): EventRef {
  return {
    side: 'client',
    host: 'WS01.contoso.local',
    channel: CLIENT_CH,
    provider: 'Microsoft-Windows-TerminalServices-ClientActiveXCore',
    correctedTime: p.time,
    file: 'client/RDPClient.evtx',
    position: `chunk 0 record ${p.eventId}`,
    recordId: p.eventId,
    values: {},
    ...p,
  };
}

export const HOSTILE_TARGET = 'srv01\u001b[2J\u001b]52;c;ZXZpbA==\u0007\u009b31m\u202eexe.txt';

export function fixtureInput(): DocumentInput {
  const c1024 = ref({ eventId: 11, id: 1024, time: '2024-05-01T12:06:33.6543161Z', values: { Value: HOSTILE_TARGET } });
  const c1026 = ref({ eventId: 12, id: 1026, time: '2024-05-01T12:06:35.1000000Z', values: { Value: '2308' } });
  const s131 = ref({
    eventId: 40,
    id: 131,
    side: 'server',
    host: 'SRV01',
    channel: CORETS_CH,
    provider: 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS',
    time: '2024-05-01T12:06:34.0000000Z',
    correctedTime: '2024-05-01T12:06:33.9000000Z',
    file: 'server/RdpCoreTS.evtx',
    values: { ClientIP: '10.0.0.5:51234', ConnType: 'TCP' },
  });
  const s1071 = ref({
    eventId: 41,
    id: 1071,
    side: 'server',
    host: 'SRV01',
    channel: 'System',
    provider: 'Microsoft-Windows-TerminalServices-RemoteConnectionManager',
    time: '2024-05-01T12:06:34.2000000Z',
    correctedTime: '2024-05-01T12:06:34.1000000Z',
    file: 'server/System.evtx',
    values: {},
  });
  const s1056 = ref({ ...s1071, eventId: 42, id: 1056, position: 'chunk 0 record 42', time: '2024-05-01T11:00:00.0000000Z', correctedTime: '2024-05-01T10:59:59.9000000Z' });
  const ok1024 = ref({ eventId: 20, id: 1024, time: '2024-05-01T13:00:00.0000000Z', values: { Value: '10.0.0.9' } });
  const pre = ref({ eventId: 10, id: 1024, time: '2024-05-01T12:06:30.0000000Z', values: { Value: 'srv01' } });

  const attempts: Attempt[] = [
    {
      id: 'a-0002',
      start: '2024-05-01T13:00:00.0000000Z',
      end: '2024-05-01T13:30:00.0000000Z',
      client: { host: 'WS01.contoso.local', user: 'CONTOSO\\alice', ip: '10.0.0.5' },
      server: { host: 'SRV01', ip: '10.0.0.9' },
      target: '10.0.0.9',
      outcome: 'succeeded',
      codes: { disconnectReason: 1, source: 'log' },
      events: [ok1024],
      context: [],
      coverage: { client: true, server: true },
    },
    {
      id: 'a-0001',
      start: '2024-05-01T12:06:33.6543161Z',
      end: '2024-05-01T12:06:35.1000000Z',
      client: { host: 'WS01.contoso.local', user: 'CONTOSO\\alice', ip: '10.0.0.5' },
      server: { host: 'SRV01' },
      target: HOSTILE_TARGET,
      outcome: 'failed',
      codes: { disconnectReason: 2308, extendedReason: 7, source: 'user' },
      events: [c1026, s131, c1024],
      context: [s1056],
      coverage: { client: true, server: true },
    },
    {
      id: 'a-0000',
      start: '2024-05-01T12:06:30.0000000Z',
      client: { host: 'WS01.contoso.local' },
      target: 'srv01',
      outcome: 'failed',
      preconnect: true,
      codes: { source: 'none' },
      events: [pre],
      context: [],
      coverage: { client: true, server: false },
    },
  ];
  const diagnoses: Diagnosis[] = [
    {
      attemptId: 'a-0001',
      rootCause: 'server-denied',
      collectNext: [],
      verdicts: [
        {
          cause: 'cert-selfsigned',
          title: 'Expired or corrupt self-signed RDP certificate',
          verdict: 'ruled-out',
          score: -5,
          confidence: 'high',
          supports: [],
          refutes: [{ says: 'a new self-signed certificate was created (RCM 1056)', weight: 5, events: [s1056] }],
          remediation: ['Delete the certificate from the Remote Desktop store and restart TermService.'],
          references: ['rdp-kb §4 row 2'],
        },
        {
          cause: 'firewall',
          title: 'Firewall blocks TCP 3389',
          verdict: 'ruled-out',
          score: -4,
          confidence: 'high',
          supports: [],
          refutes: [{ says: 'the server accepted the TCP connection (RdpCoreTS 131)', weight: 4, events: [s131] }],
          remediation: ['Open TCP 3389.'],
          references: [],
        },
        {
          cause: 'licensing',
          title: 'RD licensing',
          verdict: 'no-evidence',
          score: 0,
          confidence: 'medium',
          supports: [],
          refutes: [],
          remediation: [],
          references: [],
          collectNext: ['System log of the license server'],
        },
        {
          cause: 'rdp-proxy',
          title: 'An RDP proxy or tunnel refused the connection',
          verdict: 'possible',
          score: 3,
          confidence: 'low',
          supports: [{ says: '0x904/0x7 is also sent by RDP-speaking proxies', weight: 3, events: [], unconfirmed: true }],
          refutes: [],
          remediation: ['Connect directly, bypassing the proxy.'],
          references: ['rdp-kb §4 row 19'],
        },
        {
          cause: 'server-denied',
          title: 'The server refused the connection after the handshake',
          verdict: 'likely',
          score: 9,
          confidence: 'medium',
          supports: [
            { says: "0x904 with extended 0x7: the server sent 'denied' and closed the socket", weight: 5, events: [] },
            { says: 'RCM 1071: the server is configured to not accept connections', weight: 4, events: [s1071], unconfirmed: true },
          ],
          refutes: [],
          remediation: ['On the server, run `chglogon /query`; if logons are disabled, `chglogon /enable`.'],
          references: ['rdp-kb §4 row 1'],
        },
      ],
    },
    { attemptId: 'a-0002', rootCause: 'none', verdicts: [], collectNext: [] },
  ];
  const inputs: InputReport[] = [
    {
      file: 'client/RDPClient.evtx',
      format: 'evtx',
      size: 69632,
      hosts: ['WS01.contoso.local'],
      status: 'ingested',
      counts: { read: 40, recovered: 1, skipped: 2, filtered: 10, stored: 30 },
      errors: ['client/RDPClient.evtx @0x11200 (chunk 0, record 7): bad record magic'],
      errorCount: 2,
    },
    {
      file: 'server/System.evtx',
      format: 'evtx',
      size: 1052672,
      hosts: ['SRV01'],
      status: 'ingested',
      counts: { read: 900, recovered: 0, skipped: 0, filtered: 880, stored: 20 },
      errors: [],
      errorCount: 0,
    },
    {
      file: 'server/notes.txt',
      format: 'unknown',
      size: 12,
      hosts: [],
      status: 'skipped',
      skipReason: 'not a recognised log format',
      counts: { read: 0, recovered: 0, skipped: 0, filtered: 0, stored: 0 },
      errors: [],
      errorCount: 0,
    },
  ];
  const hosts: HostInfo[] = [
    { name: 'WS01.contoso.local', roles: ['client'] },
    { name: 'SRV01', roles: ['server'], skewMs: 100, skewBasis: 'client 1024 ↔ server 131 pairs' },
  ];
  const findings: Finding[] = [
    { id: 'other:z', kind: 'other', severity: 'info', message: 'a note from correlation', details: {} },
  ];
  return {
    toolVersion: '0.1.0',
    inputs,
    skipped: [{ name: 'server/fifo', reason: 'not a regular file' }],
    hosts,
    attempts,
    diagnoses,
    findings,
    rulesEvaluated: 19,
    eventsStored: 50,
    channelsSeen: [CLIENT_CH, CORETS_CH, 'System'],
    timeRange: { first: '2024-05-01T11:00:00.0000000Z', last: '2024-05-01T13:30:00.0000000Z' },
    describeCodes: (c) => ({
      ...(c.disconnectReason === 2308 ? { meaning: 'Socket closed' } : c.disconnectReason === 1 ? { meaning: 'Local disconnection' } : {}),
      ...(c.extendedReason === 7 ? { extendedMeaning: 'The server denied the connection' } : {}),
    }),
  };
}
