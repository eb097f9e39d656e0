// Connecting to the own machine (localhost) while logged on at its console: 0x708.
import { clientFailure, connectSuccess, entry, failed, serverBoot } from './lib/flows.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder } from './lib/recorder.js';
import { finish } from './lib/scenario.js';

export function build(): Scenario {
  const r = new Recorder('localhost-console');
  const client = HOSTS.alice;
  const server = HOSTS.rds01;
  const user = USERS.alice;
  serverBoot(r, server, '2026-03-16T06:55:00.0000000Z');
  const start = '2026-03-16T09:12:03.4531250Z';
  clientFailure(r, { client, user, target: 'localhost', start, label: 'localhost', afterMs: 1_210, reason: 1800 });
  const ok = connectSuccess(r, { client, server, user, target: 'RDS01.corp.example', start: '2026-03-16T09:14:40.0000000Z', label: 'rds01', durationMs: 5_400_000 });

  return finish(r, {
    summary: 'The user connects to her own computer ("localhost") while logged on at its console: 0x708.',
    causes: ['localhost-console'],
    keyEvents: ['client 1024 Value=localhost → 1105 → 1026 Value=1800 (0x708)', 'no server-side trace (the target is the client itself)'],
    story:
      'Alice tests mstsc by typing "localhost"; Windows refuses a second connection to the console session she is already using. She then connects to RDS01 as intended.',
    evidence: [
      'Client: 1024 Value=localhost → 1105 → 1026 Value=1800 after 1.2 s.',
      'No server log has anything from this attempt: the target was the client itself (RDS01 only sees the later, working connection).',
    ],
    unconfirmed: ['0x708 for a connection to the own console is documented by RDCMan and user reports, not by Microsoft\'s discReason table (kb §1.2).'],
    attempts: [failed({ client, target: 'localhost', start }, 'localhost-console', 1800), entry(ok)],
    notes: 'The server folder belongs to the later RDS01 session only.',
  });
}
