// A custom certificate bound to RDP-Tcp (SSLCertificateSHA1Hash) whose private key RCM cannot use.
import { clientFailure, connectSuccess, entry, failed, serverBoot, serverSecurityFailure } from './lib/flows.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder, pids } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import { rcmSystem, schannelNoDefaultCredential } from './lib/systemEvents.js';
import { plus } from './lib/time.js';

const SEC_E_NO_CREDENTIALS = 0x8009030e;
const THUMBPRINT = '9B2E41C07D55A3F18E6C0B94D27A5E13F08C6D4A';

export function build(): Scenario {
  const r = new Recorder('custom-cert-invalid');
  const client = HOSTS.alice;
  const server = HOSTS.rds01;
  const user = USERS.alice;
  const target = 'RDS01.corp.example';
  serverBoot(r, server, '2026-03-06T07:20:31.5000000Z');
  r.add(
    'server',
    rcmSystem({ host: server, time: '2026-03-06T07:20:31.2187500Z' }, 1055, 2, ['RDS01'], THUMBPRINT),
  );
  const lsass = pids(r, server).lsass;
  const tries = ['2026-03-06T08:47:19.9531250Z', '2026-03-06T08:49:02.5625000Z'];
  tries.forEach((start, i) => {
    const label = `tls-${i + 1}`;
    const k = serverSecurityFailure(r, { server, client, user, start: plus(start, 230), label, result: SEC_E_NO_CREDENTIALS });
    r.add('server', schannelNoDefaultCredential({ ...k.sec(35), processId: lsass }));
    clientFailure(r, { client, user, target, start, label, afterMs: 980, reason: 2308 });
  });
  // The fix: the SSLCertificateSHA1Hash value is deleted; RCM generates its own certificate.
  r.add('server', rcmSystem({ host: server, time: '2026-03-06T09:15:40.0000000Z' }, 1056, 4, ['RDS01'], '6D0E2B8A4C19F37E5A80D6B2C4E1F9037A5B8C62'));
  serverBoot(r, server, '2026-03-06T09:15:40.6250000Z');
  const fixed = connectSuccess(r, { client, server, user, target, start: '2026-03-06T09:18:03.1875000Z', label: 'fixed', durationMs: 2_700_000 });

  return finish(r, {
    summary: 'A custom certificate configured for the RDP listener cannot be used, and no usable fallback exists.',
    causes: ['custom-cert-invalid'],
    keyEvents: [
      'server System RCM 1055 (cannot access the configured certificate\'s private key; SHA1 in Binary)',
      'server System Schannel 36886 "No suitable default server credential" at each attempt',
      'server RdpCoreTS 131 → 139 → 102/103, no 4624/1149; after the fix RCM 1056 and a working session',
    ],
    story:
      'An administrator bound a certificate from the internal CA to RDP-Tcp (SSLCertificateSHA1Hash = 9B2E…6D4A) but imported it without granting NETWORK SERVICE read access to its private key. At service start RCM logs 1055. Alice\'s connections fail during TLS. At 09:15 the SSLCertificateSHA1Hash value is deleted and the service restarted; RCM creates a self-signed certificate (1056) and Alice connects.',
    evidence: [
      'Server System: RCM (TermService) 1055 at 07:20 with Data "RDS01" and the configured thumbprint 9B2E41C0…D4A as Binary.',
      'Server System: Schannel 36886 (no suitable default server credential) within 35 ms of each RdpCoreTS 131 from 192.0.2.10.',
      'Server: 139 (0x8009030E) and 226 RDP_SEC, 102/103; no 4624, no 1149.',
      'Client: 1024 → 1105 → 1026 Value=2308 after about one second, twice.',
      'After the fix: System RCM 1056 (new self-signed certificate) and a normal session at 09:18.',
    ],
    unconfirmed: [
      'kb §4 row 3: RCM 1051–1055 say the default certificate will be used; this sample assumes the fallback also fails (Schannel 36886), which S12 suggests for a mismatching SSLCertificateSHA1Hash.',
      'The client discReason for a TLS-phase failure (2308 here) is UNCONFIRMED.',
    ],
    attempts: [...tries.map((t) => failed({ client, target, start: t }, 'custom-cert-invalid', 2308)), entry(fixed)],
    notes: 'Distinguish from machinekeys-corrupt (RCM 1057 + Schannel 36870) and cert-expired-renewal (RCM 1058).',
  });
}
