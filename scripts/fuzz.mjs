#!/usr/bin/env node
// `npm run fuzz`: mutates real EVTX chunks and text exports and runs them through every reader in
// worker threads under a watchdog. New crashes, hangs, heap blow-ups and contract violations are
// minimised and saved under test/fixtures/fuzz/<reader>/. The summary (JSON) goes to stdout,
// progress to stderr. Exit code 1 when something new was found.
import { parseArgs } from 'node:util';
import { writeFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULTS, REPO_ROOT, buildInput, replayFixtures, runFuzz } from './fuzz/campaign.mjs';
import { loadSeeds } from './fuzz/seeds.mjs';

const HELP = `usage: node scripts/fuzz.mjs [options]

  --seed <text>          campaign seed (default "${DEFAULTS.seed}"); same seed, same inputs
  --count <n>            inputs to generate (default ${DEFAULTS.count})
  --start <n>            first input index (default 0)
  --seconds <n>          stop after n seconds, whatever the count (default: no limit)
  --jobs <n>             worker threads (default ${DEFAULTS.jobs})
  --corpus <dir>         EVTX corpus folder (default ../shared/corpus)
  --whole-files          mutate whole EVTX files instead of single-chunk cuts (slower, deeper)
  --chunks-per-file <n>  chunk cuts per EVTX file (default ${DEFAULTS.chunksPerFile})
  --text-share <0..1>    share of inputs built from text seeds (default ${DEFAULTS.textShare})
  --timeout-ms <n>       time limit per input, plus --per-mb-ms per MiB (default ${DEFAULTS.timeoutMs})
  --per-mb-ms <n>        (default ${DEFAULTS.perMbMs})
  --heap-mb <n>          V8 old-generation limit per worker (default ${DEFAULTS.heapMb})
  --out <dir>            where fixtures go (default test/fixtures/fuzz)
  --no-save              report only, write no fixtures
  --no-minimize          save inputs as they were
  --report-known         also report signatures that already have an open fixture (default: counted only)
  --replay               replay every saved fixture instead of fuzzing
  --input <index>        write input <index> of this seed to --write (reproduction)
  --write <path>         file for --input
  --readers <module>     use the readers exported by this module instead of dist/ (harness tests)
  -h, --help`;

const { values: v } = parseArgs({
  options: {
    seed: { type: 'string' }, count: { type: 'string' }, start: { type: 'string' }, seconds: { type: 'string' },
    jobs: { type: 'string' }, corpus: { type: 'string' }, 'whole-files': { type: 'boolean' },
    'chunks-per-file': { type: 'string' }, 'text-share': { type: 'string' }, 'timeout-ms': { type: 'string' },
    'per-mb-ms': { type: 'string' }, 'heap-mb': { type: 'string' }, out: { type: 'string' },
    'no-save': { type: 'boolean' }, 'no-minimize': { type: 'boolean' }, 'ignore-known': { type: 'boolean' }, 'report-known': { type: 'boolean' },
    replay: { type: 'boolean' }, input: { type: 'string' }, write: { type: 'string' }, readers: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});

// Ctrl-C or kill: exit normally so the campaign's temp folder is removed.
for (const sig of ['SIGINT', 'SIGTERM']) process.once(sig, () => process.exit(130));

if (v.help) {
  process.stdout.write(`${HELP}\n`);
  process.exit(0);
}

const num = (s, name) => {
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`fuzz: --${name} needs a non-negative number, got ${JSON.stringify(s)}\n`);
    process.exit(2);
  }
  return n;
};

const opts = Object.fromEntries(
  Object.entries({
    seed: v.seed,
    count: num(v.count, 'count'),
    start: num(v.start, 'start'),
    seconds: num(v.seconds, 'seconds'),
    jobs: num(v.jobs, 'jobs'),
    corpusDir: v.corpus && resolve(v.corpus),
    evtxMode: v['whole-files'] ? 'file' : undefined,
    maxSeedSize: v['whole-files'] ? 16 * 1024 * 1024 : undefined,
    maxSize: v['whole-files'] ? 16 * 1024 * 1024 : undefined,
    chunksPerFile: num(v['chunks-per-file'], 'chunks-per-file'),
    textShare: num(v['text-share'], 'text-share'),
    timeoutMs: num(v['timeout-ms'], 'timeout-ms'),
    perMbMs: num(v['per-mb-ms'], 'per-mb-ms'),
    heapMb: num(v['heap-mb'], 'heap-mb'),
    outDir: v.out && resolve(v.out),
    save: v['no-save'] ? false : undefined,
    minimize: v['no-minimize'] ? false : undefined,
    ignoreKnown: v['report-known'] ? false : v['ignore-known'] || undefined,
    readersModule: v.readers && resolve(v.readers),
  }).filter(([, x]) => x !== undefined),
);

if (!opts.readersModule && !existsSync(join(REPO_ROOT, 'dist/parsers/all.js'))) {
  process.stderr.write('fuzz: dist/ is missing; run `npm run build` first (npm run fuzz does)\n');
  process.exit(2);
}

if (v.input !== undefined) {
  const o = { ...DEFAULTS, ...opts };
  const seeds = loadSeeds({ corpusDir: o.corpusDir, repoRoot: REPO_ROOT, evtxMode: o.evtxMode, maxSeedSize: o.maxSeedSize, chunksPerFile: o.chunksPerFile });
  const input = buildInput(seeds, o, num(v.input, 'input'));
  const path = v.write ?? `fuzz-input-${v.input}.bin`;
  writeFileSync(path, input.bytes);
  process.stdout.write(`${JSON.stringify({ path, seed: input.seed.name, via: input.via, splitSeed: input.splitSeed, readTwice: input.twice, steps: input.steps, size: input.bytes.length })}\n`);
  process.exit(0);
}

if (v.replay) {
  const results = await replayFixtures(opts);
  const regressions = results.filter((r) => r.status === 'fixed' && r.findings.length);
  process.stdout.write(`${JSON.stringify({ fixtures: results.length, stillFailing: results.filter((r) => r.findings.length).length, regressions: regressions.length, results }, null, 2)}\n`);
  process.exit(regressions.length ? 1 : 0);
}

const summary = await runFuzz(opts);
process.stdout.write(`${JSON.stringify(summary, (k, x) => (k === 'stack' ? undefined : x), 2)}\n`);
process.stderr.write(`fuzz: ${summary.inputs} inputs in ${(summary.elapsedMs / 1000).toFixed(1)} s, ${summary.findings.length} new findings, ${summary.knownHits} hits on known fixtures, ${summary.restarts} worker restarts\n`);
process.exit(summary.findings.length ? 1 : 0);
