// Values recovered from rendered (English) message text, for exports that carry nothing else
// (Event Viewer CSV/text, Export-Csv). Field names are those the evtx reference uses for the same
// events, so rules need no special case. Only the events the diagnosis catalogue reads are covered;
// other events keep their message and an empty data map. Non-English messages yield nothing.

export const PROVIDERS = {
  client: 'Microsoft-Windows-TerminalServices-ClientActiveXCore',
  rcm: 'Microsoft-Windows-TerminalServices-RemoteConnectionManager',
  lsm: 'Microsoft-Windows-TerminalServices-LocalSessionManager',
  rdpcore: 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS',
  security: 'Microsoft-Windows-Security-Auditing',
  schannel: 'Schannel',
  lsasrv: 'LsaSrv',
} as const;

const CHANNEL_OF: Record<string, (id: number) => string> = {
  [PROVIDERS.client]: () => 'Microsoft-Windows-TerminalServices-RDPClient/Operational',
  // RCM writes its certificate/licensing/listener-health events to System, the rest to Operational.
  [PROVIDERS.rcm]: (id) => ((id >= 1035 && id <= 1071) || id === 1012 || id >= 20000 ? 'System' : 'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational'),
  [PROVIDERS.lsm]: () => 'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational',
  [PROVIDERS.rdpcore]: (id) => (id === 105 || id === 138 ? 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Admin' : 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational'),
  [PROVIDERS.security]: () => 'Security',
  [PROVIDERS.schannel]: () => 'System',
  [PROVIDERS.lsasrv]: () => 'System',
  TermDD: () => 'System',
  'Microsoft-Windows-DNS-Client': () => 'System',
};

/** Event Viewer shows some providers by display name or without the `Microsoft-Windows-` prefix. */
const SOURCE_ALIASES: Record<string, string> = {
  'microsoft windows security auditing.': PROVIDERS.security,
  'microsoft windows security auditing': PROVIDERS.security,
  'security-auditing': PROVIDERS.security,
};

/** Canonical provider name for an export's Source column. */
export function canonicalProvider(source: string): string {
  const s = source.trim();
  const alias = SOURCE_ALIASES[s.toLowerCase()];
  if (alias) return alias;
  if (CHANNEL_OF[s]) return s;
  const prefixed = `Microsoft-Windows-${s}`;
  if (CHANNEL_OF[prefixed]) return prefixed;
  return s;
}

/** Channel for a provider + event id where that is unambiguous; '' otherwise. */
export function inferChannel(provider: string, eventId: number): string {
  return CHANNEL_OF[provider]?.(eventId) ?? '';
}

type Extractor = (msg: string) => Record<string, string> | undefined;

function re(pattern: RegExp, names: string[]): Extractor {
  return (msg) => {
    const m = pattern.exec(msg);
    if (!m) return undefined;
    const out: Record<string, string> = {};
    names.forEach((n, i) => {
      const v = m[i + 1];
      if (v !== undefined) out[n] = v.trim();
    });
    return out;
  };
}

/** `Label: value` lines (tabs or spaces), keyed by label; later sections do not override earlier ones. */
function labelled(msg: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const raw of msg.split(/\r?\n/)) {
    const m = /^\s*([A-Za-z][A-Za-z ]*?):[ \t]*(.*)$/.exec(raw);
    if (!m) continue;
    const key = m[1]!.trim().toLowerCase();
    const list = out.get(key) ?? [];
    list.push(m[2]!.trim());
    out.set(key, list);
  }
  return out;
}

/** Lines in sections ("Subject:", "New Logon:"…) → section-qualified values. */
function sections(msg: string): Map<string, string> {
  const out = new Map<string, string>();
  let section = '';
  for (const raw of msg.split(/\r?\n/)) {
    const head = /^([A-Za-z][A-Za-z ]*):\s*$/.exec(raw.trim());
    if (head && !/^\s/.test(raw)) {
      section = head[1]!.toLowerCase();
      continue;
    }
    const m = /^\s*([A-Za-z][A-Za-z ]*?):[ \t]*(.*)$/.exec(raw);
    if (!m) continue;
    const key = `${section}/${m[1]!.trim().toLowerCase()}`;
    if (!out.has(key)) out.set(key, m[2]!.replace(/\r$/, ''));
  }
  return out;
}

/** Hex as Windows renders HexInt in Event XML: lower-case, no padding (`0xC000006D` → `0xc000006d`). */
function lowerHex(v: string): string {
  return /^0x[0-9a-f]+$/i.test(v) ? v.toLowerCase() : v;
}

/** Security 4624/4625: section-aware, names as in the Security-Auditing manifest. */
function logon(msg: string): Record<string, string> | undefined {
  const s = sections(msg);
  if (s.size === 0) return undefined;
  const out: Record<string, string> = {};
  const set = (name: string, ...keys: string[]): void => {
    for (const k of keys) {
      const v = s.get(k);
      if (v !== undefined) {
        out[name] = v;
        return;
      }
    }
  };
  set('SubjectUserSid', 'subject/security id');
  set('SubjectUserName', 'subject/account name');
  set('SubjectDomainName', 'subject/account domain');
  set('SubjectLogonId', 'subject/logon id');
  const target = ['new logon', 'account for which logon failed'];
  set('TargetUserSid', ...target.map((t) => `${t}/security id`));
  set('TargetUserName', ...target.map((t) => `${t}/account name`));
  set('TargetDomainName', ...target.map((t) => `${t}/account domain`));
  set('TargetLogonId', 'new logon/logon id');
  set('LogonType', 'logon information/logon type', '/logon type', 'subject/logon type');
  set('Status', 'failure information/status');
  set('SubStatus', 'failure information/sub status');
  set('WorkstationName', 'network information/workstation name');
  set('IpAddress', 'network information/source network address');
  set('IpPort', 'network information/source port');
  set('LogonProcessName', 'detailed authentication information/logon process');
  set('AuthenticationPackageName', 'detailed authentication information/authentication package');
  set('ProcessId', 'process information/caller process id', 'process information/process id');
  set('ProcessName', 'process information/process name', 'process information/caller process name');
  for (const k of ['Status', 'SubStatus', 'SubjectLogonId', 'TargetLogonId', 'ProcessId']) if (out[k]) out[k] = lowerHex(out[k]);
  return Object.keys(out).length ? out : undefined;
}

/** LSM 21-25: "User: …", "Session ID: …", "Source Network Address: …". */
function lsmSession(msg: string): Record<string, string> | undefined {
  const l = labelled(msg);
  const out: Record<string, string> = {};
  const user = l.get('user')?.[0];
  const sid = l.get('session id')?.[0];
  const addr = l.get('source network address')?.[0];
  if (user !== undefined) out.User = user;
  if (sid !== undefined) out.SessionID = sid;
  if (addr !== undefined) out.Address = addr;
  return Object.keys(out).length ? out : undefined;
}

const TABLE: Record<string, Extractor> = {
  [`${PROVIDERS.client}|1024`]: re(/trying to connect to the server \((.*)\)/s, ['Value']),
  [`${PROVIDERS.client}|1026`]: re(/has been disconnected \(Reason=\s*(\d+)\)/, ['Value']),
  [`${PROVIDERS.client}|1027`]: re(/Connected to domain \((.*?)\) with session (\d+)/, ['DomainName', 'SessionId']),
  [`${PROVIDERS.client}|1102`]: re(/multi-transport connection to the server (\S+?)\.?\s*$/, ['Value']),
  [`${PROVIDERS.rcm}|261`]: re(/Listener (\S+) received a connection/, ['listenerName']),
  [`${PROVIDERS.rcm}|1149`]: (msg) => {
    const l = labelled(msg);
    const user = l.get('user')?.[0];
    const domain = l.get('domain')?.[0];
    const addr = l.get('source network address')?.[0];
    if (user === undefined && addr === undefined) return undefined;
    return { Param1: user ?? '', Param2: domain ?? '', Param3: addr ?? '' };
  },
  // Status text only ("Keyset does not exist"); the manifest field name is not confirmed by the corpus.
  [`${PROVIDERS.rcm}|1057`]: re(/status code was (.+?)\.?\s*$/s, ['Status']),
  [`${PROVIDERS.rcm}|1058`]: re(/status code was (.+?)\.?\s*$/s, ['Status']),
  [`${PROVIDERS.lsm}|21`]: lsmSession,
  [`${PROVIDERS.lsm}|22`]: lsmSession,
  [`${PROVIDERS.lsm}|23`]: lsmSession,
  [`${PROVIDERS.lsm}|24`]: lsmSession,
  [`${PROVIDERS.lsm}|25`]: lsmSession,
  [`${PROVIDERS.lsm}|40`]: re(/Session (\d+) has been disconnected, reason code (\d+)/, ['Session', 'Reason']),
  [`${PROVIDERS.rdpcore}|131`]: re(/accepted a new (\w+) connection from client (\S+?)\.?\s*$/, ['ConnType', 'ClientIP']),
  [`${PROVIDERS.rdpcore}|140`]: re(/IP address of (\S+?) failed/, ['IPString']),
  [`${PROVIDERS.rdpcore}|103`]: re(/disconnect reason is (\d+)/, ['ReasonCode']),
  [`${PROVIDERS.rdpcore}|142`]: re(/error (\d+)/, ['error']),
  [`${PROVIDERS.rdpcore}|143`]: re(/error (\d+)/, ['error']),
  [`${PROVIDERS.security}|4624`]: logon,
  [`${PROVIDERS.security}|4625`]: logon,
  // Schannel field names follow the provider manifest (no Schannel record exists in the corpus).
  [`${PROVIDERS.schannel}|36874`]: re(/An? (\S+(?: \d\.\d)?) connection request was received/, ['Protocol']),
  [`${PROVIDERS.schannel}|36887`]: re(/alert code is (\d+)/, ['AlertDesc']),
  [`${PROVIDERS.schannel}|36888`]: (msg) => {
    const a = /(?:fatal error code|alert code) is (\d+)/.exec(msg);
    const e = /error state is (\d+)/.exec(msg);
    if (!a) return undefined;
    const out: Record<string, string> = { AlertDesc: a[1]! };
    if (e) out.ErrorState = e[1]!;
    return out;
  },
  [`${PROVIDERS.schannel}|36871`]: re(/creating an? (?:\S+ )?(client|server) credential\. The internal error state is (\d+)/, ['Type', 'ErrorState']),
  [`${PROVIDERS.schannel}|36870`]: re(/the (?:\S+ )?(client|server) credential private key\. The error code returned from the cryptographic module is (0x[0-9A-Fa-f]+)\. The internal error state is (\d+)/, ['Type', 'ErrorCode', 'ErrorState']),
  // LsaSrv is a classic source: the evtx reference names its strings Data[0], Data[1].
  [`${PROVIDERS.lsasrv}|6041`]: re(/CredSSP authentication to (\S+) failed.*?offered version (\d+)/s, ['Data[0]', 'Data[1]']),
};

/** Field values for a (canonical provider, event id) from its English message; {} when unknown. */
export function extractMessageFields(provider: string, eventId: number, message: string): Record<string, string> {
  const ex = TABLE[`${provider}|${eventId}`];
  return (ex && ex(message)) || {};
}

/** The (provider, id) pairs this module understands (documentation and tests). */
export function knownMessageEvents(): string[] {
  return Object.keys(TABLE).sort();
}
