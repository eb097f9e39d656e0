// The sample exports are in the formats the tool reads: every .rdp, .rdg and RDCMan log is
// recognised by content by the registered readers without issues, and carries what the scenario
// says (target, gateway, authentication level; RDCMan disconnect codes at the expected times).
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSource, readHead } from '../../src/ingest/discover.js';
import type { ContextRecord, NormalizedEvent } from '../../src/model/event.js';
import type { ParseIssue } from '../../src/model/issue.js';
import '../../src/parsers/all.js';
import { readerFor } from '../../src/parsers/registry.js';
import { planExports } from '../../scripts/make-samples.js';
import { SCENARIOS } from '../../scripts/scenarios/index.js';
import { isoToFiletime } from '../support/evtx-writer/index.js';

const samplesDir = resolve(import.meta.dirname, '../../samples');

async function read(path: string, sourceTz?: string): Promise<{ format: string; events: NormalizedEvent[]; contexts: ContextRecord[]; issues: ParseIssue[] }> {
  const reader = readerFor(readHead(path), path);
  if (!reader) throw new Error(`${path}: no reader recognises it`);
  const out = { format: reader.format, events: [] as NormalizedEvent[], contexts: [] as ContextRecord[], issues: [] as ParseIssue[] };
  const it = reader.read(fileSource(path, statSync(path).size), sourceTz ? { sourceTz } : {});
  for (;;) {
    const n = await it.next();
    if (n.done) break;
    for (const item of n.value) {
      if (item.kind === 'event') out.events.push(item.event);
      else if (item.kind === 'context') out.contexts.push(item.context);
      else out.issues.push(item.issue);
    }
  }
  return out;
}

const cases = SCENARIOS.flatMap((s) => planExports(s).map((x) => [`${s.id}/${x.path}`, s, x] as const));

describe('sample exports read by the tool', () => {
  it('exist in the scenarios that need them', () => {
    const kinds = new Set(cases.map(([name]) => name.replace(/^.*\.(rdp|rdg|log)$/, '$1')));
    expect([...kinds].sort()).toEqual(['log', 'rdg', 'rdp']);
  });

  it.each(cases)('%s', async (name, s, x) => {
    const path = join(samplesDir, s.id, x.path);
    const got = await read(path, s.expected.sourceTz);
    expect(got.issues).toEqual([]);
    const text = Buffer.isBuffer(x.content) ? x.content.subarray(2).toString('utf16le') : x.content;
    if (name.endsWith('.rdp')) {
      expect(got.format).toBe('rdp');
      const full = /^full address:s:(.*)$/m.exec(text)![1]!.trim();
      expect(got.contexts).toHaveLength(1);
      expect(got.contexts[0]!.target).toBe(full);
      expect(got.contexts[0]!.settings['gatewayusagemethod']).toBe(/^gatewayusagemethod:i:(\d)/m.exec(text)![1]);
      expect(got.contexts[0]!.settings['authentication level']).toBe(/^authentication level:i:(\d)/m.exec(text)![1]);
    } else if (name.endsWith('.rdg')) {
      expect(got.format).toBe('rdg');
      const names = [...text.matchAll(/<name>([^<]+)<\/name>\s*<comment>/g)].map((m) => m[1]);
      expect(got.contexts.map((c) => c.target)).toEqual(names);
    } else {
      expect(got.format).toBe('rdcman-log');
      // Every expected attempt with an extended code has its OnDisconnected, at the client's time (to the second).
      for (const a of s.expected.attempts.filter((e) => e.extendedReason !== undefined)) {
        const d = got.events.find((e) => e.eventId === 3 && e.data.ExtendedReason === String(a.extendedReason) && e.data.DiscReason === String(a.disconnectReason));
        expect(d, `${name}: ${a.start}`).toBeDefined();
        const c = got.events.find((e) => e.eventId === 1 && Math.abs(Number(isoToFiletime(e.time) - isoToFiletime(a.start))) < 10_000_000);
        expect(c?.data.Server, `${name}: OnConnecting at ${a.start}`).toBe(a.target);
      }
    }
  });
});
