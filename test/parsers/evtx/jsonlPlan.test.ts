// The compiled-template JSONL path (jsonlPlan.ts) against the generic one, on every corpus file:
// the lines `dump` writes must be eventJson of the events the Reader builds, byte for byte, and
// the counts the same. The parity tests check those events against the references.
import { readdirSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fileSource } from '../../../src/ingest/discover.js';
import type { Template, XElement, XNode, XSubst } from '../../../src/parsers/evtx/binxml/ir.js';
import { Kind } from '../../../src/parsers/evtx/binxml/tokens.js';
import { eventJson } from '../../../src/parsers/evtx/jsonl.js';
import { planOf, userDataPlanOf } from '../../../src/parsers/evtx/jsonlPlan.js';
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

describe('UserData plans', () => {
  // Templates written as the parser builds them: Windows puts most UserData in an embedded BinXML
  // substitution (`<UserData>%n</UserData>`) whose own template holds the wrapper and its leaves.
  const el = (name: string, children: XNode[] = []): XElement => ({ k: Kind.Element, name, attrs: [], children });
  const sub = (index: number): XSubst => ({ k: Kind.Subst, index, type: 1, optional: false });
  const text = (t: string): XNode => ({ k: Kind.Text, text: t });
  const template = (nodes: XNode[]): Template => ({ offset: 0, guid: '', nodes });

  it('compiles <UserData>%n</UserData> to its substitution, and the embedded wrapper to one key per leaf', () => {
    const plan = planOf(template([el('Event', [el('System', [el('EventID', [sub(0)])]), el('UserData', [sub(5)])])]));
    const part = plan?.parts[0];
    expect(typeof part === 'object' && part.inner).toBe(5);
    const ops = userDataPlanOf(template([el('EventXML', [el('User', [sub(0)]), el('SessionID', [sub(1)]), el('Address', [text('local')])])]));
    expect(ops?.map((o) => [o.key, o.subst?.index ?? null, o.leaf])).toEqual([
      ['User', 0, true],
      ['SessionID', 1, true],
      ['Address', null, true],
    ]);
    // A wrapper without child elements is itself the value (readUserData's rule).
    expect(userDataPlanOf(template([el('ServiceShutdown')]))?.map((o) => o.key)).toEqual(['ServiceShutdown']);
  });

  it('leaves to the general path what could grow elements per record or repeat a key', () => {
    const nested = el('EventXML', [el('Outer', [el('Inner', [sub(0)])])]);
    const beside = el('EventXML', [el('User', [sub(0)]), sub(1)]);
    const mixed = el('EventXML', [el('User', [text('a'), sub(0)])]);
    const twice = el('EventXML', [el('User', [sub(0)]), el('User', [sub(1)])]);
    for (const w of [nested, beside, mixed, twice]) expect(userDataPlanOf(template([w])), w.children.length.toString()).toBeNull();
    expect(userDataPlanOf(template([sub(0)]))).toBeNull();
  });
});
