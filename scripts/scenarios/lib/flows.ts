// Sequences of events one connection attempt leaves on each side, with the timing of rdp-kb §3:
// client 1024 → … → 1026; server RCM 261 → RdpCoreTS 131 → (NLA: 4624 type 3, RCM 1149) → 98
// within a second → session (LSM 41/42, 4624 type 10, LSM 21/22, RdpCoreTS 66/68) → end.
import * as C from './clientEvents.js';
import type { At } from './common.js';
import type { Host, User } from './hosts.js';
import { pids, type Recorder } from './recorder.js';
import * as Sec from './securityEvents.js';
import * as S from './serverEvents.js';
import type { ExpectedAttempt } from './model.js';
import { canonicalTime } from '../../../test/support/evtx-writer/index.js';
import { plus } from './time.js';

export interface ClientSide {
  client: Host;
  user: User;
  /** As typed in mstsc / RDCMan (1024 Value). */
  target: string;
  /** Client clock time of the 1024. */
  start: string;
  label: string;
}

function clientClock(r: Recorder, c: ClientSide): (ms: number) => At {
  const pid = r.pick(3000, 16000, c.client.name, c.label, 'mstsc');
  return r.clock(c.client, c.start, { activityId: r.act(c.client, c.label), processId: pid, label: c.label });
}

/** A client attempt that logs on and ends after `durationMs` with `endReason` (1 = closed locally). */
export function clientSuccess(r: Recorder, c: ClientSide & { serverIp: string; sessionId: number; durationMs: number; endReason?: number }): void {
  const at = clientClock(r, c);
  const u = c.user;
  r.add(
    'client',
    C.connecting(at(0), u, c.target),
    C.multiTransportStart(at(1350), u, c.serverIp),
    C.loggedOn(at(4200), u, c.sessionId),
    C.userHash(at(4215), u),
    C.multiTransportUp(at(4600), u),
    C.graphics(at(5400), u),
    C.multiTransportDown(at(c.durationMs - 25), u),
    C.disconnected(at(c.durationMs), u, c.endReason ?? 1),
  );
}

/** A client attempt that never logs on: 1024, optional 1007 (DNS), 1105, then 1026 after `afterMs`. */
export function clientFailure(
  r: Recorder,
  c: ClientSide & { afterMs: number; reason: number; dnsError?: number; multiTransport?: boolean },
): void {
  const at = clientClock(r, c);
  r.add('client', C.connecting(at(0), c.user, c.target));
  if (c.dnsError !== undefined) r.add('client', C.dnsFailed(at(c.afterMs - 40), c.user, c.dnsError));
  if (c.multiTransport !== false) r.add('client', C.multiTransportDown(at(c.afterMs - 12), c.user));
  r.add('client', C.disconnected(at(c.afterMs), c.user, c.reason));
}

export interface ServerSide {
  server: Host;
  client: Host;
  user: User;
  /** Server clock time of the RCM 261 / RdpCoreTS 131. */
  start: string;
  label: string;
}

interface ServerClocks {
  core: (ms: number) => At;
  udp: (ms: number) => At;
  rcm: (ms: number) => At;
  lsm: (ms: number) => At;
  sec: (ms: number) => At;
  port: number;
}

function serverClocks(r: Recorder, s: ServerSide, portDelta = 0): ServerClocks {
  const p = pids(r, s.server);
  const h = s.server;
  return {
    core: r.clock(h, s.start, { activityId: r.act(h, `${s.label}/tcp`), processId: p.termService, label: s.label }),
    udp: r.clock(h, s.start, { activityId: r.act(h, `${s.label}/udp`), processId: p.termService, label: s.label }),
    rcm: r.clock(h, s.start, { processId: p.termService, label: s.label }),
    lsm: r.clock(h, s.start, { activityId: r.act(h, `${s.label}/lsm`), processId: p.lsm, label: s.label }),
    sec: r.clock(h, s.start, { processId: p.lsass, label: s.label }),
    port: r.pick(49700, 64000, s.client.name, s.label, 'port') + portDelta,
  };
}

/**
 * mstsc's short first TCP connection, closed by the client within a second, right before the real
 * one (kb §3.2 step 2): 131, then 143 error 64, 226 → StateDisconnected, 102, 103 ReasonCode 14.
 * Not a failure.
 */
export function serverPreconnect(r: Recorder, s: ServerSide): number {
  // Same label as the real connection that follows: the probe used the source port two below it.
  const k = serverClocks(r, s, -2);
  const probe = { ...k, core: r.clock(s.server, s.start, { activityId: r.act(s.server, `${s.label}/probe`), processId: pids(r, s.server).termService, label: s.label }) };
  r.add(
    'server',
    S.listenerReceived(probe.rcm(0)),
    S.tcpAccepted(probe.core(6), s.client.ip, k.port),
    S.interfaceMethod(probe.core(9), 'PrepareForAccept'),
    S.socketWriteFailed(probe.core(410), 64),
    S.stateError(probe.core(412), 'RDP_TCP', [23, 'StateUnknown'], [21, 'StateDisconnected'], [43, 'Event_Disconnect'], 0x80070040),
    S.serverTerminated(probe.core(415)),
    S.disconnectReason(probe.core(416), 14),
  );
  return k.port;
}

export interface Authenticated {
  k: ServerClocks;
  connection: string;
  /** Offset (ms) of the RdpCoreTS 98, the last event of this stage. */
  ms: number;
}

/** TCP accepted and NLA passed: RCM 261, 131, 65, 4624 type 3, RCM 1149, 98 (0.7 s after 131). */
export function serverAuthenticated(r: Recorder, s: ServerSide): Authenticated {
  const k = serverClocks(r, s);
  const connection = `RDP-Tcp#${r.next(s.server, 'rdp-tcp', 3, 40)}`;
  const nlaLogon = r.next(s.server, 'logon-id', 0x2a0000, 0x6f0000) * 16;
  r.add(
    'server',
    S.listenerReceived(k.rcm(0)),
    S.tcpAccepted(k.core(7), s.client.ip, k.port),
    S.connectionCreated(k.core(21), connection),
    Sec.logonSucceeded(k.sec(640), s.server, { user: s.user, logonType: 3, logonId: nlaLogon, client: s.client, port: k.port }),
    S.authSucceeded(k.rcm(690), s.user, s.client.ip),
    S.tcpEstablished(k.core(718)),
    // The NLA network logon ends a moment later: benign noise around every attempt.
    Sec.loggedOff(k.sec(2_410), s.user, nlaLogon, 3),
  );
  return { k, connection, ms: 718 };
}

export type SessionEnd = 'closed' | 'dropped' | 'none';

/** A full session: authenticated, logged on (LSM 21/22, 4624 type 10), ended after `durationMs`. */
export function serverSession(
  r: Recorder,
  s: ServerSide & { durationMs: number; end: SessionEnd; reconnectSession?: number },
): { sessionId: number; logonId: number } {
  const a = serverAuthenticated(r, s);
  const { k } = a;
  const sessionId = s.reconnectSession ?? r.next(s.server, 'session-id', 2, 9);
  const logonId = r.next(s.server, 'logon-id', 0x2a0000, 0x6f0000) * 16;
  const u = s.user;
  r.add(
    'server',
    S.udpAccepted(k.udp(752), s.client.ip, k.port + 1),
    S.arbitrationBegin(k.lsm(1710), u, sessionId),
    S.arbitrationEnd(k.lsm(1764), u, sessionId),
    Sec.logonSucceeded(k.sec(1930), s.server, { user: u, logonType: 10, logonId, client: s.client, port: 0 }),
  );
  if (s.reconnectSession !== undefined) {
    // Back into the existing session: LSM 25 (and Security 4778) instead of 21/22.
    r.add(
      'server',
      S.sessionReconnected(k.lsm(2105), u, sessionId, s.client.ip),
      S.assignedToSession(k.core(2150), a.connection, sessionId),
      Sec.sessionReconnectedSec(k.sec(2180), u, logonId, a.connection, s.client),
    );
  } else {
    r.add(
      'server',
      S.sessionLogon(k.lsm(2105), u, sessionId, s.client.ip),
      S.assignedToSession(k.core(2150), a.connection, sessionId),
      S.shellStart(k.lsm(2870), u, sessionId, s.client.ip),
    );
  }
  r.add('server', S.timings(k.core(5230), a.connection, 610, 2140, 4410, 5190));
  const d = s.durationMs;
  if (s.end === 'closed') {
    r.add(
      'server',
      S.serverTerminated(k.core(d + 30)),
      S.disconnectReason(k.core(d + 31), 5),
      S.disconnectedBySession(k.lsm(d + 60), sessionId, sessionId),
      S.sessionDisconnectReason(k.lsm(d + 62), sessionId, 11),
      S.sessionDisconnected(k.lsm(d + 95), u, sessionId, s.client.ip),
      Sec.sessionDisconnectedSec(k.sec(d + 120), u, logonId, a.connection, s.client),
    );
  } else if (s.end === 'dropped') {
    // The peer went silent: the read times out (121 ERROR_SEM_TIMEOUT) and the stack tears down.
    r.add(
      'server',
      S.socketReadFailed(k.core(d), 121),
      S.stateError(k.core(d + 3), 'RDP_TCP', [8, 'StateConnected'], [21, 'StateDisconnected'], [43, 'Event_Disconnect'], 0x80070079),
      S.serverTerminated(k.core(d + 6)),
      S.disconnectReason(k.core(d + 7), 13),
      S.sessionDisconnectReason(k.lsm(d + 40), sessionId, 0),
      S.sessionDisconnected(k.lsm(d + 75), u, sessionId, s.client.ip),
      Sec.sessionDisconnectedSec(k.sec(d + 100), u, logonId, a.connection, s.client),
    );
  }
  return { sessionId, logonId };
}

/**
 * TCP reached the server but the security layer (TLS/CredSSP) failed before any authentication:
 * 261, 131, 139 (ResultCode, client IP), 226 RDP_SEC, 102, 103. No 4624, no 1149.
 */
export function serverSecurityFailure(r: Recorder, s: ServerSide & { result: number }): ServerClocks {
  const k = serverClocks(r, s);
  r.add(
    'server',
    S.listenerReceived(k.rcm(0)),
    S.tcpAccepted(k.core(6), s.client.ip, k.port),
    S.securityLayerError(k.core(48), s.result, s.client.ip),
    S.stateError(k.core(50), 'RDP_SEC', [3, 'StateWaitForSecurityHandshake'], [21, 'StateDisconnected'], [43, 'Event_Disconnect'], s.result),
    S.serverTerminated(k.core(53)),
    S.disconnectReason(k.core(54), 14),
  );
  return k;
}

/** The end of a connection the server refused after NLA: 102, 103 (no LSM 21 ever). */
export function serverTeardown(r: Recorder, a: Authenticated, ms: number, reasonCode: number): void {
  r.add('server', S.serverTerminated(a.k.core(ms)), S.disconnectReason(a.k.core(ms + 1), reasonCode));
}

/** The listener coming up after boot: context showing the server's logs cover the period. */
export function serverBoot(r: Recorder, server: Host, time: string): void {
  const p = pids(r, server);
  const rcm = r.clock(server, time, { processId: p.termService, label: 'boot' });
  r.add('server', S.listenerStarted(rcm(0)));
}

export interface Pair {
  client: Host;
  server: Host;
  user: User;
  target: string;
  /** Client clock time of the 1024. */
  start: string;
  label: string;
  /** Server clock minus client clock (ms); 0 when both are in sync. */
  skewMs?: number;
  /** Address the server sees (the gateway's when connecting through RD Gateway). */
  seenAs?: Host;
}

/** A working session on both sides (probe connection first, like mstsc), returning its expected entry. */
export function connectSuccess(
  r: Recorder,
  p: Pair & { durationMs: number; end?: SessionEnd; endReason?: number; reconnectSession?: number; probe?: boolean },
): ExpectedAttempt & { sessionId: number } {
  const serverStart = plus(p.start, (p.skewMs ?? 0) + 2150);
  const seen = p.seenAs ?? p.client;
  if (p.probe !== false) serverPreconnect(r, { server: p.server, client: seen, user: p.user, start: plus(serverStart, -1910), label: p.label });
  const { sessionId } = serverSession(r, {
    server: p.server,
    client: seen,
    user: p.user,
    start: serverStart,
    label: p.label,
    durationMs: p.durationMs - 2150,
    end: p.end ?? 'closed',
    ...(p.reconnectSession !== undefined ? { reconnectSession: p.reconnectSession } : {}),
  });
  clientSuccess(r, { ...p, serverIp: p.server.ip, sessionId, durationMs: p.durationMs, endReason: p.endReason ?? 1 });
  return {
    client: p.client.name,
    target: p.target,
    start: canonicalTime(p.start),
    outcome: 'succeeded',
    rootCause: 'none',
    disconnectReason: p.endReason ?? 1,
    sessionId,
  };
}

/** The expected entry for a failed attempt. */
export function failed(p: Pick<Pair, 'client' | 'target' | 'start'>, rootCause: string, disconnectReason?: number, extendedReason?: number): ExpectedAttempt {
  return {
    client: p.client.name,
    target: p.target,
    start: canonicalTime(p.start),
    outcome: 'failed',
    rootCause,
    ...(disconnectReason !== undefined ? { disconnectReason } : {}),
    ...(extendedReason !== undefined ? { extendedReason } : {}),
  };
}

/** Drops the sessionId helper field before the entry goes into expected.json. */
export function entry(a: ExpectedAttempt & { sessionId?: number }): ExpectedAttempt {
  const { sessionId: _s, ...rest } = a;
  return rest;
}

/**
 * The client hung up during the security phase (it refused the certificate, or its CredSSP policy
 * refused the server): 261, 131, then 142 error 64 (peer closed), 226 RDP_SEC, 102, 103.
 */
export function serverClientClosed(r: Recorder, s: ServerSide & { afterMs: number }): void {
  const k = serverClocks(r, s);
  r.add(
    'server',
    S.listenerReceived(k.rcm(0)),
    S.tcpAccepted(k.core(6), s.client.ip, k.port),
    S.socketReadFailed(k.core(s.afterMs), 64),
    S.stateError(k.core(s.afterMs + 2), 'RDP_SEC', [3, 'StateWaitForSecurityHandshake'], [21, 'StateDisconnected'], [43, 'Event_Disconnect'], 0x80070040),
    S.serverTerminated(k.core(s.afterMs + 5)),
    S.disconnectReason(k.core(s.afterMs + 6), 14),
  );
}
