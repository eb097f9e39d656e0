// Resource limits: a LIMITS_GB (default 4) GiB input made of repeated real corpus chunks, in the
// temp folder and deleted after, is processed by `dump` (stdout to /dev/null) and by `ingest`
// (default filter, into a temp case); each must finish with peak RSS under LIMITS_RSS_MB
// (default 300). Reported, not a test: a row fails (ok = FAIL) when the limit is broken.
import { rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { cli, mb, measure, recordsFromSummary, withGeneratedInput } from '../lib.mjs';

export const name = 'resource limits (large input)';

function row(kase, tool, workers, bytes, m, limitMb, extra = {}) {
  const withinLimit = m.maxRssMB < limitMb;
  return {
    case: kase,
    tool,
    workers,
    inputMB: mb(bytes),
    wallS: m.wallS,
    cpuS: m.cpuS,
    mbPerS: mb(bytes) / m.wallS,
    mbPerCpuS: mb(bytes) / m.cpuS,
    maxRssMB: m.maxRssMB,
    ratio: `${withinLimit ? 'under' : 'OVER'} ${limitMb} MB RSS limit`,
    ok: m.status === 0 && withinLimit,
    ...extra,
  };
}

export async function run({ log }) {
  const rows = [];
  const notes = [];
  const gb = Number(process.env.LIMITS_GB ?? '4');
  const limitMb = Number(process.env.LIMITS_RSS_MB ?? '300');
  const workers = (process.env.LIMITS_WORKERS ?? '1,2').split(',').map(Number).filter((n) => n > 0);
  const ran = await withGeneratedInput({ stage: 'limits', bytes: gb * 1024 ** 3, sizeVar: 'LIMITS_GB', notes, log }, async (big, dir) => {
    const kase = `generated ${gb} GiB`;
    for (const w of workers) {
      log(`limits: dump, ${w} worker(s)`);
      const m = measure(process.execPath, [cli, 'dump', '--workers', String(w), big.path]);
      const records = recordsFromSummary(m.stderr);
      rows.push(row(kase, 'rdpdoctor dump', w, big.size, m, limitMb, { records, recordsPerS: records / m.wallS }));
      if (m.status !== 0) notes.push(`dump (${w} workers) exited ${m.status}: ${m.stderr.trim().split('\n').slice(-3).join(' / ')}`);
    }
    for (const w of workers) {
      const db = path.join(dir, `case-${w}.db`);
      log(`limits: ingest, ${w} worker(s)`);
      const m = measure(process.execPath, [cli, 'ingest', '--workers', String(w), '--db', db, big.path]);
      let caseMb;
      try {
        caseMb = mb(statSync(db).size);
      } catch {
        caseMb = undefined;
      }
      rows.push(row(kase, 'rdpdoctor ingest', w, big.size, m, limitMb));
      if (caseMb !== undefined) notes.push(`ingest (${w} workers): case file ${caseMb.toFixed(0)} MB (default filter: RDP-related channels and what the rules use)`);
      if (m.status !== 0) notes.push(`ingest (${w} workers) exited ${m.status}: ${m.stderr.trim().split('\n').slice(-3).join(' / ')}`);
      rmSync(db, { force: true });
      for (const x of ['-wal', '-shm']) rmSync(db + x, { force: true });
    }
  });
  if (!ran) return { rows, notes };
  notes.push(`Limit: peak RSS (whole process, worker threads included, /usr/bin/time %M) under ${limitMb} MB; set LIMITS_GB, LIMITS_RSS_MB, LIMITS_WORKERS to change.`);
  return { rows, notes };
}
