// One fuzz campaign: seeds → seeded mutations → reader pool under the watchdog → findings,
// minimised and saved as regression fixtures. Used by scripts/fuzz.mjs and by the CI test.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { classify, listFixtures, saveFixture } from './findings.mjs';
import { mutate } from './mutators.mjs';
import { Rng } from './rng.mjs';
import { loadSeeds } from './seeds.mjs';
import { ReaderPool } from './watchdog.mjs';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export const DEFAULTS = {
  seed: 'rdpdoctor',
  count: 2000,
  seconds: 0,
  jobs: 1,
  corpusDir: resolve(REPO_ROOT, '../shared/corpus'),
  distDir: join(REPO_ROOT, 'dist'),
  readersModule: undefined,
  evtxMode: 'chunk',
  chunksPerFile: 2,
  textShare: 0.5,
  zipShare: 0.1,
  /** Share of inputs read twice to check the output is deterministic. */
  twiceShare: 0.1,
  maxSeedSize: 256 * 1024,
  maxSize: 1024 * 1024,
  timeoutMs: 5000,
  perMbMs: 4000,
  heapMb: 256,
  save: true,
  outDir: join(REPO_ROOT, 'test/fixtures/fuzz'),
  minimize: true,
  includeSeeds: true,
  /** Signatures that already have an open fixture are counted (knownHits), not reported again. */
  ignoreKnown: true,
  log: (line) => process.stderr.write(`${line}\n`),
};

/** Builds input `index` of a campaign: the same (seed, index) always gives the same bytes. */
export function buildInput(seeds, o, index) {
  const rng = Rng.forInput(o.seed, index);
  const useZip = seeds.zip?.length && rng.chance(o.zipShare);
  const useText = seeds.text.length && (!seeds.evtx.length || rng.chance(o.textShare));
  const group = useZip ? seeds.zip : useText ? seeds.text : seeds.evtx;
  const seed = rng.pick(group);
  const partner = rng.pick(group);
  const { buf, steps } = mutate(seed.buf, seed.kind, rng, { maxSize: o.maxSize, partner: partner.buf, partnerName: partner.name });
  // Archives are opened from disk (yauzl needs random access).
  // 'stream-error': the byte stream fails part-way (a bad disk, a zip member's CRC), which a
  // reader must report as an issue, not throw.
  const v = rng.next();
  const via = seed.kind === 'zip' ? 'file' : v < 0.45 ? 'stream' : v < 0.9 ? 'file' : 'stream-error';
  const ext = /\.[A-Za-z0-9]+$/.exec(seed.name.replace(/#chunk\d+$/, ''))?.[0] ?? '';
  return { bytes: buf, seed, steps, via, splitSeed: rng.int(0x7fffffff), twice: rng.chance(o.twiceShare), name: `fuzz/${index}${ext}` };
}

function forceFor(seed, formats) {
  if (seed.kind === 'zip') return [];
  return [...new Set([seed.kind === 'evtx' && formats.includes('evtx') ? 'evtx' : undefined, seed.format].filter(Boolean))];
}

async function sameFailure(pool, meta, bytes, signature) {
  const outcome = await pool.run({ name: meta.name, bytes, sniff: meta.sniff, zip: meta.zip, twice: meta.twice, force: meta.force, via: meta.via, splitSeed: meta.splitSeed });
  return classify(outcome).some((f) => f.signature === signature);
}

/**
 * Shrinks an input while the same signature reproduces: cut the tail by halves, then drop
 * text lines. Hangs and heap blow-ups cost a full time limit per try, so they get few tries.
 */
export async function minimize(pool, meta, bytes, finding) {
  let best = bytes;
  let budget = finding.kind === 'hang' || finding.kind === 'oom' ? 4 : 48;
  let step = Math.floor(best.length / 2);
  while (step >= 1 && budget > 0) {
    budget--;
    const cand = best.subarray(0, best.length - step);
    if (await sameFailure(pool, meta, cand, finding.signature)) best = Buffer.from(cand);
    else step = Math.floor(step / 2);
  }
  if (meta.kind === 'evtx' || meta.kind === 'zip') {
    // Offsets inside a chunk (or an archive) must not move, so instead of cutting, blank ranges with zeros
    // (halves, then quarters… down to 64 bytes). What stays is what the failure needs.
    if (budget > 0) budget += finding.kind === 'hang' || finding.kind === 'oom' ? 0 : 400;
    for (let size = 1 << 15; size >= 64 && budget > 0; size >>= 1) {
      for (let at = 0; at < best.length && budget > 0; at += size) {
        const end = Math.min(best.length, at + size);
        if (best.subarray(at, end).every((b) => b === 0)) continue;
        budget--;
        const cand = Buffer.from(best);
        cand.fill(0, at, end);
        if (await sameFailure(pool, meta, cand, finding.signature)) best = cand;
      }
    }
  }
  if ((meta.kind === 'evtx' || meta.kind === 'zip') && budget > 0) {
    let end = best.length;
    while (end > 0 && best[end - 1] === 0) end--;
    if (end < best.length && (await sameFailure(pool, meta, best.subarray(0, end), finding.signature))) best = Buffer.from(best.subarray(0, end));
  }
  if (meta.kind === 'text') {
    // Text has no fixed offsets: delete ranges, halves first, down to single bytes.
    if (budget > 0) budget += finding.kind === 'hang' || finding.kind === 'oom' ? 0 : 300;
    for (let size = Math.max(1, best.length >> 1); size >= 1 && budget > 0; size >>= 1) {
      for (let at = 0; at < best.length && budget > 0; ) {
        budget--;
        const cand = Buffer.concat([best.subarray(0, at), best.subarray(at + size)]);
        if (cand.length < best.length && (await sameFailure(pool, meta, cand, finding.signature))) best = cand;
        else at += size;
      }
    }
    for (let i = 0; budget > 0 && i < best.length; ) {
      const nl = best.indexOf(0x0a, i);
      const end = nl < 0 ? best.length : nl + 1;
      if (end - i < best.length) {
        budget--;
        const cand = Buffer.concat([best.subarray(0, i), best.subarray(end)]);
        if (await sameFailure(pool, meta, cand, finding.signature)) {
          best = cand;
          continue;
        }
      }
      i = end;
    }
  }
  return best;
}

/**
 * Runs a campaign. Returns { inputs, runs, findings, seeds, notes, elapsedMs, restarts, formats }.
 * `findings` holds one entry per distinct signature with how often it was met.
 */
export async function runFuzz(options = {}) {
  const o = { ...DEFAULTS, ...options };
  const t0 = Date.now();
  const tmpDir = mkdtempSync(join(tmpdir(), 'rdpdoctor-fuzz-'));
  // Interrupted runs (Ctrl-C, kill) leave no temp files either: the CLI turns signals into exit.
  const cleanup = () => rmSync(tmpDir, { recursive: true, force: true });
  process.once('exit', cleanup);
  const pool = new ReaderPool({ size: o.jobs, distDir: o.distDir, readersModule: o.readersModule, tmpDir, timeoutMs: o.timeoutMs, perMbMs: o.perMbMs, heapMb: o.heapMb });
  const known = new Set(o.ignoreKnown ? listFixtures(o.outDir).filter((f) => f.doc.status === 'open').map((f) => f.doc.signature) : []);
  const found = new Map();
  const runs = {};
  let inputs = 0;
  let knownHits = 0;
  try {
    const formats = await pool.readerFormats();
    const seeds = loadSeeds({ corpusDir: o.corpusDir, repoRoot: REPO_ROOT, evtxMode: o.evtxMode, maxSeedSize: o.maxSeedSize, chunksPerFile: o.chunksPerFile, builtin: o.builtin, repoSeeds: o.repoSeeds, extraSeeds: o.extraSeeds });
    if (!seeds.evtx.length && !seeds.text.length) throw new Error('no fuzz seeds: neither the corpus nor samples/ nor built-in seeds are available');
    for (const n of seeds.notes) o.log(`fuzz: ${n}`);
    if (o.readersModule) seeds.zip = [];
    o.log(`fuzz: readers [${formats.join(', ')}], seeds ${seeds.evtx.length} evtx + ${seeds.text.length} text + ${seeds.zip.length} zip, seed "${o.seed}"`);

    const record = async (meta, outcome) => {
      for (const run of outcome.result?.runs ?? []) if (run.phase === 'read') runs[run.format] = (runs[run.format] ?? 0) + 1;
      for (const f of classify(outcome)) {
        if (known.has(f.signature)) {
          knownHits++;
          continue;
        }
        const prev = found.get(f.signature);
        if (prev) {
          prev.count++;
          continue;
        }
        const entry = { ...f, count: 1, seed: meta.seedName, index: meta.index, steps: meta.steps, size: meta.bytes.length };
        found.set(f.signature, entry);
        o.log(`fuzz: NEW ${f.kind} in ${f.format} (input ${meta.index}, seed ${meta.seedName}): ${f.message.slice(0, 300)}`);
        if (o.save && f.kind !== 'harness') {
          const small = o.minimize ? await minimize(pool, meta, meta.bytes, f) : meta.bytes;
          const path = saveFixture(o.outDir, f, small, { ...meta, fuzzSeed: o.seed, originalSize: meta.bytes.length });
          entry.fixture = path;
          entry.minimizedSize = small.length;
          if (path) o.log(`fuzz:   saved ${path} (${small.length} of ${meta.bytes.length} bytes)`);
        }
      }
    };

    // Pristine seeds first: their format (by sniffing) is what mutated copies are forced through.
    for (const seed of [...seeds.evtx, ...seeds.text, ...(o.readersModule ? [] : seeds.zip)]) {
      // Every pristine seed is read twice: its output must be deterministic.
      const meta = { name: `seed/${seed.name}`, bytes: seed.buf, sniff: seed.kind !== 'zip', zip: seed.kind === 'zip', twice: true, force: forceFor(seed, formats), via: seed.kind === 'zip' ? 'file' : 'stream', splitSeed: 1, seedName: seed.name, index: -1, steps: [], kind: seed.kind };
      const outcome = await pool.run(meta);
      seed.format = outcome.result?.sniffed ?? undefined;
      meta.force = forceFor(seed, formats);
      if (o.includeSeeds) await record(meta, outcome);
    }

    const deadline = o.seconds > 0 ? t0 + o.seconds * 1000 : Infinity;
    const inFlight = new Set();
    const limit = Math.max(1, o.jobs * 2);
    let lastLog = Date.now();
    for (let index = o.start ?? 0; index < (o.start ?? 0) + o.count && Date.now() < deadline; index++) {
      const input = buildInput(seeds, o, index);
      const isZip = input.seed.kind === 'zip';
      const meta = { name: input.name, bytes: input.bytes, sniff: !isZip, zip: isZip, twice: input.twice, force: forceFor(input.seed, formats), via: input.via, splitSeed: input.splitSeed, seedName: input.seed.name, index, steps: input.steps, kind: input.seed.kind };
      const p = pool.run(meta).then((outcome) => record(meta, outcome));
      inFlight.add(p);
      p.finally(() => inFlight.delete(p));
      inputs++;
      if (inFlight.size >= limit) await Promise.race(inFlight);
      if (Date.now() - lastLog > 10_000) {
        lastLog = Date.now();
        o.log(`fuzz: ${inputs} inputs, ${found.size} findings, ${Math.round((Date.now() - t0) / 1000)} s`);
      }
    }
    await Promise.all(inFlight);
    return {
      seed: o.seed,
      inputs,
      runs,
      formats,
      seeds: { evtx: seeds.evtx.length, text: seeds.text.length, zip: seeds.zip.length },
      notes: seeds.notes,
      findings: [...found.values()].sort((a, b) => a.signature.localeCompare(b.signature)),
      knownHits,
      restarts: pool.restarts,
      elapsedMs: Date.now() - t0,
    };
  } finally {
    await pool.close();
    cleanup();
    process.off('exit', cleanup);
  }
}

const r0 = (fx) => fx.doc.replay;

/** Replays saved fixtures (both stream and file access); returns one result per fixture. */
export async function replayFixtures(options = {}) {
  const o = { ...DEFAULTS, ...options };
  const tmpDir = mkdtempSync(join(tmpdir(), 'rdpdoctor-replay-'));
  const pool = new ReaderPool({ size: o.jobs, distDir: o.distDir, readersModule: o.readersModule, tmpDir, timeoutMs: o.timeoutMs, perMbMs: o.perMbMs, heapMb: o.heapMb });
  const results = [];
  try {
    for (const fx of listFixtures(o.outDir)) {
      const bytes = readFileSync(fx.bin);
      const findings = [];
      for (const via of r0(fx).zip ? ['file'] : r0(fx).via === 'stream-error' ? ['stream-error'] : ['stream', 'file']) {
        const r = fx.doc.replay;
        const outcome = await pool.run({ name: r.name, bytes, sniff: r.sniff, zip: r.zip, twice: r.twice, force: r.zip ? [] : r.force?.length ? r.force : [fx.doc.reader], via: r.zip ? 'file' : via, splitSeed: r.splitSeed });
        for (const f of classify(outcome)) findings.push({ via, ...f });
      }
      results.push({ fixture: `${fx.reader}/${fx.hash}`, status: fx.doc.status, kind: fx.doc.kind, signature: fx.doc.signature, findings });
    }
    return results;
  } finally {
    await pool.close();
    rmSync(tmpDir, { recursive: true, force: true });
  }
}
