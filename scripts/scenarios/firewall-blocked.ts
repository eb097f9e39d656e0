// A host firewall rule blocks TCP 3389: the client times out with 0x204; the server logs only WFP 5157.
import { clientFailure, connectSuccess, entry, failed, serverBoot } from './lib/flows.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import { wfpBlocked } from './lib/securityEvents.js';
import { plus } from './lib/time.js';

export function build(): Scenario {
  const r = new Recorder('firewall-blocked');
  const client = HOSTS.alice;
  const server = HOSTS.rds02;
  const user = USERS.alice;
  const target = 'RDS02.corp.example';
  serverBoot(r, server, '2026-03-14T06:45:00.0000000Z');
  const tries = ['2026-03-14T08:15:09.3750000Z', '2026-03-14T08:16:02.9843750Z'];
  const attempts = tries.map((start, i) => {
    const label = `blocked-${i + 1}`;
    const port = r.pick(49700, 64000, client.name, label, 'port');
    // One SYN and its retransmissions are dropped; the audit logs each as a blocked connection.
    for (const [j, ms] of [120, 1_125, 3_130, 7_140].entries()) {
      r.add('server', wfpBlocked({ host: server, time: plus(start, ms), processId: 4, threadId: 812 + j }, server, client, port));
    }
    clientFailure(r, { client, user, target, start, label, afterMs: 21_060, reason: 516, multiTransport: false });
    return failed({ client, target, start }, 'firewall-blocked', 516);
  });
  const ok = connectSuccess(r, { client, server, user, target, start: '2026-03-14T08:52:30.2500000Z', label: 'rule-fixed', durationMs: 3_000_000 });

  return finish(r, {
    summary: 'A firewall blocks TCP 3389: the client\'s connect times out (0x204) and the server never accepts.',
    causes: ['firewall-blocked'],
    keyEvents: [
      'client 1024 → 1026 Value=516 (0x204) after 21 s, no 1105',
      'server Security 5157 (WFP blocked) 192.0.2.10 → 192.0.2.51:3389; no RdpCoreTS 131',
      'after the rule fix: 131, 1149, LSM 21',
    ],
    story:
      'A new GPO replaced the Windows Firewall rules on RDS02 and dropped the Remote Desktop inbound rule. Alice\'s connects time out. Filtering Platform Connection auditing is on, so the server logs the blocked attempts. At 08:50 the rule is restored and she connects.',
    evidence: [
      'Client: 1024 → 1026 Value=516 (SocketConnectFailed) 21 s later, twice; no 1105 (no transport was ever up).',
      'Server Security: 5157 (Filtering Platform blocked a connection) from 192.0.2.10 to port 3389 four times per attempt (SYN retransmissions).',
      'Server: RdpCoreTS and RCM logs cover 06:45 onwards but hold no 131/261 for those attempts.',
      'Contrast: 08:52 attempt reaches the listener (131, 1149, LSM 21).',
    ],
    unconfirmed: ['Security 5157 requires "Audit Filtering Platform Connection" (off by default); field layout for inbound blocks follows kb §2.7 (DestPort 3389).'],
    attempts: [...attempts.map(entry), entry(ok)],
    notes: '0x204 proves TCP never connected: not a server refusal.',
  });
}
