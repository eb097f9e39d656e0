// Security log (Microsoft-Windows-Security-Auditing): 4624/4625 logons, 4634 logoff, 4778/4779
// session reconnect/disconnect, 5157 WFP block. Field lists and types as in the real corpus records.
import type { EvtxEventSpec } from '../../../test/support/evtx-writer/index.js';
import { event, guid, hex32, hex64, named, sid, u32, type At, type System } from './common.js';
import { SID, type Host, type User } from './hosts.js';

const provider = { name: 'Microsoft-Windows-Security-Auditing', guid: '{54849625-5478-4994-A5BA-3E3B0328C30D}' };
const SUCCESS = '0x8020000000000000';
const FAILURE = '0x8010000000000000';

const sys = (task: number, keywords: string, version = 0): System => ({ provider, channel: 'Security', version, level: 0, task, opcode: 0, keywords });

export interface Logon {
  user: User;
  logonType: 3 | 10 | 7;
  logonId: number;
  client: Host;
  /** Source port (NLA type-3 logons carry the TCP port; type 10 logs 0). */
  port: number;
}

/** 4624 version 2 (27 fields). Type 3 = NLA (CredSSP, NTLM here), type 10 = RemoteInteractive session. */
export function logonSucceeded(at: At, server: Host, l: Logon): EvtxEventSpec {
  const interactive = l.logonType !== 3;
  return event(
    at,
    4624,
    sys(12544, SUCCESS, 2),
    named(
      ['SubjectUserSid', sid(interactive ? SID.system : SID.nullSid)],
      ['SubjectUserName', interactive ? `${server.short}$` : '-'],
      ['SubjectDomainName', interactive ? l.user.domain : '-'],
      ['SubjectLogonId', hex64(interactive ? 0x3e7 : 0)],
      ['TargetUserSid', sid(l.user.sid)],
      ['TargetUserName', l.user.name],
      ['TargetDomainName', l.user.domain],
      ['TargetLogonId', hex64(l.logonId)],
      ['LogonType', u32(l.logonType)],
      ['LogonProcessName', interactive ? 'User32 ' : 'NtLmSsp '],
      ['AuthenticationPackageName', interactive ? 'Negotiate' : 'NTLM'],
      ['WorkstationName', interactive ? server.short : l.client.short],
      ['LogonGuid', guid('{00000000-0000-0000-0000-000000000000}')],
      ['TransmittedServices', '-'],
      ['LmPackageName', interactive ? '-' : 'NTLM V2'],
      ['KeyLength', u32(interactive ? 0 : 128)],
      ['ProcessId', hex64(interactive ? 0x3bc : 0)],
      ['ProcessName', interactive ? 'C:\\Windows\\System32\\svchost.exe' : '-'],
      ['IpAddress', l.client.ip],
      ['IpPort', String(interactive ? 0 : l.port)],
      ['ImpersonationLevel', '%%1833'],
      ['RestrictedAdminMode', interactive ? '%%1843' : '-'],
      ['TargetOutboundUserName', '-'],
      ['TargetOutboundDomainName', '-'],
      ['VirtualAccount', '%%1843'],
      ['TargetLinkedLogonId', hex64(0)],
      ['ElevatedToken', '%%1843'],
    ),
  );
}

export interface FailedLogon {
  user: User;
  logonType: 3 | 10;
  client: Host;
  port: number;
  status: number;
  subStatus: number;
  /** %%2313 unknown user name or bad password, %%2308 logon type not granted… */
  failureReason: string;
}

/** 4625 (21 fields). */
export function logonFailed(at: At, server: Host, f: FailedLogon): EvtxEventSpec {
  const interactive = f.logonType === 10;
  return event(
    at,
    4625,
    sys(12544, FAILURE),
    named(
      ['SubjectUserSid', sid(interactive ? SID.system : SID.nullSid)],
      ['SubjectUserName', interactive ? `${server.short}$` : '-'],
      ['SubjectDomainName', interactive ? f.user.domain : '-'],
      ['SubjectLogonId', hex64(interactive ? 0x3e7 : 0)],
      ['TargetUserSid', sid(SID.nullSid)],
      ['TargetUserName', f.user.name],
      ['TargetDomainName', f.user.domain],
      ['Status', hex32(f.status)],
      ['FailureReason', f.failureReason],
      ['SubStatus', hex32(f.subStatus)],
      ['LogonType', u32(f.logonType)],
      ['LogonProcessName', interactive ? 'User32 ' : 'NtLmSsp '],
      ['AuthenticationPackageName', interactive ? 'Negotiate' : 'NTLM'],
      ['WorkstationName', f.client.short],
      ['TransmittedServices', '-'],
      ['LmPackageName', '-'],
      ['KeyLength', u32(0)],
      ['ProcessId', hex64(interactive ? 0x1310 : 0)],
      ['ProcessName', interactive ? 'C:\\Windows\\System32\\winlogon.exe' : '-'],
      ['IpAddress', f.client.ip],
      ['IpPort', String(interactive ? 0 : f.port)],
    ),
  );
}

export const loggedOff = (at: At, user: User, logonId: number, logonType: number): EvtxEventSpec =>
  event(
    at,
    4634,
    sys(12545, SUCCESS),
    named(['TargetUserSid', sid(user.sid)], ['TargetUserName', user.name], ['TargetDomainName', user.domain], ['TargetLogonId', hex64(logonId)], ['LogonType', u32(logonType)]),
  );

function sessionEvent(at: At, id: number, user: User, logonId: number, session: string, client: Host): EvtxEventSpec {
  return event(
    at,
    id,
    sys(12551, SUCCESS),
    named(
      ['AccountName', user.name],
      ['AccountDomain', user.domain],
      ['LogonID', hex64(logonId)],
      ['SessionName', session],
      ['ClientName', client.short],
      ['ClientAddress', client.ip],
    ),
  );
}
export const sessionReconnectedSec = (at: At, user: User, logonId: number, session: string, client: Host): EvtxEventSpec =>
  sessionEvent(at, 4778, user, logonId, session, client);
export const sessionDisconnectedSec = (at: At, user: User, logonId: number, session: string, client: Host): EvtxEventSpec =>
  sessionEvent(at, 4779, user, logonId, session, client);

/** 5157 "The Windows Filtering Platform has blocked a connection" (inbound TCP to 3389). */
export const wfpBlocked = (at: At, server: Host, client: Host, port: number): EvtxEventSpec =>
  event(
    at,
    5157,
    sys(12810, FAILURE, 1),
    named(
      ['ProcessID', { type: 'uint64', value: 4 }],
      ['Application', 'System'],
      ['Direction', '%%14592'],
      // kb §2.7/§3.3 read the block as client → server:3389 (DestPort 3389).
      ['SourceAddress', client.ip],
      ['SourcePort', String(port)],
      ['DestAddress', server.ip],
      ['DestPort', '3389'],
      ['Protocol', u32(6)],
      ['FilterRTID', { type: 'uint64', value: 86412 }],
      ['LayerName', '%%14610'],
      ['LayerRTID', { type: 'uint64', value: 44 }],
      ['RemoteUserID', sid(SID.nullSid)],
      ['RemoteMachineID', sid(SID.nullSid)],
    ),
  );
