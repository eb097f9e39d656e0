import { describe, expect, it } from 'vitest';
import type { InputReport } from '../../src/model/report.js';
import { EvidenceScanner, type ScannedEvent } from '../../src/report/findings.js';

const CLIENT = 'Microsoft-Windows-TerminalServices-RDPClient/Operational';
const CORETS = 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational';

function ev(p: Partial<ScannedEvent> & Pick<ScannedEvent, 'computer' | 'channel' | 'time'>): ScannedEvent {
  return { provider: 'P', eventId: 1, data: {}, source: { file: `${p.computer}.evtx`, position: 'record 1' }, ...p };
}

function input(file: string, p: Partial<InputReport> = {}): InputReport {
  return { file, format: 'evtx', size: 1, hosts: [], status: 'ingested', counts: { read: 1, recovered: 0, skipped: 0, filtered: 0, stored: 1 }, errors: [], errorCount: 0, ...p };
}

describe('EvidenceScanner', () => {
  it('finds record-id gaps per host and channel, only in sources stored whole', () => {
    const s = new EvidenceScanner((f) => f !== 'filtered.evtx');
    for (const id of [1, 2, 3, 7, 8, 10]) s.add(ev({ computer: 'SRV', channel: CORETS, time: '2024-05-01T10:00:00.0000000Z', recordId: id }));
    for (const id of [1, 50]) s.add(ev({ computer: 'SRV', channel: 'System', time: '2024-05-01T10:00:00.0000000Z', recordId: id, source: { file: 'filtered.evtx', position: 'x' } }));
    const gaps = s.findings({}).filter((f) => f.kind === 'record-gap');
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ host: 'SRV', channel: CORETS, details: { gaps: 2, missing: 4, ranges: '4-6, 9', firstRecord: 1, lastRecord: 10 } });
  });

  it('reports Security 1102 and System 104 as cleared logs, naming who', () => {
    const s = new EvidenceScanner();
    s.add(ev({ computer: 'DC', channel: 'Security', provider: 'Microsoft-Windows-Eventlog', eventId: 1102, time: '2024-05-01T09:00:00.0000000Z', data: { SubjectUserName: 'bob', SubjectDomainName: 'CORP' } }));
    s.add(ev({ computer: 'DC', channel: 'System', provider: 'Microsoft-Windows-Eventlog', eventId: 104, time: '2024-05-01T09:01:00.0000000Z', data: { Channel: 'Application' } }));
    s.add(ev({ computer: 'DC', channel: 'System', provider: 'Other', eventId: 104, time: '2024-05-01T09:02:00.0000000Z' }));
    const cleared = s.findings({}).filter((f) => f.kind === 'log-cleared');
    expect(cleared.map((f) => f.message)).toEqual([
      'The Application log on DC was cleared; events logged before that are gone.',
      'The Security log on DC was cleared by CORP\\bob; events logged before that are gone.',
    ]);
  });

  it('flags client and server logs whose times do not overlap (skew-corrected)', () => {
    const s = new EvidenceScanner();
    s.add(ev({ computer: 'WS', channel: CLIENT, time: '2024-05-01T10:00:00.0000000Z' }));
    s.add(ev({ computer: 'WS', channel: CLIENT, time: '2024-05-01T11:00:00.0000000Z' }));
    s.add(ev({ computer: 'SRV', channel: CORETS, time: '2024-05-02T10:00:00.0000000Z' }));
    const f = s.findings({}).filter((x) => x.kind === 'no-overlap');
    expect(f).toHaveLength(1);
    expect(f[0]!.details).toMatchObject({ client: 'WS', server: 'SRV', clientLast: '2024-05-01T11:00:00.0000000Z', serverFirst: '2024-05-02T10:00:00.0000000Z' });
    // A server clock one day ahead brings the ranges together.
    const skewed = s.findings({ hosts: [{ name: 'SRV', roles: ['server'], skewMs: 86_400_000 }, { name: 'WS', roles: ['client'] }] });
    expect(skewed.some((x) => x.kind === 'no-overlap')).toBe(false);
  });

  it('names needed channels missing from the case with how to collect them; CAPI2 says how to enable it', () => {
    const s = new EvidenceScanner();
    s.add(ev({ computer: 'WS', channel: CLIENT, time: '2024-05-01T10:00:00.0000000Z' }));
    const f = s.findings({
      needs: [{ channel: CLIENT, ids: [1024] }, { channel: CORETS, ids: [131] }, { channel: 'Microsoft-Windows-CAPI2/Operational', ids: [11] }, { channel: 'RDCMan' }, { provider: 'Schannel' }],
      inputs: [input('ws.evtx')],
    });
    const missing = f.filter((x) => x.kind === 'missing-channel');
    // Schannel logs to System: a provider-only need counts as a System need.
    expect(missing.map((x) => [x.channel, x.severity])).toEqual([
      [CORETS, 'warning'],
      ['System', 'warning'],
      ['Microsoft-Windows-CAPI2/Operational', 'info'],
    ]);
    expect(missing[2]!.message).toContain('wevtutil sl Microsoft-Windows-CAPI2/Operational /e:true');
    expect(missing[0]!.message).toContain('wevtutil epl "Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational"');
  });

  it('lists at most 12 event ids', () => {
    const f = new EvidenceScanner().findings({ needs: [{ channel: 'Security', ids: Array.from({ length: 20 }, (_, i) => 4600 + i) }] });
    expect(f[0]!.message).toContain('(event ids 4600, 4601, 4602, 4603, 4604, 4605, 4606, 4607, 4608, 4609, 4610, 4611, …)');
  });

  it('a channel that was read but held none of the needed events is said so, at info level', () => {
    const s = new EvidenceScanner();
    const f = s.findings({ needs: [{ channel: 'System', ids: [1071] }], inputs: [input('System.evtx', { channels: ['System'] })] });
    expect(f[0]).toMatchObject({ kind: 'missing-channel', severity: 'info' });
    expect(f[0]!.message).toMatch(/System was read but holds none of the events the rules look for/);
  });

  it('reports inputs with read errors, first error included', () => {
    const f = new EvidenceScanner().findings({
      inputs: [input('bad.evtx', { errorCount: 3, errors: ['bad.evtx @0x1200 (chunk 0, record 9): bad record magic'], counts: { read: 5, recovered: 1, skipped: 3, filtered: 0, stored: 5 } })],
    });
    expect(f[0]).toMatchObject({ kind: 'parse-errors', severity: 'warning', file: 'bad.evtx', details: { errorCount: 3, firstError: 'bad.evtx @0x1200 (chunk 0, record 9): bad record magic' } });
  });
});
