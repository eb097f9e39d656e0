// Updates installed without the required restart: session creation fails until RDS02 reboots.
import { clientFailure, connectSuccess, entry, failed, serverAuthenticated, serverBoot, serverTeardown } from './lib/flows.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import { eventLogStarted, eventLogStopped, rcmSystem, serviceError, updateInstalled } from './lib/systemEvents.js';
import { plus } from './lib/time.js';

export function build(): Scenario {
  const r = new Recorder('pending-reboot');
  const client = HOSTS.alice;
  const server = HOSTS.rds02;
  const user = USERS.alice;
  const target = 'RDS02.corp.example';
  const sys = (time: string, pid = 1204) => ({ host: server, time, processId: pid, threadId: 4410 });
  serverBoot(r, server, '2026-03-01T22:05:00.0000000Z');
  r.add(
    'server',
    updateInstalled(sys('2026-03-20T03:12:40.0000000Z'), '2026-02 Cumulative Update for Microsoft server operating system version 23H2 for x64-based Systems (KB5034770)', '{7C2A1E55-3B9D-4F0A-8E61-2D4C9B7A0F13}'),
    serviceError(sys('2026-03-20T03:14:02.5000000Z', 700), 7023, 'Remote Desktop Configuration', '%%2', 'SessionEnv'),
  );
  const tries = ['2026-03-20T08:58:19.0000000Z', '2026-03-20T09:03:47.2500000Z'];
  const attempts = tries.map((start, i) => {
    const label = `pending-${i + 1}`;
    const a = serverAuthenticated(r, { server, client, user, start: plus(start, 280), label });
    r.add('server', rcmSystem(a.k.rcm(a.ms + 620), 1036, 2, ['0xC0000022']));
    serverTeardown(r, a, a.ms + 700, 14);
    clientFailure(r, { client, user, target, start, label, afterMs: 1_980, reason: 2308 });
    return failed({ client, target, start }, 'pending-reboot', 2308);
  });
  // The reboot: EventLog 6006 (clean shutdown), 6005 (start), listener up again.
  r.add('server', eventLogStopped(sys('2026-03-20T12:01:10.0000000Z')), eventLogStarted(sys('2026-03-20T12:03:02.0000000Z')));
  serverBoot(r, server, '2026-03-20T12:03:31.0000000Z');
  const ok = connectSuccess(r, { client, server, user, target, start: '2026-03-20T12:10:05.0000000Z', label: 'after-reboot', durationMs: 3_000_000 });

  return finish(r, {
    summary: 'A cumulative update is installed but the server was not restarted; session creation fails until it is.',
    causes: ['pending-reboot'],
    keyEvents: [
      'server System WindowsUpdateClient 19 (update installed) with no EventLog 6005/6006 (restart) after it',
      'server System SCM 7023 (Remote Desktop Configuration terminated) and RCM 1036 (session creation failed) per attempt',
      'server 131 → 98, 1149 then 102/103 without LSM 21; after the 12:01 reboot a normal session',
    ],
    story:
      'At 03:12 Windows Update installed the cumulative update on RDS02 and scheduled a restart that a policy blocked. With half-replaced binaries the Remote Desktop Configuration service stops and new sessions cannot be created. Alice\'s attempts fail after authentication. The server is restarted at 12:01 and everything works.',
    evidence: [
      'Server System: WindowsUpdateClient 19 at 03:12 (update installed), SCM 7023 at 03:14 (Remote Desktop Configuration terminated with an error), and no EventLog 6005/6006 until 12:01.',
      'Server: 131, 4624 type 3, RCM 1149, 98 — then System RCM 1036 (session creation failed, status 0xC0000022) and 102/103; no LSM 21.',
      'Client: 1024 → 1105 → 1026 Value=2308 after 2 s, twice.',
      'After the reboot (6006 at 12:01, 6005 at 12:03, listener 258): the 12:10 attempt works.',
    ],
    unconfirmed: [
      'A pending reboot is UNCONFIRMED as a cause of 0x904/0x7 (kb §4 row 14); the client code here (2308) is assumed.',
      'RCM 1036 is a computed display id (kb §2.2); its data layout is assumed.',
    ],
    attempts: [...attempts.map(entry), entry(ok)],
    notes: 'A restart fixing it (6006/6005 between the failures and the success) is the strongest evidence.',
  });
}
