// The RDP certificate's private key in MachineKeys is corrupt/inaccessible: RCM 1057, Schannel 36870.
import { clientFailure, entry, failed, serverBoot, serverSecurityFailure } from './lib/flows.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import { rcmSystem, schannelPrivateKey } from './lib/systemEvents.js';
import { plus } from './lib/time.js';
import { pids } from './lib/recorder.js';

const NTE_BAD_KEYSET = 0x8009030d; // SEC_E_UNKNOWN_CREDENTIALS as Schannel reports it for a broken key

export function build(): Scenario {
  const r = new Recorder('machinekeys-corrupt');
  const client = HOSTS.carol;
  const server = HOSTS.rds02;
  const user = USERS.carol;
  const target = 'RDS02.corp.example';
  serverBoot(r, server, '2026-03-05T07:10:44.0000000Z');
  const keyset = 'The Terminal Server has failed to create a new self signed certificate to be used for Terminal Server authentication on SSL connections. The relevant status code was Keyset does not exist.\r\n';
  r.add('server', rcmSystem({ host: server, time: '2026-03-05T07:10:44.6093750Z' }, 1057, 2, [keyset]));
  const lsass = pids(r, server).lsass;
  const tries = ['2026-03-05T08:30:05.8125000Z', '2026-03-05T08:31:12.3437500Z', '2026-03-05T08:40:58.0000000Z'];
  const attempts = tries.map((start, i) => {
    const label = `tls-${i + 1}`;
    const k = serverSecurityFailure(r, { server, client, user, start: plus(start, 260), label, result: NTE_BAD_KEYSET });
    r.add('server', schannelPrivateKey({ ...k.sec(40), processId: lsass }, NTE_BAD_KEYSET, 10001));
    clientFailure(r, { client, user, target, start, label, afterMs: 1_120, reason: 2308 });
    return failed({ client, target, start }, 'machinekeys-corrupt', 2308);
  });

  return finish(r, {
    summary: 'Corrupt or inaccessible MachineKeys private key: no certificate can be created or used for TLS.',
    causes: ['machinekeys-corrupt'],
    keyEvents: [
      'server System RCM 1057 "failed to create a new self signed certificate … Keyset does not exist"',
      'server System Schannel 36870 ErrorCode 0x8009030D ErrorStatus 10001 at each attempt',
      'server RdpCoreTS 131 → 139 → 102/103; no 4624, no 1149; client 1026 Value=2308',
    ],
    story:
      'After a disk restore the RSA key files under C:\\ProgramData\\Microsoft\\Crypto\\RSA\\MachineKeys on RDS02 are corrupt. At boot RCM cannot create the self-signed RDP certificate (1057, "Keyset does not exist"), and every TLS handshake fails when Schannel tries to use the key (36870, internal state 10001). Carol tries three times; nothing is fixed within the logs.',
    evidence: [
      'Server System: RCM (TermService) 1057 at boot with "Keyset does not exist".',
      'Server System: Schannel 36870 (Type server, ErrorCode 0x8009030D, ErrorStatus 10001) within 40 ms of each RdpCoreTS 131 from 192.0.2.12.',
      'Server: 139/226 (RDP_SEC) and 102/103 right after; no 4624, no 1149, no LSM 21.',
      'Client: 1024 → 1105 → 1026 Value=2308 after 1.1 s, three times.',
    ],
    unconfirmed: ['The client discReason for a TLS-phase failure (2308 here) is UNCONFIRMED (kb §3.3, §7.3).', 'Schannel 36870 field names (CallerProcessId, CallerProcessImageName, Type, ErrorCode, ErrorStatus) come from a third-party manifest listing.'],
    attempts: attempts.map(entry),
    notes: 'Distinguish from cert-expired-renewal (RCM 1058) and custom-cert-invalid (RCM 1051–1055 with a configured thumbprint).',
  });
}
