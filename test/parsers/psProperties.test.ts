// The positional name tables must match the field order of real records: every corpus reference
// record of a tabled (provider, id) must list its data keys in exactly the table's order.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { hasPropertyTable, propertyName } from '../../src/parsers/psProperties.js';

const corpus = resolve(new URL('.', import.meta.url).pathname, '../../../shared/corpus');
const refDir = resolve(corpus, 'reference');
const have = existsSync(refDir);
if (!have) {
  if (process.env.CI === 'true') throw new Error(`corpus not found at ${corpus}`);
  console.warn(`skipping psProperties corpus check: corpus not found at ${corpus}`);
}

describe.skipIf(!have)('psProperties tables against the corpus reference', () => {
  it('name every tabled event field in manifest order', () => {
    const checked = new Map<string, number>();
    for (const f of readdirSync(refDir).filter((n) => n.endsWith('.jsonl.gz')).sort()) {
      const lines = gunzipSync(readFileSync(resolve(refDir, f))).toString('utf8').split('\n');
      for (const l of lines) {
        if (!l) continue;
        const r = JSON.parse(l) as { provider: string; eventId: number; record: number; data: Record<string, string> };
        if (!hasPropertyTable(r.provider, r.eventId)) continue;
        const keys = Object.keys(r.data);
        // Records without data (e.g. templates that failed upstream) say nothing about order.
        if (keys.length === 0) continue;
        const names = keys.map((_, i) => propertyName(r.provider, r.eventId, i, keys.length));
        expect(names, `${f} record ${r.record} (${r.provider} ${r.eventId})`).toEqual(keys);
        const k = `${r.provider}|${r.eventId}`;
        checked.set(k, (checked.get(k) ?? 0) + 1);
      }
    }
    // The RDP and logon events the catalogue reads are all confirmed by real records.
    for (const k of [
      'Microsoft-Windows-TerminalServices-RemoteConnectionManager|1149',
      'Microsoft-Windows-TerminalServices-LocalSessionManager|21',
      'Microsoft-Windows-TerminalServices-LocalSessionManager|25',
      'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS|131',
      'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS|140',
      'Microsoft-Windows-Security-Auditing|4624',
      'Microsoft-Windows-Security-Auditing|4625',
      'Microsoft-Windows-Security-Auditing|4778',
    ]) {
      expect(checked.get(k) ?? 0, k).toBeGreaterThan(0);
    }
  });
});
