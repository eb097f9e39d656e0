// System and Application log events that matter around an attempt: RCM's classic TermService
// events (certificates, licensing, refusals), Schannel, LsaSrv 6041 (CredSSP), DNS-Client,
// Service Control Manager, Windows Update, Application Error. Classic ones carry EventSourceName
// and Qualifiers as in the real System files (RCM 1056: Qualifiers 49152; LsaSrv 6041: 0).
import type { EvtxEventSpec } from '../../../test/support/evtx-writer/index.js';
import { bin, event, hex32, named, u32, unnamed, type At, type System } from './common.js';
import { SID } from './hosts.js';
import { RCM_PROVIDER } from './serverEvents.js';

const CLASSIC_KEYWORDS = '0x0080000000000000';

const termService = (level: number): System => ({
  provider: { ...RCM_PROVIDER, eventSourceName: 'TermService' },
  channel: 'System',
  qualifiers: 49152,
  version: 0,
  level,
  task: 0,
  opcode: 0,
  keywords: CLASSIC_KEYWORDS,
});

/** RCM System events (displayed ids, low 16 bits of the manifest value; kb §2.2). */
export const rcmSystem = (at: At, id: number, level: number, data: string[], sha1?: string): EvtxEventSpec =>
  event({ ...at, processId: 0, threadId: 0 }, id, termService(level), unnamed(data, sha1));

const schannelSys = (level: number): System => ({
  provider: { name: 'Schannel', guid: '{1F678132-5938-4686-9FDC-C8FF68F15C85}' },
  channel: 'System',
  version: 0,
  level,
  task: 0,
  opcode: 0,
  keywords: '0x8000000000000000',
  userId: SID.system,
});

/** 36870: fatal error accessing the TLS credential private key (ErrorCode e.g. 0x8009030D, state 10001). */
export const schannelPrivateKey = (at: At, errorCode: number, errorStatus: number): EvtxEventSpec =>
  event(
    at,
    36870,
    schannelSys(2),
    named(['CallerProcessId', u32(at.processId ?? 0)], ['CallerProcessImageName', 'C:\\Windows\\System32\\svchost.exe'], ['Type', 'server'], ['ErrorCode', hex32(errorCode)], ['ErrorStatus', u32(errorStatus)]),
  );
/** 36871: fatal error creating a TLS credential (state 10013: protocols disabled). Field names UNCONFIRMED. */
export const schannelCredential = (at: At, type: 'server' | 'client', state: number): EvtxEventSpec =>
  event(at, 36871, schannelSys(2), named(['Type', type], ['ErrorState', u32(state)]));
/** 36874: no cipher suite in common with the client. */
export const schannelNoCipher = (at: At, protocol: string): EvtxEventSpec => event(at, 36874, schannelSys(2), named(['Protocol', protocol]));
/** 36888: fatal alert generated and sent (alert 40 handshake_failure, 70 protocol_version…). */
export const schannelAlertSent = (at: At, alert: number, state: number): EvtxEventSpec =>
  event(at, 36888, schannelSys(2), named(['AlertDesc', u32(alert)], ['ErrorState', u32(state)]));
/** 36882 (client side): the server's certificate was issued by an untrusted authority. */
export const schannelUntrustedRoot = (at: At): EvtxEventSpec => event(at, 36882, schannelSys(2), named());
/** 36884 (client side): certificate name does not match; TargetName is the expected name. */
export const schannelNameMismatch = (at: At, expected: string): EvtxEventSpec => event(at, 36884, schannelSys(2), named(['TargetName', expected]));
/** 36886: no suitable default server credential exists. */
export const schannelNoDefaultCredential = (at: At): EvtxEventSpec => event(at, 36886, schannelSys(2), named());

/** LsaSrv 6041: CredSSP could not agree a version permitted by Encryption Oracle Remediation. */
export const credsspOracle = (at: At, target: string, offeredVersion: number): EvtxEventSpec =>
  event(
    { ...at, processId: 0, threadId: 0 },
    6041,
    {
      provider: { name: 'LsaSrv', guid: '{199fe037-2b82-40a9-82ac-e1d46c792b99}', eventSourceName: 'LsaSrv' },
      channel: 'System',
      qualifiers: 0,
      version: 0,
      level: 2,
      task: 0,
      opcode: 0,
      keywords: CLASSIC_KEYWORDS,
    },
    unnamed([target, String(offeredVersion)]),
  );

/** DNS-Client 1014: name resolution timed out (no configured DNS server answered). */
export const dnsTimeout = (at: At, name: string, dnsServer: string): EvtxEventSpec => {
  const addr = Buffer.alloc(128);
  addr.writeUInt16LE(2, 0); // AF_INET sockaddr, port 53, then the IPv4 address
  addr.writeUInt16BE(53, 2);
  dnsServer.split('.').forEach((o, i) => addr.writeUInt8(Number(o), 4 + i));
  return event(
    at,
    1014,
    {
      provider: { name: 'Microsoft-Windows-DNS-Client', guid: '{1C95126E-7EEA-49A9-A3FE-A378B03DDB4D}' },
      channel: 'System',
      version: 0,
      level: 3,
      task: 1014,
      opcode: 0,
      keywords: '0x4000000010000000',
      userId: SID.networkService,
    },
    named(['QueryName', name], ['AddressLength', u32(128)], ['Address', bin(addr.toString('hex').toUpperCase())]),
  );
};

/** Service Control Manager 7023/7024/7034 style: a service ended with an error. */
export const serviceError = (at: At, id: number, service: string, error: string, serviceKey: string): EvtxEventSpec =>
  event(
    { ...at, processId: at.processId ?? 692 },
    id,
    {
      provider: { name: 'Service Control Manager', guid: '{555908d1-a6d7-4695-8e1e-26931d2012f4}', eventSourceName: 'Service Control Manager' },
      channel: 'System',
      qualifiers: 49152,
      version: 0,
      level: 2,
      task: 0,
      opcode: 0,
      keywords: '0x8080000000000000',
    },
    {
      kind: 'EventData',
      fields: [
        { name: 'param1', value: service },
        { name: 'param2', value: error },
      ],
      binary: Buffer.from(`${serviceKey}\0`, 'utf16le').toString('hex').toUpperCase(),
    },
  );

/** WindowsUpdateClient 19: "Installation Successful: Windows successfully installed the following update". */
export const updateInstalled = (at: At, title: string, updateGuid: string): EvtxEventSpec =>
  event(
    at,
    19,
    {
      provider: { name: 'Microsoft-Windows-WindowsUpdateClient', guid: '{945A8954-C147-4ACD-923F-40C45405A658}' },
      channel: 'System',
      version: 1,
      level: 4,
      task: 1,
      opcode: 13,
      keywords: '0x8000000000000018',
      userId: SID.system,
    },
    named(['updateTitle', title], ['updateGuid', { type: 'guid', value: updateGuid }], ['updateRevisionNumber', u32(1)]),
  );

/** Application Error 1000 (Application log): a process crashed in a module. Win11 named fields. */
export const appCrash = (at: At, app: string, appVersion: string, module: string, moduleVersion: string, exception: number, pid: number): EvtxEventSpec =>
  event(
    at,
    1000,
    {
      provider: { name: 'Application Error', guid: '{A0E9B465-B939-57D7-B27D-95D8E925FF57}' },
      channel: 'Application',
      version: 0,
      level: 2,
      task: 100,
      opcode: 0,
      keywords: '0x8000000000000000',
      userId: SID.system,
    },
    named(
      ['AppName', app],
      ['AppVersion', appVersion],
      ['AppTimeStamp', '5f3a1b2c'],
      ['ModuleName', module],
      ['ModuleVersion', moduleVersion],
      ['ModuleTimeStamp', '9c4d2e11'],
      ['ExceptionCode', hex32(exception)],
      ['FaultingOffset', { type: 'hex64', value: 0x1a2b30 }],
      ['ProcessId', { type: 'hex32', value: pid }],
      ['ProcessCreationTime', { type: 'filetime', value: at.time }],
      ['AppPath', `C:\\Windows\\system32\\${app}`],
      ['ModulePath', `C:\\Windows\\system32\\${module}`],
      ['IntegratorReportId', { type: 'guid', value: '{6F1E3A52-2C4B-4D1E-9B8A-3C0D5E7F9A11}' }],
      ['PackageFullName', ''],
      ['PackageRelativeAppId', ''],
    ),
  );

const eventLogSys = (): System => ({
  provider: { name: 'EventLog', legacy: true },
  channel: 'System',
  qualifiers: 32768,
  version: 0,
  level: 4,
  task: 0,
  opcode: 0,
  keywords: CLASSIC_KEYWORDS,
});

/** SYSTEMTIME (8 little-endian words) of an ISO time, then 8 zero bytes: the Binary of EventLog 6005. */
function systemTimeBinary(iso: string): string {
  const d = new Date(iso);
  const words = [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDay(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds()];
  const b = Buffer.alloc(24);
  words.forEach((w, i) => b.writeUInt16LE(w, 2 * i));
  return b.toString('hex').toUpperCase();
}

/** EventLog 6006 (service stopped: clean shutdown; Binary 01 00 … as in real System logs) and 6005 (started: boot). */
export const eventLogStopped = (at: At): EvtxEventSpec => event({ ...at, processId: 0, threadId: 0 }, 6006, eventLogSys(), unnamed([], '0100000000000000'));
export const eventLogStarted = (at: At): EvtxEventSpec => event({ ...at, processId: 0, threadId: 0 }, 6005, eventLogSys(), unnamed([], systemTimeBinary(at.time)));
