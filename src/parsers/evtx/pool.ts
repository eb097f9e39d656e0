// A small pool of worker threads decoding chunks. Workers load compiled JS from dist/ (also when
// this module runs from src/ under vitest). Idle workers are unref'd so they never keep the
// process alive. The push-down filter is a function, so with workers it is applied on this thread.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { EventFilter } from '../types.js';
import type { ChunkJob, ChunkResult } from './decode.js';

export function workerScript(): string {
  const self = fileURLToPath(import.meta.url);
  if (self.endsWith('.js')) return fileURLToPath(new URL('./worker.js', import.meta.url));
  // Running from src/ (tsx, vitest): use the build output.
  return fileURLToPath(new URL('../../../dist/parsers/evtx/worker.js', import.meta.url));
}

interface Task {
  resolve: (r: ChunkResult) => void;
  reject: (e: Error) => void;
  filter?: EventFilter;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Task>;
}

export class ChunkPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;

  constructor(size: number) {
    const script = workerScript();
    if (!existsSync(script)) throw new Error(`evtx worker script not found at ${script} (run npm run build)`);
    for (let i = 0; i < size; i++) this.slots.push(this.spawn(script));
  }

  private spawn(script: string): Slot {
    const worker = new Worker(script);
    const slot: Slot = { worker, pending: new Map() };
    worker.unref();
    worker.on('message', (m: { id: number; result?: ChunkResult; error?: string }) => {
      const t = slot.pending.get(m.id);
      if (!t) return;
      slot.pending.delete(m.id);
      if (slot.pending.size === 0) worker.unref();
      if (m.error !== undefined || !m.result) t.reject(new Error(m.error ?? 'worker returned nothing'));
      else t.resolve(t.filter ? applyFilter(m.result, t.filter) : m.result);
    });
    worker.on('error', (e) => {
      for (const t of slot.pending.values()) t.reject(e);
      slot.pending.clear();
    });
    return slot;
  }

  run(buf: Buffer, job: ChunkJob, filter?: EventFilter): Promise<ChunkResult> {
    let slot = this.slots[0]!;
    for (const s of this.slots) if (s.pending.size < slot.pending.size) slot = s;
    const id = this.nextId++;
    return new Promise<ChunkResult>((resolve, reject) => {
      const task: Task = { resolve, reject };
      if (filter) task.filter = filter;
      slot.pending.set(id, task);
      if (slot.pending.size === 1) slot.worker.ref();
      // Copy into a transferable buffer (the caller's may be a pooled slice).
      const ab = new ArrayBuffer(buf.length);
      new Uint8Array(ab).set(buf);
      slot.worker.postMessage({ id, buf: ab, job }, [ab]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
    this.slots.length = 0;
  }
}

function applyFilter(r: ChunkResult, filter: EventFilter): ChunkResult {
  const items = r.items.filter((it) => {
    if (it.kind !== 'event') return true;
    const e = it.event;
    if (filter.wants(e.channel, e.provider, e.eventId)) return true;
    r.read--;
    if (e.source.recovered) r.recovered--;
    r.filtered++;
    return false;
  });
  return { ...r, items };
}

let shared: ChunkPool | undefined;

/** One pool per process, resized when a different size is asked for. */
export function sharedPool(size: number): ChunkPool {
  if (!shared || sizeOf(shared) !== size) {
    void shared?.close();
    shared = new ChunkPool(size);
  }
  return shared;
}

function sizeOf(p: ChunkPool): number {
  return (p as unknown as { slots: Slot[] }).slots.length;
}
