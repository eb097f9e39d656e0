// What the case file keeps by default: every event from RDP-related channels and providers, plus
// the host-context events the rules declare they need (EventNeed). The decision is asked before a
// record is fully decoded (ReadOptions.filter), so the rest of a big Security log costs little.
import { createHash } from 'node:crypto';
import type { EventNeed } from '../model/stages.js';
import type { EventFilter } from '../parsers/types.js';

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/**
 * Used until (and in addition to) the rule catalogue's own needs: the host context named in the
 * knowledge base (rdp-kb §2.5–2.11) and the events that tell whether a log covers a period.
 */
export const BASELINE_NEEDS: readonly EventNeed[] = [
  { provider: '*Schannel', ids: range(36870, 36889) },
  { provider: 'LsaSrv', ids: [6038, 6039, 6040, 6041] },
  { provider: 'Microsoft-Windows-DNS-Client', ids: [1014, 1015, 1016] },
  { provider: 'TermDD', ids: [50, 56] },
  { channel: 'Security', ids: [1102, 4624, 4625, 4634, 4647, 4648, 4776, 4778, 4779, 4825, 5152, 5156, 5157] },
  { channel: 'System', provider: 'EventLog', ids: [104, 6005, 6006, 6008] },
  { channel: 'System', provider: 'Microsoft-Windows-Eventlog', ids: [104] },
  { channel: 'System', provider: 'Microsoft-Windows-Kernel-General', ids: [1, 12, 13] },
  { channel: 'Microsoft-Windows-NTLM/Operational', ids: [4001, 4002, 4003, 8001, 8002, 8003] },
  { channel: 'Microsoft-Windows-CAPI2/Operational', ids: [11, 30, 40, 41, 53, 90] },
  { channel: 'Microsoft-Windows-CredSSP/Operational' },
];

// TerminalServices-* (RDPClient, LSM, RCM, Gateway, Licensing…), RemoteDesktopServices-* (RdpCoreTS…),
// and the pseudo-channel the RDCMan log reader uses.
const RDP_NAME = /^Microsoft-Windows-(TerminalServices|RemoteDesktopServices)-|RDPClient|RDCMan/i;

/** True for events from an RDP-related channel or provider (kept whatever the rules need). */
export function isRdpRelated(channel: string, provider: string): boolean {
  return RDP_NAME.test(channel) || RDP_NAME.test(provider);
}

export interface StoreFilter extends EventFilter {
  /** 'all', or 'needs:<hash>' naming the selection, so a case remembers how each source was filtered. */
  readonly signature: string;
}

/** Keeps every event (`--all-events`). */
export const KEEP_ALL: StoreFilter = { signature: 'all', wants: () => true };

function nameMatcher(pattern: string | undefined): (v: string) => boolean {
  if (pattern === undefined || pattern === '*') return () => true;
  if (!pattern.includes('*')) {
    const p = pattern.toLowerCase();
    return (v) => v.toLowerCase() === p;
  }
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return (v) => re.test(v);
}

// Decisions are cached per (channel, provider, id); input decides how many distinct keys exist, so cap it.
const CACHE_LIMIT = 50_000;

/** The default store filter: RDP-related events plus the given needs (the baseline when omitted). */
export function needsFilter(needs: readonly EventNeed[] = BASELINE_NEEDS): StoreFilter {
  const canonical = needs
    .map((n) => ({ c: n.channel?.toLowerCase() ?? '', p: n.provider?.toLowerCase() ?? '', i: [...new Set(n.ids ?? [])].sort((a, b) => a - b) }))
    .map((n) => JSON.stringify(n))
    .sort();
  const unique = [...new Set(canonical)];
  const signature = `needs:${createHash('sha256').update(`rdp-v1\n${unique.join('\n')}`).digest('hex').slice(0, 16)}`;
  const compiled = needs.map((n) => ({
    channel: nameMatcher(n.channel),
    provider: nameMatcher(n.provider),
    ids: n.ids && n.ids.length ? new Set(n.ids) : undefined,
  }));
  const cache = new Map<string, boolean>();
  const decide = (channel: string, provider: string, eventId: number): boolean =>
    isRdpRelated(channel, provider) ||
    compiled.some((n) => (n.ids === undefined || n.ids.has(eventId)) && n.channel(channel) && n.provider(provider));
  return {
    signature,
    wants(channel, provider, eventId) {
      const key = `${channel}\u0001${provider}\u0001${eventId}`;
      let v = cache.get(key);
      if (v === undefined) {
        v = decide(channel, provider, eventId);
        if (cache.size >= CACHE_LIMIT) cache.clear();
        cache.set(key, v);
      }
      return v;
    },
  };
}

/**
 * Whether a source stored with filter `stored` already holds what filter `wanted` would keep.
 * 'all' covers everything; the same needs cover themselves; anything else is re-read.
 */
export function filterCovers(stored: string, wanted: string): boolean {
  return stored === 'all' || stored === wanted;
}
