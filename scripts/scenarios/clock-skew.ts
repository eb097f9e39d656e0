// The client's clock runs 6 min 40 s behind the server's; attempts must still correlate.
import { clientFailure, connectSuccess, entry, failed, serverBoot } from './lib/flows.js';
import { nlaFailure } from './lib/failures.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import { plus } from './lib/time.js';

const SKEW_MS = 400_000; // server clock − client clock

export function build(): Scenario {
  const r = new Recorder('clock-skew');
  const client = HOSTS.erin;
  const server = HOSTS.rds03;
  const user = USERS.erin;
  const target = '192.0.2.52';
  serverBoot(r, server, '2026-03-22T06:55:00.0000000Z');
  const ok = connectSuccess(r, { client, server, user, target, start: '2026-03-22T09:02:33.5000000Z', label: 'morning', durationMs: 5_100_000, skewMs: SKEW_MS });
  const start = '2026-03-22T11:30:08.2500000Z';
  nlaFailure(r, { server, client, user, start: plus(start, SKEW_MS + 240), label: 'wrong-password' }, 0xc000006d, 0xc000006a);
  clientFailure(r, { client, user, target, start, label: 'wrong-password', afterMs: 2_460, reason: 2055 });

  return finish(r, {
    summary: 'Client clock 6 min 40 s behind the server: a success and a failure that must still be joined across hosts.',
    causes: ['nla-credentials'],
    keyEvents: [
      'client 1024 at 09:02:33 ↔ server 131/1149 from 192.0.2.13 at 09:09:15 (same attempt, +400 s)',
      'client 1026 Value=2055 at 11:30 ↔ server 4625 type 3 + RdpCoreTS 140 at 11:36:48',
    ],
    story:
      'WS-ERIN\'s CMOS clock drifted: it runs 6 min 40 s behind RDS03 (she connects by IP, so NTLM is used and Kerberos skew limits do not apply). Her morning session works; at 11:30 (her clock) she mistypes her password.',
    evidence: [
      'Every server event of Erin\'s attempts is 400 s later than the matching client event: 131/1149/LSM 21 versus 1024/1027 in the morning, 4625/140 versus 1024/1026 at 11:30.',
      'The morning pair fixes the skew: 1024 at 09:02:33.5 (client) versus the real 131 at 09:09:15.6 (server), with matching address 192.0.2.13.',
      'Failure: server Security 4625 LogonType 3 Status 0xC000006D SubStatus 0xC000006A and RdpCoreTS 140 for 192.0.2.13; client 1026 Value=2055.',
    ],
    unconfirmed: ['That mstsc always logs 2055 (0x807) for an NLA logon failure (kb §3.3).'],
    attempts: [entry(ok), failed({ client, target, start }, 'nla-credentials', 2055)],
    notes: 'Start times are client-clock times. The tool should report a skew of about +400 s for RDS03 relative to WS-ERIN (or −400 s the other way round).',
  });
}
