// Get-WinEvent's Properties are positional (no names). For the events the diagnosis catalogue
// reads, this table gives the names in manifest order, taken from the corpus reference records
// (shared/corpus/reference) and rdp-kb §2. Newer event versions append fields, so one list serves
// every version; positions beyond a list fall back to Data[i].
import { PROVIDERS } from './messageFields.js';

const CLIENT_NV = ['Name', 'Value', 'CustomLevel'];
const LSM_SESSION = ['User', 'SessionID', 'Address'];

const SECURITY_4624 = [
  'SubjectUserSid', 'SubjectUserName', 'SubjectDomainName', 'SubjectLogonId', 'TargetUserSid', 'TargetUserName',
  'TargetDomainName', 'TargetLogonId', 'LogonType', 'LogonProcessName', 'AuthenticationPackageName', 'WorkstationName',
  'LogonGuid', 'TransmittedServices', 'LmPackageName', 'KeyLength', 'ProcessId', 'ProcessName', 'IpAddress', 'IpPort',
  'ImpersonationLevel', 'RestrictedAdminMode', 'TargetOutboundUserName', 'TargetOutboundDomainName', 'VirtualAccount',
  'TargetLinkedLogonId', 'ElevatedToken',
];
// Version 3 inserts RemoteCredentialGuard after RestrictedAdminMode (not at the end).
const SECURITY_4624_V3 = [...SECURITY_4624.slice(0, 22), 'RemoteCredentialGuard', ...SECURITY_4624.slice(22)];
const SECURITY_4625 = [
  'SubjectUserSid', 'SubjectUserName', 'SubjectDomainName', 'SubjectLogonId', 'TargetUserSid', 'TargetUserName',
  'TargetDomainName', 'Status', 'FailureReason', 'SubStatus', 'LogonType', 'LogonProcessName', 'AuthenticationPackageName',
  'WorkstationName', 'TransmittedServices', 'LmPackageName', 'KeyLength', 'ProcessId', 'ProcessName', 'IpAddress', 'IpPort',
];
const SESSION_4778 = ['AccountName', 'AccountDomain', 'LogonID', 'SessionName', 'ClientName', 'ClientAddress'];

const TABLE: Record<string, string[]> = {
  [`${PROVIDERS.client}|1024`]: CLIENT_NV,
  [`${PROVIDERS.client}|1026`]: CLIENT_NV,
  [`${PROVIDERS.client}|1102`]: CLIENT_NV,
  [`${PROVIDERS.client}|1105`]: CLIENT_NV,
  [`${PROVIDERS.client}|1027`]: ['DomainName', 'SessionId'],
  [`${PROVIDERS.client}|1029`]: ['TraceMessage'],
  [`${PROVIDERS.rcm}|258`]: ['listenerName'],
  [`${PROVIDERS.rcm}|261`]: ['listenerName'],
  [`${PROVIDERS.rcm}|1149`]: ['Param1', 'Param2', 'Param3'],
  [`${PROVIDERS.lsm}|21`]: LSM_SESSION,
  [`${PROVIDERS.lsm}|22`]: LSM_SESSION,
  [`${PROVIDERS.lsm}|23`]: ['User', 'SessionID'],
  [`${PROVIDERS.lsm}|24`]: LSM_SESSION,
  [`${PROVIDERS.lsm}|25`]: LSM_SESSION,
  [`${PROVIDERS.lsm}|40`]: ['Session', 'Reason'],
  [`${PROVIDERS.lsm}|41`]: ['User', 'SessionID'],
  [`${PROVIDERS.lsm}|42`]: ['User', 'SessionID'],
  [`${PROVIDERS.rdpcore}|65`]: ['ConnectionName'],
  [`${PROVIDERS.rdpcore}|66`]: ['ConnectionName', 'SessionID'],
  [`${PROVIDERS.rdpcore}|68`]: ['ConnectionName', 'PromptForCredentials', 'PromptForCredentialsDone', 'GfxChannelOpened', 'FirstGraphicsReceived'],
  [`${PROVIDERS.rdpcore}|72`]: ['MethodName'],
  [`${PROVIDERS.rdpcore}|103`]: ['ReasonCode'],
  [`${PROVIDERS.rdpcore}|131`]: ['ConnType', 'ClientIP'],
  [`${PROVIDERS.rdpcore}|140`]: ['IPString'],
  [`${PROVIDERS.rdpcore}|142`]: ['error'],
  [`${PROVIDERS.rdpcore}|143`]: ['error'],
  [`${PROVIDERS.rdpcore}|148`]: ['ChannelName', 'TunnelID'],
  [`${PROVIDERS.rdpcore}|226`]: ['StateTransition', 'PreviousState', 'PreviousStateName', 'NewState', 'NewStateName', 'Event', 'EventName', 'ErrorCode'],
  [`${PROVIDERS.rdpcore}|227`]: ['Name', 'Value', 'CustomLevel'],
  [`${PROVIDERS.rdpcore}|228`]: ['ComponentName', 'Message', 'ErrorCode'],
  [`${PROVIDERS.security}|4624`]: SECURITY_4624,
  [`${PROVIDERS.security}|4625`]: SECURITY_4625,
  [`${PROVIDERS.security}|4634`]: ['TargetUserSid', 'TargetUserName', 'TargetDomainName', 'TargetLogonId', 'LogonType'],
  [`${PROVIDERS.security}|4778`]: SESSION_4778,
  [`${PROVIDERS.security}|4779`]: SESSION_4778,
  [`${PROVIDERS.security}|4825`]: ['AccountName', 'AccountDomain', 'LogonID', 'ClientAddress'],
  // Schannel names follow its manifest; no Schannel record exists in the corpus to confirm them.
  [`${PROVIDERS.schannel}|36870`]: ['Type', 'ErrorCode', 'ErrorState'],
  [`${PROVIDERS.schannel}|36871`]: ['Type', 'ErrorState'],
  [`${PROVIDERS.schannel}|36874`]: ['Protocol'],
  [`${PROVIDERS.schannel}|36887`]: ['AlertDesc'],
  [`${PROVIDERS.schannel}|36888`]: ['AlertDesc', 'ErrorState'],
};

/**
 * Fields that Windows renders as HexInt in Event XML (`0x3e7`, `0xc000006d`) while PowerShell
 * gives the number; value = bit width for negative (signed) numbers.
 */
export const HEX_FIELDS: Record<string, Record<string, 32 | 64>> = {
  [`${PROVIDERS.security}|4624`]: { SubjectLogonId: 64, TargetLogonId: 64, ProcessId: 64, TargetLinkedLogonId: 64 },
  [`${PROVIDERS.security}|4625`]: { SubjectLogonId: 64, Status: 32, SubStatus: 32, ProcessId: 64 },
  [`${PROVIDERS.security}|4634`]: { TargetLogonId: 64 },
  [`${PROVIDERS.security}|4778`]: { LogonID: 64 },
  [`${PROVIDERS.security}|4779`]: { LogonID: 64 },
  [`${PROVIDERS.security}|4825`]: { LogonID: 64 },
};

/** Event versions whose field list is not a prefix of the base list. */
const VERSIONED: Record<string, Array<{ minVersion: number; names: string[] }>> = {
  [`${PROVIDERS.security}|4624`]: [{ minVersion: 3, names: SECURITY_4624_V3 }],
};

/**
 * Field names for (provider, event id): the variant of the event's version when known, else the
 * variant whose length matches the number of properties, else the base list.
 */
export function propertyNames(provider: string, eventId: number, count: number, version?: number): readonly string[] | undefined {
  const key = `${provider}|${eventId}`;
  for (const v of VERSIONED[key] ?? []) {
    if (version !== undefined ? version >= v.minVersion : count === v.names.length) return v.names;
  }
  return TABLE[key];
}

/** Field name for position `i`: the table's name, else `Data[i]`. */
export function propertyName(provider: string, eventId: number, i: number, count = i + 1, version?: number): string {
  return propertyNames(provider, eventId, count, version)?.[i] ?? `Data[${i}]`;
}

export function hasPropertyTable(provider: string, eventId: number): boolean {
  return `${provider}|${eventId}` in TABLE;
}
