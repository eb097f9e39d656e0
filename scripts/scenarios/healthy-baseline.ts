// Two working sessions from WS-ALICE to RDS01, each preceded by mstsc's short first TCP connection.
import { connectSuccess, entry, serverBoot } from './lib/flows.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder } from './lib/recorder.js';
import { finish } from './lib/scenario.js';

export function build(): Scenario {
  const r = new Recorder('healthy-baseline');
  const base = { client: HOSTS.alice, server: HOSTS.rds01, user: USERS.alice };
  serverBoot(r, base.server, '2026-03-21T06:55:12.4410000Z');
  const attempts = [
    connectSuccess(r, { ...base, target: 'RDS01.corp.example', start: '2026-03-21T08:02:14.2031250Z', label: 'morning', durationMs: 11_460_000 }),
    connectSuccess(r, { ...base, target: 'rds01', start: '2026-03-21T13:05:41.8750000Z', label: 'afternoon', durationMs: 5_820_000 }),
  ];
  return finish(r, {
    summary: 'Working connections, including the short probe connection mstsc opens first.',
    causes: ['none'],
    keyEvents: [
      'server RdpCoreTS 131 → 143 error 64 → 102/103 ReasonCode 14 within 0.5 s (probe)',
      'server RdpCoreTS 131 → 98, 4624 type 3, RCM 1149, LSM 21/22, 4624 type 10, RdpCoreTS 68',
      'client 1024 → 1027 → 1401 → 1105 → 1026 Value=1',
    ],
    story:
      'Alice connects from WS-ALICE to RDS01 twice (morning by FQDN, afternoon by short name) and closes the window at the end of each session. About two seconds before each real connection mstsc opens a short TCP connection and closes it within half a second; the server logs it as a connection that ended at once.',
    evidence: [
      'Server: RdpCoreTS 131 from 192.0.2.10, then 143 (error 64), 226 (→ StateDisconnected), 102 and 103 (ReasonCode 14) within 0.5 s, with its own ActivityID: the probe. No authentication follows it.',
      'Server: 1.9 s later a second 131 from a source port two higher, 4624 LogonType 3 (NLA), RCM 1149 (alice, CORP, 192.0.2.10), 98 0.7 s after the 131, LSM 41/42/21/22, 4624 LogonType 10 and RdpCoreTS 68 (timings): the session.',
      'Client: 1024 → 1102 → 1027 (CORP, session id) → 1401 (graphics) → 1105 → 1026 Value=1 (closed locally) under one ActivityID; the server ActivityIDs differ.',
      'End: RdpCoreTS 102/103, LSM 39/40 (reason 11)/24 and Security 4779 at the moment the client logs 1026.',
    ],
    unconfirmed: ['RdpCoreTS 103 ReasonCode values (14 for the probe, 5 for the normal end) and LSM 40 reason 11 are observed values, not documented ones (kb §2.3, §7.4).'],
    attempts: attempts.map(entry),
    notes: 'The probe connections exist only on the server; they must be folded into the following attempt (or flagged preconnect), never reported as failures.',
  });
}
