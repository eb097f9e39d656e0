// Findings about the evidence itself, not about one attempt: records missing inside a log, a log that
// was cleared, client and server logs that cover different times, a log the rules needed that is
// not in the case, and inputs that could not be fully read. Events are fed one by one so the caller
// can stream them out of the case file.
import type { Finding, HostInfo } from '../model/analysis.js';
import type { NormalizedEvent } from '../model/event.js';
import type { InputReport } from '../model/report.js';
import type { EventNeed } from '../model/stages.js';
import { channelInfo, collectHint, isKnownChannel, needChannel } from './channels.js';
import { utcMillis, toStoredTime } from './time.js';

export type ScannedEvent = Pick<NormalizedEvent, 'computer' | 'channel' | 'provider' | 'eventId' | 'recordId' | 'time' | 'data'> & {
  source: Pick<NormalizedEvent['source'], 'file' | 'position'>;
};

/** Events that say a log was cleared (rdp-kb: Security 1102, System 104), so the evidence layer asks the store to keep them. */
export const EVIDENCE_NEEDS: EventNeed[] = [
  { channel: 'Security', provider: 'Microsoft-Windows-Eventlog', ids: [1102] },
  { channel: 'System', provider: 'Microsoft-Windows-Eventlog', ids: [104] },
];

const CLIENT_CHANNEL = /TerminalServices-RDPClient\//i;
const SERVER_CHANNEL = /(RdpCoreTS|RemoteConnectionManager|LocalSessionManager)\//i;
/** Gap ranges listed in a finding; the counts stay exact. */
const MAX_RANGES = 10;
const MAX_OVERLAP_FINDINGS = 50;
/** Event ids named in a missing-channel message. */
const MAX_IDS = 12;

interface Range {
  first: number;
  last: number;
}

export class EvidenceScanner {
  private readonly recordIds = new Map<string, number[]>();
  private readonly hostRange = new Map<string, Range>();
  private readonly inferredRoles = new Map<string, Set<'client' | 'server'>>();
  private readonly channels = new Set<string>();
  private readonly cleared: Finding[] = [];

  /** @param gapEligible files whose every record was stored (no push-down filter): only those can show real gaps. */
  constructor(private readonly gapEligible: (file: string) => boolean = () => true) {}

  add(e: ScannedEvent): void {
    const host = e.computer;
    this.channels.add(e.channel.toLowerCase());
    const ms = utcMillis(e.time);
    if (!Number.isNaN(ms)) {
      const r = this.hostRange.get(host);
      if (!r) this.hostRange.set(host, { first: ms, last: ms });
      else {
        if (ms < r.first) r.first = ms;
        if (ms > r.last) r.last = ms;
      }
    }
    const role = CLIENT_CHANNEL.test(e.channel) ? 'client' : SERVER_CHANNEL.test(e.channel) ? 'server' : undefined;
    if (role) {
      const s = this.inferredRoles.get(host) ?? new Set();
      s.add(role);
      this.inferredRoles.set(host, s);
    }
    if (e.recordId !== undefined && Number.isSafeInteger(e.recordId) && this.gapEligible(e.source.file)) {
      const key = `${host}\u0000${e.channel}`;
      const ids = this.recordIds.get(key);
      if (ids) ids.push(e.recordId);
      else this.recordIds.set(key, [e.recordId]);
    }
    this.checkCleared(e);
  }

  private checkCleared(e: ScannedEvent): void {
    const isEventlog = /^Microsoft-Windows-Eventlog$/i.test(e.provider);
    const security = isEventlog && e.eventId === 1102 && /^security$/i.test(e.channel);
    const system = isEventlog && e.eventId === 104 && /^system$/i.test(e.channel);
    if (!security && !system) return;
    const log = security ? 'Security' : (e.data['Channel'] ?? 'a');
    const user = [e.data['SubjectDomainName'], e.data['SubjectUserName']].filter((x) => x).join('\\');
    const details: Record<string, string | number> = { time: e.time, eventId: e.eventId, position: e.source.position, clearedLog: log };
    if (user) details['by'] = user;
    if (e.recordId !== undefined) details['recordId'] = e.recordId;
    this.cleared.push({
      id: `log-cleared:${e.computer}:${log}:${e.time}:${e.recordId ?? ''}`,
      kind: 'log-cleared',
      severity: 'warning',
      message: `The ${log} log on ${e.computer} was cleared${user ? ` by ${user}` : ''}; events logged before that are gone.`,
      host: e.computer,
      channel: e.channel,
      file: e.source.file,
      details,
    });
  }

  /** Channels (lower case) seen in the scanned events. */
  channelsSeen(): Set<string> {
    return new Set(this.channels);
  }

  findings(ctx: { hosts?: HostInfo[]; inputs?: InputReport[]; needs?: EventNeed[] }): Finding[] {
    const out: Finding[] = [...this.cleared, ...this.gapFindings(), ...this.overlapFindings(ctx.hosts ?? [])];
    out.push(...missingChannelFindings(ctx.needs ?? [], this.channels, ctx.inputs ?? []));
    out.push(...parseErrorFindings(ctx.inputs ?? []));
    return sortFindings(out);
  }

  private gapFindings(): Finding[] {
    const out: Finding[] = [];
    for (const [key, raw] of this.recordIds) {
      const [host = '', channel = ''] = key.split('\u0000');
      const ids = Float64Array.from(raw).sort();
      const ranges: string[] = [];
      let gaps = 0;
      let missing = 0;
      for (let i = 1; i < ids.length; i++) {
        const prev = ids[i - 1] as number;
        const cur = ids[i] as number;
        if (cur - prev > 1) {
          gaps++;
          missing += cur - prev - 1;
          if (ranges.length < MAX_RANGES) ranges.push(cur - prev === 2 ? `${prev + 1}` : `${prev + 1}-${cur - 1}`);
        }
      }
      if (gaps === 0) continue;
      const more = gaps > ranges.length ? `, … (${gaps - ranges.length} more)` : '';
      out.push({
        id: `record-gap:${host}:${channel}`,
        kind: 'record-gap',
        severity: 'warning',
        message: `${missing} record id(s) missing in ${channel} on ${host} (${gaps} gap(s): ${ranges.join(', ')}${more}); records were lost, damaged or deleted, or the log was exported with a filter.`,
        host,
        channel,
        details: { gaps, missing, firstRecord: ids[0] as number, lastRecord: ids[ids.length - 1] as number, ranges: ranges.join(', ') },
      });
    }
    return out;
  }

  private overlapFindings(hosts: HostInfo[]): Finding[] {
    const info = new Map(hosts.map((h) => [h.name, h]));
    const roleOf = (name: string, role: 'client' | 'server'): boolean => {
      const h = info.get(name);
      if (h && h.roles.length > 0) return h.roles.includes(role);
      return this.inferredRoles.get(name)?.has(role) ?? false;
    };
    const names = [...this.hostRange.keys()].sort();
    const corrected = (name: string): Range => {
      const r = this.hostRange.get(name) as Range;
      const skew = info.get(name)?.skewMs ?? 0;
      return { first: r.first - skew, last: r.last - skew };
    };
    const out: Finding[] = [];
    for (const c of names.filter((n) => roleOf(n, 'client'))) {
      for (const s of names.filter((n) => n !== c && roleOf(n, 'server'))) {
        const a = corrected(c);
        const b = corrected(s);
        if (a.last >= b.first && b.last >= a.first) continue;
        if (out.length >= MAX_OVERLAP_FINDINGS) return out;
        const [ca, sa] = [this.hostRange.get(c) as Range, this.hostRange.get(s) as Range];
        out.push({
          id: `no-overlap:${c}:${s}`,
          kind: 'no-overlap',
          severity: 'warning',
          message: `The logs of client ${c} and server ${s} cover times that do not overlap, so no attempt can be joined across them; export both logs covering the time of the failure.`,
          host: c,
          details: {
            client: c,
            clientFirst: toStoredTime(ca.first),
            clientLast: toStoredTime(ca.last),
            server: s,
            serverFirst: toStoredTime(sa.first),
            serverLast: toStoredTime(sa.last),
          },
        });
      }
    }
    return out;
  }
}

function missingChannelFindings(needs: EventNeed[], seen: Set<string>, inputs: InputReport[]): Finding[] {
  const collected = new Set<string>();
  for (const i of inputs) for (const c of i.channels ?? []) collected.add(c.toLowerCase());
  const wanted = new Map<string, EventNeed[]>();
  for (const n of needs) {
    // Only real Windows channels we can tell the user how to collect; globs and pseudo-channels are skipped.
    const ch = needChannel(n);
    if (!ch || !isKnownChannel(ch)) continue;
    const name = channelInfo(ch).channel;
    const list = wanted.get(name) ?? [];
    list.push(n);
    wanted.set(name, list);
  }
  const out: Finding[] = [];
  for (const [channel, list] of [...wanted].sort((a, b) => cmp(a[0], b[0]))) {
    const lc = channel.toLowerCase();
    if (seen.has(lc)) continue;
    const info = channelInfo(channel);
    const all = [...new Set(list.flatMap((n) => n.ids ?? []))].sort((a, b) => a - b);
    const ids = all.length > MAX_IDS ? [...all.slice(0, MAX_IDS).map(String), '…'] : all.map(String);
    const inInput = collected.has(lc);
    const what = inInput
      ? `${channel} was read but holds none of the events the rules look for`
      : `No events from ${channel} are in the case`;
    out.push({
      id: `missing-channel:${channel}`,
      kind: 'missing-channel',
      severity: inInput ? 'info' : info.core ? 'warning' : 'info',
      message: `${what}${ids.length ? ` (event ids ${ids.join(', ')})` : ''}; causes that rely on it could not be confirmed or ruled out.${inInput ? '' : ` Collect: ${collectHint(channel)}.`}`,
      channel,
      details: { side: info.side, enabledByDefault: info.enabledByDefault ? 'yes' : 'no', collected: inInput ? 'yes' : 'no' },
    });
  }
  return out;
}

function parseErrorFindings(inputs: InputReport[]): Finding[] {
  const out: Finding[] = [];
  for (const i of inputs) {
    if (i.errorCount <= 0) continue;
    const details: Record<string, string | number> = { errorCount: i.errorCount, skippedRecords: i.counts.skipped, recovered: i.counts.recovered };
    if (i.errors[0] !== undefined) details['firstError'] = i.errors[0];
    out.push({
      id: `parse-errors:${i.file}`,
      kind: 'parse-errors',
      severity: i.status === 'failed' ? 'error' : 'warning',
      message: `${i.errorCount} problem(s) reading ${i.file}; ${i.counts.skipped} record(s) skipped${i.counts.recovered ? `, ${i.counts.recovered} recovered` : ''}.`,
      file: i.file,
      details,
    });
  }
  return out;
}

const KIND_ORDER: Record<Finding['kind'], number> = { 'log-cleared': 0, 'record-gap': 1, 'no-overlap': 2, 'missing-channel': 3, 'parse-errors': 4, other: 5 };
const SEVERITY_ORDER: Record<Finding['severity'], number> = { error: 0, warning: 1, info: 2 };

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Severity, then kind, then id: a total order, so two runs list findings identically. */
export function sortFindings(list: Finding[]): Finding[] {
  const seen = new Set<string>();
  return list
    .filter((f) => (seen.has(f.id) ? false : (seen.add(f.id), true)))
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || cmp(a.id, b.id));
}
