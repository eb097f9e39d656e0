// The push-down filter on worker threads: a filter that describes itself (spec) is built again on
// each worker, so workers skip what it drops instead of decoding and sending every record. Events,
// counts and the per-channel tally of dropped records must be those of decoding on one thread.
import { statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { needsFilter } from '../../../src/ingest/filter.js';
import { fileSource } from '../../../src/ingest/discover.js';
import { evtxReader } from '../../../src/parsers/evtx/reader.js';
import type { EventFilter, ReadItem, SourceStats } from '../../../src/parsers/types.js';
import { corpusDir, corpusPresenceTest, haveCorpus, readIndex } from './corpus.js';

interface Run {
  /** Calls of the filter on this thread. */
  asked: number;
  events: string[];
  issues: number;
  stats: SourceStats[];
  dropped: Record<string, number>;
}

async function readAll(files: string[], workers: number, describe: boolean): Promise<Run> {
  const store = needsFilter();
  const dropped: Record<string, number> = {};
  const run: Run = { asked: 0, events: [], issues: 0, stats: [], dropped };
  const filter: EventFilter = {
    wants(channel, provider, eventId) {
      run.asked++;
      const keep = store.wants(channel, provider, eventId);
      if (!keep) dropped[channel] = (dropped[channel] ?? 0) + 1;
      return keep;
    },
    countFiltered(channel, n) {
      dropped[channel] = (dropped[channel] ?? 0) + n;
    },
    ...(describe ? { spec: store.spec! } : {}),
  };
  for (const f of files) {
    const it = evtxReader.read(fileSource(f, statSync(f).size), { workers, filter });
    for (;;) {
      const r = await it.next();
      if (r.done) {
        run.stats.push(r.value);
        break;
      }
      for (const x of r.value as ReadItem[]) {
        if (x.kind === 'event') run.events.push(`${x.event.source.position} ${x.event.channel} ${x.event.eventId} ${JSON.stringify(x.event.data)}`);
        else if (x.kind === 'issue') run.issues++;
      }
    }
  }
  return run;
}

describe('push-down filter on evtx workers', () => {
  corpusPresenceTest();
  it.runIf(haveCorpus)('keeps, drops and counts what one thread does', async () => {
    const files = [...new Set(readIndex().map((r) => r.file))].map((f) => path.join(corpusDir, f));
    const one = await readAll(files, 1, true);
    expect(Object.keys(one.dropped).length).toBeGreaterThan(2); // the corpus has much to drop
    expect(one.events.length).toBeGreaterThan(1000);
    for (const describe of [true, false]) {
      const two = await readAll(files, 2, describe);
      expect(two.events).toEqual(one.events);
      expect(two.issues).toBe(one.issues);
      expect(two.stats).toEqual(one.stats);
      expect(two.dropped).toEqual(one.dropped);
      // Described, the workers built it from the spec and this thread asked it only for the chunks
      // it decoded itself (while the worker started, and whenever the store would have waited);
      // otherwise it was asked here of every decoded event.
      if (describe) {
        expect(two.asked).toBeGreaterThan(0);
        expect(two.asked).toBeLessThan(one.asked);
      } else expect(two.asked).toBeGreaterThan(one.events.length);
    }
  }, 300_000);
});

describe('worker threads for decoded events', () => {
  it('are at most the cores beside the main thread, and at least one', async () => {
    const { eventWorkers } = await import('../../../src/parsers/evtx/pipeline.js');
    expect(eventWorkers(2, 2)).toBe(1);
    expect(eventWorkers(4, 2)).toBe(1);
    expect(eventWorkers(2, 1)).toBe(1);
    expect(eventWorkers(3, 8)).toBe(3);
    expect(eventWorkers(16, 8)).toBe(7);
  });
});

describe('ingest workers and the input size', () => {
  it.runIf(haveCorpus)('uses workers only on enough evtx input (parallelMinBytes)', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { ingestPaths } = await import('../../../src/ingest/ingest.js');
    const { openCase } = await import('../../../src/store/caseFile.js');
    const { eventWorkers } = await import('../../../src/parsers/evtx/pipeline.js');
    const { sharedPool } = await import('../../../src/parsers/evtx/pool.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'rdpdoctor-ingest-workers-'));
    const file = path.join(corpusDir, 'dbc__smb-password-guessing-security.evtx');
    const pool = sharedPool(eventWorkers(2));
    try {
      const sent0 = pool.sent;
      const small = openCase(path.join(dir, 'a.db'));
      const a = await ingestPaths(small, [file], { workers: 2, parallelMinBytes: 1 << 30 });
      small.close();
      expect(pool.sent).toBe(sent0); // under the limit: decoded here
      const big = openCase(path.join(dir, 'b.db'));
      const b = await ingestPaths(big, [file], { workers: 2, parallelMinBytes: 0 });
      big.close();
      expect(pool.sent).toBeGreaterThan(sent0); // no limit: on the worker
      expect(b.totals).toEqual(a.totals);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
