// A pool of reader workers under a watchdog. Each input gets a time limit (base + per MiB) and
// each worker a V8 heap limit (resourceLimits), so a hang or an unbounded allocation ends one
// worker, is reported as such, and the run goes on with a fresh worker.
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url));

export class ReaderPool {
  /**
   * @param {{ size?: number, distDir: string, readersModule?: string, tmpDir: string,
   *   timeoutMs?: number, perMbMs?: number, heapMb?: number, softLimitMb?: number }} opts
   */
  constructor(opts) {
    this.opts = { size: 1, timeoutMs: 5000, perMbMs: 2000, heapMb: 256, ...opts };
    this.opts.softLimitMb ??= Math.floor(this.opts.heapMb * 0.8);
    this.slots = Array.from({ length: this.opts.size }, () => ({ worker: undefined, ready: undefined, busy: false }));
    this.queue = [];
    this.formats = undefined;
    this.nextId = 1;
    this.restarts = 0;
  }

  /** Runs one job; resolves with { status: 'ok' | 'hang' | 'oom' | 'uncaught', ... }. Never rejects for reader faults. */
  run(job) {
    return new Promise((resolve, reject) => {
      this.queue.push({ job: { ...job, id: this.nextId++ }, resolve, reject });
      this.pump();
    });
  }

  /** Formats the readers registered (known once a worker has started). */
  async readerFormats() {
    const slot = this.slots[0];
    await this.ensure(slot);
    return this.formats;
  }

  async close() {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker?.terminate()));
  }

  spawn(slot) {
    const worker = new Worker(WORKER, {
      workerData: { distDir: this.opts.distDir, readersModule: this.opts.readersModule, softLimitMb: this.opts.softLimitMb, tmpDir: this.opts.tmpDir },
      resourceLimits: { maxOldGenerationSizeMb: this.opts.heapMb, maxYoungGenerationSizeMb: 32, stackSizeMb: 4 },
      stdout: true,
      stderr: true,
    });
    // Readers must not print; drain anything they do so a chatty reader cannot block the pipe.
    worker.stdout.resume();
    worker.stderr.resume();
    // A worker may still fail after its job was settled (heap limit reached while being
    // terminated after a time-out): keep a listener so that never becomes an unhandled error.
    worker.on('error', (err) => {
      this.lateErrors = (this.lateErrors ?? 0) + 1;
      this.lastLateError = String(err?.message ?? err);
    });
    slot.worker = worker;
    slot.ready = new Promise((resolve, reject) => {
      const onMsg = (m) => {
        if (m && m.ready) {
          worker.off('message', onMsg);
          worker.off('error', onErr);
          this.formats ??= m.formats;
          resolve();
        }
      };
      const onErr = (err) => reject(new Error(`fuzz worker failed to start: ${err.message}`));
      worker.on('message', onMsg);
      worker.once('error', onErr);
    });
    return slot.ready;
  }

  async ensure(slot) {
    if (!slot.worker) await this.spawn(slot);
    else await slot.ready;
  }

  pump() {
    for (const slot of this.slots) {
      if (slot.busy || !this.queue.length) continue;
      const task = this.queue.shift();
      slot.busy = true;
      this.ensure(slot)
        .then(() => this.exec(slot, task.job))
        .then(task.resolve, task.reject)
        .finally(() => {
          slot.busy = false;
          this.pump();
        });
    }
  }

  exec(slot, job) {
    const worker = slot.worker;
    const limit = Math.round(this.opts.timeoutMs + (this.opts.perMbMs * job.bytes.length) / 1048576);
    return new Promise((resolve) => {
      let current = null;
      let done = false;
      const started = Date.now();
      const finish = (outcome, kill) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        worker.off('message', onMsg);
        worker.off('error', onErr);
        worker.off('exit', onExit);
        if (kill) {
          slot.worker = undefined;
          this.restarts++;
          void worker.terminate();
        }
        resolve({ ...outcome, ms: Date.now() - started, running: current });
      };
      const onMsg = (m) => {
        if (m.id !== job.id) return;
        if (m.progress) current = m.progress;
        else finish({ status: 'ok', result: m }, false);
      };
      const onErr = (err) => {
        const oom = err?.code === 'ERR_WORKER_OUT_OF_MEMORY';
        finish({ status: oom ? 'oom' : 'uncaught', error: { name: err?.name ?? 'Error', message: String(err?.message ?? err), stack: String(err?.stack ?? '') } }, true);
      };
      const onExit = (code) => finish({ status: 'uncaught', error: { name: 'WorkerExit', message: `worker exited with code ${code}`, stack: '' } }, true);
      const timer = setTimeout(() => finish({ status: 'hang', limitMs: limit }, true), limit);
      worker.on('message', onMsg);
      worker.on('error', onErr);
      worker.on('exit', onExit);
      // Copy: the job's bytes stay usable for minimisation after the worker is gone.
      const copy = new Uint8Array(job.bytes);
      worker.postMessage({ ...job, bytes: copy }, [copy.buffer]);
    });
  }
}
