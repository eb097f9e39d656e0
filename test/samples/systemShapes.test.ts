// The System element of sample events is written as Windows writes it for the same provider and
// event id: Version, Level, Task, Opcode, Keywords, Qualifiers, EventSourceName and the kind of
// Security/@UserID, compared with evtxexport's reading of the real RDP files in the corpus.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../scripts/scenarios/index.js';
import { canonicalGuid, type EvtxEventSpec } from '../support/evtx-writer/index.js';
import { parseEvtxexportXml, requireTool, run, type ExportedRecord } from './tools.js';

const corpus = resolve(import.meta.dirname, '../../../shared/corpus');
const FILES = [
  'esas__rdpcorets_148_mst120_bluekeep_rpdscan_full.evtx',
  'vraptor__RDPAuth_LocalSessionManager.evtx',
  'vraptor__RDPAuth_RemoteConnectionManager.evtx',
  'vraptor__RDPAuth_Security.evtx',
  'oevtx__2-vss_7-System.evtx',
  'e2m__ID4625-failed login with denied access due to account restriction.evtx',
];
const present = existsSync(corpus);
if (!present) {
  if (process.env.CI === 'true') throw new Error(`corpus not found at ${corpus} (required in CI)`);
  console.warn(`samples/systemShapes: corpus not found at ${corpus}; skipping the System-element comparison`);
}
const haveEvtxexport = present && requireTool('evtxexport', 'samples/systemShapes');

const sidKind = (sid: string | undefined): string => (sid === undefined ? 'none' : /^S-1-5-(18|19|20)$/.test(sid) ? sid : 'account');

interface Shape {
  version?: number;
  level: number;
  task: number;
  opcode?: number;
  keywords: string;
  qualifiers?: number;
  eventSourceName?: string;
  providerGuid?: string;
  user: string;
}

const fromExport = (r: ExportedRecord): Shape => ({
  version: r.version,
  level: r.level,
  task: r.task,
  opcode: r.opcode,
  keywords: r.keywords,
  qualifiers: r.qualifiers,
  eventSourceName: r.eventSourceName,
  providerGuid: r.providerGuid?.toUpperCase(),
  user: sidKind(r.userId),
});

const fromSpec = (e: EvtxEventSpec): Shape => ({
  version: e.provider.legacy ? undefined : (e.version ?? 0),
  level: e.level ?? 4,
  task: e.task ?? 0,
  opcode: e.provider.legacy ? undefined : (e.opcode ?? 0),
  keywords: `0x${(typeof e.keywords === 'bigint' ? e.keywords : BigInt(e.keywords ?? 0)).toString(16).padStart(16, '0')}`,
  qualifiers: e.qualifiers,
  eventSourceName: e.provider.eventSourceName,
  providerGuid: e.provider.guid ? canonicalGuid(e.provider.guid) : undefined,
  user: sidKind(e.userId),
});

describe.skipIf(!haveEvtxexport)('System element as Windows writes it', () => {
  const real = new Map<string, string[]>();
  for (const f of haveEvtxexport ? FILES : []) {
    const out = run('evtxexport', ['-f', 'xml', join(corpus, f)]).stdout;
    for (const r of parseEvtxexportXml(out)) {
      const k = `${r.provider}|${r.eventId}`;
      const shape = JSON.stringify(fromExport(r));
      const list = real.get(k) ?? [];
      if (!list.includes(shape)) list.push(shape);
      real.set(k, list);
    }
  }
  const ours = new Map<string, string>();
  for (const s of SCENARIOS) for (const { spec } of s.events) ours.set(`${spec.provider.name}|${spec.eventId}`, JSON.stringify(fromSpec(spec)));
  const compared = [...ours.keys()].filter((k) => real.has(k)).sort();

  it('compares the RDP server events', () => {
    expect(compared.length).toBeGreaterThanOrEqual(20);
  });

  it.each(compared.map((k) => [k]))('%s', (k) => {
    expect(real.get(k)).toContain(ours.get(k));
  });
});
