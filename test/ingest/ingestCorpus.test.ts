// Ingest with the real readers on real EVTX files from ../shared/corpus: what is stored is exactly
// what the reader produced, with the reference's records, the default filter keeps whole RDP channels and only the
// needed Security/System events, and a second run changes nothing.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSource, readHead } from '../../src/ingest/discover.js';
import { ingestPaths } from '../../src/ingest/ingest.js';
import type { NormalizedEvent } from '../../src/model/event.js';
import { readerFor } from '../../src/parsers/registry.js';
import { type CaseFile, openCase } from '../../src/store/caseFile.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CORPUS = resolve(repoRoot, '../shared/corpus');
const present = existsSync(CORPUS);
if (!present) console.warn(`corpus tests skipped: ${CORPUS} not found`);

describe.runIf(process.env.CI === 'true' && !present)('corpus (CI)', () => {
  it('is present in CI', () => expect(present, `${CORPUS} is required when CI=true`).toBe(true));
});

const RDP_FILES = [
  'vraptor__RDPAuth_LocalSessionManager.evtx',
  'vraptor__RDPAuth_RemoteConnectionManager.evtx',
  'vraptor__RDPAuth_Security.evtx',
  'vraptor__RDPAuth_System.evtx',
];

interface RefRecord {
  record: number;
  time: string;
  provider: string;
  eventId: number;
  channel: string;
  computer: string;
  data: Record<string, string>;
}

async function readAll(path: string): Promise<NormalizedEvent[]> {
  const input = fileSource(path, statSync(path).size);
  const reader = readerFor(readHead(path), path)!;
  const out: NormalizedEvent[] = [];
  const it = reader.read(input, {});
  for (;;) {
    const step = await it.next();
    if (step.done) return out;
    for (const item of step.value) if (item.kind === 'event') out.push(item.event);
  }
}

const reference = (file: string): RefRecord[] =>
  gunzipSync(readFileSync(join(CORPUS, 'reference', `${file}.jsonl.gz`)))
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RefRecord);

describe.skipIf(!present)('ingest of corpus files', () => {
  let dir: string;
  let all: CaseFile;
  let filtered: CaseFile;
  const paths = RDP_FILES.map((f) => join(CORPUS, f));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rdpd-corpus-'));
    all = openCase(join(dir, 'all.db'));
    filtered = openCase(join(dir, 'filtered.db'));
    await ingestPaths(all, paths, { allEvents: true });
  });
  afterAll(() => {
    all.close();
    filtered.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('with --all-events stores every record: identical to what the reader yields, and matching the reference', async () => {
    for (const file of RDP_FILES) {
      const path = join(CORPUS, file);
      const src = all.sources().find((s) => s.path === path)!;
      expect(src.status).toBe('ingested');
      expect(src.counts.stored, file).toBe(src.counts.read);
      const stored = all.events({ sourceId: src.id });
      // Round trip: the stored events are exactly the reader's events (order by time, then position).
      const direct = (await readAll(path)).map((e, i) => ({ e, i }));
      direct.sort((a, b) => (a.e.time < b.e.time ? -1 : a.e.time > b.e.time ? 1 : a.i - b.i));
      expect(stored.map(({ rowId: _r, ...e }) => e)).toEqual(direct.map((d) => d.e));
      // And the records are the reference's records (rendering details are the parser tests' business).
      const ref = reference(file);
      const live = stored.filter((e) => !e.source.recovered);
      expect(live.map((e) => [e.recordId, e.eventId, `${e.time.slice(0, 19)}`]).sort(), file).toEqual(
        ref.map((r) => [r.record, r.eventId, r.time.slice(0, 19)]).sort(),
      );
    }
  });

  it('by default keeps whole RDP channels and only the needed host events; counts add up per channel', async () => {
    const s = await ingestPaths(filtered, paths);
    expect(s.totals.ingested).toBe(RDP_FILES.length);
    const allCounts = new Map(all.channelCounts().map((c) => [c.channel, c.events]));
    const kept = new Map(filtered.channelCounts().map((c) => [c.channel, c.events]));
    for (const c of s.channels) {
      // Every record of the channel was met, and each was either stored or filtered out.
      const key = c.channel === '(no channel)' ? '' : c.channel;
      expect(c.read, c.channel).toBe(c.stored + c.filtered);
      expect(c.stored, c.channel).toBe(kept.get(key) ?? 0);
      expect(c.read, c.channel).toBe(allCounts.get(key));
    }
    for (const ch of ['Microsoft-Windows-TerminalServices-LocalSessionManager/Operational', 'Microsoft-Windows-TerminalServices-RemoteConnectionManager/Operational']) {
      expect(kept.get(ch), ch).toBe(allCounts.get(ch));
    }
    const security = filtered.events({ channels: ['Security'] });
    expect(security.length).toBeGreaterThan(0);
    expect(security.length).toBeLessThan(allCounts.get('Security')!);
    expect(new Set(security.map((e) => e.eventId)).has(4688)).toBe(false);
    expect(filtered.countEvents({ channels: ['Security'], ids: [4624] })).toBe(all.countEvents({ channels: ['Security'], ids: [4624] }));
  });

  it('with 2 decoding workers stores exactly the same events and counts', async () => {
    const cf = openCase(join(dir, 'workers.db'));
    try {
      const s = await ingestPaths(cf, paths, { workers: 2 });
      expect(s.totals.ingested).toBe(RDP_FILES.length);
      const strip = (c: CaseFile): unknown[] => c.events().map(({ rowId: _r, ...e }) => e);
      expect(strip(cf)).toEqual(strip(filtered));
      expect(cf.sources().map((x) => x.counts)).toEqual(filtered.sources().map((x) => x.counts));
    } finally {
      cf.close();
    }
  });

  it('a second run finds every file already in the case and changes nothing', async () => {
    const before = filtered.stats();
    const s = await ingestPaths(filtered, paths);
    expect(s.inputs.map((r) => r.status)).toEqual(RDP_FILES.map(() => 'already-in-case'));
    expect(filtered.stats()).toEqual(before);
    expect(filtered.db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
