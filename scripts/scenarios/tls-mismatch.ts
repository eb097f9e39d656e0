// Server and client share no TLS protocol/cipher suite: Schannel 36871/36874/36888 on the server.
import { clientFailure, entry, failed, serverBoot, serverSecurityFailure } from './lib/flows.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder, pids } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import { schannelAlertSent, schannelCredential, schannelNoCipher } from './lib/systemEvents.js';
import { plus } from './lib/time.js';

const SEC_E_ALGORITHM_MISMATCH = 0x80090331;

export function build(): Scenario {
  const r = new Recorder('tls-mismatch');
  const client = HOSTS.dave;
  const server = HOSTS.rds02;
  const user = USERS.dave;
  const target = 'RDS02.corp.example';
  serverBoot(r, server, '2026-03-08T07:02:09.0000000Z');
  const lsass = pids(r, server).lsass;
  r.add('server', schannelCredential({ host: server, time: '2026-03-08T07:02:09.3750000Z', processId: lsass, threadId: 812 }, 'server', 10013));
  const tries = ['2026-03-08T10:33:51.1562500Z', '2026-03-08T10:34:26.7812500Z'];
  const attempts = tries.map((start, i) => {
    const label = `tls-${i + 1}`;
    const k = serverSecurityFailure(r, { server, client, user, start: plus(start, 410), label, result: SEC_E_ALGORITHM_MISMATCH });
    r.add('server', schannelNoCipher({ ...k.sec(30), processId: lsass }, 'TLS 1.2'), schannelAlertSent({ ...k.sec(31), processId: lsass }, 40, 1205));
    clientFailure(r, { client, user, target, start, label, afterMs: 1_250, reason: 2308 });
    return failed({ client, target, start }, 'tls-mismatch', 2308);
  });

  return finish(r, {
    summary: 'TLS handshake failure: the hardened server and the old client have no protocol/cipher suite in common.',
    causes: ['tls-mismatch'],
    keyEvents: [
      'server System Schannel 36871 Type server ErrorState 10013 at boot',
      'server System Schannel 36874 (TLS 1.2, no common cipher suite) and 36888 alert 40 per attempt',
      'server RdpCoreTS 131 → 139 0x80090331 → 226 RDP_SEC → 102/103; client 1026 Value=2308',
    ],
    story:
      'A hardening GPO on RDS02 disabled TLS 1.0/1.1 and reduced the cipher suite order to a few ECDHE-GCM suites. Dave\'s old laptop (VPN, 198.51.100.23) offers only CBC suites. Every handshake fails; nothing is changed within the logs.',
    evidence: [
      'Server System: Schannel 36871 (Type server, ErrorState 10013) at boot: protocols disabled by policy.',
      'Server System: Schannel 36874 "TLS 1.2 connection request … none of the cipher suites supported by the client application are supported by the server" and 36888 (fatal alert 40 handshake_failure sent) at each attempt.',
      'Server: RdpCoreTS 131 from 198.51.100.23, 139 (0x80090331 SEC_E_ALGORITHM_MISMATCH) and 226 RDP_SEC within 50 ms; no 4624, no 1149.',
      'Client: 1024 → 1105 → 1026 Value=2308 after 1.25 s, twice.',
    ],
    unconfirmed: [
      'Schannel 36871/36874/36888 field names (Type, ErrorState, Protocol, AlertDesc) are assumed from the message texts.',
      'The client discReason for a TLS-phase failure (2308 here) is UNCONFIRMED (kb §7.3).',
    ],
    attempts: attempts.map(entry),
    notes: 'Schannel alert 40 = handshake_failure (IANA TLS alerts); state 10013 = protocols disabled (kb §2.5).',
  });
}
