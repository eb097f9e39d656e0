// JSONL for evtx files on disk with several threads, without moving bytes between them: every
// thread (the main one and the workers) claims the next read batch from one shared counter, reads
// it itself, decodes it, and writes its JSON lines straight to the output fd when the shared turn
// counter reaches that batch. The output order is the file order, byte for byte that of one thread.
//
// Why not the pool (pipeline.ts): there each batch crossed threads twice (input in, text out) and
// the main thread read and wrote for everyone. Measured on 8 × 128 MiB, a worker spent 16% more CPU
// per batch than the same decoding in a loop, and two threads used 1.35 CPU s more than one; here
// they use about 0.7 s more, nearly all of it the second isolate's JIT (bench/stages/10-evtx.mjs).
import { closeSync, openSync, statSync } from 'node:fs';
import { MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { ParseIssue } from '../../model/issue.js';
import { addStats, emptyStats, type InputSource, type ReadOptions, type SourceStats } from '../types.js';
import { writeAll } from '../fdWrite.js';
import { BATCH, blocks, readErrorText, readFully } from './blocks.js';
import type { ChunkJob } from './decode.js';
import { FILE_HEADER_SIZE } from './fileHeader.js';
import { batchJsonl } from './jsonl.js';
import type { ManyTextItem } from './jsonlStream.js';
import { headerCheck } from './pipeline.js';
import { sharedPool } from './pool.js';
import { CHUNK_SIZE } from './stringTable.js';

/** A file of the run: its batches are numbered first … first + count - 1 across all files. */
export interface RingFile {
  name: string;
  path: string;
  size: number;
  first: number;
  count: number;
}

export interface RingSetup {
  files: RingFile[];
  total: number;
  /** Int32 slots (see below), then one per file. */
  state: SharedArrayBuffer;
  /** Batch owners (thread number + 1), so the main thread can take over a dead worker's batches. */
  owners: SharedArrayBuffer;
  fd: number;
  strict?: boolean;
  codepage?: string;
}

// Int32 slots of RingSetup.state.
const TURN = 0; // the batch whose text is written next
const NEXT = 1; // the next batch to claim
const GATE = 2; // the file whose text may be written (the main thread opens each in turn)
const STOP = 3; // 1: the output is closed (EPIPE), everyone stops
const FAILED = 4; // + file: 1 + the batch at which the file stopped (a read error or a decoder failure)

/**
 * Outputs a thread may hold while waiting for its turn: enough to ride over the other's slow batch
 * (on 1 GiB, 4 and 8 gave the same time; 2 left each thread waiting 0.1 s).
 */
const AHEAD = 4;

/** What a batch gave, without its text (sent to the main thread, which keeps the per-file counts). */
export interface BatchOutcome {
  k: number;
  read: number;
  recovered: number;
  skipped: number;
  filtered: number;
  skippedBy: Record<string, number>;
  issues: ParseIssue[];
  /** The decoder failed on this batch: the file ends with this error. */
  error?: string;
  /** Reading failed here: the file's records so far stand (the issue says where). */
  readFailed?: boolean;
}

interface Held {
  k: number;
  file: number;
  bytes: Uint8Array;
}

/** One thread's side of the ring: claims, decodes and writes batches. */
export class RingThread {
  private readonly st: Int32Array;
  private readonly owners: Int8Array;
  private readonly fds = new Map<number, number>();
  private readonly input = Buffer.allocUnsafeSlow(BATCH);
  private readonly held: Held[] = [];
  private readonly spares: Buffer[] = [];
  private fileAt = 0;

  constructor(
    private readonly setup: RingSetup,
    private readonly thread: number,
    private readonly report: (o: BatchOutcome) => void,
  ) {
    this.st = new Int32Array(setup.state);
    this.owners = new Int8Array(setup.owners);
  }

  /** Writes whatever waits for its turn (between the chunks of a batch: the other thread may need it). */
  private readonly flush = (): void => {
    while (this.writeHeld(0));
  };

  get holding(): number {
    return this.held.length;
  }

  /** Whether batch k is decoded here and waiting to be written. */
  holds(k: number): boolean {
    return this.held.some((h) => h.k === k);
  }

  /** Held outputs stay in batch order (a dead worker's batch taken over may come before others). */
  private hold(h: Held): void {
    let i = this.held.length;
    while (i > 0 && this.held[i - 1]!.k > h.k) i--;
    this.held.splice(i, 0, h);
  }

  get stopped(): boolean {
    return Atomics.load(this.st, STOP) !== 0;
  }

  /** The file of batch k (a forward scan from the last answer: claims grow but for a take-over). */
  fileOf(k: number): number {
    const files = this.setup.files;
    let f = this.fileAt;
    if (k < files[f]!.first) f = 0;
    while (k >= files[f]!.first + files[f]!.count) f++;
    this.fileAt = f;
    return f;
  }

  /** Claims the next batch; -1 when every batch is claimed. */
  claim(): number {
    for (;;) {
      const k = Atomics.load(this.st, NEXT);
      if (k >= this.setup.total) return -1;
      if (Atomics.compareExchange(this.st, NEXT, k, k + 1) === k) {
        this.owners[k] = this.thread + 1;
        return k;
      }
    }
  }

  /** Reads and decodes batch k into a held output, and reports its outcome. */
  decode(k: number): void {
    const f = this.fileOf(k);
    const file = this.setup.files[f]!;
    const out: BatchOutcome = { k, read: 0, recovered: 0, skipped: 0, filtered: 0, skippedBy: {}, issues: [] };
    let bytes: Uint8Array = NO_BYTES;
    const failedAt = Atomics.load(this.st, FAILED + f);
    // A batch after the one where its file stopped is not read (it is passed over when written).
    if (failedAt === 0 || k < failedAt - 1) {
      const off = FILE_HEADER_SIZE + (k - file.first) * BATCH;
      let n = 0;
      try {
        n = this.read(f, off, Math.max(0, Math.min(BATCH, file.size - off)));
      } catch (e) {
        // As blocks() reports it: the records before stand, the rest of the file is lost.
        out.readFailed = true;
        out.issues.push({ severity: 'error', code: 'evtx.read-error', message: `reading stopped at offset 0x${off.toString(16)}: ${readErrorText(e)}`, file: file.name, offset: off, chunk: (off - FILE_HEADER_SIZE) / CHUNK_SIZE });
        this.fail(f, k);
      }
      const parts: NonNullable<ChunkJob['parts']> = [];
      for (let p = 0; p < n; p += CHUNK_SIZE) parts.push({ index: (off - FILE_HEADER_SIZE + p) / CHUNK_SIZE, fileOffset: off + p, start: p, end: Math.min(n, p + CHUNK_SIZE) });
      if (parts.length) {
        const job: ChunkJob = { file: file.name, index: parts[0]!.index, fileOffset: off, output: 'jsonl', parts };
        if (this.setup.strict) job.strict = true;
        if (this.setup.codepage) job.codepage = this.setup.codepage;
        try {
          const r = batchJsonl(this.input, job, this.spares.pop(), this.flush);
          bytes = r.bytes;
          Object.assign(out, { read: r.read, recovered: r.recovered, skipped: r.skipped, filtered: r.filtered, skippedBy: r.skippedBy, issues: r.issues });
        } catch (e) {
          // The decoder itself failed (damage is reported, not thrown): the file ends with this error.
          out.error = (e as Error).message;
          this.fail(f, k);
        }
      }
    }
    this.report(out);
    this.hold({ k, file: f, bytes });
  }

  private fail(f: number, k: number): void {
    // The earliest failing batch wins (another thread may be decoding a later one of the file).
    for (;;) {
      const cur = Atomics.load(this.st, FAILED + f);
      if (cur !== 0 && cur - 1 <= k) return;
      if (Atomics.compareExchange(this.st, FAILED + f, cur, k + 1) === cur) return;
    }
  }

  private read(f: number, off: number, len: number): number {
    let fd = this.fds.get(f);
    if (fd === undefined) {
      fd = openSync(this.setup.files[f]!.path, 'r');
      this.fds.set(f, fd);
    }
    return readFully(fd, this.input.subarray(0, len), off);
  }

  /** Whether the oldest held output may be written now. */
  private mayWrite(h: Held): boolean {
    return Atomics.load(this.st, TURN) === h.k && Atomics.load(this.st, GATE) >= h.file;
  }

  /**
   * Writes the oldest held output if it is its turn (waiting for it up to `waitMs`); true when
   * written. A batch after its file's failing one is passed over unwritten.
   */
  writeHeld(waitMs: number): boolean {
    const h = this.held[0];
    if (!h) return false;
    if (!this.mayWrite(h)) {
      const until = waitMs > 0 ? Date.now() + waitMs : 0;
      for (;;) {
        if (this.stopped) return false;
        const turn = Atomics.load(this.st, TURN);
        if (this.mayWrite(h)) break;
        const left = until - Date.now();
        if (left <= 0) return false;
        Atomics.wait(this.st, TURN, turn, Math.min(left, 20));
      }
    }
    this.held.shift();
    const failedAt = Atomics.load(this.st, FAILED + h.file);
    // failedAt is 1 + the failing batch: the batches before it stand.
    if (h.bytes.length > 0 && (failedAt === 0 || h.k < failedAt) && !writeAll(this.setup.fd, h.bytes)) Atomics.store(this.st, STOP, 1);
    // The written buffer is the JSON writer's next one (see JsonWriter.handOver).
    const ab = h.bytes.buffer;
    if (h.bytes.byteOffset === 0 && ab instanceof ArrayBuffer && ab.byteLength >= 1 << 16 && this.spares.length < AHEAD) this.spares.push(Buffer.from(ab));
    Atomics.store(this.st, TURN, h.k + 1);
    Atomics.notify(this.st, TURN);
    return true;
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
  }
}

const NO_BYTES = new Uint8Array(0);


/** A worker's part: claim, decode and write until every batch is claimed, then write what it holds. */
export function runRingWorker(setup: RingSetup, thread: number, port: MessagePort): void {
  const t = new RingThread(setup, thread, (o) => port.postMessage(o));
  try {
    for (;;) {
      if (t.stopped) break;
      // Everything whose turn has come goes out before the next decode (the others wait on it).
      while (t.writeHeld(0));
      if (t.holding < AHEAD) {
        const k = t.claim();
        if (k >= 0) {
          t.decode(k);
          continue;
        }
      }
      if (t.holding === 0) break;
      t.writeHeld(60_000);
    }
  } finally {
    t.close();
    port.close();
  }
}

/** Whether evtxJsonlRing can take these inputs: all plain files on disk, and more than one thread. */
export function ringFits(inputs: InputSource[], opts: ReadOptions): boolean {
  return (opts.workers ?? 1) > 1 && inputs.length > 0 && inputs.every((i) => i.path !== undefined);
}

export interface RingOptions {
  /** Where the JSON lines go (dump: 1, stdout). */
  fd: number;
  /** Called when the reader of fd has gone; by default the run throws. */
  onClosed?: () => never;
  /** Filled in as files end: batches decoded by each thread (0 is the main thread). */
  shares?: number[];
}

/**
 * evtxJsonlMany for plain files with `opts.workers` threads: items as there (by file, then batch),
 * but the text is written to `ro.fd` in order by the threads themselves, so the items carry none.
 * Each file's text is written only once its first item has been pulled, so whatever the consumer
 * writes to the same fd between files keeps its place.
 */
export async function* evtxJsonlRing(inputs: InputSource[], opts: ReadOptions, ro: RingOptions): AsyncGenerator<ManyTextItem, void, void> {
  const workers = Math.max(2, Math.floor(opts.workers ?? 2));
  // The plan: header checks (as the one-thread pipeline makes them) and batch numbers per file.
  const files: RingFile[] = [];
  const headers: { fatal: boolean; issues: ParseIssue[] }[] = [];
  let total = 0;
  for (const input of inputs) {
    const it = blocks(input);
    const hc = headerCheck(input, await it.next());
    await it.return(undefined);
    let size = 0;
    if (hc.ok) {
      try {
        size = statSync(input.path!).size;
      } catch {
        size = input.size;
      }
    }
    const count = hc.ok && size > FILE_HEADER_SIZE ? Math.ceil((size - FILE_HEADER_SIZE) / BATCH) : 0;
    files.push({ name: input.name, path: input.path!, size, first: total, count });
    headers.push({ fatal: !hc.ok, issues: hc.issues });
    total += count;
  }
  const setup: RingSetup = { files, total, state: new SharedArrayBuffer(4 * (FAILED + files.length)), owners: new SharedArrayBuffer(Math.max(1, total)), fd: ro.fd };
  if (opts.strict) setup.strict = true;
  if (opts.codepage) setup.codepage = opts.codepage;
  const st = new Int32Array(setup.state);
  Atomics.store(st, GATE, -1);
  const owners = new Int8Array(setup.owners);

  // Outcomes by batch: the main thread's own, and the workers' through their ports.
  const outcomes = new Map<number, BatchOutcome>();
  const main = new RingThread(setup, 0, (o) => outcomes.set(o.k, o));
  const pool = sharedPool(workers - 1);
  const ports: MessagePort[] = [];
  const dead = new Set<number>();
  const runs = [];
  for (let w = 0; w < pool.size; w++) {
    const ch = new MessageChannel();
    ports.push(ch.port1);
    const thread = w + 1;
    runs.push(
      pool.runRing(w, setup, thread, ch.port2).catch(() => {
        dead.add(thread);
      }),
    );
  }
  const poll = (): void => {
    for (const p of ports) for (let m = receiveMessageOnPort(p); m; m = receiveMessageOnPort(p)) outcomes.set((m.message as BatchOutcome).k, m.message as BatchOutcome);
  };
  const closed = (): never => {
    if (ro.onClosed) ro.onClosed();
    throw new Error('output closed');
  };
  try {
    for (let f = 0; f < files.length; f++) {
      const file = files[f]!;
      const hd = headers[f]!;
      let stats: SourceStats = emptyStats();
      if (hd.issues.length) yield { file: f, kind: 'text', bytes: NO_BYTES, issues: hd.issues };
      if (hd.fatal) {
        stats.skippedBy['evtx.bad-file-header'] = 1;
        yield { file: f, kind: 'end', stats };
        continue;
      }
      Atomics.store(st, GATE, f);
      Atomics.notify(st, TURN);
      const last = file.first + file.count - 1;
      let next = file.first; // the next outcome to hand on
      let error: string | undefined;
      let ended = false; // a read error or decoder failure ended the file
      let idle = 0;
      while (next <= last || Atomics.load(st, TURN) <= last) {
        if (main.stopped) closed();
        poll();
        // Outcomes in batch order: counts, then issues.
        let progressed = false;
        while (next <= last && outcomes.has(next)) {
          const o = outcomes.get(next)!;
          outcomes.delete(next);
          next++;
          progressed = true;
          if (ended) continue;
          if (o.error !== undefined) {
            error = o.error;
            ended = true;
            continue;
          }
          addStats(stats, o);
          if (o.readFailed) ended = true;
          yield { file: f, kind: 'text', bytes: NO_BYTES, issues: o.issues, at: Math.min(file.size, FILE_HEADER_SIZE + (o.k - file.first + 1) * BATCH) };
        }
        while (main.writeHeld(0)) progressed = true;
        if (main.holding < AHEAD) {
          // Also a later file's batch: it waits, decoded, until that file's turn.
          const k = main.claim();
          if (k >= 0) {
            main.decode(k);
            continue;
          }
        }
        // The batch whose turn it is belongs to a worker that died: decode it here.
        const turn = Atomics.load(st, TURN);
        if (turn <= last && dead.has(owners[turn]! - 1) && !main.holds(turn)) {
          owners[turn] = 1;
          main.decode(turn);
          continue;
        }
        if (progressed) {
          idle = 0;
          continue;
        }
        // Nothing to do but wait for a worker: briefly on the turn counter, and now and then on
        // the event loop, which brings the news of a worker that died.
        if (++idle % 8 === 0) await new Promise<void>((resolve) => setImmediate(resolve));
        else Atomics.wait(st, TURN, turn, 2);
      }
      if (main.stopped) closed();
      if (ro.shares) for (let k = file.first; k <= last; k++) ro.shares[owners[k]! - 1] = (ro.shares[owners[k]! - 1] ?? 0) + 1;
      if (error !== undefined) {
        yield { file: f, kind: 'error', message: error };
        stats = emptyStats();
      } else yield { file: f, kind: 'end', stats };
    }
  } finally {
    // A consumer that stops early (or an error) must not leave the workers waiting for turns.
    Atomics.store(st, STOP, 1);
    Atomics.notify(st, TURN);
    main.close();
    await Promise.all(runs);
    for (const p of ports) p.close();
  }
}
