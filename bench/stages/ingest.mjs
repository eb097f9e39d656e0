// ingest: end-to-end throughput (sniff + hash + parse + filter + store into a fresh case) against
// pure parse throughput (the evtx reader alone, every record, nothing written), on a generated
// input of INGEST_BENCH_MB (default 1024) MB of repeated real corpus chunks; with the default
// filter and with --all-events; peak RSS of each. Every run is its own child process.
// Targets: ≥ 50% of parse throughput with the default filter, ≥ 25% with --all-events, peak RSS
// < 250 MB on 1 GB. A row is FAIL when its run failed or it misses its target.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cli, mb, measure, repoRoot, withGeneratedInput } from '../lib.mjs';

export const name = 'ingest (parse + filter + store)';

const RSS_LIMIT_MB = 250;

// Pure parse: the registered reader over the whole file, items counted and dropped.
const PARSE_ONLY = `
const [{ statSync }, all, reg, disc] = await Promise.all([
  import('node:fs'),
  import(${JSON.stringify(pathToFileURL(path.join(repoRoot, 'dist/parsers/all.js')).href)}),
  import(${JSON.stringify(pathToFileURL(path.join(repoRoot, 'dist/parsers/registry.js')).href)}),
  import(${JSON.stringify(pathToFileURL(path.join(repoRoot, 'dist/ingest/discover.js')).href)}),
]);
void all;
const p = process.argv[1];
const reader = reg.readerFor(disc.readHead(p), p);
const it = reader.read(disc.fileSource(p, statSync(p).size), {});
let events = 0;
for (;;) {
  const s = await it.next();
  if (s.done) break;
  for (const x of s.value) if (x.kind === 'event') events++;
}
process.stderr.write('parse: ' + events + ' events\\n');
`;

function storedFrom(stderr) {
  const m = /records: (\d+) read, (\d+) stored/.exec(stderr);
  return m ? { read: Number(m[1]), stored: Number(m[2]) } : undefined;
}

function row(kase, tool, bytes, m, extra = {}) {
  return {
    case: kase,
    tool,
    inputMB: mb(bytes),
    wallS: m.wallS,
    cpuS: m.cpuS,
    mbPerS: mb(bytes) / m.wallS,
    mbPerCpuS: mb(bytes) / m.cpuS,
    maxRssMB: m.maxRssMB,
    ok: m.status === 0,
    ...extra,
  };
}

export async function run({ log }) {
  const rows = [];
  const notes = [];
  const sizeMb = Number(process.env.INGEST_BENCH_MB ?? '1024');
  await withGeneratedInput({ stage: 'ingest', bytes: sizeMb * 1024 * 1024, sizeVar: 'INGEST_BENCH_MB', notes, log }, async (big, dir) => {
    const kase = `generated ${mb(big.size).toFixed(0)} MB`;

    log('ingest: pure parse');
    const parse = measure(process.execPath, ['--input-type=module', '-e', PARSE_ONLY, big.path]);
    const events = Number(/parse: (\d+) events/.exec(parse.stderr)?.[1] ?? NaN);
    rows.push(row(kase, 'parse only (evtx reader)', big.size, parse, { records: events, recordsPerS: events / parse.wallS }));

    // --workers is explicit: its default (auto) would put workers in every row.
    const variants = [
      { label: 'ingest (default filter)', flags: ['--workers', '1'], target: 0.5 },
      { label: 'ingest --all-events', flags: ['--all-events', '--workers', '1'], target: 0.25 },
      { label: 'ingest --workers 2 (default filter)', flags: ['--workers', '2'], target: 0.5, againstPlain: true },
    ];
    let plain;
    for (const v of variants) {
      log(`ingest: ${v.label}`);
      const db = path.join(dir, `case-${v.flags.join('')}.db`);
      const m = measure(process.execPath, [cli, 'ingest', big.path, '--db', db, ...v.flags]);
      const counts = storedFrom(m.stderr);
      const wallShare = parse.wallS / m.wallS;
      const cpuShare = parse.cpuS / m.cpuS;
      const rssOk = m.maxRssMB < RSS_LIMIT_MB * Math.max(1, big.size / 1024 ** 3);
      if (v === variants[0]) plain = m;
      const vsPlain = v.againstPlain && plain ? `; ${(plain.wallS / m.wallS).toFixed(2)}× wall vs no workers` : '';
      rows.push(
        row(kase, v.label, big.size, m, {
          records: counts?.stored,
          recordsPerS: counts ? counts.stored / m.wallS : undefined,
          ratio:
            `${(100 * wallShare).toFixed(0)}% of parse (wall), ${(100 * cpuShare).toFixed(0)}% (CPU); target ≥ ${100 * v.target}%` +
            `${rssOk ? '' : `; RSS over ${RSS_LIMIT_MB} MB/GB`}${vsPlain}`,
          ok: m.status === 0 && counts !== undefined && wallShare >= v.target && rssOk,
        }),
      );
      if (m.status !== 0) notes.push(`${v.label} exited with ${m.status}: ${m.stderr.trim().split('\n').pop()}`);
      if (v === variants[0] && m.status === 0) {
        // Re-analysis of the kept case: correlation reads every stored event back (time and peak RSS).
        log('ingest: analyze --db on the case');
        const a = measure(process.execPath, [cli, 'analyze', '--text', '--quiet', '--db', db]);
        rows.push(row(kase, 'analyze --db (case of the default filter)', big.size, a, { records: counts?.stored, recordsPerS: counts ? counts.stored / a.wallS : undefined }));
        if (a.status !== 0) notes.push(`analyze --db exited with ${a.status}: ${a.stderr.trim().split('\n').pop()}`);
      }
      rmSync(db, { force: true });
      rmSync(`${db}-wal`, { force: true });
      rmSync(`${db}-shm`, { force: true });
    }
    notes.push('analyze --db: correlation, diagnosis and the text report from the stored events, no input read.');
    notes.push('Ingest time includes sniffing, the SHA-256 of the input (on a thread of its own, reading the file again, while it is decoded and stored) and the commit; records = events stored.');
    notes.push('--workers 2: evtx decoding (and the push-down filter) on worker threads while the main thread stores, and decodes too whenever the store would wait; at most one worker per core beside the main thread (one on 2 cores).');
    notes.push(`Targets: default filter ≥ 50% and --all-events ≥ 25% of parse throughput (wall); peak RSS < ${RSS_LIMIT_MB} MB per GB of input.`);
  });
  return { rows, notes };
}
