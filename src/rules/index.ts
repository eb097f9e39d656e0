// The rules stage: the catalogue (data), what it needs the case file to keep, and diagnosis.
import { CORRELATION_NEEDS } from '../correlate/channels.js';
import type { EventNeed } from '../model/stages.js';
import type { Catalog } from './types.js';

export { loadCatalog, loadDirs, builtinCatalogDir, CatalogError } from './loader.js';
export { diagnose, effectiveCodes } from './engine.js';
export type { Catalog, Rule } from './types.js';

/**
 * Every (channel, provider, ids) the rules and correlation read, merged: the store keeps only
 * these. A need without ids keeps the whole channel; needs are deduplicated and sorted.
 */
export function catalogNeeds(catalog: Catalog): EventNeed[] {
  const merged = new Map<string, { channel?: string; provider?: string; ids?: Set<number> }>();
  for (const n of [...CORRELATION_NEEDS, ...catalog.rules.flatMap((r) => r.needs)]) {
    const key = `${n.channel?.toLowerCase() ?? ''}\u0000${n.provider?.toLowerCase() ?? ''}`;
    const m = merged.get(key);
    if (!m) {
      const entry: { channel?: string; provider?: string; ids?: Set<number> } = {};
      if (n.channel) entry.channel = n.channel;
      if (n.provider) entry.provider = n.provider;
      if (n.ids) entry.ids = new Set(n.ids);
      merged.set(key, entry);
    } else if (m.ids) {
      if (!n.ids) delete m.ids;
      else for (const i of n.ids) m.ids.add(i);
    }
  }
  return [...merged.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([, m]) => {
      const out: EventNeed = {};
      if (m.channel) out.channel = m.channel;
      if (m.provider) out.provider = m.provider;
      if (m.ids) out.ids = [...m.ids].sort((a, b) => a - b);
      return out;
    });
}
