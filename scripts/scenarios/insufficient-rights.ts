// NLA passes but the user lacks "Allow log on through Remote Desktop Services": 4625 0xC000015B, ext 0x9.
import { clientFailure, entry, failed, serverAuthenticated, serverBoot, serverTeardown } from './lib/flows.js';
import { rdcmanLog, rdgFile } from './lib/exports.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import * as Sec from './lib/securityEvents.js';
import { plus } from './lib/time.js';

export function build(): Scenario {
  const r = new Recorder('insufficient-rights');
  const client = HOSTS.dave;
  const server = HOSTS.rds01;
  const user = USERS.dave;
  const target = 'RDS01.corp.example';
  serverBoot(r, server, '2026-03-11T06:55:55.0000000Z');
  const tries = ['2026-03-11T09:45:02.2500000Z', '2026-03-11T09:46:30.6093750Z'];
  const attempts = tries.map((start, i) => {
    const label = `rights-${i + 1}`;
    const a = serverAuthenticated(r, { server, client, user, start: plus(start, 350), label });
    r.add(
      'server',
      Sec.logonFailed(a.k.sec(a.ms + 1_150), server, { user, logonType: 10, client, port: 0, status: 0xc000015b, subStatus: 0, failureReason: '%%2308' }),
    );
    serverTeardown(r, a, a.ms + 1_260, 14);
    clientFailure(r, { client, user, target, start, label, afterMs: 2_520, reason: 2308 });
    return { start, failed: failed({ client, target, start }, 'insufficient-rights', 2308, 9) };
  });
  const [logName, log] = rdcmanLog(tries[0]!, tries.flatMap((t) => [
    { time: t, text: `OnConnecting ${target}` },
    { time: plus(t, 2520), text: `OnDisconnected ${target}: discReason=2308 extendedDisconnectReason=exDiscReasonServerInsufficientPrivileges` },
  ]));
  r.file('client', client, logName, log);
  r.file('client', client, 'servers.rdg', rdgFile('Session hosts', [{ displayName: 'RDS01', name: target }], user));

  return finish(r, {
    summary: 'The user passes NLA but is not allowed to log on through Remote Desktop Services (extended code 0x9).',
    causes: ['insufficient-rights'],
    keyEvents: [
      'server Security 4625 LogonType 10 Status 0xC000015B (logon type not granted) after 4624 type 3 + RCM 1149',
      'client RDCMan log extendedDisconnectReason=exDiscReasonServerInsufficientPrivileges',
      'client 1026 Value=2308; no LSM 21',
    ],
    story:
      'Dave moved to a new team and was removed from "Remote Desktop Users" on RDS01. His password is right, so NLA succeeds, but the interactive (type 10) logon is refused. RDCMan shows "The user account is not authorized for remote login".',
    evidence: [
      'Server: 131 from 198.51.100.23, 4624 LogonType 3 and RCM 1149 (credentials fine), 98, then Security 4625 LogonType 10 Status 0xC000015B (%%2308) and 102/103; no LSM 21.',
      'Client: RDCMan log "discReason=2308 extendedDisconnectReason=exDiscReasonServerInsufficientPrivileges" (local time UTC+01:00).',
      'Client: 1024 → 1105 → 1026 Value=2308 after 2.5 s, no 1027.',
    ],
    unconfirmed: ['The discReason that accompanies extended code 9 (2308 here) is UNCONFIRMED; kb §1.1 only establishes that this cause shows extended 0x9, not 0x7.'],
    attempts: attempts.map((a) => entry(a.failed)),
    notes: '0x904 with extended 0x9 must not be reported as server-denied (0x7).',
  });
}
