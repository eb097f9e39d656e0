// analyze on every bundled scenario (samples/<id>/: client/ and server/ logs plus expected.json):
// the JSON document byte for byte against test/golden/samples/<id>.golden.json, valid against the
// schema; the text report and NDJSON rendered from that same document; and the diagnosis against
// the scenario's expected.json. UPDATE_GOLDEN=1 rewrites the golden files.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnalysisDocument } from '../../src/model/report.js';
import { ndjsonLines } from '../../src/report/ndjson.js';
import { renderText } from '../../src/report/text.js';
import { parseZone } from '../../src/report/time.js';
import { type CliResult, inParallel, runCliAsync } from '../report/cli.js';
import { expectGolden } from '../report/golden.js';
import { analyzeErrors, ndjsonErrors, repoRoot } from '../report/validate.js';

const samplesDir = path.join(repoRoot, 'samples');
const ids = existsSync(samplesDir)
  ? readdirSync(samplesDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(path.join(samplesDir, d.name, 'expected.json')))
      .map((d) => d.name)
      .sort()
  : [];
if (ids.length === 0) console.warn('analyze-samples: no samples/<scenario>/expected.json found; skipping the sample goldens');

interface Expected {
  attempts: { outcome: string; rootCause: string; disconnectReason?: number; extendedReason?: number }[];
  /** Zone of local times in the scenario's text logs: given as --source-tz, as a user would. */
  sourceTz?: string;
  /** What the user read from the error dialog: given as --code/--ext. */
  userCodes?: { disconnectReason?: number; extendedReason?: number };
}

const expectedOf = (id: string): Expected => JSON.parse(readFileSync(path.join(samplesDir, id, 'expected.json'), 'utf8')) as Expected;

/** The command line a user would type for this scenario, from what its expected.json says they know. */
export function sampleArgs(id: string): string[] {
  const e = expectedOf(id);
  const args = ['analyze', `samples/${id}`, '--json', '--quiet'];
  if (e.sourceTz) args.push('--source-tz', e.sourceTz);
  if (e.userCodes?.disconnectReason !== undefined) args.push('--code', `0x${e.userCodes.disconnectReason.toString(16)}`);
  if (e.userCodes?.extendedReason !== undefined) args.push('--ext', `0x${e.userCodes.extendedReason.toString(16)}`);
  return args;
}

// One CLI run per scenario, a few at a time: each is a separate case (attempts must not mix).
const runs = new Map<string, CliResult>();
beforeAll(async () => {
  const results = await inParallel(
    ids.map((id) => () => runCliAsync(sampleArgs(id), repoRoot)),
    3,
  );
  ids.forEach((id, i) => runs.set(id, results[i] as CliResult));
});

describe.skipIf(ids.length === 0).each(ids.map((id) => [id]))('samples/%s', (id) => {
  let doc: AnalysisDocument;

  it('analyze --json: exit 0, valid against the schema, golden bytes', () => {
    const r = runs.get(id) as CliResult;
    expect(r.code, r.stderr).toBe(0);
    doc = JSON.parse(r.stdout) as AnalysisDocument;
    expect(analyzeErrors(doc)).toEqual([]);
    expect(r.stderr).toMatch(/rdpdoctor: files: \d+ seen, \d+ read, \d+ skipped/);
    expectGolden(`samples/${id}.golden.json`, r.stdout);
  });

  it('text report and NDJSON of the same document', () => {
    expectGolden(`samples/${id}.golden.txt`, renderText(doc, { zone: parseZone('Europe/Paris')! }));
    for (const l of ndjsonLines(doc)) expect(ndjsonErrors(JSON.parse(l)), l).toEqual([]);
  });

  it('diagnoses what expected.json says (outcome and root cause of every attempt)', () => {
    const exp = expectedOf(id);
    const key = (a: { outcome: string; rootCause: string }): string => `${a.outcome}:${a.rootCause}`;
    const got = doc.attempts.filter((a) => !a.preconnect).map(key).sort();
    expect(got).toEqual(exp.attempts.map(key).sort());
  });
});

describe.skipIf(ids.length === 0)('analyze samples/ (the README quick start: every scenario in one case)', () => {
  it('reads every log, skips the READMEs and expected.json with a reason, and still finds each scenario cause', async () => {
    const r = await runCliAsync(['analyze', 'samples', '--source-tz', '+01:00', '--json', '--quiet'], repoRoot);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as AnalysisDocument;
    expect(analyzeErrors(doc)).toEqual([]);
    // Each scenario folder holds README.md and expected.json besides its logs.
    expect(doc.summary.files.skipped).toBe(ids.length * 2);
    expect(Object.values(doc.summary.files.skipReasons).reduce((a, b) => a + b, 0)).toBe(ids.length * 2);
    expect(doc.inputs.filter((i) => i.status === 'skipped').every((i) => /(README\.md|expected\.json)$/.test(i.file))).toBe(true);
    expect(doc.summary.files.read).toBe(doc.summary.files.seen - ids.length * 2);
    // Scenarios that need the dialog's codes (--code/--ext) cannot get them in a mixed run.
    const causes = new Set(ids.filter((id) => !expectedOf(id).userCodes).flatMap((id) => expectedOf(id).attempts.map((a) => a.rootCause)));
    for (const c of causes) expect(Object.keys(doc.summary.rootCauses), c).toContain(c);
  });
});
