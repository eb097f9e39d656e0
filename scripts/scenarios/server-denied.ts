// 0x904 / 0x7: RDS01 refuses new connections after NLA succeeded (logons disabled with chglogon).
import { clientFailure, connectSuccess, entry, failed, serverAuthenticated, serverBoot, serverTeardown } from './lib/flows.js';
import { rdcmanLog, rdgFile } from './lib/exports.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import { rcmSystem } from './lib/systemEvents.js';
import { plus } from './lib/time.js';

export function build(): Scenario {
  const r = new Recorder('server-denied');
  const client = HOSTS.alice;
  const server = HOSTS.rds01;
  const user = USERS.alice;
  const target = 'RDS01.corp.example';
  serverBoot(r, server, '2026-03-02T06:55:40.1200000Z');
  const ok = connectSuccess(r, { client, server, user, target, start: '2026-03-02T08:31:02.5000000Z', label: 'before', durationMs: 3_180_000 });

  const tries = ['2026-03-02T09:58:03.3437500Z', '2026-03-02T09:59:41.0156250Z'];
  tries.forEach((start, i) => {
    const label = `denied-${i + 1}`;
    const a = serverAuthenticated(r, { server, client, user, start: plus(start, 310), label });
    // RCM refuses the connection because logons are disabled (chglogon /disable): kb §2.2 1071.
    r.add(
      'server',
      rcmSystem(a.k.rcm(a.ms + 180), 1071, 3, []),
    );
    serverTeardown(r, a, a.ms + 240, 14);
    clientFailure(r, { client, user, target, start, label, afterMs: 1_610, reason: 2308 });
  });

  const [logName, log] = rdcmanLog('2026-03-02T08:30:55.0000000Z', [
    { time: plus(ok.start, 0), text: `OnConnecting ${target}` },
    { time: plus(ok.start, 4200), text: `OnConnected ${target}` },
    { time: plus(ok.start, 3_180_000), text: `OnDisconnected ${target}: discReason=1 extendedDisconnectReason=exDiscReasonNoInfo` },
    ...tries.flatMap((t) => [
      { time: t, text: `OnConnecting ${target}` },
      { time: plus(t, 1610), text: `OnDisconnected ${target}: discReason=2308 extendedDisconnectReason=exDiscReasonServerDeniedConnection` },
    ]),
  ]);
  r.file('client', client, logName, log);
  r.file('client', client, 'corp.rdg', rdgFile('Session hosts', [{ displayName: 'RDS01', name: target }], user));

  return finish(r, {
    summary: 'The classic 0x904 / 0x7: the server accepted TCP, passed NLA, then refused the connection.',
    causes: ['server-denied'],
    keyEvents: [
      'client RDCMan log discReason=2308 extendedDisconnectReason=exDiscReasonServerDeniedConnection',
      'client 1024 → 1026 Value=2308 within 1.6 s',
      'server RdpCoreTS 131 → 98, 4624 type 3, RCM 1149, then System RCM 1071 and 102/103; no LSM 21',
    ],
    story:
      'At 09:40 an administrator disabled new logons on RDS01 (chglogon /disable) for maintenance and forgot to enable them again. Alice, who uses RDCMan, had worked on RDS01 in the morning; from 09:58 every attempt ends after 1.6 s with "error code 0x904, extended error code 0x7". She tries twice.',
    evidence: [
      'Client: RDCMan log lines "OnDisconnected RDS01.corp.example: discReason=2308 extendedDisconnectReason=exDiscReasonServerDeniedConnection" (local time, UTC+01:00).',
      'Client: 1024 (Value RDS01.corp.example) → 1105 → 1026 Value=2308 1.6 s later, no 1027.',
      'Server: RdpCoreTS 131 from 192.0.2.10, 4624 LogonType 3 and RCM 1149 (NLA passed), 98, then System RCM (TermService) 1071 "connection request denied because the server is configured to not accept connections", 102 and 103; no LSM 21/22 and no RdpCoreTS 68.',
      'Rules out: firewall/DNS (TCP reached the server), credentials (4624 type 3, 1149), certificates/TLS (NLA ran over TLS), rights (no 4625).',
      'Contrast: the 08:31 session of the same user worked end to end.',
    ],
    unconfirmed: [
      'Which Windows condition sends ERRINFO 7 and which server event names the refusal (kb §1.1, §7.1). RCM 1071 is a computed display id from the manifest value 0xC000042F (kb §2.2).',
      'RCM 1071 carries no data here; its Level (Warning) is assumed.',
    ],
    attempts: [entry(ok), ...tries.map((t) => failed({ client, target, start: t }, 'server-denied', 2308, 7))],
    notes: 'The extended code 7 comes only from the RDCMan log (1026 never carries it). RDCMan log times are local (UTC+01:00).',
  });
}
