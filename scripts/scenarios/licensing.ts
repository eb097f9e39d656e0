// RD licensing: grace period over and no license server; the server drops the client (ext 257).
import { clientFailure, entry, failed, serverAuthenticated, serverBoot, serverTeardown } from './lib/flows.js';
import { rcmSystem } from './lib/systemEvents.js';
import { rdcmanLog, rdgFile } from './lib/exports.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import * as S from './lib/serverEvents.js';
import { plus } from './lib/time.js';

export function build(): Scenario {
  const r = new Recorder('licensing');
  const client = HOSTS.carol;
  const server = HOSTS.rds02;
  const user = USERS.carol;
  const target = 'RDS02.corp.example';
  serverBoot(r, server, '2026-03-12T06:50:10.0000000Z');
  r.add('server', rcmSystem({ host: server, time: '2026-03-12T06:50:11.1406250Z' }, 1069, 2, []));
  const tries = ['2026-03-12T08:55:44.0937500Z', '2026-03-12T08:57:01.4375000Z'];
  const attempts = tries.map((start, i) => {
    const label = `licensing-${i + 1}`;
    const a = serverAuthenticated(r, { server, client, user, start: plus(start, 300), label });
    r.add('server', S.channelOpened(a.k.core(a.ms + 40), 'rdplic', 0));
    serverTeardown(r, a, a.ms + 860, 14);
    clientFailure(r, { client, user, target, start, label, afterMs: 2_050, reason: 2308 });
    return failed({ client, target, start }, 'licensing', 2308, 257);
  });
  const [logName, log] = rdcmanLog(tries[0]!, tries.flatMap((t) => [
    { time: t, text: `OnConnecting ${target}` },
    { time: plus(t, 2050), text: `OnDisconnected ${target}: discReason=2308 extendedDisconnectReason=exDiscReasonLicenseNoLicenseServer` },
  ]));
  r.file('client', client, logName, log);
  r.file('client', client, 'servers.rdg', rdgFile('Session hosts', [{ displayName: 'RDS02', name: target }], user));

  return finish(r, {
    summary: 'RD Licensing: the grace period expired and no license server is configured (extended code 257).',
    causes: ['licensing'],
    keyEvents: [
      'server System RCM 1069 (licensing grace period expired) at boot',
      'server RdpCoreTS 131 → 98, 1149, 132 rdplic, 102/103; no LSM 21',
      'client RDCMan log extendedDisconnectReason=exDiscReasonLicenseNoLicenseServer (257)',
    ],
    story:
      'RDS02 was installed as an RD Session Host 120 days ago and nobody configured a license server. The grace period is over; after authentication the licensing exchange fails and the server drops every client.',
    evidence: [
      'Server System: RCM (TermService) 1069 at boot: the RD Licensing grace period has expired.',
      'Server: 131 from 192.0.2.12, 4624 type 3, RCM 1149, 98, RdpCoreTS 132 (channel rdplic) and 102/103 about a second later; no LSM 21.',
      'Client: RDCMan log "discReason=2308 extendedDisconnectReason=exDiscReasonLicenseNoLicenseServer"; 1026 Value=2308.',
    ],
    unconfirmed: [
      'RCM 1069 is a computed display id (kb §2.2); its Level and empty data are assumed.',
      'The discReason accompanying licensing extended codes (2308 here; 0x808/0x908 are also documented) is UNCONFIRMED.',
    ],
    attempts: attempts.map(entry),
    notes: 'Extended 257 = exDiscReasonLicenseNoLicenseServer (kb §1.3).',
  });
}
