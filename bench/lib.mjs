// Shared bench helpers: measure a command in a child process with /usr/bin/time (wall, CPU, peak
// RSS), build the large input from real corpus chunks, and format results.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, fsyncSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { crc32 } from 'node:zlib';

export const repoRoot = fileURLToPath(new URL('..', import.meta.url));
export const corpusDir = path.resolve(repoRoot, '../shared/corpus');
export const cli = path.join(repoRoot, 'bin', 'rdpdoctor.js');

const CHUNK = 0x10000;
const HEADER = 0x1000;

/**
 * Runs `cmd args` with stdout to /dev/null; returns wall and CPU seconds, peak RSS (MB), exit
 * status and stderr. /usr/bin/time measures the child itself (RSS of the real process tree root).
 */
export function measure(cmd, args, { timeoutMs = 30 * 60_000 } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'rdpdoctor-bench-t-'));
  const out = path.join(dir, 'time.txt');
  try {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', '-o', out, cmd, ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
      encoding: 'utf8',
      timeout: timeoutMs,
      maxBuffer: 64 << 20,
    });
    const [wall, user, sys, rssKb] = readFileSync(out, 'utf8').trim().split('\n').pop().split(' ').map(Number);
    return { status: r.status, wallS: wall, cpuS: user + sys, maxRssMB: rssKb / 1024, stderr: r.stderr ?? '' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Runs several commands at once (stdout to /dev/null) and returns the wall seconds until the last
 * one ends, and each one's exit status. Two independent processes share nothing (heap, JIT,
 * messages): a yardstick for two threads of one process on this machine.
 */
export async function measureConcurrent(runs) {
  const t0 = performance.now();
  const statuses = await Promise.all(
    runs.map(
      ({ cmd, args }) =>
        new Promise((resolve) => {
          const c = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'] });
          c.on('close', (code) => resolve(code));
          c.on('error', () => resolve(-1));
        }),
    ),
  );
  return { wallS: (performance.now() - t0) / 1000, statuses };
}

/** Splits files into two lists of about equal total size (largest first, each to the lighter list). */
export function halves(files) {
  const a = [];
  const b = [];
  let sa = 0;
  let sb = 0;
  for (const f of [...files].sort((x, y) => y.size - x.size)) {
    if (sa <= sb) {
      a.push(f);
      sa += f.size;
    } else {
      b.push(f);
      sb += f.size;
    }
  }
  return [a, b];
}

/** Records read, summed over dump's per-file summary lines on stderr. */
export function recordsFromSummary(stderr) {
  let n = 0;
  for (const m of stderr.matchAll(/: (\d+) records read/g)) n += Number(m[1]);
  return n;
}

export function corpusFiles() {
  if (!existsSync(corpusDir)) return [];
  return readdirSync(corpusDir)
    .filter((f) => f.endsWith('.evtx'))
    .map((f) => ({ path: path.join(corpusDir, f), size: statSync(path.join(corpusDir, f)).size }))
    .sort((a, b) => b.size - a.size || a.path.localeCompare(b.path));
}

/** Both chunk checksums verify (header, and records up to the free-space offset). */
function chunkIsClean(c) {
  const free = c.readUInt32LE(48);
  if (free < 512 || free > CHUNK) return false;
  const header = crc32(c.subarray(128, 512), crc32(c.subarray(0, 120)));
  return header === c.readUInt32LE(124) && crc32(c.subarray(512, free)) === c.readUInt32LE(52);
}

/** Whole chunks with a valid magic and a non-empty record area (and sound checksums if `clean`). */
function realChunks(files, clean = false) {
  const out = [];
  for (const f of files) {
    const buf = readFileSync(f);
    for (let off = HEADER; off + CHUNK <= buf.length; off += CHUNK) {
      const c = buf.subarray(off, off + CHUNK);
      if (c.toString('latin1', 0, 8) === 'ElfChnk\0' && c.readUInt32LE(48) > 512 && (!clean || chunkIsClean(c))) out.push(Buffer.from(c));
    }
  }
  return out;
}

/**
 * Writes a file of at least `bytes` by repeating real chunks (each carries its own string and
 * template tables, so repeating them keeps every record decodable). The header is fixed up:
 * chunk count (capped at the u16 maximum; readers take the count from the size), last chunk,
 * checksum. Streams to disk: never holds the big file in memory. `clean` keeps only chunks whose
 * checksums verify (evtxexport gives up on a file that repeats some damaged chunks).
 */
export function buildBigInput(target, bytes, sources, { clean = false } = {}) {
  const chunks = realChunks(sources, clean);
  if (chunks.length === 0) throw new Error('no source chunks for the generated input');
  const n = Math.ceil(bytes / CHUNK);
  const h = Buffer.alloc(HEADER);
  h.write('ElfFile\0', 0, 'latin1');
  h.writeBigUInt64LE(0n, 8);
  h.writeBigUInt64LE(BigInt(n - 1), 16);
  h.writeBigUInt64LE(1n, 24);
  h.writeUInt32LE(128, 32);
  h.writeUInt16LE(1, 36);
  h.writeUInt16LE(3, 38);
  h.writeUInt16LE(HEADER, 40);
  h.writeUInt16LE(Math.min(n, 0xffff), 42);
  h.writeUInt32LE(crc32(h.subarray(0, 120)), 124);
  const fd = openSync(target, 'w');
  try {
    writeSync(fd, h);
    // Write in 8 MiB batches to keep syscalls few and memory small.
    const per = 128;
    for (let i = 0; i < n; i += per) {
      const batch = [];
      for (let j = i; j < Math.min(n, i + per); j++) batch.push(chunks[j % chunks.length]);
      writeSync(fd, Buffer.concat(batch));
    }
    // Written back now, not during the first measurement (it made a first run 25% slower).
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  warm(target);
  return { path: target, size: HEADER + n * CHUNK, chunks: n, distinctChunks: chunks.length };
}

/** Reads a file through once, so every measured run finds it in the page cache. */
export function warm(file) {
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(8 << 20);
  try {
    for (let pos = 0; ; ) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) break;
      pos += n;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * Runs each of `runs` (functions returning `{ m: measure() result, ... }`) `rounds` times,
 * alternating, and keeps each one's best run by `score` (wall seconds unless given): on a shared
 * machine a single run can be slowed by others.
 */
export function bestOf(rounds, runs, score = (x) => x.m.wallS) {
  const best = runs.map(() => undefined);
  for (let r = 0; r < rounds; r++) {
    runs.forEach((run, i) => {
      const x = run();
      if (best[i] === undefined || (x.m.status === 0 && score(x) < score(best[i]))) best[i] = x;
    });
  }
  return best;
}

export function mb(bytes) {
  return bytes / (1024 * 1024);
}

export function fmt(n, digits = 1) {
  return n === undefined || n === null || Number.isNaN(n) ? '–' : n.toFixed(digits);
}

/**
 * Runs `fn(big, dir)` on an input of `bytes` built from the 12 largest corpus files' chunks in a temp
 * folder that is removed afterwards. Returns false (with a note saying why) when the stage is
 * switched off (`bytes` 0) or there is no corpus to build from.
 */
export async function withGeneratedInput({ stage, bytes, sizeVar, notes, log }, fn) {
  if (!(bytes > 0)) {
    notes.push(`${sizeVar}=0: stage skipped`);
    return false;
  }
  const corpus = corpusFiles();
  if (corpus.length === 0) {
    notes.push('corpus not found (../shared/corpus): no real chunks to build the input from, nothing measured');
    return false;
  }
  const dir = mkdtempSync(path.join(tmpdir(), `rdpdoctor-${stage}-`));
  try {
    log(`${stage}: generating ${mb(bytes).toFixed(0)} MB input in ${dir}`);
    const big = buildBigInput(path.join(dir, 'big.evtx'), bytes, corpus.slice(0, 12).map((f) => f.path));
    notes.push(`input: ${big.chunks} chunks (${big.distinctChunks} distinct real chunks repeated), ${mb(big.size).toFixed(0)} MB, in ${tmpdir()} (deleted after)`);
    await fn(big, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return true;
}
