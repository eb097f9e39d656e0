// How many threads evtx decoding gets. A second thread pays only on enough input: its start-up and
// JIT warm-up (its own compiling, about 0.5 s of CPU) cost more than it saves on less. Measured on
// 2 cores (bench/stages/10-evtx.mjs, ingest.mjs): dump even at 192 MiB, 1.18× at 256 MiB, 1.6× at
// 1 GiB, 1.75× at 2 GiB; ingest slower on the 77 MB corpus, even at 256 MiB, 1.2× at 1 GiB.
import { availableParallelism } from 'node:os';
import { InvalidArgumentError } from 'commander';
import { threadsFor as threadsForBytes } from '../parsers/evtx/pipeline.js';
import { envNumber } from './options.js';

/** `--workers auto` (the default): one thread per core, at most this many (only 2 cores were measured). */
export const AUTO_WORKERS_MAX = 4;

export function autoWorkers(cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(cores, AUTO_WORKERS_MAX));
}

/** `--workers`: a whole number from 1 to 64, or `auto`. */
export function parseWorkers(v: string): number {
  if (v.trim().toLowerCase() === 'auto') return autoWorkers();
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected auto or a whole number from 1 to 64');
  return n;
}

/** Below this much evtx input, one thread; RDPDOCTOR_PARALLEL_MIN_MB (MiB) sets it, 0: always as asked. */
export function parallelMinBytes(env: NodeJS.ProcessEnv = process.env): number {
  return envNumber('RDPDOCTOR_PARALLEL_MIN_MB', 192, env) * 1024 * 1024;
}

/** The threads asked for, or one on too little evtx input. */
export function threadsFor(workers: number, evtxBytes: number, env: NodeJS.ProcessEnv = process.env): number {
  return threadsForBytes(workers, evtxBytes, parallelMinBytes(env));
}
