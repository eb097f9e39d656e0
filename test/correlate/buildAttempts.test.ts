import { describe, expect, it } from 'vitest';
import { buildAttempts } from '../../src/correlate/index.js';
import { synthEvents, type ShortEvent } from '../../src/rules/synth.js';

const SRV = 'SRV01.corp.local';
const CL = 'CL1';

/** A server connection that reaches a session (NLA, type-10 logon, LSM 21/22). */
function goodServerConn(t: number, ip: string, port: number, act: string, session = '2'): ShortEvent[] {
  return [
    { host: SRV, ch: 'rdpcorets', id: 131, t, act, data: { ConnType: 'TCP', ClientIP: `${ip}:${port}` } },
    { host: SRV, ch: 'rcm', id: 261, t: t + 0.01, data: { listenerName: 'RDP-Tcp' } },
    { host: SRV, ch: 'rdpcorets', id: 98, t: t + 0.02, act },
    { host: SRV, ch: 'rcm', id: 1149, t: t + 2, data: { Param1: 'alice', Param2: 'CORP', Param3: ip } },
    { host: SRV, ch: 'security', id: 4624, t: t + 2.1, data: { LogonType: 3, IpAddress: ip, IpPort: 0, TargetLogonId: '0x1001', TargetUserName: 'alice' } },
    { host: SRV, ch: 'security', id: 4624, t: t + 3, data: { LogonType: 10, IpAddress: ip, IpPort: 0, TargetLogonId: '0x1002', TargetUserName: 'alice' } },
    { host: SRV, ch: 'lsm', id: 21, t: t + 3.5, data: { User: 'CORP\\alice', SessionID: session, Address: ip } },
    { host: SRV, ch: 'lsm', id: 22, t: t + 3.6, data: { User: 'CORP\\alice', SessionID: session, Address: ip } },
  ];
}

describe('buildAttempts', () => {
  it('joins a success and marks the short first TCP connection as preconnect, not a failure', () => {
    const events = synthEvents([
      { host: CL, ch: 'rdpclient', id: 1024, t: 0, act: 'A', data: { Name: 'Server Name', Value: 'srv01' } },
      { host: CL, ch: 'rdpclient', id: 1025, t: 1.2, act: 'A' },
      { host: SRV, ch: 'rdpcorets', id: 131, t: 0.2, act: 'P', data: { ConnType: 'TCP', ClientIP: '10.0.0.10:50001' } },
      { host: SRV, ch: 'rdpcorets', id: 102, t: 0.6, act: 'P' },
      ...goodServerConn(1.0, '10.0.0.10', 50002, 'R'),
      { host: CL, ch: 'rdpclient', id: 1027, t: 4, act: 'A', data: { DomainName: 'CORP', SessionId: 2 } },
      { host: CL, ch: 'rdpclient', id: 1026, t: 60, act: 'A', data: { Name: 'Disconnect Reason', Value: 1 } },
      { host: SRV, ch: 'lsm', id: 24, t: 60.2, data: { User: 'CORP\\alice', SessionID: '2', Address: '10.0.0.10' } },
    ]);
    const r = buildAttempts(events, []);
    expect(r.attempts).toHaveLength(2);
    const pre = r.attempts.find((a) => a.preconnect);
    const real = r.attempts.find((a) => a.target);
    expect(pre!.preconnect).toBe(true);
    expect(pre!.outcome).toBe('succeeded'); // shares the success of the connection it preceded
    expect(real!.outcome).toBe('succeeded');
    expect(real!.client?.host).toBe(CL);
    expect(real!.server?.host).toBe(SRV);
    expect(real!.client?.ip).toBe('10.0.0.10');
    expect(real!.events.filter((e) => e.side === 'server').map((e) => e.id)).toEqual([131, 261, 98, 1149, 4624, 4624, 21, 22, 24]);
    expect(real!.events.filter((e) => e.side === 'client').map((e) => e.id)).toEqual([1024, 1025, 1027, 1026]);
    expect(real!.coverage).toEqual({ client: true, server: true });
    expect(real!.facts?.serverMatch).toBe('name');
  });

  it('rebuilds a 0x904 deny joined to the server connection that was refused', () => {
    const events = synthEvents([
      { host: CL, ch: 'rdpclient', id: 1024, t: 0, act: 'A', data: { Value: 'srv01.corp.local' } },
      { host: SRV, ch: 'rdpcorets', id: 131, t: 0.3, act: 'S', data: { ConnType: 'TCP', ClientIP: '10.0.0.10:50010' } },
      { host: SRV, ch: 'rcm', id: 1149, t: 1.5, data: { Param1: 'alice', Param2: 'CORP', Param3: '10.0.0.10' } },
      { host: SRV, ch: 'rdpcorets', id: 102, t: 1.9, act: 'S' },
      { host: CL, ch: 'rdpclient', id: 1026, t: 2, act: 'A', data: { Value: 2308 } },
    ]);
    const [a] = buildAttempts(events, []).attempts;
    expect(a!.outcome).toBe('failed');
    expect(a!.codes).toEqual({ disconnectReason: 0x904, source: 'log' });
    expect(a!.events.map((e) => `${e.side}:${e.id}`)).toEqual(['client:1024', 'server:131', 'server:1149', 'server:102', 'client:1026']);
  });

  it('keeps an attempt with no server trace and says the server log covers its time', () => {
    const events = synthEvents([
      ...goodServerConn(-600, '10.0.0.20', 40000, 'OLD'),
      { host: CL, ch: 'rdpclient', id: 1024, t: 0, act: 'A', data: { Value: 'srv01' } },
      { host: CL, ch: 'rdpclient', id: 1026, t: 21, act: 'A', data: { Value: 516 } },
      { host: SRV, ch: 'system', provider: 'scm', id: 7036, t: 900, data: { param1: 'Windows Update' } },
    ]);
    const r = buildAttempts(events, []);
    const a = r.attempts.find((x) => x.client?.host === CL)!;
    expect(a.outcome).toBe('failed');
    expect(a.events.every((e) => e.side === 'client')).toBe(true);
    expect(a.server?.host).toBe(SRV);
    expect(a.coverage.server).toBe(true);
    expect(a.covered?.server).toContain('Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational');
    // The earlier, unrelated connection stays its own (successful) attempt.
    expect(r.attempts.filter((x) => !x.target).map((x) => `${x.client?.host} ${x.outcome}`)).toEqual(['10.0.0.20 succeeded']);
  });

  it('says the server side is not covered when its logs end before the attempt', () => {
    const events = synthEvents([
      ...goodServerConn(-7200, '10.0.0.20', 40000, 'OLD'),
      { host: CL, ch: 'rdpclient', id: 1024, t: 0, act: 'A', data: { Value: 'srv01' } },
      { host: CL, ch: 'rdpclient', id: 1026, t: 21, act: 'A', data: { Value: 516 } },
    ]);
    const a = buildAttempts(events, []).attempts.find((x) => x.client?.host === CL)!;
    expect(a.coverage.server).toBe(false);
    expect(a.covered?.server).toEqual([]);
  });

  it('estimates clock skew per host pair and joins on corrected times', () => {
    const skew = 300; // the server clock runs five minutes ahead
    const items: ShortEvent[] = [];
    for (let k = 0; k < 3; k++) {
      const t = k * 3600;
      items.push({ host: CL, ch: 'rdpclient', id: 1024, t, act: `A${k}`, data: { Value: 'srv01' } });
      items.push(...goodServerConn(t + skew + 0.5, '10.0.0.10', 50000 + k, `S${k}`, String(k + 2)));
      items.push({ host: CL, ch: 'rdpclient', id: 1027, t: t + 4, act: `A${k}`, data: { SessionId: k + 2 } });
      items.push({ host: CL, ch: 'rdpclient', id: 1026, t: t + 30, act: `A${k}`, data: { Value: 1 } });
    }
    const r = buildAttempts(synthEvents(items), []);
    expect(r.attempts).toHaveLength(3);
    expect(r.attempts.every((a) => a.client && a.server && a.outcome === 'succeeded')).toBe(true);
    const srv = r.hosts.find((h) => h.name === SRV)!;
    const cl = r.hosts.find((h) => h.name === CL)!;
    expect(srv.skewMs).toBe(0);
    expect(cl.skewMs).toBe(-300_500);
    // Client times are moved onto the reference (server) clock.
    const ev1024 = r.attempts[0]!.events.find((e) => e.id === 1024)!;
    expect(Date.parse(ev1024.correctedTime) - Date.parse(ev1024.time)).toBe(300_500);
    expect(r.findings.some((f) => f.message.includes('differs from the reference'))).toBe(true);
  });

  it('keeps two clients apart by time and learned IP', () => {
    const items: ShortEvent[] = [
      { host: 'CL1', ch: 'rdpclient', id: 1024, t: 0, act: 'A', data: { Value: 'srv01' } },
      { host: 'CL2', ch: 'rdpclient', id: 1024, t: 0.4, act: 'B', data: { Value: 'srv01' } },
      ...goodServerConn(0.2, '10.0.0.10', 50001, 'S1', '2'),
      { host: SRV, ch: 'rdpcorets', id: 131, t: 0.6, act: 'S2', data: { ConnType: 'TCP', ClientIP: '10.0.0.11:50002' } },
      { host: SRV, ch: 'rdpcorets', id: 140, t: 2, act: 'S2', data: { IPString: '10.0.0.11' } },
      { host: SRV, ch: 'security', id: 4625, t: 2.1, data: { LogonType: 3, IpAddress: '10.0.0.11', IpPort: 50002, Status: '0xc000006d', SubStatus: '0xc000006a' } },
      { host: 'CL1', ch: 'rdpclient', id: 1027, t: 4, act: 'A' },
      { host: 'CL1', ch: 'rdpclient', id: 1026, t: 40, act: 'A', data: { Value: 1 } },
      { host: 'CL2', ch: 'rdpclient', id: 1026, t: 2.3, act: 'B', data: { Value: 2055 } },
    ];
    const r = buildAttempts(synthEvents(items), []);
    expect(r.attempts).toHaveLength(2);
    const a1 = r.attempts.find((a) => a.client?.host === 'CL1')!;
    const a2 = r.attempts.find((a) => a.client?.host === 'CL2')!;
    expect(a1.client?.ip).toBe('10.0.0.10');
    expect(a1.outcome).toBe('succeeded');
    expect(a2.client?.ip).toBe('10.0.0.11');
    expect(a2.outcome).toBe('failed');
    expect(a2.events.some((e) => e.id === 4625)).toBe(true);
  });

  it('separates hosts by Computer inside one forwarded-events file', () => {
    const items: ShortEvent[] = [
      { host: 'CL1', ch: 'rdpclient', id: 1024, t: 0, act: 'A', data: { Value: 'srv01' } },
      { host: 'CL1', ch: 'rdpclient', id: 1026, t: 2, act: 'A', data: { Value: 2308 } },
      { host: 'CL2', ch: 'rdpclient', id: 1024, t: 100, act: 'A', data: { Value: 'srv02' } },
      { host: 'CL2', ch: 'rdpclient', id: 1026, t: 101, act: 'A', data: { Value: 264 } },
      { host: SRV, ch: 'rdpcorets', id: 131, t: 0.3, act: 'S', data: { ConnType: 'TCP', ClientIP: '10.0.0.10:50001' } },
      { host: SRV, ch: 'rdpcorets', id: 102, t: 1.9, act: 'S' },
      { host: 'SRV02', ch: 'system', provider: 'schannel', id: 36870, t: 99, data: { 'Data[0]': 'server' } },
    ];
    const events = synthEvents(items, undefined, 'ForwardedEvents.evtx');
    const r = buildAttempts(events, []);
    expect(r.hosts.map((h) => `${h.name}:${h.roles.join('+')}`)).toEqual(['CL1:client', 'CL2:client', 'SRV01.corp.local:server', 'SRV02:']);
    const a1 = r.attempts.find((a) => a.client?.host === 'CL1')!;
    expect(a1.server?.host).toBe(SRV);
    expect(a1.events.some((e) => e.side === 'server')).toBe(true);
    const a2 = r.attempts.find((a) => a.client?.host === 'CL2')!;
    // SRV02 logged no server channel, so no attempt can join it, and its System events are not context of CL1.
    expect(a2.events.every((e) => e.host === 'CL2')).toBe(true);
    expect(a1.context.some((e) => e.host === 'SRV02')).toBe(false);
  });

  it('gathers host context near the attempt on both hosts, within the window only', () => {
    const events = synthEvents([
      { host: CL, ch: 'rdpclient', id: 1024, t: 0, act: 'A', data: { Value: 'srv01' } },
      { host: CL, ch: 'rdpclient', id: 1026, t: 3, act: 'A', data: { Value: 2308 } },
      { host: SRV, ch: 'rdpcorets', id: 131, t: 0.3, act: 'S', data: { ConnType: 'TCP', ClientIP: '10.0.0.10:50001' } },
      { host: SRV, ch: 'system', provider: 'rcm', id: 1058, t: -30, data: { 'Data[0]': 'Access is denied.' } },
      { host: CL, ch: 'system', provider: 'lsasrv', id: 6041, t: 1, data: { 'Data[0]': 'srv01' } },
      { host: SRV, ch: 'system', provider: 'schannel', id: 36870, t: -3600 },
    ]);
    const a = buildAttempts(events, [], { contextWindowMs: 600_000 }).attempts[0]!;
    expect(a.context.map((e) => `${e.side}:${e.id}`)).toEqual(['server:1058', 'client:6041']);
  });

  it('is deterministic: same input in any order gives the same ids and order', () => {
    const items: ShortEvent[] = [
      { host: CL, ch: 'rdpclient', id: 1024, t: 0, act: 'A', data: { Value: 'srv01' } },
      { host: CL, ch: 'rdpclient', id: 1026, t: 3, act: 'A', data: { Value: 2308 } },
      ...goodServerConn(50, '10.0.0.30', 1234, 'Z'),
    ];
    const ev = synthEvents(items);
    const r1 = buildAttempts(ev, []);
    const r2 = buildAttempts([...ev].reverse(), []);
    expect(JSON.stringify(r2)).toBe(JSON.stringify(r1));
    expect(r1.attempts[0]!.id).toMatch(/^att-[0-9a-f]{12}$/);
  });

  it('attaches .rdp settings for the target and reads RDCMan extended codes', () => {
    const events = synthEvents([
      { host: CL, ch: 'rdpclient', id: 1024, t: 0, act: 'A', data: { Value: 'srv01' } },
      { host: CL, ch: 'rdpclient', id: 1026, t: 2, act: 'A', data: { Value: 2308 } },
      { host: CL, ch: 'rdcman', id: 1, t: 0.1, data: { Server: 'srv01', Message: 'OnConnecting srv01' } },
      { host: CL, ch: 'rdcman', id: 3, t: 2.1, data: { Server: 'srv01', DiscReason: 2308, ExtendedReason: 'exDiscReasonServerDeniedConnection' } },
    ]);
    const ctx = [{ kind: 'rdp-file' as const, target: 'srv01:3389', settings: { 'full address': 'srv01:3389', gatewayusagemethod: '1' }, source: { file: 'a.rdp', format: 'rdp' as const, position: 'line 1', fidelity: 'context' as const } }];
    const r = buildAttempts(events, ctx);
    expect(r.attempts).toHaveLength(1);
    const a = r.attempts[0]!;
    expect(a.codes).toEqual({ disconnectReason: 0x904, extendedReason: 7, source: 'rdcman' });
    expect(a.settings?.gatewayusagemethod).toBe('1');
    expect(a.events.filter((e) => e.channel === 'RDCMan')).toHaveLength(2);
  });

  it('strips control characters from event values so nothing reaches the terminal raw', () => {
    const events = synthEvents([
      { host: CL, ch: 'rdpclient', id: 1024, t: 0, act: 'A', data: { Value: 'srv\u001b[31m01' } },
    ]);
    const a = buildAttempts(events, []).attempts[0]!;
    expect(a.events[0]!.values.Value).toBe('srv [31m01');
  });

  it('stays linear on hostile input: one ActivityID reused by 20,000 attempts and 20,000 listener events', () => {
    const items: ShortEvent[] = [];
    for (let k = 0; k < 20_000; k++) {
      items.push({ host: CL, ch: 'rdpclient', id: 1024, t: k, act: 'SAME', data: { Value: 'srv01' } });
      items.push({ host: SRV, ch: 'rcm', id: 261, t: k + 0.1, data: { listenerName: 'RDP-Tcp' } });
      items.push({ host: SRV, ch: 'rdpcorets', id: 131, t: k + 0.2, act: 'ONE', data: { ClientIP: '10.0.0.10:1' } });
    }
    const t0 = Date.now();
    const r = buildAttempts(synthEvents(items), []);
    expect(r.attempts.filter((a) => a.target)).toHaveLength(20_000);
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('adds the RD Gateway named by the .rdp settings to the host context, on the gateway side', () => {
    const events = synthEvents([
      { host: CL, ch: 'rdpclient', id: 1024, t: 0, act: 'A', data: { Value: 'srv01' } },
      { host: 'RDG.corp.local', ch: 'gateway', id: 301, t: 0.5, data: { Resource: 'srv01' } },
      { host: CL, ch: 'rdpclient', id: 1026, t: 1, act: 'A', data: { Value: 50331676 } },
    ]);
    const ctx = [{ kind: 'rdp-file' as const, target: 'srv01', settings: { 'full address': 'srv01', gatewayhostname: 'rdg.corp.local:443' }, source: { file: 'a.rdp', format: 'rdp' as const, position: 'line 1', fidelity: 'context' as const } }];
    const a = buildAttempts(events, ctx).attempts[0]!;
    expect(a.context.map((e) => `${e.side}:${e.host}:${e.id}`)).toEqual(['gateway:RDG.corp.local:301']);
    expect(a.facts?.gateway).toBe('RDG.corp.local');
  });

  it('learns the server address from 1102 and joins a later attempt typed as that IP', () => {
    const events = synthEvents([
      { host: 'SRV02', ch: 'rdpcorets', id: 131, t: -50, act: 'X', data: { ClientIP: '10.0.0.99:1' } },
      { host: CL, ch: 'rdpclient', id: 1024, t: 0, act: 'A', data: { Value: 'srv01' } },
      { host: CL, ch: 'rdpclient', id: 1102, t: 0.5, act: 'A', data: { Name: 'Server Address', Value: '10.0.0.5' } },
      ...goodServerConn(0.3, '10.0.0.10', 50001, 'S1'),
      { host: CL, ch: 'rdpclient', id: 1027, t: 4, act: 'A' },
      { host: CL, ch: 'rdpclient', id: 1026, t: 30, act: 'A', data: { Value: 1 } },
      { host: CL, ch: 'rdpclient', id: 1024, t: 100, act: 'B', data: { Value: '10.0.0.5' } },
      { host: SRV, ch: 'rdpcorets', id: 131, t: 100.3, act: 'S2', data: { ClientIP: '10.0.0.10:50002' } },
      { host: SRV, ch: 'rdpcorets', id: 140, t: 101, act: 'S2', data: { IPString: '10.0.0.10' } },
      { host: CL, ch: 'rdpclient', id: 1026, t: 101.2, act: 'B', data: { Value: 2055 } },
    ]);
    const r = buildAttempts(events, []);
    const first = r.attempts.find((a) => a.target === 'srv01')!;
    const second = r.attempts.find((a) => a.target === '10.0.0.5')!;
    expect(first.server).toEqual({ host: SRV, ip: '10.0.0.5' });
    expect(second.server?.host).toBe(SRV);
    expect(second.facts?.serverMatch).toBe('ip');
    expect(second.events.some((e) => e.id === 140)).toBe(true);
  });

  it("never gives one client's connection to another client's attempt on a busy server", () => {
    const events = synthEvents([
      // CLX fails twice and has no connection of its own; CL2 connects in the same seconds.
      { host: 'CLX', ch: 'rdpclient', id: 1024, t: 0, act: 'X1', data: { Value: 'srv01' } },
      { host: 'CL2', ch: 'rdpclient', id: 1024, t: 1, act: 'B1', data: { Value: 'srv01' } },
      ...goodServerConn(1.3, '10.0.0.12', 50001, 'S1'),
      { host: 'CLX', ch: 'rdpclient', id: 1026, t: 2, act: 'X1', data: { Value: 2308 } },
      { host: 'CL2', ch: 'rdpclient', id: 1027, t: 5, act: 'B1' },
      { host: 'CLX', ch: 'rdpclient', id: 1024, t: 100, act: 'X2', data: { Value: 'srv01' } },
      { host: 'CL2', ch: 'rdpclient', id: 1024, t: 101, act: 'B2', data: { Value: 'srv01' } },
      ...goodServerConn(101.3, '10.0.0.12', 50002, 'S2', '3'),
      { host: 'CL2', ch: 'rdpclient', id: 1027, t: 105, act: 'B2' },
      { host: 'CLX', ch: 'rdpclient', id: 1026, t: 121, act: 'X2', data: { Value: 516 } },
    ]);
    const r = buildAttempts(events, []);
    const clx = r.attempts.filter((a) => a.client?.host === 'CLX');
    expect(clx.map((a) => a.events.filter((e) => e.side === 'server').length)).toEqual([0, 0]);
    const cl2 = r.attempts.filter((a) => a.client?.host === 'CL2');
    expect(cl2.map((a) => `${a.outcome} ${a.client?.ip}`)).toEqual(['succeeded 10.0.0.12', 'succeeded 10.0.0.12']);
  });
});
