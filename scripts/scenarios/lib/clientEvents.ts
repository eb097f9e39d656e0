// Client side: Microsoft-Windows-TerminalServices-RDPClient/Operational (provider ClientActiveXCore).
// Shapes from rdp-kb §1.4/§2.1 and real 1024/1026 XML (Task 101, Opcode 10 connect / 11 disconnect,
// Name/Value/CustomLevel data); other fields from the manifest field lists (OSSEM).
import { createHash } from 'node:crypto';
import type { EvtxEventSpec } from '../../../test/support/evtx-writer/index.js';
import { event, hex32, named, u32, type At, type System } from './common.js';
import type { User } from './hosts.js';

export const RDPCLIENT_CHANNEL = 'Microsoft-Windows-TerminalServices-RDPClient/Operational';
const provider = { name: 'Microsoft-Windows-TerminalServices-ClientActiveXCore', guid: '{28AA95BB-D444-4719-A36F-40462168127E}' };

// Opcodes 10/11 are from real records; 12 (name resolution) and 13 (licensing) are assumed.
const sys = (user: User, level: number, opcode: number, task = 101): System => ({
  provider,
  channel: RDPCLIENT_CHANNEL,
  version: 0,
  level,
  task,
  opcode,
  keywords: '0x4000000000000000',
  userId: user.sid,
});

/** 1024 "RDP ClientActiveX is trying to connect to the server (target)". */
export const connecting = (at: At, user: User, target: string): EvtxEventSpec =>
  event(at, 1024, sys(user, 4, 10), named(['Name', 'Server Name'], ['Value', target], ['CustomLevel', 'Info']));

/** 1026 "RDP ClientActiveX has been disconnected (Reason= discReason)"; Value is decimal UInt32. */
export const disconnected = (at: At, user: User, discReason: number): EvtxEventSpec =>
  event(at, 1026, sys(user, 4, 11), named(['Name', 'Disconnect Reason'], ['Value', u32(discReason)], ['CustomLevel', 'Info']));

/** 1027 "Connected to domain (%1) with session %2" — only after a successful logon. */
export const loggedOn = (at: At, user: User, sessionId: number): EvtxEventSpec =>
  event(at, 1027, sys(user, 4, 10), named(['DomainName', user.domain], ['SessionId', u32(sessionId)]));

/** 1029 "Base64(SHA256(UserName)) is = %1". */
export const userHash = (at: At, user: User): EvtxEventSpec =>
  event(
    at,
    1029,
    sys(user, 4, 10),
    named(['TraceMessage', `${createHash('sha256').update(user.name, 'utf16le').digest('base64')}-`]),
  );

/** 1102 "The client has initiated a multi-transport connection to the server %2" (Value = server IP). */
export const multiTransportStart = (at: At, user: User, serverIp: string): EvtxEventSpec =>
  event(at, 1102, sys(user, 4, 10), named(['Name', 'Server Address'], ['Value', serverIp], ['CustomLevel', 'Info']));

/** 1103 "The client has established a multi-transport connection to the server." (no data) */
export const multiTransportUp = (at: At, user: User): EvtxEventSpec => event(at, 1103, sys(user, 4, 10), named());

/** 1105 "The multi-transport connection has been disconnected." (no data; logged before 1026) */
export const multiTransportDown = (at: At, user: User): EvtxEventSpec => event(at, 1105, sys(user, 4, 11), named());

/** 1007 "DNS failed to resolve the server name (Error= %2)", Level Error. */
export const dnsFailed = (at: At, user: User, error: number): EvtxEventSpec =>
  event(at, 1007, sys(user, 2, 12), named(['TraceMessage', ''], ['ErrorCode', u32(error)]));

/** 1401 graphics protocol version: proof the session reached the graphics pipeline. */
export const graphics = (at: At, user: User): EvtxEventSpec =>
  event(at, 1401, sys(user, 4, 10, 104), named(['Version', hex32(0x000a0701)], ['ClientMode', u32(2)], ['AvcEnabled', u32(1)]));
