// Wrong password at NLA: 4625 type 3 and RdpCoreTS 140 on the server, 1026 Value=2055 on the client.
import { clientFailure, connectSuccess, entry, failed, serverBoot } from './lib/flows.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import { nlaFailure } from './lib/failures.js';
import { plus } from './lib/time.js';

export function build(): Scenario {
  const r = new Recorder('nla-credentials');
  const client = HOSTS.bob;
  const server = HOSTS.rds01;
  const user = USERS.bob;
  const target = 'RDS01.corp.example';
  serverBoot(r, server, '2026-03-10T06:57:30.0000000Z');
  const start = '2026-03-10T08:40:12.5468750Z';
  nlaFailure(r, { server, client, user, start: plus(start, 260), label: 'wrong-password' }, 0xc000006d, 0xc000006a);
  clientFailure(r, { client, user, target, start, label: 'wrong-password', afterMs: 2_480, reason: 2055 });
  const ok = connectSuccess(r, { client, server, user, target, start: '2026-03-10T08:41:05.0312500Z', label: 'retyped', durationMs: 12_600_000 });

  return finish(r, {
    summary: 'Wrong password rejected during Network Level Authentication, then a correct retry.',
    causes: ['nla-credentials'],
    keyEvents: [
      'server Security 4625 LogonType 3 Status 0xC000006D SubStatus 0xC000006A from 192.0.2.11',
      'server RdpCoreTS 140 (user name or password not correct, 192.0.2.11)',
      'client 1026 Value=2055 (0x807 SSL_ERR_LOGON_FAILURE); retry: 4624 type 3 + RCM 1149',
    ],
    story: 'Bob mistypes his new password; NLA rejects it. A minute later he types it correctly and works until lunch.',
    evidence: [
      'Server Security: 4625 LogonType 3, NTLM, Status 0xC000006D, SubStatus 0xC000006A (wrong password), IpAddress 192.0.2.11 and the TCP source port of the 131.',
      'Server: RdpCoreTS 140 (IPString 192.0.2.11), then 102/103; no RCM 1149.',
      'Client: 1024 → 1105 → 1026 Value=2055 after 2.5 s.',
      'Retry: 4624 LogonType 3, RCM 1149, LSM 21 — the account and the server are fine.',
    ],
    unconfirmed: ['That mstsc always logs 2055 (0x807) for an NLA logon failure (kb §3.3).'],
    attempts: [failed({ client, target, start }, 'nla-credentials', 2055), entry(ok)],
    notes: 'The 4625 IpPort equals the RdpCoreTS 131 source port (kb §3.1).',
  });
}
