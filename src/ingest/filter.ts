// What the case file keeps by default: every event from RDP-related channels and providers, plus
// the host-context events the rules declare they need (EventNeed). The decision is asked before a
// record is fully decoded (ReadOptions.filter), so the rest of a big Security log costs little.
import { createHash } from 'node:crypto';
import type { EventNeed } from '../model/stages.js';
import type { EventFilter } from '../parsers/types.js';
import { selectionWants } from '../model/eventSelection.js';

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

export interface StoreFilter extends EventFilter {
  /** 'all', or 'needs:<hash>' naming the selection, so a case remembers how each source was filtered. */
  readonly signature: string;
}

/** Keeps every event (`--all-events`). */
export const KEEP_ALL: StoreFilter = { signature: 'all', spec: { all: true, key: 'all' }, wants: () => true };

/** The default store filter: RDP-related events plus the given needs (the baseline when omitted). */
export function needsFilter(needs: readonly EventNeed[] = BASELINE_NEEDS): StoreFilter {
  const canonical = needs
    .map((n) => ({ c: n.channel?.toLowerCase() ?? '', p: n.provider?.toLowerCase() ?? '', i: [...new Set(n.ids ?? [])].sort((a, b) => a - b) }))
    .map((n) => JSON.stringify(n))
    .sort();
  const unique = [...new Set(canonical)];
  const signature = `needs:${createHash('sha256').update(`rdp-v1\n${unique.join('\n')}`).digest('hex').slice(0, 16)}`;
  return { signature, spec: { needs: [...needs], key: signature }, wants: selectionWants({ needs }) };
}

/**
 * Whether a source stored with filter `stored` already holds what filter `wanted` would keep.
 * 'all' covers everything; the same needs cover themselves; anything else is re-read.
 */
export function filterCovers(stored: string, wanted: string): boolean {
  return stored === 'all' || stored === wanted;
}
