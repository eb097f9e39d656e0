// With a push-down filter, toEvent reads System in two passes (provider, id and channel first; the
// rest only for a record the filter keeps). A kept record must come out exactly as without the
// filter, and every other record must be counted as filtered.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSource } from '../../../src/ingest/discover.js';
import { needsFilter } from '../../../src/ingest/filter.js';
import { evtxReader } from '../../../src/parsers/evtx/reader.js';
import type { EventFilter, ReadItem, SourceStats } from '../../../src/parsers/types.js';
import { corpusDir, haveCorpus, repoRoot } from './corpus.js';

function evtxUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.evtx'))
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
}

async function read(file: string, filter?: EventFilter): Promise<{ events: unknown[]; stats: SourceStats }> {
  const it = evtxReader.read(fileSource(file, statSync(file).size), filter ? { filter } : {});
  const events: unknown[] = [];
  for (;;) {
    const r = await it.next();
    if (r.done) return { events, stats: r.value };
    for (const x of r.value as ReadItem[]) if (x.kind === 'event') events.push(x.event);
  }
}

describe('System read in two passes under a filter', () => {
  const store = needsFilter();
  const files = [...evtxUnder(path.join(repoRoot, 'samples')), ...(haveCorpus ? evtxUnder(corpusDir).filter((f) => !f.includes(`${path.sep}reference${path.sep}`)) : [])];

  it('keeps what the filter keeps, field for field, and counts the rest as filtered', async () => {
    let kept = 0;
    let dropped = 0;
    for (const f of files) {
      const all = await read(f);
      const filtered = await read(f, { wants: (c, p, id) => store.wants(c, p, id) });
      const want = all.events.filter((e) => {
        const ev = e as { channel: string; provider: string; eventId: number; source: { recovered?: boolean } };
        // Recovered records are checked whole, then filtered (decode.ts): same decision.
        return store.wants(ev.channel, ev.provider, ev.eventId);
      });
      expect(filtered.events, f).toEqual(want);
      expect(filtered.stats.filtered, f).toBe(all.events.length - want.length);
      expect(filtered.stats.skipped, f).toBe(all.stats.skipped);
      kept += want.length;
      dropped += all.events.length - want.length;
    }
    // Both sides have plenty: the samples alone have RDP events and others.
    expect(kept).toBeGreaterThan(100);
    expect(dropped).toBeGreaterThan(100);
  }, 120_000);
});
