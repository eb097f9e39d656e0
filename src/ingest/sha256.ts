// A source's identity in the case is the SHA-256 of its bytes. A big file is hashed on a thread of
// its own while it is read and stored, instead of in a read pass before: on 1 GiB that pass took
// 1.6 s here, with the decoding thread idle.
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { builtScript } from '../parsers/builtScript.js';
import type { InputSource } from '../parsers/types.js';

/** Below this a file is hashed first, in line: a thread's start (about 40 ms) costs more than the pass. */
export const HASH_ASIDE_MIN_BYTES = 64 * 1024 * 1024;

/** An error that carries the code of the failed read (errText prints `CODE: message`). */
export class HashError extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export async function sha256Of(input: InputSource): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of input.open()) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** A hash under way on another thread; `result` never rejects, so it may be left unawaited. */
export interface HashAside {
  result: Promise<{ hex: string } | { error: HashError }>;
  /** Stops the thread (the source was given up before the hash was needed). */
  cancel(): void;
}

/** Starts hashing `input` on a thread when that pays (a file on disk, big enough, a core to spare). */
export function hashAside(input: InputSource, minBytes = HASH_ASIDE_MIN_BYTES, cores = availableParallelism()): HashAside | undefined {
  if (input.path === undefined || input.size < minBytes || cores < 2) return undefined;
  const worker = new Worker(builtScript(import.meta.url, './sha256Worker.js'), { workerData: { path: input.path } });
  // Never what keeps the process alive: ingest awaits the result when it needs it.
  worker.unref();
  const result = new Promise<{ hex: string } | { error: HashError }>((resolve) => {
    worker.once('message', (m: { hex?: string; error?: { code?: string; message: string } }) => {
      resolve(m.hex !== undefined ? { hex: m.hex } : { error: new HashError(m.error?.message ?? 'hash failed', m.error?.code) });
    });
    worker.once('error', (e) => resolve({ error: new HashError(e.message) }));
    worker.once('exit', (code) => resolve({ error: new HashError(`hash thread exited with code ${code}`) }));
  });
  return { result, cancel: () => void worker.terminate() };
}
