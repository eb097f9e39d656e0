// Reads a scenario sample folder (samples/<name>/{client,server}/…) with the registered readers,
// without a case file, and returns what correlation needs. Row ids follow the reading order.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import '../../src/parsers/all.js';
import { discover, readHead } from '../../src/ingest/discover.js';
import type { ContextRecord } from '../../src/model/event.js';
import type { StoredEvent } from '../../src/model/stages.js';
import { readerFor } from '../../src/parsers/registry.js';

export interface SampleExpectation {
  client?: string;
  target?: string;
  start: string;
  outcome: string;
  rootCause: string;
  disconnectReason?: number;
  extendedReason?: number;
}

/**
 * The zone of local-time inputs (RDCMan logs): as the sample's README states it ("UTC+01:00"),
 * else +01:00, the offset scripts/scenarios writes every RDCMan log with.
 */
export function sampleZone(dir: string): string {
  try {
    return /UTC([+-]\d\d:\d\d)/.exec(readFileSync(join(dir, 'README.md'), 'utf8'))?.[1] ?? '+01:00';
  } catch {
    return '+01:00';
  }
}

/** Codes the sample's notes tell the user to give (`--code 0x904 --ext 0x7`). */
export function sampleUserCodes(notes: string | undefined): { disconnectReason?: number; extendedReason?: number } | undefined {
  const code = /--code (0x[0-9a-f]+|\d+)/i.exec(notes ?? '')?.[1];
  const ext = /--ext (0x[0-9a-f]+|\d+)/i.exec(notes ?? '')?.[1];
  if (!code && !ext) return undefined;
  const n = (v: string): number => (v.startsWith('0x') ? parseInt(v.slice(2), 16) : Number(v));
  return { ...(code ? { disconnectReason: n(code) } : {}), ...(ext ? { extendedReason: n(ext) } : {}) };
}

export async function readSample(dir: string): Promise<{ events: StoredEvent[]; contexts: ContextRecord[] }> {
  const events: StoredEvent[] = [];
  const contexts: ContextRecord[] = [];
  const zone = sampleZone(dir);
  const found = discover([join(dir, 'client'), join(dir, 'server'), join(dir, 'gateway')].filter((p) => {
    try {
      readHead(p);
      return false;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EISDIR';
    }
  }));
  for (const input of found.inputs) {
    const reader = readerFor(readHead(input.path!), input.name);
    if (!reader) continue;
    const it = reader.read(input, { sourceTz: zone });
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      for (const item of r.value) {
        if (item.kind === 'event') events.push({ ...item.event, rowId: events.length + 1 });
        else if (item.kind === 'context') contexts.push(item.context);
      }
    }
  }
  return { events, contexts };
}
