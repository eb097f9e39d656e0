// The client cannot resolve the server name (DNS servers unreachable before the VPN is up).
import { clientFailure, connectSuccess, entry, failed, serverBoot } from './lib/flows.js';
import { HOSTS, USERS } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder, pids } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import { dnsTimeout } from './lib/systemEvents.js';
import { plus } from './lib/time.js';

export function build(): Scenario {
  const r = new Recorder('dns-resolution');
  const client = HOSTS.aliceLaptop;
  const server = HOSTS.rds01;
  const user = USERS.alice;
  const target = 'rds01.corp.example';
  serverBoot(r, server, '2026-03-15T06:55:00.0000000Z');
  const tries = ['2026-03-15T07:48:20.1250000Z', '2026-03-15T07:49:05.6875000Z'];
  const dns = pids(r, client).dns;
  const attempts = tries.map((start, i) => {
    const label = `dns-${i + 1}`;
    r.add('client', dnsTimeout({ host: client, time: plus(start, 10_020), processId: dns, threadId: 3112 + i }, target, '192.0.2.2'));
    clientFailure(r, { client, user, target, start, label, afterMs: 10_160, reason: 260, dnsError: 11002, multiTransport: false });
    return failed({ client, target, start }, 'dns-resolution', 260);
  });
  const ok = connectSuccess(r, { client, server, user, target, start: '2026-03-15T07:58:44.3125000Z', label: 'vpn-up', durationMs: 7_200_000 });

  return finish(r, {
    summary: 'Name resolution fails: the configured DNS servers are unreachable until the VPN is up.',
    causes: ['dns-resolution'],
    keyEvents: [
      'client System DNS-Client 1014 (name resolution for rds01.corp.example timed out)',
      'client RDPClient 1007 (DNS failed, error 11002) → 1026 Value=260 (0x104)',
      'server: nothing at those times; later 131 from 198.51.100.41 after the VPN is up',
    ],
    story:
      'Working from home, Alice starts mstsc before her VPN is connected. Her laptop still uses the office DNS server 192.0.2.2, which is unreachable, so the name never resolves. Once the VPN is up she connects.',
    evidence: [
      'Client System: DNS-Client 1014 for rds01.corp.example (server 192.0.2.2) ten seconds into each attempt.',
      'Client: 1024 → 1007 (ErrorCode 11002 WSATRY_AGAIN) → 1026 Value=260 (DNSLookupFailed); no 1105.',
      'Server: its logs cover the morning but show no connection from this client until 07:58.',
      'Contrast: 07:58 attempt from the VPN address 198.51.100.41 works.',
    ],
    unconfirmed: ['RDPClient 1007 data field names (TraceMessage, ErrorCode) are from a manifest listing; its opcode is assumed.'],
    attempts: [...attempts.map(entry), entry(ok)],
    notes: 'DNS failures give 0x104/0x208/0x508/0x604 codes, never 0x904.',
  });
}
