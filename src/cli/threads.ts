// How many threads evtx decoding gets. A second thread pays only on enough input: its start-up and
// JIT warm-up (its own compiling, about 0.4 s of CPU) cost more than it saves on less. Measured on
// 2 cores (bench/stages/10-evtx.mjs, ingest.mjs): dump even at 192 MiB, 1.10× at 256 MiB, 1.5× at
// 1 GiB; ingest slower on the 77 MB corpus, even at 256 MiB, 1.1–1.2× at 1 GiB.

/** Below this much evtx input, one thread; RDPDOCTOR_PARALLEL_MIN_MB (MiB) sets it, 0: always as asked. */
export function parallelMinBytes(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.RDPDOCTOR_PARALLEL_MIN_MB;
  const v = Number(raw);
  return (raw !== undefined && raw.trim() !== '' && Number.isFinite(v) && v >= 0 ? v : 192) * 1024 * 1024;
}

/** The threads asked for, or one on too little evtx input. */
export function threadsFor(workers: number, evtxBytes: number, env: NodeJS.ProcessEnv = process.env): number {
  return workers > 1 && evtxBytes < parallelMinBytes(env) ? 1 : workers;
}
