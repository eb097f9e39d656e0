// A tiny input format for ingest tests, independent of the real parsers: a text file whose first
// line is FAKE_MAGIC and whose next lines are `key value` settings. The reader turns it into a
// deterministic stream of synthetic events across RDP and non-RDP channels, honouring the push-down
// filter the way a real reader does, and can be told to emit issues or to fail part-way.
import { writeFileSync } from 'node:fs';
import type { NormalizedEvent } from '../../src/model/event.js';
import type { ReadItem, ReadStream, Reader } from '../../src/parsers/types.js';
import { emptyStats } from '../../src/parsers/types.js';

export const FAKE_MAGIC = 'FAKE-EVENTS v1';

export interface FakeSpec {
  count: number;
  seed?: number;
  host?: string;
  /** Emit this many issues (one every 7 events). */
  issues?: number;
  /** Throw after this many events (simulates a reader bug mid-file). */
  throwAt?: number;
  /** Events per batch (default 500). */
  batch?: number;
  /** Busy-work per event, to make an ingest slow enough to kill (iterations). */
  spin?: number;
}

export function writeFakeInput(path: string, spec: FakeSpec): void {
  const lines = [FAKE_MAGIC, ...Object.entries(spec).map(([k, v]) => `${k} ${String(v)}`)];
  writeFileSync(path, `${lines.join('\n')}\n`);
}

/** The channel/provider/id cycle: half RDP-related, a quarter in the baseline needs, a quarter neither. */
export const KINDS = [
  { channel: 'Microsoft-Windows-TerminalServices-RDPClient/Operational', provider: 'Microsoft-Windows-TerminalServices-ClientActiveXCore', id: 1024 },
  { channel: 'Microsoft-Windows-TerminalServices-RDPClient/Operational', provider: 'Microsoft-Windows-TerminalServices-ClientActiveXCore', id: 1026 },
  { channel: 'Security', provider: 'Microsoft-Windows-Security-Auditing', id: 4624 },
  { channel: 'Application', provider: 'Application Error', id: 1000 },
] as const;

/** Event i of a fake input: times one second apart from a seed-dependent start. */
export function synthEvent(i: number, seed: number, host: string, file: string): NormalizedEvent {
  const k = KINDS[i % KINDS.length]!;
  const t = new Date(Date.UTC(2024, 4, 1, 10, 0, 0) + seed * 3_600_000 + i * 1000);
  const e: NormalizedEvent = {
    time: `${t.toISOString().slice(0, 19)}.${String(i % 10_000_000).padStart(7, '0')}Z`,
    provider: k.provider,
    eventId: k.id,
    level: 4,
    recordId: i + 1,
    channel: k.channel,
    computer: host,
    data: { Index: String(i), Seed: String(seed), Text: `value "${i}" \\ 100%` },
    source: { file, format: 'evt-text', position: `line ${i + 2}`, offset: i * 100, fidelity: 'message-only' },
  };
  if (i % 2 === 0) e.activityId = `{00000000-0000-0000-0000-${String(seed * 1000 + Math.floor(i / 2)).padStart(12, '0')}}`;
  return e;
}

function parseSpec(text: string): Required<Omit<FakeSpec, 'throwAt'>> & { throwAt?: number } {
  const kv = new Map(
    text
      .split('\n')
      .slice(1)
      .filter(Boolean)
      .map((l) => [l.slice(0, l.indexOf(' ')), l.slice(l.indexOf(' ') + 1)] as const),
  );
  const num = (k: string, d: number): number => (kv.has(k) ? Number(kv.get(k)) : d);
  const spec = {
    count: num('count', 0),
    seed: num('seed', 0),
    host: kv.get('host') ?? 'CLIENT01',
    issues: num('issues', 0),
    batch: num('batch', 500),
    spin: num('spin', 0),
  };
  return kv.has('throwAt') ? { ...spec, throwAt: Number(kv.get('throwAt')) } : spec;
}

let sink = 0;

export const fakeReader: Reader = {
  format: 'evt-text',
  sniff: (head) => head.subarray(0, FAKE_MAGIC.length).toString('latin1') === FAKE_MAGIC,
  async *read(input, opts): ReadStream {
    const chunks: Buffer[] = [];
    for await (const c of input.open()) chunks.push(c as Buffer);
    const spec = parseSpec(Buffer.concat(chunks).toString('utf8'));
    const stats = emptyStats();
    let batch: ReadItem[] = [];
    let issues = 0;
    for (let i = 0; i < spec.count; i++) {
      if (spec.throwAt !== undefined && i === spec.throwAt) throw new Error(`fake reader failure at event ${i}`);
      for (let s = 0; s < spec.spin; s++) sink = (sink * 31 + s) | 0;
      const k = KINDS[i % KINDS.length]!;
      if (opts.filter && !opts.filter.wants(k.channel, k.provider, k.id)) {
        stats.filtered++;
      } else {
        batch.push({ kind: 'event', event: synthEvent(i, spec.seed, spec.host, input.name) });
        stats.read++;
      }
      if (issues < spec.issues && i % 7 === 3) {
        issues++;
        stats.skipped++;
        stats.skippedBy['fake.bad-line'] = (stats.skippedBy['fake.bad-line'] ?? 0) + 1;
        batch.push({ kind: 'issue', issue: { severity: 'error', code: 'fake.bad-line', message: `bad line ${i}`, file: input.name, line: i + 2 } });
      }
      if (batch.length >= spec.batch) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
    return stats;
  },
};

export const fakeReaderFor = (head: Buffer): Reader | undefined => (fakeReader.sniff(head, '') ? fakeReader : undefined);
