// analyze end to end on a synthetic client+server case written as real .evtx files: outputs valid
// against the schemas, golden bytes, determinism, counts on stderr, sanitizing, exit codes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, runCli } from '../report/cli.js';
import { expectGolden } from '../report/golden.js';
import { writeScenario } from '../report/scenario.js';
import { analyzeErrors, ndjsonErrors } from '../report/validate.js';

let root: string;
const ARGS = ['client', 'server', 'notes.txt', '--code', '0x904', '--ext', '7'];
/** The --json run most tests read (each CLI run costs a process start). */
let first: CliResult;

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'rdpdoctor-analyze-'));
  writeScenario(root);
  first = runCli(['analyze', ...ARGS, '--json'], root);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('analyze --json', () => {
  it('prints one schema-valid document on stdout, counts on stderr, exit 0', () => {
    const r = first;
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as { summary: Record<string, unknown>; attempts: { rootCause: string; codes: unknown }[]; inputs: { file: string }[] };
    expect(analyzeErrors(doc)).toEqual([]);
    expect(doc.inputs.map((i) => i.file)).toEqual(['client/RDPClient.evtx', 'server/RdpCoreTS.evtx', 'server/System.evtx', 'notes.txt']);
    expect(doc.attempts.some((a) => a.rootCause === 'server-denied')).toBe(true);
    expect(r.stderr).toContain('rdpdoctor: files: 4 seen, 3 read, 1 skipped (format not recognised: 1)');
    expect(r.stderr).toMatch(/rdpdoctor: records: 11 parsed, 0 recovered, 0 unreadable and skipped, 0 filtered out/);
    expect(r.stderr).toMatch(/rdpdoctor: events stored: 11; attempts built: 3/);
    expect(r.stderr).toMatch(/rdpdoctor: rules evaluated: \d+/);
    expectGolden('scenario.golden.json', r.stdout);
  });

  it('is byte-identical from run to run and carries no temp paths', () => {
    const a = first;
    const b = runCli(['analyze', ...ARGS, '--json'], root);
    expect(b.stdout).toBe(a.stdout);
    expect(a.stdout).not.toContain(root);
    expect(a.stdout).not.toMatch(/rdpdoctor-case-/);
  });

  it('reports the evidence findings: record gap, cleared log, malformed text, missing channels', () => {
    const doc = JSON.parse(first.stdout) as { findings: { kind: string; details: Record<string, unknown> }[] };
    const kinds = doc.findings.map((f) => f.kind);
    expect(kinds).toContain('log-cleared');
    expect(kinds).toContain('missing-channel');
    expect(doc.findings.find((f) => f.kind === 'record-gap')?.details).toMatchObject({ gaps: 1, missing: 7, ranges: '503-509' });
    expect(doc.findings.some((f) => f.kind === 'other' && /malformed UTF-16/.test(JSON.stringify(f)))).toBe(true);
  });
});

describe('analyze --ndjson', () => {
  it('prints lines that each parse and validate, ending with the summary', () => {
    const r = runCli(['analyze', ...ARGS, '--ndjson'], root);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.pop()).toBe('');
    for (const l of lines) expect(ndjsonErrors(JSON.parse(l)), l).toEqual([]);
    const types = lines.map((l) => (JSON.parse(l) as { rdpdoctor: { type: string } }).rdpdoctor.type);
    expect(types.filter((t) => t === 'attempt')).toHaveLength(3);
    expect(types[types.length - 1]).toBe('summary');
    expectGolden('scenario.golden.ndjson', r.stdout);
  });
});

describe('analyze text report', () => {
  it('is the default when stdout is not a terminal, with times in --tz and hostile data neutralised', () => {
    const r = runCli(['analyze', ...ARGS, '--tz', 'Europe/Paris'], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('Time:      2024-05-01 14:06:33.654 +02:00 to 2024-05-01 14:06:35.100 +02:00');
    expect(r.stdout).toContain('Likely:    server-denied');
    expect(r.stdout).toContain('evil\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07\\x9b31m\\u202etxt.exe');
    // ESC [ 2 J, OSC 52, BEL, C1 and bidi controls never reach the terminal, from stdout or stderr.
    for (const out of [r.stdout, r.stderr]) expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expectGolden('scenario.golden.txt', r.stdout);
  });

  it('--text with a fixed offset', () => {
    const r = runCli(['analyze', ...ARGS, '--text', '--tz', '-05:30'], root);
    expect(r.stdout).toContain('Time:      2024-05-01 06:36:33.654 -05:30');
  });
});

describe('analyze exit codes', () => {
  it('2 for usage errors', () => {
    expect(runCli(['analyze'], root).code).toBe(2);
    expect(runCli(['analyze', 'client', '--tz', 'Mars/Olympus'], root).code).toBe(2);
    expect(runCli(['analyze', 'client', '--json', '--ndjson'], root).code).toBe(2);
    const reversed = runCli(['analyze', 'client', '--since', '2024-05-02', '--until', '2024-05-01'], root);
    expect(reversed.code).toBe(2);
    expect(reversed.stderr).toContain('--since 2024-05-02 is after --until 2024-05-01');
    expect(runCli(['analyze', 'client', '--rules', 'no-such-folder'], root).code).toBe(2);
    const bad = runCli(['analyze', 'client', '--code', 'zz'], root);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"zz" is not a code');
  });

  it('3 when no input can be read, still printing the counts and why', () => {
    const r = runCli(['analyze', 'notes.txt', '--json'], root);
    expect(r.code).toBe(3);
    expect(analyzeErrors(JSON.parse(r.stdout))).toEqual([]);
    expect(r.stderr).toContain('files: 1 seen, 0 read, 1 skipped (format not recognised: 1)');
    expect(r.stderr).toMatch(/no attempts: None of the 1 input file\(s\) could be read/);
    expect(runCli(['analyze', 'does-not-exist'], root).code).toBe(3);
  });

  it('4 for a case file that cannot be used', () => {
    const notDb = runCli(['analyze', 'client', '--db', 'notes.txt'], root);
    expect(notDb.code).toBe(4);
    expect(notDb.stderr).toContain('case file notes.txt');
    expect(runCli(['analyze', '--db', 'missing.db'], root).code).toBe(4);
  });

  it('0 with zero attempts, saying why and what to collect', () => {
    const r = runCli(['analyze', 'server/System.evtx', '--json'], root);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { summary: { noAttemptsReason?: string } };
    expect(doc.summary.noAttemptsReason).toMatch(/No RDPClient\/Operational or RdpCoreTS\/Operational events/);
    expect(r.stderr).toMatch(/no attempts: No RDPClient/);
  });
});
