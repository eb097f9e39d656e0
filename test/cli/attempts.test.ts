// A kept case: analyze --db, then attempts/show read it back; re-analysis and filters.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../report/cli.js';
import { writeScenario } from '../report/scenario.js';
import { writeEvtx } from '../support/evtx-writer/index.js';
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

describe('a kept case grows', () => {
  it('--host narrows to one host; inputs from earlier runs are listed as already in the case', () => {
    const host = runCli(['analyze', '--db', 'case.db', '--host', 'WS01', '--json'], root);
    expect(host.code, host.stderr).toBe(0);
    const h = JSON.parse(host.stdout) as { attempts: { client?: { host: string } }[]; summary: { eventsAnalyzed?: number } };
    expect(h.summary.eventsAnalyzed).toBe(5);
    expect(h.attempts.every((a) => a.client?.host === 'WS01.contoso.local')).toBe(true);

    writeFileSync(
      path.join(root, 'extra.evtx'),
      writeEvtx([
        {
          provider: { name: 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS', guid: '{1139C61B-B549-4251-8ED3-27250A1EDEC8}' },
          eventId: 131,
          time: '2024-05-01T16:00:00.0000000Z',
          channel: 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational',
          computer: 'SRV02.contoso.local',
          payload: { kind: 'EventData', fields: [{ name: 'ConnType', value: 'TCP' }, { name: 'ClientIP', value: '10.0.0.8:50000' }] },
        },
      ]),
    );
    // Added without analysis: attempts says the stored analysis is older than the case.
    const ing = runCli(['ingest', 'extra.evtx', '--db', 'case.db'], root);
    expect(ing.code, ing.stderr).toBe(0);
    const stale = runCli(['attempts', '--db', 'case.db'], root);
    expect(stale.code).toBe(0);
    expect(stale.stderr).toContain('sources were added to case.db after its last analysis');

    const grown = runCli(['analyze', 'extra.evtx', '--db', 'case.db', '--json'], root);
    expect(grown.code, grown.stderr).toBe(0);
    const g = JSON.parse(grown.stdout) as { inputs: { file: string; status: string; skipReason?: string }[]; attempts: unknown[] };
    expect(analyzeErrors(g)).toEqual([]);
    expect(g.inputs[0]).toMatchObject({ file: 'extra.evtx', status: 'already-in-case' });
    expect(g.inputs.slice(1).map((i) => [i.file, i.status, i.skipReason])).toEqual([
      ['client/RDPClient.evtx', 'already-in-case', 'in the case from an earlier run'],
      ['server/RdpCoreTS.evtx', 'already-in-case', 'in the case from an earlier run'],
      ['server/System.evtx', 'already-in-case', 'in the case from an earlier run'],
    ]);
    expect(g.attempts).toHaveLength(4);
    expect(runCli(['attempts', '--db', 'case.db'], root).stderr).not.toContain('after its last analysis');
  });
});
