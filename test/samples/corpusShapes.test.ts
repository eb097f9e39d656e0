// Sample events have the shapes of real Windows logs: for every provider/event id that also occurs
// in the real corpus (../shared/corpus/reference, evtxexport output of real .evtx files), our level
// and our data field names (in order, by the reference naming convention) equal one seen for real.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../scripts/scenarios/index.js';
import type { EvtxEventSpec } from '../support/evtx-writer/index.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const refDir = join(resolve(repoRoot, '../shared/corpus'), 'reference');
const present = existsSync(refDir);
if (!present) {
  if (process.env.CI === 'true') throw new Error(`corpus reference not found at ${refDir} (required in CI)`);
  console.warn(`samples/corpusShapes: corpus not found at ${refDir}; skipping the real-shape comparison`);
}

/** Where Windows versions differ from the corpus' (older) files: ours is the newer, documented form. */
const NEWER_FORM: Record<string, string> = {
  'Application Error|1000': 'Windows 11 writes named fields (AppName, …, PackageRelativeAppId); the corpus file is Windows 7 (Data[0]–Data[12])',
};

const key = (provider: string, id: number): string => `${provider}|${id}`;

function ourShape(e: EvtxEventSpec): string {
  const names = (e.payload?.fields ?? []).map((f, i) => f.name ?? `Data[${i}]`);
  if (e.payload?.kind === 'EventData' && e.payload.binary !== undefined) names.push('Binary');
  return JSON.stringify([e.level ?? 4, names]);
}

describe.skipIf(!present)('sample events match real Windows shapes', () => {
  const real = new Map<string, Set<string>>();
  if (present) {
    for (const f of readdirSync(refDir).filter((n) => n.endsWith('.jsonl.gz')).sort()) {
      for (const line of gunzipSync(readFileSync(join(refDir, f))).toString('utf8').split('\n')) {
        if (!line) continue;
        const o = JSON.parse(line) as { provider: string; eventId: number; level: number; data: Record<string, string> };
        const k = key(o.provider, o.eventId);
        if (!real.has(k)) real.set(k, new Set());
        real.get(k)!.add(JSON.stringify([o.level, Object.keys(o.data)]));
      }
    }
  }
  const ours = new Map<string, { shape: string; where: string }>();
  const conflicts: string[] = [];
  for (const s of SCENARIOS) {
    for (const { spec } of s.events) {
      const k = key(spec.provider.name, spec.eventId);
      const shape = ourShape(spec);
      const prev = ours.get(k);
      if (!prev) ours.set(k, { shape, where: s.id });
      else if (prev.shape !== shape) conflicts.push(`${k}: ${s.id} ${shape} vs ${prev.where} ${prev.shape}`);
    }
  }
  const compared = [...ours.keys()].filter((k) => real.has(k) && !NEWER_FORM[k]).sort();

  it('gives one provider/event id one shape in every scenario', () => {
    expect(conflicts).toEqual([]);
  });

  it('covers the RDP events the corpus has', () => {
    for (const k of ['Microsoft-Windows-RemoteDesktopServices-RdpCoreTS|131', 'Microsoft-Windows-TerminalServices-RemoteConnectionManager|1149', 'Microsoft-Windows-TerminalServices-LocalSessionManager|21', 'Microsoft-Windows-Security-Auditing|4624', 'Microsoft-Windows-Security-Auditing|4625', 'LsaSrv|6041']) {
      expect(compared).toContain(k);
    }
  });

  it.each(compared.map((k) => [k]))('%s', (k) => {
    expect([...real.get(k)!]).toContain(ours.get(k)!.shape);
  });
});
