// evtx: full decode to JSONL (rdpdoctor dump, stdout to /dev/null) on the largest corpus files,
// on all of them as a multi-file input, and on a generated input of BENCH_GB (default 1) GiB made
// of repeated real chunks; 1 and 2 worker threads; evtxexport on the same files (and on
// generated Security inputs of 64 MiB, 256 MiB and 1 GiB, whose difference gives the steady-state ratio) and
// python-evtx on one small file.
// Every measured parse runs in its own child process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bestOf, buildBigInput, cli, corpusFiles, halves, mb, measure, measureConcurrent, recordsFromSummary } from '../lib.mjs';

export const name = 'evtx decode to JSONL';

/** Failed runs keep their first stderr line, so a FAIL row says why. */
const failures = [];

function row(kase, tool, workers, bytes, m, records) {
  if (m.status !== 0) failures.push(`${tool} on ${kase} (workers ${workers ?? '-'}) exited ${m.status}: ${m.stderr.split('\n').find((l) => l.trim()) ?? ''}`);
  const r = { case: kase, tool, workers, inputMB: mb(bytes), wallS: m.wallS, cpuS: m.cpuS, mbPerS: mb(bytes) / m.wallS, mbPerCpuS: mb(bytes) / m.cpuS, maxRssMB: m.maxRssMB, ok: m.status === 0 };
  if (records !== undefined) {
    r.records = records;
    r.recordsPerS = records / m.wallS;
  }
  return r;
}

function dump(files, workers) {
  const m = measure(process.execPath, [cli, 'dump', '--workers', String(workers), ...files]);
  return { m, records: recordsFromSummary(m.stderr) };
}

/** 8 generated files of `bytes` each, each from a different rotation of the 12 largest corpus files. */
function eightFiles(dir, prefix, bytes, corpus) {
  const srcs = corpus.slice(0, 12).map((f) => f.path);
  return Array.from({ length: 8 }, (_, i) => buildBigInput(path.join(dir, `${prefix}${i}.evtx`), bytes, [...srcs.slice(i), ...srcs.slice(0, i)]));
}

/**
 * Rows for a smaller input (1 and 2 workers), then the marginal rate of each between the smaller and
 * the larger input: what each run pays once (start-up, each thread's JIT warm-up) taken out.
 */
function steadyRows(smallCase, marginalCase, smallBytes, bigBytes, [s1, s2], [b1, b2]) {
  const extra = mb(bigBytes - smallBytes);
  const rate1 = extra / (b1.m.wallS - s1.m.wallS);
  const rate2 = extra / (b2.m.wallS - s2.m.wallS);
  const r2 = row(smallCase, 'rdpdoctor', 2, smallBytes, s2.m, s2.records);
  r2.ratio = `${(s1.m.wallS / s2.m.wallS).toFixed(2)}× wall vs 1 worker`;
  return [
    row(smallCase, 'rdpdoctor', 1, smallBytes, s1.m, s1.records),
    r2,
    { case: `marginal ${marginalCase}`, tool: 'rdpdoctor', workers: 1, inputMB: extra, wallS: b1.m.wallS - s1.m.wallS, mbPerS: rate1, ok: true },
    { case: `marginal ${marginalCase}`, tool: 'rdpdoctor', workers: 2, inputMB: extra, wallS: b2.m.wallS - s2.m.wallS, mbPerS: rate2, ok: true, ratio: `${(rate2 / rate1).toFixed(2)}× wall vs 1 worker in steady state` },
  ];
}

export async function run({ log }) {
  const rows = [];
  const notes = [];
  const corpus = corpusFiles();
  if (corpus.length === 0) {
    notes.push('corpus not found (../shared/corpus): only the generated input is skipped too, nothing measured');
    return { rows, notes };
  }
  // 1. The largest single files: us (1 and 2 workers) against evtxexport.
  for (const f of corpus.slice(0, 3)) {
    const base = path.basename(f.path);
    log(`${base}`);
    const peer = measure('evtxexport', [f.path]);
    rows.push(row(base, 'evtxexport', undefined, f.size, peer));
    for (const w of [1, 2]) {
      const { m, records } = dump([f.path], w);
      const r = row(base, 'rdpdoctor', w, f.size, m, records);
      r.ratio = `${(peer.cpuS / m.cpuS).toFixed(1)}× CPU, ${(peer.wallS / m.wallS).toFixed(1)}× wall vs evtxexport`;
      rows.push(r);
    }
  }
  // 2. Multi-file input: every corpus file at once.
  const all = corpus.map((f) => f.path);
  const allBytes = corpus.reduce((s, f) => s + f.size, 0);
  log(`all ${all.length} corpus files`);
  const one = dump(all, 1);
  rows.push(row(`all ${all.length} corpus files`, 'rdpdoctor', 1, allBytes, one.m, one.records));
  const two = dump(all, 2);
  const r2 = row(`all ${all.length} corpus files`, 'rdpdoctor', 2, allBytes, two.m, two.records);
  r2.ratio = `${(one.m.wallS / two.m.wallS).toFixed(2)}× wall vs 1 worker`;
  rows.push(r2);
  // What two independent single-thread dumps get at once, one on each
  // half of the files (by size), at the same time, against one dump of them all.
  const [ha, hb] = halves(corpus);
  const pair = await measureConcurrent([ha, hb].map((h) => ({ cmd: process.execPath, args: [cli, 'dump', '--workers', '1', ...h.map((f) => f.path)] })));
  rows.push({ case: `all ${all.length} corpus files`, tool: 'rdpdoctor ×2 processes', workers: 1, inputMB: mb(allBytes), wallS: pair.wallS, mbPerS: mb(allBytes) / pair.wallS, ok: pair.statuses.every((x) => x === 0), ratio: `${(one.m.wallS / pair.wallS).toFixed(2)}× wall vs 1 process (two processes, half the files each)` });
  // Crash/hang check: every corpus file must end with status 0.
  if (one.m.status !== 0) notes.push(`dump of the corpus exited with ${one.m.status}`);
  // 3. python-evtx on one small file (it is ~50× slower than evtxexport).
  const small = corpus.find((f) => path.basename(f.path) === 'vraptor__RDPAuth_LocalSessionManager.evtx') ?? corpus[corpus.length - 1];
  log(`python-evtx on ${path.basename(small.path)}`);
  const py = measure('/usr/bin/python3', ['/usr/bin/evtx_dump.py', small.path]);
  rows.push(row(path.basename(small.path), 'python-evtx', undefined, small.size, py));
  const us = dump([small.path], 1);
  const rs = row(path.basename(small.path), 'rdpdoctor', 1, small.size, us.m, us.records);
  rs.ratio = `${(py.wallS / us.m.wallS).toFixed(1)}× wall vs python-evtx (startup-bound)`;
  rows.push(rs);
  // 4. The generated input.
  const gb = Number(process.env.BENCH_GB ?? '1');
  if (gb > 0) {
    const dir = mkdtempSync(path.join(tmpdir(), 'rdpdoctor-bench-'));
    try {
      log(`generating ${gb} GiB input`);
      const big = buildBigInput(path.join(dir, 'big.evtx'), gb * 1024 ** 3, corpus.slice(0, 12).map((f) => f.path));
      notes.push(`generated input: ${big.chunks} chunks (${big.distinctChunks} distinct real chunks repeated), ${mb(big.size).toFixed(0)} MB`);
      log('generated input, 1 and 2 workers, best of 2 alternating runs');
      const [b1, b2] = bestOf(2, [1, 2].map((w) => () => dump([big.path], w)));
      const oneBig = b1.m;
      rows.push(row(`generated ${gb} GiB`, 'rdpdoctor', 1, big.size, b1.m, b1.records));
      const rBig = row(`generated ${gb} GiB`, 'rdpdoctor', 2, big.size, b2.m, b2.records);
      rBig.ratio = `${(oneBig.wallS / b2.m.wallS).toFixed(2)}× wall vs 1 worker`;
      rows.push(rBig);
      // Ceiling: two single-thread dumps of the input at once do twice the work in this wall time.
      log('generated input, two single-thread processes at once');
      const pairBig = await measureConcurrent([0, 1].map(() => ({ cmd: process.execPath, args: [cli, 'dump', '--workers', '1', big.path] })));
      rows.push({ case: `generated ${gb} GiB ×2`, tool: 'rdpdoctor ×2 processes', workers: 1, inputMB: 2 * mb(big.size), wallS: pairBig.wallS, mbPerS: (2 * mb(big.size)) / pairBig.wallS, ok: pairBig.statuses.every((x) => x === 0), ratio: `${((2 * oneBig.wallS) / pairBig.wallS).toFixed(2)}× the throughput of 1 process (two processes, each the whole input)` });
      rmSync(big.path, { force: true });
      // Steady state for threads: the same chunks, a quarter as many. The difference between the two
      // sizes takes out what each run pays once (start-up, and each thread's JIT warm-up).
      const quarter = buildBigInput(path.join(dir, 'quarter.evtx'), (gb * 1024 ** 3) / 4, corpus.slice(0, 12).map((f) => f.path));
      log('generated input, a quarter of it, 1 and 2 workers, best of 2 alternating runs');
      const [q1, q2] = bestOf(2, [1, 2].map((w) => () => dump([quarter.path], w)));
      rmSync(quarter.path, { force: true });
      rows.push(...steadyRows(`generated ${gb / 4} GiB`, `${gb / 4}→${gb} GiB`, quarter.size, big.size, [q1, q2], [b1, b2]));
      // Multi-file input that is not start-up bound: 8 generated files of gb/8 GiB each (each from
      // a different run of the largest corpus files), 1 and 2 workers, and two processes at once
      // (4 files each).
      const parts = eightFiles(dir, 'part', (gb * 1024 ** 3) / 8, corpus);
      const partBytes = parts.reduce((n, p) => n + p.size, 0);
      const multi = `generated 8 files × ${((gb * 1024) / 8).toFixed(0)} MiB`;
      log(`${multi}, 1 and 2 workers, best of 2 alternating runs`);
      const [m1, m2] = bestOf(2, [1, 2].map((w) => () => dump(parts.map((p) => p.path), w)));
      const oneMulti = m1.m;
      rows.push(row(multi, 'rdpdoctor', 1, partBytes, m1.m, m1.records));
      const rMulti = row(multi, 'rdpdoctor', 2, partBytes, m2.m, m2.records);
      rMulti.ratio = `${(oneMulti.wallS / m2.m.wallS).toFixed(2)}× wall vs 1 worker`;
      rows.push(rMulti);
      // Steady state on multi-file input: 8 files a quarter as large.
      const small = eightFiles(dir, 'small', (gb * 1024 ** 3) / 32, corpus);
      const smallBytes = small.reduce((n, p) => n + p.size, 0);
      const smallCase = `generated 8 files × ${((gb * 1024) / 32).toFixed(0)} MiB`;
      log(`${smallCase}, 1 and 2 workers, best of 2 alternating runs`);
      const sm = bestOf(2, [1, 2].map((w) => () => dump(small.map((p) => p.path), w)));
      for (const p of small) rmSync(p.path, { force: true });
      rows.push(...steadyRows(smallCase, `8 files, ${((gb * 1024) / 32).toFixed(0)}→${((gb * 1024) / 8).toFixed(0)} MiB each`, smallBytes, partBytes, sm, [m1, m2]));
      log(`${multi}, two single-thread processes at once (4 files each)`);
      const pairMulti = await measureConcurrent([parts.slice(0, 4), parts.slice(4)].map((h) => ({ cmd: process.execPath, args: [cli, 'dump', '--workers', '1', ...h.map((p) => p.path)] })));
      rows.push({ case: multi, tool: 'rdpdoctor ×2 processes', workers: 1, inputMB: mb(partBytes), wallS: pairMulti.wallS, mbPerS: mb(partBytes) / pairMulti.wallS, ok: pairMulti.statuses.every((x) => x === 0), ratio: `${(oneMulti.wallS / pairMulti.wallS).toFixed(2)}× wall vs 1 process (two processes, half the files each)` });
      for (const p of parts) rmSync(p.path, { force: true });
      // Against evtxexport on the same generated inputs, made of the chunks of
      // dbc__smb-password-guessing-security.evtx (evtxexport reads all of them: on 1 GiB it printed
      // 1,716,051 events, our records less the ones recovered from slack; it gives up on the
      // value-text tokens that other corpus files hold): BENCH_PEER_MB (default 64) MiB, four times
      // and sixteen times that, the largest being the 1 GiB generated input the targets name. The
      // difference between the smallest and the largest is the marginal (steady-state) throughput,
      // with start-up and JIT warm-up taken out on both sides.
      const peerMb = Math.min(Number(process.env.BENCH_PEER_MB ?? '64'), gb * 1024);
      const smb = corpus.find((f) => path.basename(f.path) === 'dbc__smb-password-guessing-security.evtx');
      const sizes = [peerMb, 4 * peerMb, 16 * peerMb].filter((s, i) => i === 0 || s <= gb * 1024);
      if (peerMb > 0 && smb && sizes.length > 1) {
        const timed = {};
        for (const size of sizes) {
          const mid = buildBigInput(path.join(dir, 'peer.evtx'), size * 1024 ** 2, [smb.path], { clean: true });
          notes.push(`Security input of ${size} MiB: ${mid.chunks} chunks (the ${mid.distinctChunks} chunks of ${path.basename(smb.path)} repeated), ${mb(mid.size).toFixed(0)} MB`);
          log(`evtxexport and rdpdoctor on a ${size} MiB generated Security input`);
          const peer = measure('evtxexport', [mid.path]);
          rows.push(row(`generated ${size} MiB (Security)`, 'evtxexport', undefined, mid.size, peer));
          timed[size] = { peer, bytes: mid.size };
          const ours = bestOf(2, [1, 2].map((w) => () => dump([mid.path], w)));
          ours.forEach(({ m, records }, i) => {
            const r = row(`generated ${size} MiB (Security)`, 'rdpdoctor', i + 1, mid.size, m, records);
            r.ratio = `${(peer.cpuS / m.cpuS).toFixed(1)}× CPU, ${(peer.wallS / m.wallS).toFixed(1)}× wall vs evtxexport`;
            rows.push(r);
          });
          timed[size].us = ours[0].m;
          rmSync(mid.path, { force: true });
        }
        const lo = sizes[0];
        const hi = sizes[sizes.length - 1];
        const a = timed[lo];
        const b = timed[hi];
        const extra = mb(b.bytes - a.bytes);
        const peerRate = extra / (b.peer.wallS - a.peer.wallS);
        const usRate = extra / (b.us.wallS - a.us.wallS);
        rows.push({ case: `marginal ${lo}→${hi} MiB (Security)`, tool: 'evtxexport', inputMB: extra, wallS: b.peer.wallS - a.peer.wallS, mbPerS: peerRate, ok: true });
        rows.push({ case: `marginal ${lo}→${hi} MiB (Security)`, tool: 'rdpdoctor', workers: 1, inputMB: extra, wallS: b.us.wallS - a.us.wallS, mbPerS: usRate, ok: true, ratio: `${(usRate / peerRate).toFixed(1)}× wall vs evtxexport in steady state` });
      }
      if (process.env.BENCH_PEER_BIG === '1') {
        log('evtxexport on the generated input');
        const again = buildBigInput(path.join(dir, 'big.evtx'), gb * 1024 ** 3, corpus.slice(0, 12).map((f) => f.path));
        rows.push(row(`generated ${gb} GiB`, 'evtxexport', undefined, again.size, measure('evtxexport', [again.path])));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  notes.push(...failures);
  notes.push('MB/s (CPU) divides by user+system CPU seconds of the child: steadier than wall time on a shared machine.');
  notes.push('Generated inputs are written back to disk and read through once before any run. On them, each rdpdoctor row is the faster of 2 runs, 1 and 2 workers alternating; evtxexport runs once (28 s on 256 MiB, about 2 min on 1 GiB).');
  notes.push('The "×2 processes" rows run two independent single-thread dumps at once, for comparison with 2 threads. Split by files, the pair waits for the slower half; on the whole input each, nothing is left unbalanced.');
  notes.push('"workers" is dump --workers: the number of decoding threads. With 2, the main thread and one worker thread each read, decode and write their own batches, in turn (src/parsers/evtx/jsonlRing.ts).');
  notes.push('Below 192 MiB of evtx input dump decodes on one thread whatever --workers says (RDPDOCTOR_PARALLEL_MIN_MB), so the 2-worker rows of single corpus files, of the corpus and of the 64 MiB input are one-thread runs.');
  notes.push('Targets (reported, not tested): 1 worker ≥ 15× evtxexport; 2 workers ≥ 1.7× 1 worker on multi-file input; peak RSS < 200 MB on the 1 GiB input.');
  return { rows, notes };
}
