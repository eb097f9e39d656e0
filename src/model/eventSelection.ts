// Which events a selection keeps: every event of an RDP-related channel or provider, plus those a
// list of (channel, provider, ids) needs names. Plain data, so a worker thread rebuilds the same
// decision from it (the evtx reader pushes the filter down to its workers this way).
import type { EventNeed } from './stages.js';

/** A selection as data: everything, or the RDP-related events plus `needs`. */
export interface FilterSpec {
  all?: true;
  needs?: readonly EventNeed[];
  /** Names the selection (a worker keeps one built filter per key); JSON of the rest when absent. */
  key?: string;
}

// TerminalServices-* (RDPClient, LSM, RCM, Gateway, Licensing…), RemoteDesktopServices-* (RdpCoreTS…),
// and the pseudo-channel the RDCMan log reader uses.
const RDP_NAME = /^Microsoft-Windows-(TerminalServices|RemoteDesktopServices)-|RDPClient|RDCMan/i;

/** True for events from an RDP-related channel or provider (kept whatever the rules need). */
export function isRdpRelated(channel: string, provider: string): boolean {
  return RDP_NAME.test(channel) || RDP_NAME.test(provider);
}

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

/** The decision of a selection, cached per (channel, provider, event id). */
export function selectionWants(spec: FilterSpec): (channel: string, provider: string, eventId: number) => boolean {
  if (spec.all) return () => true;
  const compiled = (spec.needs ?? []).map((n) => ({
    channel: nameMatcher(n.channel),
    provider: nameMatcher(n.provider),
    ids: n.ids && n.ids.length ? new Set(n.ids) : undefined,
  }));
  const decide = (channel: string, provider: string, eventId: number): boolean =>
    isRdpRelated(channel, provider) ||
    compiled.some((n) => (n.ids === undefined || n.ids.has(eventId)) && n.channel(channel) && n.provider(provider));
  // Nested by channel, provider, id: a joined string key cost a concatenation and its flattening
  // on every record (about 1 s of a worker's 8 s on 1 GiB).
  let cache = new Map<string, Map<string, Map<number, boolean>>>();
  let size = 0;
  return (channel, provider, eventId) => {
    let byProvider = cache.get(channel);
    if (byProvider === undefined) cache.set(channel, (byProvider = new Map()));
    let byId = byProvider.get(provider);
    if (byId === undefined) byProvider.set(provider, (byId = new Map()));
    let v = byId.get(eventId);
    if (v === undefined) {
      v = decide(channel, provider, eventId);
      if (size >= CACHE_LIMIT) {
        cache = new Map();
        size = 0;
      }
      byId.set(eventId, v);
      size++;
    }
    return v;
  };
}
