// Two working sessions from WS-ALICE to RDS01, each preceded by mstsc's short first TCP connection.
import { clientSuccess, serverBoot, serverPreconnect, serverSession } from './lib/flows.js';
import { HOSTS, USERS } from './lib/hosts.js';
import { Recorder } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import { plus } from './lib/time.js';
import type { Scenario } from './lib/model.js';

export function build(): Scenario {
  const r = new Recorder('healthy-baseline');
  const client = HOSTS.alice;
  const server = HOSTS.rds01;
  const user = USERS.alice;
  serverBoot(r, server, '2026-03-02T06:55:12.4410000Z');

  const sessions = [
    { start: '2026-03-02T08:02:14.2031250Z', target: 'RDS01.corp.example', durationMs: 3 * 3600_000 + 11 * 60_000 },
    { start: '2026-03-02T13:05:41.8750000Z', target: 'rds01', durationMs: 97 * 60_000 },
  ];
  sessions.forEach((s, i) => {
    const label = `session-${i + 1}`;
    // Server clock equals client clock here; the real connection starts 1.9 s after the probe.
    serverPreconnect(r, { server, client, user, start: plus(s.start, 240), label });
    const { sessionId } = serverSession(r, { server, client, user, start: plus(s.start, 2150), label, durationMs: s.durationMs - 2150, end: 'closed' });
    clientSuccess(r, { client, user, target: s.target, start: s.start, label, serverIp: server.ip, sessionId, durationMs: s.durationMs });
  });

  return finish(r, {
    summary: 'Working connections, including the short probe connection mstsc opens first.',
    causes: ['none'],
    keyEvents: [
      'server RdpCoreTS 131 → 143 error 64 → 102/103 ReasonCode 14 (probe, <0.5 s)',
      'server RdpCoreTS 131 → 98, RCM 1149, 4624 type 3 and 10, LSM 21/22, RdpCoreTS 68',
      'client 1024 → 1027 → 1401 → 1026 Value=1',
    ],
    story:
      'Alice connects from WS-ALICE to RDS01 twice (morning by FQDN, afternoon by short name) and closes the window at the end of each session. Before each real connection mstsc opens a short TCP connection and closes it within half a second; the server logs it as a connection that ended at once.',
    evidence: [
      'Server: RdpCoreTS 131 from 192.0.2.10, then 143 (error 64), 226 (→ StateDisconnected), 102 and 103 (ReasonCode 14) within 0.5 s: the probe. No authentication follows it.',
      'Server: about 1.9 s later a second 131 from the next source port, 4624 LogonType 3 (NLA), RCM 1149 (alice, CORP, 192.0.2.10), 98 within a second of the 131, LSM 21/22 and RdpCoreTS 68 (timings): the session.',
      'Client: 1024 → 1102 → 1027 (CORP, session id) → 1401 (graphics) → 1105 → 1026 Value=1 (closed locally) under one ActivityID.',
    ],
    unconfirmed: ['RdpCoreTS 103 ReasonCode meanings (14 for the probe, 5 for the normal end) are observed values, not documented ones (kb §7.4).'],
    attempts: sessions.map((s) => ({
      client: client.name,
      target: s.target,
      start: s.start,
      outcome: 'succeeded' as const,
      rootCause: 'none',
      disconnectReason: 1,
    })),
    notes: 'The probe connections (server-side only) must be folded into the following attempt or flagged preconnect, never reported as failures.',
  });
}
