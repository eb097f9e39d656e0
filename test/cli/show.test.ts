import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../report/cli.js';
import { writeScenario } from '../report/scenario.js';
import { attemptErrors } from '../report/validate.js';

let root: string;
let failedId: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'rdpdoctor-show-'));
  writeScenario(root);
  const r = runCli(['analyze', 'client', 'server', '--db', 'case.db', '--code', '2308', '--ext', '0x7', '--json'], root);
  if (r.code !== 0) throw new Error(`analyze --db failed: ${r.stderr}`);
  failedId = (JSON.parse(r.stdout) as { attempts: { id: string; rootCause: string }[] }).attempts.find((a) => a.rootCause === 'server-denied')!.id;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('show', () => {
  it('prints one attempt in full: codes, causes with evidence, every event with file and record', () => {
    const r = runCli(['show', failedId, '--db', 'case.db', '--tz', 'Asia/Kolkata'], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`== Attempt (failed): ${failedId} ==`);
    expect(r.stdout).toContain('Time:      2024-05-01 17:36:33.654 +05:30');
    expect(r.stdout).toMatch(/Codes: +0x904 \(2308\) .*extended 0x7 \(7\)/);
    expect(r.stdout).toMatch(/Events \(\d+\):\n {2}client WS01\.contoso\.local RDPClient\/Operational 1024 at .* client\/RDPClient\.evtx chunk 0 record 100/);
    expect(r.stdout).toContain('server SRV01.contoso.local RdpCoreTS/Operational 131');
  });

  it('accepts a unique id prefix, and --json is a schema-valid attempt', () => {
    const r = runCli(['show', failedId.slice(0, 8), '--db', 'case.db', '--json'], root);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { schemaVersion: string; attempt: { id: string } };
    expect(out.attempt.id).toBe(failedId);
    expect(attemptErrors(out.attempt)).toEqual([]);
  });

  it('exit 2 for an unknown or ambiguous id, 4 for a missing case', () => {
    const unknown = runCli(['show', 'no-such-attempt', '--db', 'case.db'], root);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no attempt "no-such-attempt" in case.db');
    expect(runCli(['show', 'att-', '--db', 'case.db'], root).code).toBe(2);
    expect(runCli(['show', failedId, '--db', 'missing.db'], root).code).toBe(4);
  });

  it('has --help with examples', () => {
    const r = runCli(['show', '--help'], root);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Examples:');
  });
});
