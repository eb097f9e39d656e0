// Through RD Gateway: the user is not allowed by the gateway's connection authorization policy.
import { clientFailure, connectSuccess, entry, failed, serverBoot } from './lib/flows.js';
import { rdpFile } from './lib/exports.js';
import { gatewayEvent } from './lib/gatewayEvents.js';
import { HOSTS, USERS, type Host } from './lib/hosts.js';
import type { Scenario } from './lib/model.js';
import { Recorder } from './lib/recorder.js';
import { finish } from './lib/scenario.js';
import { plus } from './lib/time.js';

export function build(): Scenario {
  const r = new Recorder('rd-gateway');
  const client = HOSTS.aliceLaptop;
  const server = HOSTS.rds01;
  const gw = HOSTS.gateway;
  const user = USERS.alice;
  const target = 'RDS01.corp.example';
  // RDS01 sees gateway connections coming from the gateway's inside address.
  const viaGateway: Host = { ...client, ip: '192.0.2.5' };
  const gwAt = (time: string) => ({ host: gw, time, processId: 2964, threadId: 5120 });
  serverBoot(r, server, '2026-03-17T06:55:00.0000000Z');
  const tries = ['2026-03-17T19:02:11.0000000Z', '2026-03-17T19:03:26.5000000Z'];
  const attempts = tries.map((start, i) => {
    r.add('gateway', gatewayEvent(gwAt(plus(start, 1_420)), 201, 3, user, client.ip, target, 23003));
    clientFailure(r, { client, user, target, start, label: `gw-${i + 1}`, afterMs: 1_900, reason: 50331676, multiTransport: false });
    return failed({ client, target, start }, 'rd-gateway', 50331676);
  });
  const okStart = '2026-03-17T19:41:07.2500000Z';
  r.add(
    'gateway',
    gatewayEvent(gwAt(plus(okStart, 1_300)), 200, 4, user, client.ip, target, 0),
    gatewayEvent(gwAt(plus(okStart, 1_420)), 300, 4, user, client.ip, target, 0),
    gatewayEvent(gwAt(plus(okStart, 1_700)), 302, 4, user, client.ip, target, 0),
  );
  const ok = connectSuccess(r, { client, server, user, target, start: okStart, label: 'via-gw', durationMs: 3_600_000, seenAs: viaGateway, probe: false });
  r.file('client', client, 'RDS01 (gateway).rdp', rdpFile({ fullAddress: target, username: 'CORP\\alice', gateway: { host: 'rdgw.corp.example', usage: 1 } }));

  return finish(r, {
    summary: 'RD Gateway refuses the user (connection authorization policy); the session host is never reached.',
    causes: ['rd-gateway'],
    keyEvents: [
      'client .rdp gatewayhostname rdgw.corp.example, gatewayusagemethod 1',
      'gateway TerminalServices-Gateway 201 (did not meet CAP, error 23003)',
      'client 1026 Value=50331676 (0x300001C); after the group change: gateway 200/300/302 and a session on RDS01 from 192.0.2.5',
    ],
    story:
      'In the evening Alice connects from home through the RD Gateway (rdgw.corp.example). She is not yet in the group the gateway\'s connection authorization policy (CAP) allows, so the gateway rejects her. At 19:30 the helpdesk adds her; at 19:41 the connection goes through the gateway to RDS01.',
    evidence: [
      'Client: the .rdp file uses gateway rdgw.corp.example (gatewayusagemethod 1).',
      'Gateway: 201 (user CORP\\alice from 198.51.100.41 did not meet connection authorization policy requirements, ErrorCode 23003) at each attempt.',
      'Client: 1024 → 1026 Value=50331676 (0x300001C, not authorized for the gateway) after 1.9 s; RDS01 logs nothing then.',
      'Contrast: 19:41 gateway 200 (CAP met), 300 (RAP met), 302 (connected) and an RDS01 session whose source address is the gateway (192.0.2.5).',
    ],
    unconfirmed: [
      'kb §2.10 marks the RD Gateway ids UNCONFIRMED; Microsoft\'s RD Gateway event pages confirm 200/201/300/302 and their messages, but the child elements of their EventInfo/"aag" UserData are assumed from the message inserts (a real 303 shows the shape).',
      'Error 23003 for a user outside the CAP groups is assumed.',
      'Gateway disconnect codes 0x3000007… come from RDCMan\'s table only (kb §1.2).',
    ],
    attempts: [...attempts.map(entry), entry(ok)],
    notes: 'The client 1024 names the session host, not the gateway; the gateway appears only in the .rdp file and its own log.',
  });
}
