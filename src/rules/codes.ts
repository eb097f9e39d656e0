// Decode tables for the numbers RDP failures leave behind (rdp-kb §1.2, §1.3, §2.3–2.7).
// Pure data plus lookups; `unconfirmed` marks entries the knowledge base marks UNCONFIRMED, and the
// tool must say so wherever it prints them.

export interface CodeEntry {
  code: number;
  name: string;
  meaning: string;
  unconfirmed?: boolean;
  /** rdp-kb source tags. */
  source: string;
}

export type TableId = 'disc' | 'ext' | 'tls' | 'schannel' | 'ntstatus' | 'lsm' | 'rdpcorets' | 'win32';

export interface CodeTable {
  id: TableId;
  title: string;
  entries: CodeEntry[];
}

const e = (code: number, name: string, meaning: string, source: string, unconfirmed = false): CodeEntry =>
  unconfirmed ? { code, name, meaning, source, unconfirmed } : { code, name, meaning, source };

const DISC: CodeEntry[] = [
  e(0x0, 'NoInfo', 'no information', 'S1'),
  e(0x1, 'LocalNotError', 'local disconnection (the user closed the client); not an error', 'S1'),
  e(0x2, 'RemoteByUser', 'remote disconnection by the user; not an error', 'S1'),
  e(0x3, 'ByServer', 'remote disconnection by the server; not an error', 'S1'),
  e(0x104, 'DNSLookupFailed', 'DNS name lookup failure', 'S1'),
  e(0x106, 'OutOfMemory', 'out of memory', 'S1'),
  e(0x107, 'AuthenticationFailure', 'authentication failure (RDCMan label; not in the Microsoft table)', 'S15', true),
  e(0x108, 'ConnectionTimedOut', 'connection timed out', 'S1'),
  e(0x204, 'SocketConnectFailed', 'Winsock connect() failed: port closed or filtered, host down or unreachable', 'S1, S19'),
  e(0x206, 'OutOfMemory2', 'out of memory', 'S1'),
  e(0x208, 'HostNotFound', 'host not found', 'S1'),
  e(0x20a, 'SmartCardReaderNotDetected', 'smart card reader not detected (RDCMan label)', 'S15', true),
  e(0x304, 'WinsockSendFailed', 'send() failed', 'S1'),
  e(0x306, 'OutOfMemory3', 'out of memory', 'S1'),
  e(0x308, 'InvalidIPAddr', 'invalid IP address', 'S1'),
  e(0x404, 'SocketRecvFailed', 'recv() failed', 'S1'),
  e(0x406, 'InvalidSecurityData', 'invalid security data', 'S1'),
  e(0x408, 'InternalError', 'internal error', 'S1'),
  e(0x506, 'InvalidEncryption', 'invalid encryption method', 'S1'),
  e(0x508, 'DNSLookupFailed2', 'DNS lookup failed', 'S1'),
  e(0x509, 'ServerNoAuthSupport', 'server does not support authentication (RDCMan label)', 'S15', true),
  e(0x604, 'GetHostByNameFailed', 'gethostbyname failed', 'S1'),
  e(0x606, 'InvalidServerSecurityInfo', 'invalid server security information', 'S1'),
  e(0x608, 'TimerError', 'internal timer error', 'S1'),
  e(0x704, 'TimeoutOccurred', 'time-out occurred', 'S1'),
  e(0x706, 'ServerCertificateUnpackErr', 'failed to unpack the server certificate', 'S1'),
  e(0x708, 'ConsoleSessionInProgress', 'could not connect to another console session: typical when connecting to the own machine (localhost)', 'S15, S19'),
  e(0x804, 'InvalidIP', 'bad IP address', 'S1'),
  e(0x807, 'SSL_ERR_LOGON_FAILURE', 'logon failed: wrong credentials at NLA', 'S1'),
  e(0x808, 'LicensingFailed', 'license negotiation failed (RDCMan labels it "server has no sessions available"; Microsoft table preferred)', 'S1'),
  e(0x904, 'AtClientWinsockFDCLOSE', 'socket closed: an established TCP connection was closed by the far side (server, proxy, tunnel or NAT)', 'S1'),
  e(0x906, 'InternalSecurityError', 'internal security error', 'S1'),
  e(0x908, 'LicensingTimeout', 'licensing time-out', 'S1'),
  e(0xa06, 'InternalSecurityError2', 'internal security error', 'S1'),
  e(0xa07, 'SSL_ERR_NO_SUCH_USER', 'the user has no account', 'S1'),
  e(0xb06, 'EncryptionError', 'encryption error', 'S1'),
  e(0xb07, 'SSL_ERR_ACCOUNT_DISABLED', 'account disabled', 'S1'),
  e(0xb08, 'SessionConnectedByOtherClient', 'session connected by another client (RDCMan label only)', 'S15', true),
  e(0xb09, 'ServerAuthenticationFailure', 'server authentication failure / the remote computer requires NLA (RDCMan, mRemoteNG labels)', 'S15', true),
  e(0xc06, 'DecryptionError', 'decryption error', 'S1'),
  e(0xc07, 'SSL_ERR_ACCOUNT_RESTRICTION', 'account restriction', 'S1'),
  e(0xc08, 'ClientDecompressionError', 'client decompression error', 'S1'),
  e(0xd07, 'SSL_ERR_ACCOUNT_LOCKED_OUT', 'account locked out', 'S1'),
  e(0xe07, 'SSL_ERR_ACCOUNT_EXPIRED', 'account expired', 'S1, S19'),
  e(0xf07, 'SSL_ERR_PASSWORD_EXPIRED', 'password expired', 'S1'),
  e(0x1104, 'ClientProtocolError', 'protocol error detected at the client (dialog text; not in the Microsoft table)', 'S19', true),
  e(0x1207, 'SSL_ERR_PASSWORD_MUST_CHANGE', 'password must change', 'S1'),
  e(0x1607, 'SSL_ERR_DELEGATION_POLICY', 'policy does not allow credential delegation to the target', 'S1'),
  e(0x1707, 'SSL_ERR_POLICY_NTLM_ONLY', 'delegation not allowed unless mutual authentication (NTLM only)', 'S1'),
  e(0x1807, 'SSL_ERR_NO_AUTHENTICATING_AUTHORITY', 'no authenticating authority (DC unreachable, trust failure, wrong domain)', 'S1'),
  e(0x1b07, 'SSL_ERR_CERT_EXPIRED', 'the received certificate has expired', 'S1'),
  e(0x1c07, 'SSL_ERR_SMARTCARD_WRONG_PIN', 'wrong smart card PIN', 'S1'),
  e(0x1f07, 'NoCredentialsEntered', 'no credentials entered (RDCMan label)', 'S15', true),
  e(0x2107, 'SSL_ERR_FRESH_CRED_REQUIRED_BY_SERVER', 'the server does not accept saved credentials', 'S1'),
  e(0x2207, 'SSL_ERR_SMARTCARD_CARD_BLOCKED', 'smart card blocked', 'S1'),
  e(0x3000007, 'GatewayAuthFailure', 'RD Gateway authentication failure (RDCMan label)', 'S15', true),
  e(0x3000008, 'GatewayServerNotFound', 'RD Gateway: server not found (RDCMan label)', 'S15', true),
  e(0x300000c, 'GatewayUnreachable', 'unable to connect to the RD Gateway (RDCMan label)', 'S15', true),
  e(0x3000015, 'GatewaySmartcardAuthFailure', 'RD Gateway smart card authentication failure (RDCMan label)', 'S15', true),
  e(0x300001c, 'GatewayNotAuthorized', 'not authorized to access the RD Gateway (RDCMan label)', 'S15', true),
  e(0x300001d, 'GatewayNoCredentials', 'no RD Gateway credentials (RDCMan label)', 'S15', true),
];

const EXT: CodeEntry[] = [
  e(0, 'exDiscReasonNoInfo', 'no extra information', 'S2'),
  e(1, 'exDiscReasonAPIInitiatedDisconnect', 'an administrative tool in another session disconnected the session', 'S2, S3'),
  e(2, 'exDiscReasonAPIInitiatedLogoff', 'an administrative tool forced a logoff', 'S2'),
  e(3, 'exDiscReasonServerIdleTimeout', 'the idle time limit elapsed', 'S2'),
  e(4, 'exDiscReasonServerLogonTimeout', 'the active-session time limit elapsed', 'S2'),
  e(5, 'exDiscReasonReplacedByOtherConnection', 'another connection took over the session', 'S2'),
  e(6, 'exDiscReasonOutOfMemory', 'the server is out of memory', 'S2'),
  e(7, 'exDiscReasonServerDeniedConnection', 'the server denied the connection (ERRINFO_SERVER_DENIED_CONNECTION)', 'S2, S3'),
  e(8, 'exDiscReasonServerDeniedConnectionFips', 'the server denied the connection for security reasons (FIPS)', 'S2'),
  e(9, 'exDiscReasonServerInsufficientPrivileges', 'the user lacks the right to connect (not allowed to log on through Remote Desktop Services)', 'S2, S4'),
  e(10, 'exDiscReasonServerFreshCredsRequired', 'the server does not accept saved credentials', 'S2'),
  e(11, 'exDiscReasonRpcInitiatedDisconnectByUser', 'disconnected by user activity or an admin tool in the user\'s own session', 'S2'),
  e(12, 'exDiscReasonLogoffByUser', 'the user logged off', 'S2, S4'),
  e(256, 'exDiscReasonLicenseInternal', 'licensing: internal error', 'S2'),
  e(257, 'exDiscReasonLicenseNoLicenseServer', 'licensing: no license server available', 'S2'),
  e(258, 'exDiscReasonLicenseNoLicense', 'licensing: no client access license available', 'S2'),
  e(259, 'exDiscReasonLicenseErrClientMsg', 'licensing: bad message from the client', 'S2'),
  e(260, 'exDiscReasonLicenseHwidDoesntMatchLicense', 'licensing: hardware id does not match the license', 'S2'),
  e(261, 'exDiscReasonLicenseErrClientLicense', 'licensing: bad client license', 'S2'),
  e(262, 'exDiscReasonLicenseCantFinishProtocol', 'licensing: network problem during licensing', 'S2'),
  e(263, 'exDiscReasonLicenseClientEndedProtocol', 'licensing: the client ended the licensing protocol', 'S2'),
  e(264, 'exDiscReasonLicenseErrClientEncryption', 'licensing: bad license encryption', 'S2'),
  e(265, 'exDiscReasonLicenseCantUpgradeLicense', 'licensing: the client license cannot be upgraded or renewed', 'S2'),
  e(266, 'exDiscReasonLicenseNoRemoteConnections', 'licensing: the server is not licensed for remote connections', 'S2'),
  e(267, 'exDiscReasonLicenseCreatingLicStoreAccDenied', 'licensing: access denied creating the client license store (HKLM\\SOFTWARE\\Microsoft\\MSLicensing)', 'S2'),
  e(768, 'exDiscReasonRdpEncInvalidCredentials', 'invalid credentials', 'S2'),
];

const TLS: CodeEntry[] = (
  [
    [0, 'close_notify'], [10, 'unexpected_message'], [20, 'bad_record_mac'], [21, 'decryption_failed'],
    [22, 'record_overflow'], [30, 'decompression_failure'], [40, 'handshake_failure'], [41, 'no_certificate'],
    [42, 'bad_certificate'], [43, 'unsupported_certificate'], [44, 'certificate_revoked'], [45, 'certificate_expired'],
    [46, 'certificate_unknown'], [47, 'illegal_parameter'], [48, 'unknown_ca'], [49, 'access_denied'],
    [50, 'decode_error'], [51, 'decrypt_error'], [60, 'export_restriction'], [70, 'protocol_version'],
    [71, 'insufficient_security'], [80, 'internal_error'], [86, 'inappropriate_fallback'], [90, 'user_canceled'],
    [100, 'no_renegotiation'], [109, 'missing_extension'], [110, 'unsupported_extension'], [112, 'unrecognized_name'],
    [113, 'bad_certificate_status_response'], [115, 'unknown_psk_identity'], [116, 'certificate_required'],
    [120, 'no_application_protocol'],
  ] as const
).map(([c, n]) => e(c, n, `TLS alert ${n.replace(/_/g, ' ')}`, 'S23'));

const SCHANNEL: CodeEntry[] = [
  e(10001, 'PrivateKeyInaccessible', 'the TLS credential private key cannot be used (MachineKeys/RSA key inaccessible)', 'S10'),
  e(10013, 'ProtocolsDisabled', 'no protocol in common: TLS versions or ciphers disabled by policy', 'S10'),
];

const NTSTATUS: CodeEntry[] = [
  e(0xc000006d, 'STATUS_LOGON_FAILURE', 'bad user name or password (see SubStatus)', 'S20'),
  e(0xc000006a, 'STATUS_WRONG_PASSWORD', 'wrong password', 'S20'),
  e(0xc0000064, 'STATUS_NO_SUCH_USER', 'no such user', 'S20'),
  e(0xc0000072, 'STATUS_ACCOUNT_DISABLED', 'account disabled', 'S20'),
  e(0xc0000234, 'STATUS_ACCOUNT_LOCKED_OUT', 'account locked out', 'S20'),
  e(0xc0000193, 'STATUS_ACCOUNT_EXPIRED', 'account expired', 'S20'),
  e(0xc0000071, 'STATUS_PASSWORD_EXPIRED', 'password expired', 'S20'),
  e(0xc0000224, 'STATUS_PASSWORD_MUST_CHANGE', 'password must change', 'S20'),
  e(0xc000006f, 'STATUS_INVALID_LOGON_HOURS', 'outside logon hours', 'S20'),
  e(0xc0000070, 'STATUS_INVALID_WORKSTATION', 'workstation restriction', 'S20'),
  e(0xc000015b, 'STATUS_LOGON_TYPE_NOT_GRANTED', 'logon type not granted: no "Allow log on through Remote Desktop Services" right, or listed in "Deny…"', 'S20'),
  e(0xc0000133, 'STATUS_TIME_DIFFERENCE_AT_DC', 'clock skew with the domain controller', 'S20'),
  e(0xc000005e, 'STATUS_NO_LOGON_SERVERS', 'no logon servers available', 'S20'),
];

// LSM 40 "reason code": DFIR practice reads it with the ERRINFO numbering; Microsoft text does not
// confirm it (rdp-kb §2.3), so every entry is unconfirmed.
const LSM: CodeEntry[] = EXT.filter((x) => x.code <= 12).map((x) => ({
  ...x,
  meaning: `${x.meaning} (read with the extended-reason numbering)`,
  source: 'S6 + DFIR practice',
  unconfirmed: true,
}));

// RdpCoreTS 103 ReasonCode: values observed in real logs, mapping unknown (rdp-kb §2.4, §7 q4).
const RDPCORETS: CodeEntry[] = [5, 13, 14].map((c) =>
  e(c, `ReasonCode${c}`, 'observed in real logs; meaning not documented', 'S9', true),
);

const WIN32: CodeEntry[] = [
  e(64, 'ERROR_NETNAME_DELETED', 'the peer went away (connection reset)', 'S9'),
  e(121, 'ERROR_SEM_TIMEOUT', 'the semaphore/network timeout expired', 'S9'),
  e(0x80070040, 'HRESULT_ERROR_NETNAME_DELETED', 'HRESULT form of ERROR_NETNAME_DELETED', 'S9'),
  e(0x8009030d, 'SEC_E_UNKNOWN_CREDENTIALS', 'credentials not recognised: the private key is inaccessible', 'S10'),
];

export const TABLES: readonly CodeTable[] = [
  { id: 'disc', title: 'disconnect reason (discReason, mstsc "error code")', entries: DISC },
  { id: 'ext', title: 'extended disconnect reason (ERRINFO, mstsc "extended error code")', entries: EXT },
  { id: 'tls', title: 'TLS alert description (Schannel 36887/36888)', entries: TLS },
  { id: 'schannel', title: 'Schannel internal error state (36870/36871)', entries: SCHANNEL },
  { id: 'ntstatus', title: 'NTSTATUS (Security 4625 Status/SubStatus)', entries: NTSTATUS },
  { id: 'lsm', title: 'LocalSessionManager 40 reason code', entries: LSM },
  { id: 'rdpcorets', title: 'RdpCoreTS 103 ReasonCode', entries: RDPCORETS },
  { id: 'win32', title: 'Win32 error / HRESULT', entries: WIN32 },
];

const byTable = new Map<TableId, Map<number, CodeEntry>>(
  TABLES.map((t) => [t.id, new Map(t.entries.map((x) => [x.code, x]))]),
);

export function lookup(table: TableId, code: number): CodeEntry | undefined {
  return byTable.get(table)?.get(code);
}

/** Extended reasons in the 0x1000–0x7FFF protocol range have no per-value table (rdp-kb §1.3). */
export function describeExt(code: number): CodeEntry | undefined {
  const hit = lookup('ext', code);
  if (hit) return hit;
  if (code >= 4096 && code <= 32767) {
    return e(code, 'exDiscReasonProtocolRange', 'internal RDP protocol error: check the server event log', 'S2');
  }
  return undefined;
}

/** Accepts a number (decimal or 0x-hex) or an extended-reason enum name (RDCMan logs print names). */
export function parseExtended(v: string): number | undefined {
  const t = v.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t.slice(2), 16);
  if (/^\d+$/.test(t)) return Number(t);
  const lower = t.toLowerCase();
  const hit = EXT.find((x) => x.name.toLowerCase() === lower || x.name.toLowerCase() === `exdiscreason${lower}`);
  return hit?.code;
}

/** `0x904 (2308)` style rendering used in explanations. */
export function hex(code: number): string {
  return `0x${(code >>> 0).toString(16).toUpperCase()}`;
}

/** Parses user input: `0x904`, `904h`, `2308`. */
export function parseUserCode(s: string): number | undefined {
  const t = s.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t.slice(2), 16);
  if (/^[0-9a-f]+h$/i.test(t)) return parseInt(t.slice(0, -1), 16);
  if (/^\d+$/.test(t)) return Number(t);
  return undefined;
}
