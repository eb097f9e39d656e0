// The compiled-template JSONL path (jsonlPlan.ts) against the generic one, on every corpus file:
// the lines `dump` writes must be eventJson of the events the Reader builds, byte for byte, and
// the counts the same. The parity tests check those events against the references.
import { readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fileSource } from '../../../src/ingest/discover.js';
import { eventJson } from '../../../src/parsers/evtx/jsonl.js';
import { evtxJsonl } from '../../../src/parsers/evtx/jsonlStream.js';
import type { SourceStats } from '../../../src/parsers/types.js';
import { corpusDir, corpusFile, corpusPresenceTest, haveCorpus, readFile } from './corpus.js';

async function jsonl(p: string): Promise<{ text: string; stats: SourceStats }> {
  const it = evtxJsonl(fileSource(p, statSync(p).size), {});
  const parts: Buffer[] = [];
  for (;;) {
    const r = await it.next();
    if (r.done) return { text: Buffer.concat(parts).toString('utf8'), stats: r.value };
    parts.push(Buffer.from(r.value.bytes));
  }
}

describe('compiled record path', () => {
  corpusPresenceTest();
  const files = haveCorpus ? readdirSync(corpusDir).filter((f) => f.endsWith('.evtx')).sort() : [];
  it.runIf(haveCorpus)('writes what the generic path writes, for every corpus file', async () => {
    expect(files.length).toBeGreaterThan(100);
    for (const f of files) {
      const p = corpusFile(f);
      const fast = await jsonl(p);
      const slow = await readFile(p);
      const want = slow.events.map((e) => `${eventJson(e)}\n`).join('');
      if (fast.text !== want) {
        // Point at the first differing line rather than dumping megabytes.
        const a = fast.text.split('\n');
        const b = want.split('\n');
        const i = a.findIndex((l, k) => l !== b[k]);
        expect({ file: f, line: i, fast: a[i] }).toEqual({ file: f, line: i, fast: b[i] });
      }
      expect({ file: f, read: fast.stats.read, recovered: fast.stats.recovered, skipped: fast.stats.skipped }).toEqual({ file: f, read: slow.stats.read, recovered: slow.stats.recovered, skipped: slow.stats.skipped });
    }
  }, 300_000);

  it.runIf(haveCorpus)('the push-down filter gives what filtering the events afterwards gives, and counts each dropped record once', async () => {
    // Wants about half the events of every channel, by id.
    const filter = { wants: (_c: string, _p: string, id: number) => id % 2 === 0 };
    for (const f of files) {
      const p = corpusFile(f);
      const all = await readFile(p);
      const some = await readFile(p, { filter });
      const kept = all.events.filter((e) => filter.wants(e.channel, e.provider, e.eventId));
      expect({ file: f, events: some.events.map((e) => eventJson(e)) }).toEqual({ file: f, events: kept.map((e) => eventJson(e)) });
      expect({ file: f, read: some.stats.read, recovered: some.stats.recovered }).toEqual({ file: f, read: kept.length, recovered: kept.filter((e) => e.source.recovered).length });
      // A record whose data is damaged is skipped when read, and filtered when the filter rejects
      // it first: either way it is in exactly one of the two counts.
      expect({ file: f, dropped: some.stats.skipped + some.stats.filtered }).toEqual({ file: f, dropped: all.stats.skipped + all.events.length - kept.length });
    }
  }, 300_000);
});
