// RD Gateway (Microsoft-Windows-TerminalServices-Gateway/Operational, on the gateway host).
// Ids and messages from Microsoft's "RD Gateway Server Connections" event pages (200 CAP met,
// 201 CAP not met: user %1, client %2, auth method %3, error %5; 300/301 RAP; 302 connected).
// The UserData shape <EventInfo xmlns="aag"> with Username/IpAddress/…/ErrorCode is seen in a real
// 303; the exact child list of 200–302 is assumed from the message insert order.
import type { EvtxEventSpec } from '../../../test/support/evtx-writer/index.js';
import { event, type At } from './common.js';
import { SID, type User } from './hosts.js';

export const GATEWAY_CHANNEL = 'Microsoft-Windows-TerminalServices-Gateway/Operational';

export function gatewayEvent(at: At, id: number, level: number, user: User, clientIp: string, resource: string, errorCode: number): EvtxEventSpec {
  return event(
    at,
    id,
    {
      provider: { name: 'Microsoft-Windows-TerminalServices-Gateway', guid: '{4D5AE6A1-C7C8-4E6D-B840-4D8080B42E1B}' },
      channel: GATEWAY_CHANNEL,
      version: 0,
      level,
      task: 2,
      opcode: 30,
      keywords: '0x4020000001000000',
      userId: SID.networkService,
    },
    {
      kind: 'UserData',
      element: 'EventInfo',
      xmlns: 'aag',
      fields: [
        { name: 'Username', value: `${user.domain}\\${user.name}` },
        { name: 'IpAddress', value: clientIp },
        { name: 'AuthType', value: 'NTLM' },
        { name: 'Resource', value: resource },
        { name: 'ErrorCode', value: { type: 'uint32', value: errorCode } },
        { name: 'ConnectionProtocol', value: 'HTTP' },
      ],
    },
  );
}
