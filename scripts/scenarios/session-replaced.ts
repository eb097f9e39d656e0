// The same user connects from a second device and takes over the session; the first client is cut off (ext 0x5).
import { clientSuccess, connectSuccess, entry, failed, serverBoot, serverSession } from './lib/flows.js';
import { rdcmanLog } from './lib/exports.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder, pids } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import * as S from './lib/serverEvents.js';
import { between, plus } from './lib/time.js';

export function build(): Scenario {
  const r = new Recorder('session-replaced');
  const office = HOSTS.alice;
  const laptop = HOSTS.aliceLaptop;
  const server = HOSTS.rds01;
  const user = USERS.alice;
  const target = 'RDS01.corp.example';
  serverBoot(r, server, '2026-03-18T06:55:00.0000000Z');
  const first = '2026-03-18T09:00:31.1250000Z';
  const takeover = '2026-03-18T13:31:45.0000000Z';
  // The office client is cut off just after the server hands the session to the laptop (LSM 40).
  const officeEnd = plus(takeover, 2150 + 1790 + 120);
  const firstMs = between(first, officeEnd);
  const { sessionId } = serverSession(r, { server, client: office, user, start: plus(first, 2150), label: 'office', durationMs: firstMs, end: 'none' });
  // The take-over: the new connection's arbitration disconnects the old one with reason 5.
  const lsm = r.clock(server, plus(takeover, 2150), { activityId: r.act(server, 'laptop/lsm'), processId: pids(r, server).lsm, label: 'laptop' });
  r.add('server', S.sessionDisconnectReason(lsm(1_790), sessionId, 5), S.sessionDisconnected(lsm(1_800), user, sessionId, office.ip));
  clientSuccess(r, { client: office, user, target, start: first, label: 'office', serverIp: server.ip, sessionId, durationMs: firstMs, endReason: 3 });
  const second = connectSuccess(r, { client: laptop, server, user, target, start: takeover, label: 'laptop', durationMs: 3_600_000, reconnectSession: sessionId });
  const [logName, log] = rdcmanLog(first, [
    { time: first, text: `OnConnecting ${target}` },
    { time: plus(first, 4200), text: `OnConnected ${target}` },
    { time: officeEnd, text: `OnDisconnected ${target}: discReason=3 extendedDisconnectReason=exDiscReasonReplacedByOtherConnection` },
  ]);
  r.file('client', office, logName, log);

  return finish(r, {
    summary: 'Another connection of the same user takes over the session; the first client is disconnected (extended 0x5).',
    causes: ['session-replaced'],
    keyEvents: [
      'server LSM 40 reason 5 for the office session, then LSM 25 (reconnection) from 198.51.100.41',
      'office client RDCMan log extendedDisconnectReason=exDiscReasonReplacedByOtherConnection; 1026 Value=3',
      'laptop client 1024 → 1027 (same session id)',
    ],
    story:
      'Alice works on RDS01 from her office PC (via RDCMan) and leaves it connected. In the afternoon she connects from her laptop over VPN; RDS01 hands her session to the new connection and the office PC is disconnected.',
    evidence: [
      'Server: LSM 40 (session, reason 5) and 24 for the office address at 13:31, then LSM 25 and Security 4778 for the laptop address into the same session id.',
      'Office client: RDCMan log "discReason=3 extendedDisconnectReason=exDiscReasonReplacedByOtherConnection"; RDPClient 1026 Value=3 (disconnected by server).',
      'Laptop client: 1024 → 1027 with the same session id.',
    ],
    unconfirmed: ['LSM 40 reason codes read with the ExtendedDisconnectReason numbering (5 = replaced) is DFIR practice, not Microsoft documentation (kb §2.3).'],
    attempts: [failed({ client: office, target, start: first }, 'session-replaced', 3, 5), entry(second)],
    notes: 'The office attempt had a working session; it "failed" only in that it was ended by the take-over. Its discReason 3 is "disconnected by server".',
  });
}
