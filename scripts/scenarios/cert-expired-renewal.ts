// The RDP self-signed certificate expired and RCM cannot replace it (RCM 1058, access denied).
import { clientFailure, connectSuccess, entry, failed, serverBoot, serverSecurityFailure } from './lib/flows.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import { rcmSystem } from './lib/systemEvents.js';
import { plus } from './lib/time.js';

const SEC_E_NO_CREDENTIALS = 0x8009030e;

export function build(): Scenario {
  const r = new Recorder('cert-expired-renewal');
  const client = HOSTS.bob;
  const server = HOSTS.rds01;
  const user = USERS.bob;
  const target = 'RDS01.corp.example';
  const sys = (time: string) => ({ host: server, time });
  serverBoot(r, server, '2026-03-04T06:55:02.5000000Z');
  const denied = 'The Terminal Server has failed to replace the expired self signed certificate used for Terminal Server authentication on SSL connections. The relevant status code was Access is denied.\r\n';
  r.add('server', rcmSystem(sys('2026-03-04T06:55:03.0312500Z'), 1058, 2, [denied]), rcmSystem(sys('2026-03-04T07:55:03.0468750Z'), 1058, 2, [denied]));
  const tries = ['2026-03-04T08:12:45.6250000Z', '2026-03-04T08:13:30.1875000Z'];
  tries.forEach((start, i) => {
    const label = `tls-${i + 1}`;
    serverSecurityFailure(r, { server, client, user, start: plus(start, 280), label, result: SEC_E_NO_CREDENTIALS });
    clientFailure(r, { client, user, target, start, label, afterMs: 1_040, reason: 2308 });
  });
  // The fix: the expired certificate is deleted and TermService restarted; RCM makes a new one (1056).
  r.add('server', rcmSystem(sys('2026-03-04T09:02:11.2500000Z'), 1056, 4, ['RDS01'], '3F0A9C11D52E6B7780A4E2C95D1B0F6A7C3E8B21'));
  serverBoot(r, server, '2026-03-04T09:02:11.9062500Z');
  const fixed = connectSuccess(r, { client, server, user, target, start: '2026-03-04T09:06:20.4375000Z', label: 'fixed', durationMs: 1_800_000 });

  return finish(r, {
    summary: 'Expired RDP self-signed certificate that RCM cannot renew: TLS fails before any authentication.',
    causes: ['cert-expired-renewal'],
    keyEvents: [
      'server System RCM 1058 "failed to replace the expired self signed certificate … Access is denied"',
      'server RdpCoreTS 131 → 139 (0x8009030E) → 226 RDP_SEC → 102/103; no 4624, no 1149',
      'client 1026 Value=2308; after the fix System RCM 1056 (new certificate) and a working session',
    ],
    story:
      'The RDP listener certificate of RDS01 expired; RCM tries to replace it at service start and hourly but the MachineKeys ACL denies access, so it logs 1058. Bob\'s connections fail in the TLS phase. At 09:02 the administrator deletes the expired certificate from the Remote Desktop store and restarts TermService; RCM logs 1056 (new self-signed certificate) and Bob connects.',
    evidence: [
      'Server System: RCM (TermService) 1058 at 06:55 and 07:55 with status "Access is denied".',
      'Server: RdpCoreTS 131 from 192.0.2.11, then 139 (security layer error 0x8009030E SEC_E_NO_CREDENTIALS) and 226 (RDP_SEC → StateDisconnected) within 50 ms, 102/103; no 4624, no 1149, no LSM 21.',
      'Client: 1024 → 1105 → 1026 Value=2308 about one second later, twice.',
      'After the fix: System RCM 1056 at 09:02, listener 258, then a normal session at 09:06.',
    ],
    unconfirmed: [
      'The client discReason for a TLS-phase failure (2308 here) is UNCONFIRMED (kb §3.3, §7.3).',
      'RdpCoreTS 139 ResultCode for a missing server credential (0x8009030E) is assumed.',
    ],
    attempts: [...tries.map((t) => failed({ client, target, start: t }, 'cert-expired-renewal', 2308)), entry(fixed)],
    notes: 'Must not be reported as server-denied: TLS failed before NLA (no 4624/1149) and no extended code 7 is known.',
  });
}
