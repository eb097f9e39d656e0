// Shared by the evtx tests: where the real corpus lives (never copied into the repo) and a helper
// that reads a whole input through the Reader.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { it } from 'vitest';
import type { NormalizedEvent } from '../../../src/model/event.js';
import type { ParseIssue } from '../../../src/model/issue.js';
import { fileSource } from '../../../src/ingest/discover.js';
import { evtxReader } from '../../../src/parsers/evtx/reader.js';
import type { InputSource, ReadOptions, SourceStats } from '../../../src/parsers/types.js';
import { Readable } from 'node:stream';

export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** RDPDOCTOR_CORPUS overrides the location (e.g. to check the skip/fail behaviour). */
export const corpusDir = process.env.RDPDOCTOR_CORPUS ?? path.resolve(repoRoot, '../shared/corpus');
export const haveCorpus = existsSync(path.join(corpusDir, 'reference', 'INDEX.tsv'));

/** A visible skip when the corpus is absent, and a failure in CI. */
export function corpusPresenceTest(): void {
  if (!haveCorpus) console.warn(`evtx corpus tests skipped: ${corpusDir} not found`);
  it('has the corpus when running in CI', () => {
    if (process.env.CI === 'true' && !haveCorpus) throw new Error(`evtx corpus missing at ${corpusDir}`);
  });
}

export function corpusFile(name: string): string {
  return path.join(corpusDir, name);
}

export interface ReadResult {
  events: NormalizedEvent[];
  issues: ParseIssue[];
  stats: SourceStats;
}

export async function readSource(src: InputSource, opts: ReadOptions = {}): Promise<ReadResult> {
  const out: ReadResult = { events: [], issues: [], stats: undefined as unknown as SourceStats };
  const it = evtxReader.read(src, opts);
  for (;;) {
    const r = await it.next();
    if (r.done) {
      out.stats = r.value;
      return out;
    }
    for (const x of r.value) {
      if (x.kind === 'event') out.events.push(x.event);
      else if (x.kind === 'issue') out.issues.push(x.issue);
    }
  }
}

export function readFile(p: string, opts: ReadOptions = {}): Promise<ReadResult> {
  return readSource(fileSource(p, statSync(p).size), opts);
}

/** An in-memory input without a path: exercises the stream path of the reader. */
export function bufferSource(name: string, buf: Buffer): InputSource {
  return { name, size: buf.length, open: () => Readable.from([buf]) };
}

export interface RefRecord {
  record: number | string | null;
  time: string;
  provider: string;
  eventId: number;
  level: number | null;
  channel: string | null;
  computer: string;
  data: Record<string, string>;
}

export function readReference(file: string): RefRecord[] {
  const text = gunzipSync(readFileSync(path.join(corpusDir, 'reference', `${file}.jsonl.gz`))).toString('utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as RefRecord);
}

export interface IndexRow {
  file: string;
  source: 'evtxexport' | 'python-evtx' | 'evtx-rs';
  records: number;
}

export function readIndex(): IndexRow[] {
  const lines = readFileSync(path.join(corpusDir, 'reference', 'INDEX.tsv'), 'utf8').trim().split('\n');
  return lines.slice(1).map((l) => {
    const c = l.split('\t');
    return { file: c[0]!, source: c[1] as IndexRow['source'], records: Number(c[2]) };
  });
}
