// Test helper: drains a reader into events, contexts, issues and the final stats.
import { readFileSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import type { ContextRecord, NormalizedEvent } from '../../../src/model/event.js';
import type { ParseIssue } from '../../../src/model/issue.js';
import type { InputSource, Reader, ReadOptions, SourceStats } from '../../../src/parsers/types.js';
import { fileSource } from '../../../src/ingest/discover.js';

export interface Collected {
  events: NormalizedEvent[];
  contexts: ContextRecord[];
  issues: ParseIssue[];
  stats: SourceStats;
}

export async function collect(reader: Reader, input: InputSource, opts: ReadOptions = {}): Promise<Collected> {
  const out: Collected = { events: [], contexts: [], issues: [], stats: { read: 0, recovered: 0, skipped: 0, filtered: 0, skippedBy: {} } };
  const it = reader.read(input, opts);
  for (;;) {
    const r = await it.next();
    if (r.done) {
      out.stats = r.value;
      break;
    }
    for (const item of r.value) {
      if (item.kind === 'event') out.events.push(item.event);
      else if (item.kind === 'context') out.contexts.push(item.context);
      else out.issues.push(item.issue);
    }
  }
  return out;
}

/** An in-memory input, delivered in chunks of `chunk` bytes (to exercise chunk boundaries). */
export function memorySource(name: string, data: Buffer | string, chunk = 1 << 16): InputSource {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  return {
    name,
    size: buf.length,
    open: () => {
      const parts: Buffer[] = [];
      for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk));
      return Readable.from(parts);
    },
  };
}

export const FIXTURES = new URL('../../fixtures/inputs/', import.meta.url).pathname;

export function fixture(name: string): InputSource {
  const p = `${FIXTURES}${name}`;
  return { ...fileSource(p, statSync(p).size), name: `inputs/${name}` };
}

export function fixtureBytes(name: string): Buffer {
  return readFileSync(`${FIXTURES}${name}`);
}

/** UTF-16 with BOM from a UTF-8 text (fixtures are committed as UTF-8; tests derive the rest). */
export function utf16(text: string, be = false): Buffer {
  const le = Buffer.from(`\ufeff${text}`, 'utf16le');
  if (!be) return le;
  const out = Buffer.alloc(le.length);
  for (let i = 0; i + 1 < le.length; i += 2) {
    out[i] = le[i + 1]!;
    out[i + 1] = le[i]!;
  }
  return out;
}
