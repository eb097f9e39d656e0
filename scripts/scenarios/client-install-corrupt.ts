// mstsc crashes in mstscax.dll right after starting a connection (damaged client install).
import * as C from './lib/clientEvents.js';
import { connectSuccess, entry, failed, serverBoot } from './lib/flows.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import { appCrash } from './lib/systemEvents.js';
import { plus } from './lib/time.js';

export function build(): Scenario {
  const r = new Recorder('client-install-corrupt');
  const client = HOSTS.bob;
  const server = HOSTS.rds01;
  const user = USERS.bob;
  const target = 'RDS01.corp.example';
  serverBoot(r, server, '2026-03-19T06:55:00.0000000Z');
  const tries = ['2026-03-19T08:20:14.7500000Z', '2026-03-19T08:21:40.0625000Z'];
  const attempts = tries.map((start, i) => {
    const pid = r.pick(3000, 16000, client.name, `crash-${i + 1}`, 'mstsc');
    const at = { host: client, time: start, activityId: r.act(client, `crash-${i + 1}`), processId: pid, threadId: 7712 };
    r.add(
      'client',
      C.connecting(at, user, target),
      appCrash({ host: client, time: plus(start, 340), processId: 6140, threadId: 6144 }, 'mstsc.exe', '10.0.22621.3085', 'mstscax.dll', '10.0.22621.2861', 0xc0000005, pid),
    );
    return failed({ client, target, start }, 'client-install-corrupt');
  });
  const ok = connectSuccess(r, { client, server, user, target, start: '2026-03-19T10:02:05.5000000Z', label: 'repaired', durationMs: 6_000_000 });

  return finish(r, {
    summary: 'The client crashes in mstscax.dll before any network activity (damaged client files).',
    causes: ['client-install-corrupt'],
    keyEvents: ['client Application Error 1000 mstsc.exe / mstscax.dll 0xc0000005 right after 1024', 'client: no 1026 (the process died)', 'server: nothing for those attempts'],
    story:
      'A failed cumulative update left WS-BOB with mismatched mstscax.dll / mstsc.exe versions. mstsc crashes a third of a second into each connection. After `sfc /scannow` and `DISM /RestoreHealth` at 09:45 it works.',
    evidence: [
      'Client Application: Application Error 1000, faulting application mstsc.exe 10.0.22621.3085, faulting module mstscax.dll 10.0.22621.2861 (different build), exception 0xc0000005, ProcessId = the 1024\'s process.',
      'Client: 1024 with no 1026, 1105 or any later event in that ActivityID.',
      'Server: nothing from 192.0.2.11 at 08:20–08:22; the 10:02 attempt after the repair works.',
    ],
    unconfirmed: ['Client-side corruption is UNCONFIRMED as a cause of 0x904/0x7 (kb §4 row 13); this sample shows the crash form, which carries no disconnect code at all.', 'Application Error 1000 named fields follow Windows 11.'],
    attempts: [...attempts.map(entry), entry(ok)],
    notes: 'No disconnect code exists for the crashed attempts.',
  });
}
