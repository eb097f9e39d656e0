// What the report needs to know about the logs themselves: where each channel is logged, whether
// Windows keeps it by default, and how to turn it on and export it (rdp-kb §2). Used to tell the
// user precisely which log to collect when the diagnosis lacked one.

export interface ChannelInfo {
  channel: string;
  /** Which machine of an RDP connection logs it. */
  side: 'client' | 'server' | 'either';
  enabledByDefault: boolean;
  /** Core channels: without them attempts cannot be rebuilt or judged (missing ⇒ warning, else info). */
  core: boolean;
  /** Extra words on the default state (audit policy, UNCONFIRMED defaults). */
  note?: string;
}

const KNOWN: ChannelInfo[] = [
  { channel: 'Microsoft-Windows-TerminalServices-RDPClient/Operational', side: 'client', enabledByDefault: true, core: true },
  { channel: 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational', side: 'server', enabledByDefault: true, core: true },
  { channel: 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Admin', side: 'server', enabledByDefault: true, core: false },
  { channel: 'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational', side: 'server', enabledByDefault: true, core: true },
  { channel: 'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Admin', side: 'server', enabledByDefault: true, core: false },
  { channel: 'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational', side: 'server', enabledByDefault: true, core: true },
  { channel: 'System', side: 'either', enabledByDefault: true, core: true },
  {
    channel: 'Security',
    side: 'server',
    enabledByDefault: true,
    core: true,
    note: 'logon events 4624/4625 need the "Audit Logon" policy; WFP 5152/5157 need "Audit Filtering Platform" (off by default)',
  },
  { channel: 'Microsoft-Windows-CAPI2/Operational', side: 'either', enabledByDefault: false, core: false },
  { channel: 'Microsoft-Windows-NTLM/Operational', side: 'either', enabledByDefault: true, core: false, note: 'NTLM auditing/blocking policies decide what is logged' },
  { channel: 'Microsoft-Windows-TerminalServices-Gateway/Operational', side: 'server', enabledByDefault: true, core: false, note: 'logged on the RD Gateway, not on the target' },
  { channel: 'Microsoft-Windows-DNS-Client/Operational', side: 'client', enabledByDefault: false, core: false },
  { channel: 'Microsoft-Windows-TerminalServices-Licensing/Operational', side: 'server', enabledByDefault: true, core: false, note: 'logged on the RD license server' },
  { channel: 'Application', side: 'either', enabledByDefault: true, core: false },
];

const BY_NAME = new Map(KNOWN.map((c) => [c.channel.toLowerCase(), c]));

/** Classic and manifest providers whose events the rules read from the System log. */
const SYSTEM_PROVIDERS = new Set(
  [
    'EventLog',
    'Microsoft-Windows-Eventlog',
    'LsaSrv',
    'Schannel',
    'Service Control Manager',
    'TermDD',
    'Microsoft-Windows-DNS-Client',
    'Microsoft-Windows-TerminalServices-RemoteConnectionManager',
    'Microsoft-Windows-WindowsUpdateClient',
    'Microsoft-Windows-Kernel-General',
  ].map((p) => p.toLowerCase()),
);

/** The channel a need reads: its own, or System for a provider-only need on a System-log provider. */
export function needChannel(n: { channel?: string; provider?: string }): string | undefined {
  if (n.channel !== undefined) return n.channel;
  return n.provider !== undefined && SYSTEM_PROVIDERS.has(n.provider.toLowerCase()) ? 'System' : undefined;
}

/** True for the Windows channels this table describes (pseudo-channels such as RDCMan's log are not). */
export function isKnownChannel(channel: string): boolean {
  return BY_NAME.has(channel.toLowerCase());
}

export function channelInfo(channel: string): ChannelInfo {
  return BY_NAME.get(channel.toLowerCase()) ?? { channel, side: 'either', enabledByDefault: true, core: false };
}

/** The file name Windows gives the channel's log under %SystemRoot%\System32\winevt\Logs. */
export function channelFileName(channel: string): string {
  return `${channel.replace(/\//g, '%4')}.evtx`;
}

/** One-line instructions: enable (when off by default) and export the channel. */
export function collectHint(channel: string): string {
  const c = channelInfo(channel);
  const side = c.side === 'either' ? 'client and server' : c.side;
  const exportCmd = `wevtutil epl "${c.channel}" "${channelFileName(c.channel).replace(/%4/g, '-')}"`;
  const enable = c.enabledByDefault
    ? `on by default`
    : `off by default: enable it with \`wevtutil sl ${c.channel} /e:true\`, reproduce the failure, then`;
  const note = c.note ? ` (${c.note})` : '';
  return `${c.channel} (${side}): ${enable}${c.enabledByDefault ? '; ' : ' '}export with \`${exportCmd}\` or copy %SystemRoot%\\System32\\winevt\\Logs\\${channelFileName(c.channel)}${note}`;
}
