// analyze on big cases runs the analysis in a worker thread (src/cli/analysis.ts): the same bytes as
// in the main thread, and a heap that fills up is a clear error (exit 5), not a V8 abort.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../report/cli.js';
import { writeScenario } from '../report/scenario.js';
import { writeEvtx, type EvtxEventSpec } from '../support/evtx-writer/index.js';

const IN_WORKER = { RDPDOCTOR_ANALYSIS_WORKER_MIN_EVENTS: '0' };

let root: string;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'rdpdoctor-analysis-worker-'));
  writeScenario(root);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Failed network logons (4625 type 3), as a password-guessing run writes them: n events. */
function guessing(n: number): EvtxEventSpec[] {
  const out: EvtxEventSpec[] = [];
  const t0 = Date.parse('2024-05-01T10:00:00Z');
  for (let i = 0; i < n; i++) {
    out.push({
      provider: { name: 'Microsoft-Windows-Security-Auditing', guid: '{54849625-5478-4994-A5BA-3E3B0328C30D}' },
      eventId: 4625,
      level: 0,
      task: 12544,
      keywords: '0x8010000000000000',
      time: new Date(t0 + i * 250).toISOString(),
      channel: 'Security',
      computer: 'SRV01.contoso.local',
      payload: {
        kind: 'EventData',
        fields: [
          { name: 'SubjectUserSid', value: { type: 'sid', value: 'S-1-0-0' } },
          { name: 'TargetUserName', value: `user${i % 997}` },
          { name: 'TargetDomainName', value: 'CONTOSO' },
          { name: 'Status', value: { type: 'hex32', value: 0xc000006d } },
          { name: 'SubStatus', value: { type: 'hex32', value: 0xc000006a } },
          { name: 'LogonType', value: { type: 'uint32', value: 3 } },
          { name: 'LogonProcessName', value: 'NtLmSsp ' },
          { name: 'AuthenticationPackageName', value: 'NTLM' },
          { name: 'WorkstationName', value: `WS${i % 61}` },
          { name: 'IpAddress', value: `198.51.100.${i % 250}` },
          { name: 'IpPort', value: String(40000 + (i % 20000)) },
        ],
      },
    });
  }
  return out;
}

describe('analyze: the analysis thread', () => {
  it('writes the same JSON and text as the main thread, and keeps the same analysis in the case', () => {
    const args = ['analyze', 'client', 'server', '--ext', '7'];
    const here = runCli([...args, '--json', '--db', 'main.db'], root);
    const there = runCli([...args, '--json', '--db', 'worker.db'], root, IN_WORKER);
    expect(here.code, here.stderr).toBe(0);
    expect(there.code, there.stderr).toBe(0);
    expect(JSON.parse(there.stdout).attempts.length).toBe(3);
    expect(there.stdout).toBe(here.stdout);
    const text = runCli([...args, '--text', '--tz', 'Europe/Paris'], root);
    expect(runCli([...args, '--text', '--tz', 'Europe/Paris'], root, IN_WORKER).stdout).toBe(text.stdout);
    const stored = (db: string): string => runCli(['attempts', '--db', db, '--json'], root).stdout;
    expect(stored('worker.db')).toBe(stored('main.db'));
    expect(stored('worker.db')).toContain('server-denied');
    // Narrowed (after the comparison above: it replaces main.db's analysis): the query and the
    // filter list cross to the worker too.
    const narrow = ['analyze', '--db', 'main.db', '--since', '2024-05-01T14:00', '--until', '2024-05-01T14:10', '--tz', '+02:00', '--host', 'srv01', '--json'];
    const narrowHere = runCli(narrow, root);
    expect(narrowHere.code, narrowHere.stderr).toBe(0);
    expect(JSON.parse(narrowHere.stdout).summary.eventsAnalyzed).toBeGreaterThan(0);
    expect(runCli(narrow, root, IN_WORKER).stdout).toBe(narrowHere.stdout);
  });

  it('events that do not fit in its heap: exit 5 and one line saying what to do; the kept case still holds them', () => {
    const big = path.join(root, 'big.evtx');
    writeFileSync(big, writeEvtx(guessing(60_000)));
    const ingest = runCli(['ingest', big, '--db', 'big.db'], root);
    expect(ingest.code, ingest.stderr).toBe(0);
    // 16 MiB of old space: the main thread starts, the 60,000 events (about 45 MB) cannot be held.
    const r = runCli(['analyze', '--db', 'big.db', '--json'], root, { ...IN_WORKER, NODE_OPTIONS: '--max-old-space-size=16' });
    expect(r.code, r.stderr).toBe(5);
    expect(r.stdout).toBe('');
    const line = r.stderr.split('\n').find((l) => l.includes('do not fit in memory'));
    expect(line).toContain('the 60000 events to analyze do not fit in memory');
    expect(line).toContain('--since/--until/--host');
    expect(line).toContain('NODE_OPTIONS=--max-old-space-size=');
    expect(line).toContain('the case file big.db keeps what was ingested');
    expect(r.stderr).not.toMatch(/FATAL ERROR|at .*\.js:\d+|Native stack/);
    // Nothing lost: with the default heap the same case analyzes.
    const ok = runCli(['analyze', '--db', 'big.db', '--json'], root, IN_WORKER);
    expect(ok.code, ok.stderr).toBe(0);
    expect(JSON.parse(ok.stdout).summary.eventsStored).toBe(60_000);
  }, 120_000);
});
