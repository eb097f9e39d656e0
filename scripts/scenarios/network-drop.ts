// A working session over VPN drops when the tunnel stalls; the reconnect later works.
import { clientSuccess, connectSuccess, entry, failed, serverBoot, serverSession } from './lib/flows.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import { plus } from './lib/time.js';

export function build(): Scenario {
  const r = new Recorder('network-drop');
  const client = HOSTS.dave;
  const server = HOSTS.rds01;
  const user = USERS.dave;
  const target = 'RDS01.corp.example';
  serverBoot(r, server, '2026-03-13T06:55:00.0000000Z');
  const start = '2026-03-13T10:01:37.8125000Z';
  const dropAfter = 2_780_000; // server notices the dead peer after ~46 min of session
  const { sessionId } = serverSession(r, { server, client, user, start: plus(start, 2150), label: 'vpn', durationMs: dropAfter, end: 'dropped' });
  // The client keeps trying to auto-reconnect for about a minute, then gives up with 0x108 (timeout).
  clientSuccess(r, { client, user, target, start, label: 'vpn', serverIp: server.ip, sessionId, durationMs: dropAfter + 2150 + 61_000, endReason: 264 });
  const back = connectSuccess(r, { client, server, user, target, start: '2026-03-13T10:55:12.1250000Z', label: 'reconnect', durationMs: 5_400_000, reconnectSession: sessionId });

  return finish(r, {
    summary: 'A working session over VPN drops when the path stalls; the reconnect works.',
    causes: ['network-drop'],
    keyEvents: [
      'server RdpCoreTS 142 error 121 (semaphore timeout) → 226 → 102/103, LSM 40/24 in an established session',
      'client 1027 (logged on) then 1026 Value=264 (0x108 timed out) a minute later',
      'reconnect: LSM 25 (session reconnection) and Security 4778',
    ],
    story:
      'Dave works on RDS01 over the VPN (198.51.100.23). At about 10:48 the tunnel stalls; the server\'s socket read times out and it tears the connection down, the client tries to auto-reconnect for a minute and gives up. At 10:55 he reconnects into the same session.',
    evidence: [
      'Server: a complete logon (131, 98, 1149, LSM 21/22, 68) at 10:01, then 46 min later 142 (error 121 ERROR_SEM_TIMEOUT), 226 (StateConnected → StateDisconnected, 0x80070079), 102/103, LSM 40 and 24, Security 4779.',
      'Client: 1024 → 1027 → 1401 … 1105 → 1026 Value=264 about a minute after the server saw the drop.',
      'Reconnect at 10:55: 4624 type 10, LSM 25 (reconnection, same session id) and 4778.',
      'Rules out: credentials, certificates, TLS, licensing (the session had been working).',
    ],
    unconfirmed: ['The client discReason after a failed auto-reconnect (264 = 0x108 here) is one of several documented possibilities (kb §4 row 10).'],
    attempts: [failed({ client, target, start }, 'network-drop', 264), entry(back)],
    notes: 'The failed attempt had a session (1027, LSM 21): the failure is the drop, not the connection.',
  });
}
