// `npm run bench` (after the build): runs every bench/stages/*.mjs module in name order. A stage
// exports `name` and `run(ctx)` returning { rows, notes }; rows are printed as one Markdown table
// per stage on stdout and all results are saved as JSON in bench/out/. Progress goes to stderr.
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { fmt, repoRoot } from './lib.mjs';

const stagesDir = path.join(repoRoot, 'bench', 'stages');
const outDir = path.join(repoRoot, 'bench', 'out');
const only = process.env.BENCH_STAGE;

const COLUMNS = [
  ['case', (r) => r.case],
  ['tool', (r) => r.tool],
  ['workers', (r) => (r.workers === undefined ? '' : String(r.workers))],
  ['input MB', (r) => fmt(r.inputMB, 1)],
  ['records', (r) => (r.records === undefined ? '' : String(r.records))],
  ['wall s', (r) => fmt(r.wallS, 2)],
  ['CPU s', (r) => fmt(r.cpuS, 2)],
  ['MB/s (wall)', (r) => fmt(r.mbPerS, 1)],
  ['MB/s (CPU)', (r) => fmt(r.mbPerCpuS, 1)],
  ['records/s', (r) => (r.recordsPerS === undefined ? '' : fmt(r.recordsPerS, 0))],
  ['peak RSS MB', (r) => fmt(r.maxRssMB, 0)],
  ['ratio', (r) => r.ratio ?? ''],
  ['ok', (r) => (r.ok === false ? 'FAIL' : 'yes')],
];

function table(rows) {
  const head = `| ${COLUMNS.map(([h]) => h).join(' | ')} |`;
  const sep = `|${COLUMNS.map(() => '---').join('|')}|`;
  return [head, sep, ...rows.map((r) => `| ${COLUMNS.map(([, f]) => f(r)).join(' | ')} |`)].join('\n');
}

const stages = readdirSync(stagesDir)
  .filter((f) => f.endsWith('.mjs'))
  .sort();
const results = { date: new Date().toISOString(), host: { cpus: os.cpus().length, model: os.cpus()[0]?.model, load: os.loadavg(), node: process.version }, stages: [] };
let failed = false;
for (const f of stages) {
  const mod = await import(pathToFileURL(path.join(stagesDir, f)).href);
  const name = mod.name ?? f;
  if (only && !name.includes(only)) continue;
  process.stderr.write(`bench: stage ${name}\n`);
  const r = await mod.run({ log: (s) => process.stderr.write(`bench: ${s}\n`) });
  results.stages.push({ name, ...r });
  process.stdout.write(`\n## ${name}\n\n${table(r.rows)}\n`);
  for (const n of r.notes ?? []) process.stdout.write(`\n- ${n}`);
  process.stdout.write('\n');
  if (r.rows.some((x) => x.ok === false)) failed = true;
}
mkdirSync(outDir, { recursive: true });
const stamp = results.date.replace(/[:.]/g, '-');
writeFileSync(path.join(outDir, `bench-${stamp}.json`), JSON.stringify(results, null, 2));
writeFileSync(path.join(outDir, 'latest.json'), JSON.stringify(results, null, 2));
process.stderr.write(`bench: results in bench/out/bench-${stamp}.json\n`);
if (failed) process.exitCode = 1;
