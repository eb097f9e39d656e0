// Channel and provider names (rdp-kb §2) and the short aliases rules use for them. One table, so
// correlation, the rule loader and the store's push-down filter agree on every name.
import type { EventNeed } from '../model/stages.js';

export const CH = {
  rdpClient: 'Microsoft-Windows-TerminalServices-RDPClient/Operational',
  rdpCoreTs: 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational',
  rdpCoreTsAdmin: 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Admin',
  rcm: 'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational',
  rcmAdmin: 'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Admin',
  lsm: 'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational',
  security: 'Security',
  system: 'System',
  application: 'Application',
  dnsClient: 'Microsoft-Windows-DNS-Client/Operational',
  ntlm: 'Microsoft-Windows-NTLM/Operational',
  capi2: 'Microsoft-Windows-CAPI2/Operational',
  gateway: 'Microsoft-Windows-TerminalServices-Gateway/Operational',
  licensing: 'Microsoft-Windows-TerminalServices-Licensing/Operational',
  rdcman: 'RDCMan',
} as const;

export const PROV = {
  clientActiveX: 'Microsoft-Windows-TerminalServices-ClientActiveXCore',
  rdpCoreTs: 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS',
  rcm: 'Microsoft-Windows-TerminalServices-RemoteConnectionManager',
  lsm: 'Microsoft-Windows-TerminalServices-LocalSessionManager',
  security: 'Microsoft-Windows-Security-Auditing',
  schannel: 'Schannel',
  lsaSrv: 'LsaSrv',
  scm: 'Service Control Manager',
  termDd: 'TermDD',
  dnsClient: 'Microsoft-Windows-DNS-Client',
  ntlm: 'Microsoft-Windows-NTLM',
  capi2: 'Microsoft-Windows-CAPI2',
  gateway: 'Microsoft-Windows-TerminalServices-Gateway',
  licensing: 'Microsoft-Windows-TerminalServices-Licensing',
  appError: 'Application Error',
  rdcman: 'RDCMan',
  eventLog: 'EventLog',
  windowsUpdate: 'Microsoft-Windows-WindowsUpdateClient',
} as const;

/** Aliases accepted in rule files for `channel:`. Unknown aliases are a lint error. */
export const CHANNEL_ALIASES: Record<string, string> = {
  rdpclient: CH.rdpClient,
  rdpcorets: CH.rdpCoreTs,
  'rdpcorets-admin': CH.rdpCoreTsAdmin,
  rcm: CH.rcm,
  'rcm-admin': CH.rcmAdmin,
  lsm: CH.lsm,
  security: CH.security,
  system: CH.system,
  application: CH.application,
  'dns-client': CH.dnsClient,
  ntlm: CH.ntlm,
  capi2: CH.capi2,
  gateway: CH.gateway,
  licensing: CH.licensing,
  rdcman: CH.rdcman,
};

/** Aliases accepted for `provider:`. */
export const PROVIDER_ALIASES: Record<string, string> = {
  'rdpclient': PROV.clientActiveX,
  'rdpcorets': PROV.rdpCoreTs,
  rcm: PROV.rcm,
  lsm: PROV.lsm,
  security: PROV.security,
  schannel: PROV.schannel,
  lsasrv: PROV.lsaSrv,
  scm: PROV.scm,
  termdd: PROV.termDd,
  'dns-client': PROV.dnsClient,
  ntlm: PROV.ntlm,
  capi2: PROV.capi2,
  gateway: PROV.gateway,
  licensing: PROV.licensing,
  'application-error': PROV.appError,
  rdcman: PROV.rdcman,
  eventlog: PROV.eventLog,
  'windows-update': PROV.windowsUpdate,
};

/** Lower-cased channel name; comparisons of channels and providers are case-insensitive. */
export function norm(s: string): string {
  return s.toLowerCase();
}

export const N = {
  rdpClient: norm(CH.rdpClient),
  rdpCoreTs: norm(CH.rdpCoreTs),
  rcm: norm(CH.rcm),
  lsm: norm(CH.lsm),
  security: norm(CH.security),
  system: norm(CH.system),
  rdcman: norm(CH.rdcman),
} as const;

/** Security events correlation joins to server connections (rdp-kb §2.7, §3.1). */
export const SECURITY_JOIN_IDS = [4624, 4625, 4634, 4647, 4778, 4779];

/** Events correlation itself needs, whatever the rules say. */
export const CORRELATION_NEEDS: EventNeed[] = [
  { channel: CH.rdpClient },
  { channel: CH.rdpCoreTs },
  { channel: CH.rcm },
  { channel: CH.lsm },
  { channel: CH.security, ids: SECURITY_JOIN_IDS },
  { channel: CH.rdcman },
];

/** Lower-cased provider names, computed once (the checks below run for every event). */
const LP = Object.fromEntries(Object.entries(PROV).map(([k, v]) => [k, norm(v)])) as Record<keyof typeof PROV, string>;
const LC = {
  rdpCoreTsAdmin: norm(CH.rdpCoreTsAdmin),
  rcmAdmin: norm(CH.rcmAdmin),
  application: norm(CH.application),
  others: new Set([CH.dnsClient, CH.ntlm, CH.capi2, CH.gateway, CH.licensing].map(norm)),
};
const SCM_FAILURES = new Set([7000, 7001, 7009, 7011, 7022, 7023, 7024, 7031, 7034]);

/**
 * Host-context sources: events that are not part of an attempt's own sequence but explain it when
 * they sit near it in time on either host (rdp-kb §2.2 System RCM, §2.5–2.10). Takes lower-cased
 * channel and provider names.
 */
export function isContextEvent(c: string, p: string, id: number): boolean {
  if (c === N.system) {
    return (
      p === LP.rcm ||
      p === LP.schannel ||
      p === LP.lsaSrv ||
      p === LP.termDd ||
      p === LP.dnsClient ||
      p === LP.licensing ||
      (p === LP.eventLog && (id === 6005 || id === 6006 || id === 6008)) ||
      (p === LP.windowsUpdate && id === 19) ||
      (p === LP.scm && SCM_FAILURES.has(id))
    );
  }
  if (c === N.security) return id === 4625 || id === 4776 || id === 5152 || id === 5157;
  if (c === N.rcm) return id !== 261 && id !== 1149;
  if (c === LC.rdpCoreTsAdmin || c === LC.rcmAdmin) return true;
  if (c === LC.application) return p === LP.appError || id === 1000;
  return LC.others.has(c);
}

/** How far back a state event still describes the host: the latest one within this time counts. */
export const STATE_LOOKBACK_MS = 24 * 3600_000;

/**
 * Events that record a lasting state rather than a moment (certificate could not be replaced,
 * licensing grace expired, a service failed to start, logons disabled, a restart): they explain
 * attempts long after (and, for a fix, before) they were logged. Takes lower-cased names.
 */
export function isStateEvent(c: string, p: string, id: number): boolean {
  if (p === LP.rcm && c !== N.rcm) return (id >= 1050 && id <= 1071) || (id >= 50280 && id <= 50285) || id === 1035 || id === 1036;
  if (p === LP.scm) return SCM_FAILURES.has(id);
  // Restarts and installed updates: "fixed by a reboot" and "reboot pending" read from these.
  if (p === LP.eventLog) return id === 6005 || id === 6006 || id === 6008;
  if (p === LP.windowsUpdate) return id === 19;
  return false;
}
