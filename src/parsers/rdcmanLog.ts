// RDCMan's opt-in text log (RDCMan-yyyyMMddHHmm.log, rdp-kb §5e): `<local time, "s" format>
// <indent> <message>`. The connection lines become client-side events (provider and channel
// 'RDCMan'), the only client text that carries both codes of "0x904 / 0x7". Event numbering:
//   1 OnConnecting   2 OnConnected   3 OnDisconnected (DiscReason, ExtendedReason[, Name])
//   4 OnFatalError (ErrorCode)   5 OnAutoReconnecting[2] (DiscReason, AttemptCount)
//   6 OnAutoReconnected   7 Error(hr) connecting (HResult)
// Server is RDCMan's display name of the node. Times are local: ReadOptions.sourceTz applies.
import type { NormalizedEvent } from '../model/event.js';
import { localZone, parseLocalTime } from './time.js';
import { decodeHead, readFailed, readLines } from './textInput.js';
import { emptyStats, type InputSource, type ReadItem, type ReadOptions, type Reader, type ReadStream } from './types.js';

const LINE = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}) {1,}(.*)$/;

/** ExtendedDisconnectReasonCode names (MS Learn, rdp-kb §1.3). */
const EXT_REASONS: Record<string, number> = {
  exDiscReasonNoInfo: 0,
  exDiscReasonAPIInitiatedDisconnect: 1,
  exDiscReasonAPIInitiatedLogoff: 2,
  exDiscReasonServerIdleTimeout: 3,
  exDiscReasonServerLogonTimeout: 4,
  exDiscReasonReplacedByOtherConnection: 5,
  exDiscReasonOutOfMemory: 6,
  exDiscReasonServerDeniedConnection: 7,
  exDiscReasonServerDeniedConnectionFips: 8,
  exDiscReasonServerInsufficientPrivileges: 9,
  exDiscReasonServerFreshCredsRequired: 10,
  exDiscReasonRpcInitiatedDisconnectByUser: 11,
  exDiscReasonLogoffByUser: 12,
  exDiscReasonLicenseInternal: 256,
  exDiscReasonLicenseNoLicenseServer: 257,
  exDiscReasonLicenseNoLicense: 258,
  exDiscReasonLicenseErrClientMsg: 259,
  exDiscReasonLicenseHwidDoesntMatchLicense: 260,
  exDiscReasonLicenseErrClientLicense: 261,
  exDiscReasonLicenseCantFinishProtocol: 262,
  exDiscReasonLicenseClientEndedProtocol: 263,
  exDiscReasonLicenseErrClientEncryption: 264,
  exDiscReasonLicenseCantUpgradeLicense: 265,
  exDiscReasonLicenseNoRemoteConnections: 266,
  exDiscReasonLicenseCreatingLicStoreAccDenied: 267,
  exDiscReasonRdpEncInvalidCredentials: 768,
  exDiscReasonProtocolRangeStart: 4096,
  exDiscReasonProtocolRangeEnd: 32767,
};
const EXT_NAMES = new Map(Object.entries(EXT_REASONS).map(([k, v]) => [v, k]));

export const RDCMAN_EVENT = { connecting: 1, connected: 2, disconnected: 3, fatalError: 4, autoReconnecting: 5, autoReconnected: 6, connectError: 7 } as const;

export function sniffRdcmanLog(head: Buffer): boolean {
  const lines = decodeHead(head).split(/\r?\n/, 6);
  return lines.some((l) => LINE.test(l) && /^\S+ +(RDCMan v|OnConnecting |OnConnected |OnDisconnected )/.test(l));
}

export type RdcmanLine =
  | { kind: 'event'; id: number; data: Record<string, string>; level: number; warning?: string }
  | { kind: 'odd'; warning: string };

/** Exported for tests: one log message → event id and data, or undefined for other lines. */
export function parseRdcmanMessage(msg: string): RdcmanLine | undefined {
  let m: RegExpExecArray | null;
  if ((m = /^OnConnecting (.+)$/.exec(msg))) return { kind: 'event', id: 1, data: { Server: m[1]! }, level: 4 };
  if ((m = /^OnConnected (.+)$/.exec(msg))) return { kind: 'event', id: 2, data: { Server: m[1]! }, level: 4 };
  if ((m = /^OnAutoReconnected (.+)$/.exec(msg))) return { kind: 'event', id: 6, data: { Server: m[1]! }, level: 4 };
  if ((m = /^OnDisconnected (.+): discReason=(-?\d+) extendedDisconnectReason=(\S+)\s*$/.exec(msg))) {
    const data: Record<string, string> = { Server: m[1]!, DiscReason: m[2]! };
    const ext = m[3]!;
    if (/^-?\d+$/.test(ext)) {
      data.ExtendedReason = String(Number(ext));
      const name = EXT_NAMES.get(Number(ext));
      if (name) data.ExtendedReasonName = name;
    } else if (ext in EXT_REASONS) {
      data.ExtendedReason = String(EXT_REASONS[ext]);
      data.ExtendedReasonName = ext;
    } else {
      data.ExtendedReasonName = ext;
      return { kind: 'event', id: 3, data, level: 2, warning: `unknown extended reason "${ext}" (kept as a name)` };
    }
    // discReason 1-3 are ordinary ends (S1); so are the user/admin extended reasons.
    const ordinary = ['1', '2', '3'].includes(m[2]!) && ['0', '1', '2', '11', '12'].includes(data.ExtendedReason ?? '');
    return { kind: 'event', id: 3, data, level: ordinary ? 4 : 2 };
  }
  if ((m = /^OnFatalError (.+): errorCode=(-?\d+)/.exec(msg))) return { kind: 'event', id: 4, data: { Server: m[1]!, ErrorCode: m[2]! }, level: 2 };
  if ((m = /^OnAutoReconnecting2? (.+): disconnectReason=(-?\d+).*?attemptCount=(\d+)/.exec(msg))) {
    return { kind: 'event', id: 5, data: { Server: m[1]!, DiscReason: m[2]!, AttemptCount: m[3]! }, level: 3 };
  }
  if ((m = /^Error\((.+?)\) connecting to (.+)$/.exec(msg))) return { kind: 'event', id: 7, data: { Server: m[2]!, HResult: m[1]! }, level: 2 };
  if (/^On(Connecting|Connected|Disconnected|FatalError)\b/.test(msg)) return { kind: 'odd', warning: 'connection line in an unexpected shape; ignored' };
  return undefined;
}

async function* readRdcmanLog(input: InputSource, opts: ReadOptions): ReadStream {
  const stats = emptyStats();
  const { zone, issue } = localZone(opts.sourceTz, input.name);
  let batch: ReadItem[] = issue ? [{ kind: 'issue', issue }] : [];
  try {
    for await (const it of readLines(input)) {
      if (it.kind === 'issue') {
        batch.push(it);
        continue;
      }
      const { text, line, offset } = it.line;
      const lm = LINE.exec(text);
      if (!lm) continue; // continuation or non-log text: not a record
      const parsed = parseRdcmanMessage(lm[2]!.trimStart());
      if (!parsed) continue;
      const warn = (message: string): void => {
        batch.push({ kind: 'issue', issue: { severity: 'warning', code: 'rdcman.unexpected-line', message, file: input.name, line, offset } });
      };
      if (parsed.kind === 'odd') {
        warn(parsed.warning);
        stats.skipped++;
        stats.skippedBy['rdcman.unexpected-line'] = (stats.skippedBy['rdcman.unexpected-line'] ?? 0) + 1;
        continue;
      }
      if (parsed.warning) warn(parsed.warning);
      const time = parseLocalTime(lm[1]!, 'iso', zone);
      if (!time) {
        batch.push({ kind: 'issue', issue: { severity: 'error', code: 'rdcman.bad-time', message: `time "${lm[1]}" is invalid`, file: input.name, line, offset } });
        stats.skipped++;
        stats.skippedBy['rdcman.bad-time'] = (stats.skippedBy['rdcman.bad-time'] ?? 0) + 1;
        continue;
      }
      if (opts.filter && !opts.filter.wants('RDCMan', 'RDCMan', parsed.id)) {
        stats.filtered++;
        continue;
      }
      const event: NormalizedEvent = {
        time,
        provider: 'RDCMan',
        eventId: parsed.id,
        level: parsed.level,
        channel: 'RDCMan',
        computer: opts.computer ?? '',
        data: parsed.data,
        message: lm[2]!.trimStart(),
        source: { file: input.name, format: 'rdcman-log', position: `line ${line}`, offset, fidelity: 'full' },
      };
      batch.push({ kind: 'event', event });
      stats.read++;
      if (batch.length >= 256) {
        yield batch;
        batch = [];
      }
    }
  } catch (err) {
    batch.push({ kind: 'issue', issue: readFailed(input.name, err) });
  }
  if (batch.length) yield batch;
  return stats;
}

export const rdcmanLogReader: Reader = {
  format: 'rdcman-log',
  sniff: (head) => sniffRdcmanLog(head),
  read: (input, opts) => readRdcmanLog(input, opts),
};
