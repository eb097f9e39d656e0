// The client cannot verify the server certificate (name mismatch) and its .rdp forbids connecting.
import { clientFailure, connectSuccess, entry, failed, serverBoot, serverClientClosed } from './lib/flows.js';
import { rdpFile } from './lib/exports.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder, pids } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import { schannelNameMismatch } from './lib/systemEvents.js';
import { plus } from './lib/time.js';

export function build(): Scenario {
  const r = new Recorder('client-cert-trust');
  const client = HOSTS.bob;
  const server = HOSTS.rds01;
  const user = USERS.bob;
  const alias = 'rds.corp.example';
  serverBoot(r, server, '2026-03-07T06:58:21.0000000Z');
  const tries = ['2026-03-07T09:21:33.0625000Z', '2026-03-07T09:22:10.4687500Z'];
  const lsass = pids(r, client).lsass;
  tries.forEach((start, i) => {
    const label = `trust-${i + 1}`;
    serverClientClosed(r, { server, client, user, start: plus(start, 240), label, afterMs: 330 });
    r.add('client', schannelNameMismatch({ host: client, time: plus(start, 520), processId: lsass, threadId: 2210 + i }, alias));
    clientFailure(r, { client, user, target: alias, start, label, afterMs: 610, reason: 1 });
  });
  r.file('client', client, 'rds.rdp', rdpFile({ fullAddress: alias, username: 'CORP\\bob', authenticationLevel: 1 }));
  const ok = connectSuccess(r, { client, server, user, target: 'RDS01.corp.example', start: '2026-03-07T09:30:47.2500000Z', label: 'by-name', durationMs: 4_200_000 });

  return finish(r, {
    summary: 'The client refuses the server certificate (name mismatch) because the .rdp requires server authentication.',
    causes: ['client-cert-trust'],
    keyEvents: [
      'client System Schannel 36884 (certificate does not contain the expected name rds.corp.example)',
      'client .rdp authentication level:i:1; 1024 Value=rds.corp.example → 1026 without 1027',
      'server RdpCoreTS 131 → 142 error 64 → 226 RDP_SEC → 102/103, no 4624/1149',
    ],
    story:
      'Bob uses a saved .rdp file that connects to the DNS alias rds.corp.example with "authentication level:i:1" (do not connect if server authentication fails). RDS01\'s certificate is issued to RDS01.corp.example, so the name check fails and mstsc drops the connection after the TLS handshake. Connecting by the host\'s own name works.',
    evidence: [
      'Client System: Schannel 36884 with TargetName rds.corp.example half a second into each attempt.',
      'Client: the .rdp file sets full address rds.corp.example and authentication level 1.',
      'Client: 1024 (rds.corp.example) → 1105 → 1026 Value=1 after 0.6 s, no 1027.',
      'Server: RdpCoreTS 131 from 192.0.2.11, then 142 (error 64: the client closed) and 226 RDP_SEC, 102/103 within 0.35 s; no 4624, no 1149.',
      'Contrast: 1024 RDS01.corp.example at 09:30 logs on normally.',
    ],
    unconfirmed: [
      'Whether mstsc\'s server-certificate check logs Schannel 36882/36884 on the client (kb §4 row 4).',
      'The discReason mstsc logs when it refuses the certificate (1 here) is UNCONFIRMED.',
    ],
    attempts: [...tries.map((t) => failed({ client, target: alias, start: t }, 'client-cert-trust', 1)), entry(ok)],
    notes: '1026 Value=1 normally means the user closed the session; here there was never a 1027, so the attempt failed.',
  });
}
