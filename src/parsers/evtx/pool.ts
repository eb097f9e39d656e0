// A small pool of worker threads decoding chunks. Workers load compiled JS from dist/ (also when
// this module runs from src/ under vitest). Idle workers are unref'd so they never keep the
// process alive.
import { existsSync } from 'node:fs';
import { builtScript } from '../builtScript.js';
import { Worker, type MessagePort } from 'node:worker_threads';
import type { ChunkJob } from './decode.js';
import type { RingSetup } from './jsonlRing.js';

export function workerScript(): string {
  return builtScript(import.meta.url, './worker.js');
}

interface Task {
  resolve: (r: unknown) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Task>;
  /** The worker has loaded its modules and said so. */
  ready: boolean;
}

export class ChunkPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private closing = false;
  /** Input buffers the workers have sent back after a batch job, for the next reads. */
  private readonly inputs: ArrayBuffer[] = [];
  /** Output buffers written out, for the main thread's JSON writer (see giveBack). */
  private readonly outputs: ArrayBuffer[] = [];
  private nextSpare = 0;
  /** Jobs sent to the workers so far (tests check that both kinds of thread took part). */
  sent = 0;
  private readyWaiters: (() => void)[] = [];

  constructor(size: number) {
    const script = workerScript();
    if (!existsSync(script)) throw new Error(`evtx worker script not found at ${script} (run npm run build)`);
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(script));
  }

  private spawn(script: string): Slot {
    // Small heaps: a chunk's garbage is short-lived and peak RSS matters; a chunk never needs more.
    const worker = new Worker(script, { resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 96 } });
    const slot: Slot = { worker, pending: new Map(), ready: false };
    worker.on('message', (m: { id: number; result?: unknown; error?: string; input?: ArrayBuffer; ready?: true }) => {
      if (m.ready) {
        slot.ready = true;
        if (this.ready === this.slots.length) for (const f of this.readyWaiters.splice(0)) f();
        return;
      }
      if (m.input && this.inputs.length < MAX_FREE_INPUTS) this.inputs.push(m.input);
      const t = slot.pending.get(m.id);
      if (!t) return;
      slot.pending.delete(m.id);
      if (slot.pending.size === 0) worker.unref();
      if (m.error !== undefined || !m.result) t.reject(new Error(m.error ?? 'worker returned nothing'));
      else t.resolve(m.result);
    });
    // A worker that dies (error, out of memory) fails its pending chunks and is replaced, so
    // later chunks never wait on a dead thread.
    const fail = (e: Error): void => {
      for (const t of slot.pending.values()) t.reject(e);
      slot.pending.clear();
      const i = this.slots.indexOf(slot);
      if (i >= 0 && !this.closing) this.slots[i] = this.spawn(script);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!this.closing) fail(new Error(`evtx worker exited with code ${code}`));
    });
    // After the listeners: adding a 'message' listener refs the worker again, and a pool that is
    // never given work (dump of .rdp files with --workers 2) kept the process alive for ever.
    worker.unref();
    return slot;
  }

  /**
   * Decodes one chunk (or job.parts of a batch) on the least busy worker; the result type follows
   * job.output. `owned`: buf is the whole of an ArrayBuffer no one else uses, so it is transferred
   * (detached here) instead of copied.
   */
  run<T>(buf: Buffer, job: ChunkJob, owned = false): Promise<T> {
    let slot = this.slots[0]!;
    for (const s of this.slots) if ((s.ready && !slot.ready) || (s.ready === slot.ready && s.pending.size < slot.pending.size)) slot = s;
    const id = this.nextId++;
    this.sent++;
    return new Promise<T>((resolve, reject) => {
      slot.pending.set(id, { resolve: resolve as (r: unknown) => void, reject });
      if (slot.pending.size === 1) slot.worker.ref();
      let ab: ArrayBuffer;
      if (owned) ab = buf.buffer as ArrayBuffer;
      else {
        // Copy into a transferable buffer (the caller's is a view into a larger batch).
        ab = new ArrayBuffer(buf.length);
        new Uint8Array(ab).set(buf);
      }
      slot.worker.postMessage({ id, buf: ab, job }, [ab]);
    });
  }

  /**
   * Starts worker `w`'s part of a JSONL ring (jsonlRing.ts) as thread `thread`, reporting on `port`.
   * Resolves when it has written its last batch; rejects if the worker dies.
   */
  runRing(w: number, setup: RingSetup, thread: number, port: MessagePort): Promise<void> {
    const slot = this.slots[w]!;
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      slot.pending.set(id, { resolve: () => resolve(), reject });
      if (slot.pending.size === 1) slot.worker.ref();
      slot.worker.postMessage({ id, ring: setup, thread, port }, [port]);
    });
  }

  /** A buffer of `size` bytes for a read batch: one a worker gave back, else a new one (never from Node's pool). */
  inputBuffer(size: number): Buffer {
    while (this.inputs.length) {
      const ab = this.inputs.pop()!;
      if (ab.byteLength === size) return Buffer.from(ab);
    }
    return Buffer.allocUnsafeSlow(size);
  }

  /** An input buffer the main thread is done with (it decoded the batch itself). */
  recycleInput(ab: ArrayBuffer): void {
    if (this.inputs.length < MAX_FREE_INPUTS) this.inputs.push(ab);
  }

  /**
   * Sends a written-out output buffer back to a worker, whose JSON writer goes on in it; one in
   * (workers + 1) stays here for the main thread's own JSON writer when it decodes too (spare()).
   */
  giveBack(bytes: Uint8Array): void {
    const ab = bytes.buffer;
    if (!(ab instanceof ArrayBuffer) || ab.byteLength < 1 << 16) return;
    const turn = this.nextSpare++;
    if (this.slots.length === 0 || (turn % (this.slots.length + 1) === 0 && this.outputs.length < MAX_FREE_OUTPUTS)) {
      this.outputs.push(ab);
      return;
    }
    const slot = this.slots[turn % this.slots.length]!;
    slot.worker.postMessage({ spare: ab }, [ab]);
  }

  /** An output buffer given back, for the main thread's JSON writer, if there is one. */
  spare(): Buffer | undefined {
    const ab = this.outputs.pop();
    return ab ? Buffer.from(ab) : undefined;
  }

  /** Resolves once every worker has started. */
  whenReady(): Promise<void> {
    if (this.ready === this.slots.length) return Promise.resolve();
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Workers that have started (the others queue what they are sent until then). */
  get ready(): number {
    let n = 0;
    for (const s of this.slots) if (s.ready) n++;
    return n;
  }

  /** Jobs sent to the workers and not yet answered. */
  get inFlight(): number {
    let n = 0;
    for (const s of this.slots) n += s.pending.size;
    return n;
  }

  get size(): number {
    return this.slots.length;
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }
}

/** Input buffers kept for reuse (256 KiB each): about what is in flight (8 jobs per thread with two). */
const MAX_FREE_INPUTS = 16;
const MAX_FREE_OUTPUTS = 4;

const pools = new Map<number, ChunkPool>();

/** One pool per size and process (idle workers are unref'd); never closed under a running read. */
export function sharedPool(size: number): ChunkPool {
  let p = pools.get(size);
  if (!p) {
    p = new ChunkPool(size);
    pools.set(size, p);
  }
  return p;
}
