// RD Gateway (Microsoft-Windows-TerminalServices-Gateway/Operational, on the gateway host).
// Event ids 200/201/300/301/302/303 and the EventInfo/"aag" UserData shape are UNCONFIRMED
// (kb §2.10): plausible evidence, flagged as such in the scenario README.
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
        { name: 'ConnectionProtocol', value: 'HTTP' },
        { name: 'ErrorCode', value: { type: 'uint32', value: errorCode } },
      ],
    },
  );
}
