// CredSSP encryption-oracle remediation: the patched client refuses the unpatched server (LsaSrv 6041).
import { clientFailure, entry, failed, serverBoot, serverClientClosed } from './lib/flows.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import { credsspOracle } from './lib/systemEvents.js';
import { plus } from './lib/time.js';

export function build(): Scenario {
  const r = new Recorder('credssp-oracle');
  const client = HOSTS.carol;
  const server = HOSTS.rds02;
  const user = USERS.carol;
  const target = 'RDS02.corp.example';
  serverBoot(r, server, '2026-03-09T06:40:00.0000000Z');
  const tries = ['2026-03-09T11:07:28.4062500Z', '2026-03-09T11:08:03.9375000Z'];
  const attempts = tries.map((start, i) => {
    const label = `credssp-${i + 1}`;
    serverClientClosed(r, { server, client, user, start: plus(start, 190), label, afterMs: 420 });
    r.add('client', credsspOracle({ host: client, time: plus(start, 560) }, `TERMSRV/${target}`, 4));
    clientFailure(r, { client, user, target, start, label, afterMs: 700, reason: 2825 });
    return failed({ client, target, start }, 'credssp-oracle', 2825);
  });

  return finish(r, {
    summary: 'CredSSP version mismatch refused by Encryption Oracle Remediation on the client.',
    causes: ['credssp-oracle'],
    keyEvents: [
      'client System LsaSrv 6041 "CredSSP authentication to TERMSRV/RDS02.corp.example failed to negotiate a common protocol version"',
      'client 1024 → 1026 within 0.7 s (CredSSP dialog)',
      'server RdpCoreTS 131 → 142 error 64 → 226 RDP_SEC → 102/103, no 4624/1149',
    ],
    story:
      'WS-CAROL is fully patched and its policy is "Force Updated Clients"; RDS02 missed the CredSSP update. Carol gets "An authentication error has occurred. The function requested is not supported … CredSSP encryption oracle remediation".',
    evidence: [
      'Client System: LsaSrv 6041 (Data TERMSRV/RDS02.corp.example, 4) at each attempt: the remote host offered a CredSSP version the policy does not permit.',
      'Client: 1024 → 1105 → 1026 after 0.7 s, no 1027.',
      'Server: RdpCoreTS 131 from 192.0.2.12 then 142 (error 64, the client hung up) and 226 RDP_SEC; no 4624, no 1149, no 4625.',
    ],
    unconfirmed: [
      'The discReason mstsc logs for the CredSSP oracle refusal (2825 = 0xB09 here) is UNCONFIRMED (kb §4 row 6).',
      'The meaning of LsaSrv 6041\'s second data value (the offered version) follows the message text only.',
    ],
    attempts: attempts.map(entry),
    notes: 'The decisive event is on the client (LsaSrv 6041 in its System log); the server only sees a short connection.',
  });
}
