// One day on RDS01 with four clients: working sessions, a wrong password, a VPN drop, a refusal.
import { clientFailure, clientSuccess, connectSuccess, entry, failed, serverAuthenticated, serverBoot, serverSession, serverTeardown } from './lib/flows.js';
import { nlaFailure } from './lib/failures.js';
import { rdcmanLog, rdgFile } from './lib/exports.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { ExpectedAttempt, Scenario } from './lib/model.js';
import { Recorder } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import { rcmSystem } from './lib/systemEvents.js';
import { plus } from './lib/time.js';

export function build(): Scenario {
  const r = new Recorder('mixed-day');
  const server = HOSTS.rds01;
  const target = 'RDS01.corp.example';
  const attempts: ExpectedAttempt[] = [];
  serverBoot(r, server, '2026-03-23T06:55:00.0000000Z');

  // Alice: a normal morning.
  attempts.push(entry(connectSuccess(r, { client: HOSTS.alice, server, user: USERS.alice, target, start: '2026-03-23T08:03:27.6250000Z', label: 'alice-am', durationMs: 14_100_000 })));

  // Bob: wrong password, then right.
  const bobFail = '2026-03-23T08:41:02.1875000Z';
  nlaFailure(r, { server, client: HOSTS.bob, user: USERS.bob, start: plus(bobFail, 250), label: 'bob-typo' }, 0xc000006d, 0xc000006a);
  clientFailure(r, { client: HOSTS.bob, user: USERS.bob, target, start: bobFail, label: 'bob-typo', afterMs: 2_470, reason: 2055 });
  attempts.push(failed({ client: HOSTS.bob, target, start: bobFail }, 'nla-credentials', 2055));
  attempts.push(entry(connectSuccess(r, { client: HOSTS.bob, server, user: USERS.bob, target, start: '2026-03-23T08:41:48.0000000Z', label: 'bob-ok', durationMs: 13_500_000 })));

  // Dave over VPN: the tunnel drops, he reconnects.
  const daveStart = '2026-03-23T10:15:09.3750000Z';
  const drop = 2_210_000;
  const { sessionId } = serverSession(r, { server, client: HOSTS.dave, user: USERS.dave, start: plus(daveStart, 2150), label: 'dave-vpn', durationMs: drop, end: 'dropped' });
  clientSuccess(r, { client: HOSTS.dave, user: USERS.dave, target, start: daveStart, label: 'dave-vpn', serverIp: server.ip, sessionId, durationMs: drop + 2150 + 58_000, endReason: 264 });
  attempts.push(failed({ client: HOSTS.dave, target, start: daveStart }, 'network-drop', 264));
  attempts.push(entry(connectSuccess(r, { client: HOSTS.dave, server, user: USERS.dave, target, start: '2026-03-23T10:58:30.5000000Z', label: 'dave-back', durationMs: 9_000_000, reconnectSession: sessionId })));

  // Carol (RDCMan) in the afternoon: RDS01 was put into drain mode; two refusals.
  const carol = ['2026-03-23T14:10:44.8750000Z', '2026-03-23T14:11:20.1250000Z'];
  carol.forEach((start, i) => {
    const label = `carol-${i + 1}`;
    const a = serverAuthenticated(r, { server, client: HOSTS.carol, user: USERS.carol, start: plus(start, 300), label });
    r.add('server', rcmSystem(a.k.rcm(a.ms + 170), 1070, 3, []));
    serverTeardown(r, a, a.ms + 230, 14);
    clientFailure(r, { client: HOSTS.carol, user: USERS.carol, target, start, label, afterMs: 1_580, reason: 2308 });
    attempts.push(failed({ client: HOSTS.carol, target, start }, 'server-denied', 2308, 7));
  });
  const [logName, log] = rdcmanLog(carol[0]!, carol.flatMap((t) => [
    { time: t, text: `OnConnecting ${target}` },
    { time: plus(t, 1580), text: `OnDisconnected ${target}: discReason=2308 extendedDisconnectReason=exDiscReasonServerDeniedConnection` },
  ]));
  r.file('client', HOSTS.carol, logName, log);
  r.file('client', HOSTS.carol, 'corp.rdg', rdgFile('Session hosts', [{ displayName: 'RDS01', name: target }], USERS.carol));

  // Alice again, late afternoon, after drain mode was lifted.
  attempts.push(entry(connectSuccess(r, { client: HOSTS.alice, server, user: USERS.alice, target, start: '2026-03-23T15:32:10.0000000Z', label: 'alice-pm', durationMs: 5_400_000 })));

  return finish(r, {
    summary: 'A whole day on RDS01: four clients, successes and three different failure causes.',
    causes: ['server-denied', 'nla-credentials', 'network-drop'],
    keyEvents: [
      'bob: 4625 type 3 0xC000006A + RdpCoreTS 140 ↔ 1026 Value=2055',
      'dave: 142 error 121 in an established session ↔ 1026 Value=264; reconnect LSM 25',
      'carol: System RCM 1070 (drain mode) after 1149 ↔ RDCMan ext 7, 1026 Value=2308',
    ],
    story:
      'Monday on RDS01. Alice works in the morning and afternoon. Bob mistypes his password once. Dave\'s VPN drops mid-session and he reconnects into the same session. At 14:00 an administrator puts RDS01 into drain mode for a patch and forgets it until 15:30; Carol, using RDCMan, is refused twice in between.',
    evidence: [
      'Bob 08:41: Security 4625 LogonType 3 SubStatus 0xC000006A and RdpCoreTS 140 for 192.0.2.11; client 1026 Value=2055; the retry 46 s later works.',
      'Dave 10:15: full logon, then 142 (error 121), 226, LSM 40/24 after 37 min; client 1026 Value=264; reconnect at 10:58 with LSM 25 into the same session.',
      'Carol 14:10/14:11: 131, 4624 type 3, 1149, 98, then System RCM 1070 (logon denied: drain mode) and 102/103; RDCMan log ext exDiscReasonServerDeniedConnection.',
      'Alice 08:03 and 15:32: normal sessions with their probe connections.',
    ],
    unconfirmed: [
      'RCM 1070 (drain mode) as the event that names an ERRINFO 7 refusal (kb §1.1, §7.1; display id computed).',
      'The client discReason after a failed auto-reconnect (264 here).',
    ],
    attempts,
    notes: 'Client logs are in client/<host>/; Carol\'s RDCMan log uses local time (UTC+01:00).',
  });
}
