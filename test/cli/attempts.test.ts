// A kept case: analyze --db, then attempts/show read it back; re-analysis and filters.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../report/cli.js';
import { writeScenario } from '../report/scenario.js';
import { analyzeErrors, attemptErrors } from '../report/validate.js';

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'rdpdoctor-attempts-'));
  writeScenario(root);
  const r = runCli(['analyze', 'client', 'server', '--db', 'case.db', '--ext', '7', '--json'], root);
  if (r.code !== 0) throw new Error(`analyze --db failed: ${r.stderr}`);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('attempts', () => {
  it('lists every attempt, one line each, with codes and root cause', () => {
    const r = runCli(['attempts', '--db', 'case.db', '--tz', 'UTC'], root);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^2024-05-01 12:06:33\.654 \+00:00 {2}failed +0x904\/0x7 +WS01\.contoso\.local .* server-denied {2}\[att-/);
    expect(r.stderr).toContain('3 attempt(s) of 3 in case.db');
  });

  it('--failed --json gives schema-valid attempts only of the failed ones', () => {
    const r = runCli(['attempts', '--db', 'case.db', '--failed', '--json'], root);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { schemaVersion: string; attempts: { outcome: string }[] };
    expect(out.schemaVersion).toBe('1.0.0');
    expect(out.attempts.length).toBe(2);
    for (const a of out.attempts) {
      expect(a.outcome).toBe('failed');
      expect(attemptErrors(a)).toEqual([]);
    }
  });

  it('exit 4 on a case that does not exist or was never analyzed', () => {
    expect(runCli(['attempts', '--db', 'nope.db'], root).code).toBe(4);
    const fresh = runCli(['ingest', 'client', '--db', 'ingested-only.db'], root);
    if (fresh.code === 0) {
      const r = runCli(['attempts', '--db', 'ingested-only.db'], root);
      expect(r.code).toBe(4);
      expect(r.stderr).toContain('holds no analysis yet');
    }
  });

  it('re-analysis of the kept case with no paths gives the same attempts; filters narrow it', () => {
    const again = runCli(['analyze', '--db', 'case.db', '--ext', '7', '--json'], root);
    expect(again.code, again.stderr).toBe(0);
    const doc = JSON.parse(again.stdout) as { attempts: { id: string }[] };
    expect(analyzeErrors(doc)).toEqual([]);
    expect(doc.attempts).toHaveLength(3);
    const narrow = runCli(['analyze', '--db', 'case.db', '--since', '2024-05-01T14:20', '--until', '2024-05-01T14:40', '--tz', '+02:00', '--json'], root);
    expect(narrow.code, narrow.stderr).toBe(0);
    const n = JSON.parse(narrow.stdout) as { attempts: { start: string }[]; summary: { eventsAnalyzed?: number; eventsStored: number } };
    expect(n.attempts.map((a) => a.start.slice(0, 16))).toEqual(['2024-05-01T12:30']);
    expect(n.summary.eventsAnalyzed).toBe(3);
    expect(n.summary.eventsStored).toBe(11);
  });
});
