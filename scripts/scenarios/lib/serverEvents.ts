// Server side RDS channels: RdpCoreTS/Operational, RemoteConnectionManager/Operational and
// LocalSessionManager/Operational. Level/Task/Opcode/Keywords/UserID per event id as in the real
// corpus files (rdpcorets_148…, RDPAuth_RemoteConnectionManager, RDPAuth_LocalSessionManager).
import type { EvtxEventSpec } from '../../../test/support/evtx-writer/index.js';
import { event, eventXml, hex32, named, u32, type At, type System } from './common.js';
import { SID, type User } from './hosts.js';

export const RDPCORETS_CHANNEL = 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational';
export const RCM_CHANNEL = 'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational';
export const LSM_CHANNEL = 'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational';

const coreTs = { name: 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS', guid: '{1139C61B-B549-4251-8ED3-27250A1EDEC8}' };
export const RCM_PROVIDER = { name: 'Microsoft-Windows-TerminalServices-RemoteConnectionManager', guid: '{C76BAA63-AE81-421C-B425-340B4B24157F}' };
const lsm = { name: 'Microsoft-Windows-TerminalServices-LocalSessionManager', guid: '{5D896912-022D-40AA-A3A8-4FA5515C76D7}' };

// RdpCoreTS opcodes by event id, from the real file; 139/140 are not in it and assumed 15.
const CORE_OPCODE: Record<number, number> = { 65: 13, 66: 13, 68: 13, 72: 13, 98: 15, 102: 17, 103: 17, 131: 15, 132: 15, 139: 15, 140: 15, 142: 15, 143: 15, 148: 17, 226: 19, 228: 19 };
const CORE_LEVEL: Record<number, number> = { 139: 3, 140: 3, 142: 3, 143: 3, 226: 3, 228: 3 };

function core(at: At, id: number, payload: EvtxEventSpec['payload']): EvtxEventSpec {
  const sys: System = {
    provider: coreTs,
    channel: RDPCORETS_CHANNEL,
    version: 0,
    level: CORE_LEVEL[id] ?? 4,
    task: 4,
    opcode: CORE_OPCODE[id] ?? 15,
    keywords: '0x4000000000000000',
    userId: SID.networkService,
  };
  return event(at, id, sys, payload);
}

export const tcpAccepted = (at: At, clientIp: string, port: number): EvtxEventSpec =>
  core(at, 131, named(['ConnType', 'TCP'], ['ClientIP', `${clientIp}:${port}`]));
export const udpAccepted = (at: At, clientIp: string, port: number): EvtxEventSpec =>
  core(at, 131, named(['ConnType', 'UDP'], ['ClientIP', `[${clientIp}]:${port}`]));
export const tcpEstablished = (at: At): EvtxEventSpec => core(at, 98, named());
export const connectionCreated = (at: At, connection: string): EvtxEventSpec => core(at, 65, named(['ConnectionName', connection]));
export const assignedToSession = (at: At, connection: string, sessionId: number): EvtxEventSpec =>
  core(at, 66, named(['ConnectionName', connection], ['SessionID', u32(sessionId)]));
export const interfaceMethod = (at: At, method: string): EvtxEventSpec => core(at, 72, named(['MethodName', method]));
export const timings = (at: At, connection: string, prompt: number, promptDone: number, gfx: number, first: number): EvtxEventSpec =>
  core(
    at,
    68,
    named(
      ['ConnectionName', connection],
      ['PromptForCredentials', u32(prompt)],
      ['PromptForCredentialsDone', u32(promptDone)],
      ['GfxChannelOpened', u32(gfx)],
      ['FirstGraphicsReceived', u32(first)],
    ),
  );
export const serverTerminated = (at: At): EvtxEventSpec => core(at, 102, named());
export const disconnectReason = (at: At, reasonCode: number): EvtxEventSpec => core(at, 103, named(['ReasonCode', u32(reasonCode)]));
export const channelOpened = (at: At, channel: string, tunnel: number): EvtxEventSpec =>
  core(at, 132, named(['ChannelName', channel], ['TunnelID', u32(tunnel)]));
/** 139: security layer (TLS/CredSSP) error; ResultCode is an HRESULT. */
export const securityLayerError = (at: At, result: number, clientIp: string): EvtxEventSpec =>
  core(at, 139, named(['ResultCode', hex32(result)], ['IPString', clientIp]));
/** 140: "failed because the user name or password is not correct". */
export const badCredentials = (at: At, clientIp: string): EvtxEventSpec => core(at, 140, named(['IPString', clientIp]));
export const socketReadFailed = (at: At, error: number): EvtxEventSpec => core(at, 142, named(['error', u32(error)]));
export const socketWriteFailed = (at: At, error: number): EvtxEventSpec => core(at, 143, named(['error', u32(error)]));
export const stateError = (at: At, transition: string, from: [number, string], to: [number, string], ev: [number, string], error: number): EvtxEventSpec =>
  core(
    at,
    226,
    named(
      ['StateTransition', transition],
      ['PreviousState', u32(from[0])],
      ['PreviousStateName', from[1]],
      ['NewState', u32(to[0])],
      ['NewStateName', to[1]],
      ['Event', u32(ev[0])],
      ['EventName', ev[1]],
      ['ErrorCode', hex32(error)],
    ),
  );

function rcm(at: At, id: number, payload: EvtxEventSpec['payload']): EvtxEventSpec {
  // RCM 261/1149 carry no ActivityID in the real samples (kb §3.1): correlate by time and IP.
  const { activityId: _unused, ...rest } = at;
  const sys: System = { provider: RCM_PROVIDER, channel: RCM_CHANNEL, version: 0, level: 4, task: 0, opcode: 0, keywords: '0x1000000000000000', userId: SID.networkService };
  return event(rest, id, sys, payload);
}

export const listenerStarted = (at: At): EvtxEventSpec => rcm(at, 258, eventXml(['listenerName', 'RDP-Tcp']));
export const listenerReceived = (at: At): EvtxEventSpec => rcm(at, 261, eventXml(['listenerName', 'RDP-Tcp']));
/** 1149: NLA (network) authentication passed: Param1 user, Param2 domain, Param3 source IP. */
export const authSucceeded = (at: At, user: User, clientIp: string): EvtxEventSpec =>
  rcm(at, 1149, eventXml(['Param1', user.name], ['Param2', user.domain], ['Param3', clientIp]));

function lsmEvent(at: At, id: number, payload: EvtxEventSpec['payload']): EvtxEventSpec {
  const sys: System = { provider: lsm, channel: LSM_CHANNEL, version: 0, level: 4, task: 0, opcode: 0, keywords: '0x1000000000000000', userId: SID.system };
  return event(at, id, sys, payload);
}

const who = (u: User): string => `${u.domain}\\${u.name}`;
export const sessionLogon = (at: At, u: User, session: number, address: string): EvtxEventSpec =>
  lsmEvent(at, 21, eventXml(['User', who(u)], ['SessionID', u32(session)], ['Address', address]));
export const shellStart = (at: At, u: User, session: number, address: string): EvtxEventSpec =>
  lsmEvent(at, 22, eventXml(['User', who(u)], ['SessionID', u32(session)], ['Address', address]));
export const sessionLogoff = (at: At, u: User, session: number): EvtxEventSpec =>
  lsmEvent(at, 23, eventXml(['User', who(u)], ['SessionID', u32(session)]));
export const sessionDisconnected = (at: At, u: User, session: number, address: string): EvtxEventSpec =>
  lsmEvent(at, 24, eventXml(['User', who(u)], ['SessionID', u32(session)], ['Address', address]));
export const sessionReconnected = (at: At, u: User, session: number, address: string): EvtxEventSpec =>
  lsmEvent(at, 25, eventXml(['User', who(u)], ['SessionID', u32(session)], ['Address', address]));
export const disconnectedBySession = (at: At, target: number, source: number): EvtxEventSpec =>
  lsmEvent(at, 39, eventXml(['TargetSession', u32(target)], ['Source', u32(source)]));
/** 40 "Session %1 has been disconnected, reason code %2" (reason numbering UNCONFIRMED, kb §2.3). */
export const sessionDisconnectReason = (at: At, session: number, reason: number): EvtxEventSpec =>
  lsmEvent(at, 40, eventXml(['Session', u32(session)], ['Reason', u32(reason)]));
export const arbitrationBegin = (at: At, u: User, session: number): EvtxEventSpec =>
  lsmEvent(at, 41, eventXml(['User', who(u)], ['SessionID', u32(session)]));
export const arbitrationEnd = (at: At, u: User, session: number): EvtxEventSpec =>
  lsmEvent(at, 42, eventXml(['User', who(u)], ['SessionID', u32(session)]));
