// analyze on real Windows logs from the shared corpus (../shared/corpus, never copied into the
// repo): the Velociraptor RDPAuth set (a server's LSM, RCM, Security and System logs, two of them
// cleared) and a real RdpCoreTS log. Skipped with a message when the corpus is absent; CI must have it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AnalysisDocument } from '../../src/model/report.js';
import { renderText } from '../../src/report/text.js';
import { runCli } from '../report/cli.js';
import { analyzeErrors } from '../report/validate.js';
import { repoRoot } from '../report/validate.js';

const corpus = path.resolve(repoRoot, '../shared/corpus');
const FILES = [
  'vraptor__RDPAuth_LocalSessionManager.evtx',
  'vraptor__RDPAuth_RemoteConnectionManager.evtx',
  'vraptor__RDPAuth_Security.evtx',
  'vraptor__RDPAuth_System.evtx',
  'esas__rdpcorets_148_mst120_bluekeep_rpdscan_full.evtx',
].map((f) => path.join(corpus, f));
const present = FILES.every((f) => existsSync(f));
if (!present) {
  if (process.env.CI === 'true') throw new Error(`corpus missing at ${corpus}: the corpus tests must run in CI`);
  console.warn(`analyze-corpus: ${corpus} not found; skipping the real-log tests`);
}

describe.skipIf(!present)('analyze on real corpus logs', () => {
  it('reads them all, builds attempts, reports the cleared logs, and stays schema-valid and deterministic', () => {
    const a = runCli(['analyze', ...FILES, '--json', '--quiet'], repoRoot);
    expect(a.code, a.stderr).toBe(0);
    const doc = JSON.parse(a.stdout) as AnalysisDocument;
    expect(analyzeErrors(doc)).toEqual([]);
    expect(doc.summary.files).toMatchObject({ seen: 5, read: 5, skipped: 0 });
    expect(doc.summary.attempts.total).toBeGreaterThan(0);
    const cleared = doc.findings.filter((f) => f.kind === 'log-cleared').map((f) => f.details['clearedLog']);
    expect(cleared.sort()).toEqual(['Security', 'System']);
    expect(a.stderr).toMatch(/rdpdoctor: files: 5 seen, 5 read, 0 skipped/);
    const b = runCli(['analyze', ...FILES, '--json', '--quiet'], repoRoot);
    expect(b.stdout).toBe(a.stdout);
    // The text report of real data holds no control characters but newlines.
    expect(renderText(doc)).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });
});
