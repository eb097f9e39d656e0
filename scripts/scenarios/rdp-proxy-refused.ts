// 0x904 / 0x7 from an RDP-speaking proxy in front of RDS01: the server never sees the attempt.
import { clientFailure, connectSuccess, entry, failed, serverBoot } from './lib/flows.js';
import { rdpFile } from './lib/exports.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder } from './lib/recorder.js';
import { finish } from './lib/scenario.js';

export function build(): Scenario {
  const r = new Recorder('rdp-proxy-refused');
  const client = HOSTS.alice;
  const server = HOSTS.rds01;
  const user = USERS.alice;
  const proxy = 'rdp.example.net';
  serverBoot(r, server, '2026-03-03T06:56:03.0000000Z');
  const tries = ['2026-03-03T10:04:17.4062500Z', '2026-03-03T10:06:52.7500000Z'];
  tries.forEach((start, i) => clientFailure(r, { client, user, target: proxy, start, label: `proxy-${i + 1}`, afterMs: 870, reason: 2308 }));
  const direct = connectSuccess(r, { client, server, user, target: 'RDS01.corp.example', start: '2026-03-03T10:21:09.1250000Z', label: 'direct', durationMs: 2_400_000 });
  r.file('client', client, 'RDS01 via proxy.rdp', rdpFile({ fullAddress: `${proxy}:3390`, username: 'CORP\\alice' }));

  return finish(r, {
    summary: 'An RDP proxy/tunnel in the path answers and refuses; the real server never logs the attempt.',
    causes: ['rdp-proxy-refused'],
    keyEvents: [
      'client 1024 Value=rdp.example.net → 1026 Value=2308 within 0.9 s',
      'server RDS01: no RdpCoreTS 131 / RCM 1149 at those times (logs cover them)',
      'client .rdp full address rdp.example.net:3390; later direct 1024 RDS01.corp.example succeeds',
    ],
    story:
      'Alice opens a saved .rdp file that points at rdp.example.net:3390, an RDP proxy that forwards to RDS01. The proxy refuses her (its own policy) and she gets "0x904 / 0x7" twice. Connecting directly to RDS01.corp.example from the office works.',
    evidence: [
      'Client: 1024 Value=rdp.example.net → 1105 → 1026 Value=2308 0.87 s later, twice; the user reported extended code 0x7 from the dialog.',
      'Server RDS01: its RdpCoreTS, RCM, LSM and Security logs run from 06:56 through the afternoon but hold no 131, 4624 or 1149 within minutes of 10:04 or 10:06: the refusing party was not RDS01.',
      'Client: the .rdp file\'s full address is rdp.example.net:3390, not a Windows host of the case.',
      'Contrast: the direct connection at 10:21 reaches RDS01 (131 from 192.0.2.10, 1149, LSM 21) and works.',
    ],
    unconfirmed: ['RDP proxies emitting 0x904/0x7 themselves is known from user reports (teleport#301, natfrp#683), not from vendor documentation (kb §4 row 19).'],
    attempts: [...tries.map((t) => failed({ client, target: proxy, start: t }, 'rdp-proxy-refused', 2308)), entry(direct)],
    notes: 'No input carries the extended code here: diagnose with the user-reported codes (--code 0x904 --ext 0x7) for the strongest result.',
    userCodes: { disconnectReason: 2308, extendedReason: 7 },
  });
}
