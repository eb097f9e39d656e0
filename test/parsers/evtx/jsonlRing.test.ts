// evtxJsonlRing (dump --workers N on files on disk): every thread reads, decodes and writes its own
// batches, in turn. Its text must be byte for byte what one thread writes, and its items (issues,
// counts, per-file ends) the same, over the whole corpus with its damaged files.
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSource } from '../../../src/ingest/discover.js';
import { BATCH } from '../../../src/parsers/evtx/blocks.js';
import { evtxJsonlRing, RingThread, type BatchOutcome, type RingSetup } from '../../../src/parsers/evtx/jsonlRing.js';
import { evtxJsonlMany, type ManyTextItem } from '../../../src/parsers/evtx/jsonlStream.js';
import { sharedPool } from '../../../src/parsers/evtx/pool.js';
import type { InputSource } from '../../../src/parsers/types.js';
import { corpusDir, corpusPresenceTest, haveCorpus, readIndex, repoRoot } from './corpus.js';
import { sampleEvtx } from './fixtures.js';

const dir = mkdtempSync(path.join(tmpdir(), 'rdpdoctor-ring-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a consumer sees apart from the text: issues and ends, one line each. */
function describeItem(item: ManyTextItem): string[] {
  if (item.kind === 'text') return item.issues.map((i) => `${item.file} issue ${i.code} ${i.message} @${i.offset ?? ''}/${i.chunk ?? ''}/${i.recordId ?? ''}`);
  if (item.kind === 'end') return [`${item.file} end ${JSON.stringify(item.stats)}`];
  return [`${item.file} error ${item.message}`];
}

async function oneThread(inputs: InputSource[], strict = false): Promise<{ text: Buffer; items: string[] }> {
  const parts: Buffer[] = [];
  const items: string[] = [];
  reached = new Map();
  for await (const item of evtxJsonlMany(inputs, { workers: 1, ...(strict ? { strict } : {}) })) {
    if (item.kind === 'text') parts.push(Buffer.from(item.bytes));
    items.push(...describeItem(item));
    noteAt(item);
  }
  return { text: Buffer.concat(parts), items };
}

/** How far each file's items said decoding had come (for progress), by file index, in the last run. */
let reached = new Map<number, number>();
function noteAt(item: ManyTextItem): void {
  if (item.kind !== 'text' || item.at === undefined) return;
  expect(item.at).toBeGreaterThanOrEqual(reached.get(item.file) ?? 0);
  reached.set(item.file, item.at);
}

async function ring(inputs: InputSource[], workers: number, shares?: number[], strict = false): Promise<{ text: Buffer; items: string[] }> {
  const out = path.join(dir, `ring-${workers}.jsonl`);
  const fd = openSync(out, 'w');
  const items: string[] = [];
  reached = new Map();
  try {
    for await (const item of evtxJsonlRing(inputs, { workers, ...(strict ? { strict } : {}) }, { fd, ...(shares ? { shares } : {}) })) {
      if (item.kind === 'text') expect(item.bytes.length).toBe(0); // the threads wrote it
      items.push(...describeItem(item));
      noteAt(item);
    }
  } finally {
    closeSync(fd);
  }
  return { text: readFileSync(out), items };
}

const source = (p: string): InputSource => fileSource(p, statSync(p).size);

describe('evtxJsonlRing', () => {
  corpusPresenceTest();

  it.runIf(haveCorpus)('writes what one thread writes, with the same issues and counts, over the whole corpus', async () => {
    const files = [...new Set(readIndex().map((r) => r.file))].map((f) => path.join(corpusDir, f));
    expect(files.length).toBeGreaterThan(100);
    const inputs = files.map(source);
    const one = await oneThread(inputs);
    // Both threads take part once the worker runs (until then the main thread claims every batch).
    await sharedPool(1).whenReady();
    const shares: number[] = [];
    const two = await ring(inputs, 2, shares);
    expect(two.items).toEqual(one.items);
    expect(two.text.equals(one.text)).toBe(true);
    expect(shares[0]).toBeGreaterThan(0);
    expect(shares[1]).toBeGreaterThan(0);
    expect(one.items.some((l) => l.includes(' issue '))).toBe(true); // damaged files are in it
    // Three threads, with --strict (records of chunks whose checksums fail are dropped).
    const strictOne = await oneThread(inputs, true);
    const three = await ring(inputs, 3, undefined, true);
    expect(three.items).toEqual(strictOne.items);
    expect(three.text.equals(strictOne.text)).toBe(true);
    expect(strictOne.text.length).toBeLessThan(one.text.length);
  }, 300_000);

  it.runIf(haveCorpus)('takes over the batches of a worker that dies, and still writes everything in order', async () => {
    const files = [...new Set(readIndex().map((r) => r.file))].map((f) => path.join(corpusDir, f));
    const inputs = files.map(source);
    const one = await oneThread(inputs);
    const pool = sharedPool(1);
    await pool.whenReady();
    const out = path.join(dir, 'dead.jsonl');
    const fd = openSync(out, 'w');
    const items: string[] = [];
    const shares: number[] = [];
    let killed = false;
    try {
      for await (const item of evtxJsonlRing(inputs, { workers: 2 }, { fd, shares })) {
        items.push(...describeItem(item));
        if (!killed && item.kind === 'end' && (shares[1] ?? 0) > 0) {
          killed = true;
          // As if it ran out of memory: the thread ends with batches claimed and not written.
          await (pool as unknown as { slots: { worker: { terminate(): Promise<number> } }[] }).slots[0]!.worker.terminate();
        }
      }
    } finally {
      closeSync(fd);
    }
    expect(killed).toBe(true);
    expect(items).toEqual(one.items);
    expect(readFileSync(out).equals(one.text)).toBe(true);
    await pool.whenReady(); // the pool has started a new worker for later runs
  }, 300_000);

  it('keeps files whose header is bad, empty or truncated in their place', async () => {
    const a = path.join(dir, 'a.evtx');
    writeFileSync(a, sampleEvtx(900)); // several batches
    const junk = path.join(dir, 'junk.evtx');
    writeFileSync(junk, Buffer.alloc(5000, 0x41));
    const empty = path.join(dir, 'empty.evtx');
    writeFileSync(empty, Buffer.alloc(0));
    const cut = path.join(dir, 'cut.evtx');
    writeFileSync(cut, sampleEvtx(900).subarray(0, 4096 + 65536 + 20000)); // ends inside a chunk
    const headOnly = path.join(dir, 'head.evtx');
    writeFileSync(headOnly, sampleEvtx(3).subarray(0, 4096));
    // And the evtx inputs saved by the fuzzer (damaged in the ways that once broke a reader).
    const fuzzDir = path.join(repoRoot, 'test/fixtures/fuzz/evtx');
    const fuzzed = readdirSync(fuzzDir).filter((f) => f.endsWith('.bin')).sort().map((f) => path.join(fuzzDir, f));
    expect(fuzzed.length).toBeGreaterThan(5);
    const inputs = [a, junk, empty, cut, headOnly, ...fuzzed, a].map(source);
    // Progress: both ways reach the end of each readable file.
    const one = await oneThread(inputs);
    expect(reached.get(0)).toBe(statSync(a).size);
    expect(reached.get(3)).toBe(statSync(cut).size);
    const two = await ring(inputs, 2);
    expect(reached.get(0)).toBe(statSync(a).size);
    expect(reached.get(3)).toBe(statSync(cut).size);
    expect(reached.get(inputs.length - 1)).toBe(statSync(a).size);
    expect(two.items).toEqual(one.items);
    expect(two.text.equals(one.text)).toBe(true);
    expect(one.items.filter((l) => l.includes(' end '))).toHaveLength(6 + fuzzed.length);
    expect(one.text.toString('utf8').split('\n').length).toBeGreaterThan(1800);
  }, 60_000);

  it('writes a file only once the consumer has pulled it, so its own writes between files keep their place', async () => {
    const a = path.join(dir, 'gate-a.evtx');
    writeFileSync(a, sampleEvtx(900));
    const inputs = [a, a, a].map(source);
    await sharedPool(1).whenReady();
    const out = path.join(dir, 'gate.jsonl');
    const fd = openSync(out, 'w');
    try {
      for await (const item of evtxJsonlRing(inputs, { workers: 2 }, { fd })) {
        if (item.kind !== 'end') continue;
        // Between files the consumer writes too, and takes its time: the worker, free to decode
        // the next file's batches meanwhile, must not write them yet.
        writeSync(fd, `--- end of ${item.file}\n`);
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
    } finally {
      closeSync(fd);
    }
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    const one = (await oneThread([source(a)])).text.toString('utf8').trim().split('\n');
    expect(lines).toEqual([...one, '--- end of 0', ...one, '--- end of 1', ...one, '--- end of 2']);
  }, 60_000);

  it('writes an output whose turn has come between the chunks of the batch it is decoding', () => {
    // A thread that only wrote between batches kept the other thread waiting for a whole batch.
    const evtx = sampleEvtx(2000);
    const file = path.join(dir, 'two-batches.evtx');
    writeFileSync(file, evtx);
    const count = Math.ceil((evtx.length - 4096) / BATCH);
    expect(count).toBeGreaterThanOrEqual(2);
    expect((evtx.length - 4096 - BATCH) / 65536).toBeGreaterThanOrEqual(2); // batch 1 has 2 chunks or more
    const out = path.join(dir, 'two-batches.jsonl');
    const fd = openSync(out, 'w');
    const setup: RingSetup = { files: [{ name: 'two-batches.evtx', path: file, size: evtx.length, first: 0, count }], total: count, state: new SharedArrayBuffer(4 * 5), owners: new SharedArrayBuffer(count), fd };
    const st = new Int32Array(setup.state);
    st[2] = 0; // the file's gate is open
    const turnAtEnd: number[] = [];
    const t = new RingThread(setup, 0, () => turnAtEnd.push(st[0]!));
    t.decode(t.claim()); // batch 0, held: decode() does not write its own batch
    t.decode(t.claim()); // batch 1: batch 0 goes out after its first chunk
    expect(turnAtEnd).toEqual([0, 1]);
    for (let k = t.claim(); k >= 0; k = t.claim()) t.decode(k);
    while (t.writeHeld(0));
    t.close();
    closeSync(fd);
    expect(readFileSync(out).toString('utf8').split('\n').length - 1).toBe(2000);
  });

  it('stops a file at a read error: the issue names the offset, later batches are passed over', () => {
    // A directory opens but cannot be read (EISDIR): every batch of this "file" fails to read.
    const setup: RingSetup = {
      files: [{ name: 'broken.evtx', path: dir, size: 4096 + 3 * BATCH, first: 0, count: 3 }],
      total: 3,
      state: new SharedArrayBuffer(4 * 5),
      owners: new SharedArrayBuffer(3),
      fd: -1, // nothing may be written
    };
    const st = new Int32Array(setup.state);
    st[2] = 0; // the file's gate is open
    const outcomes: BatchOutcome[] = [];
    const t = new RingThread(setup, 0, (o) => outcomes.push(o));
    for (let k = t.claim(); k >= 0; k = t.claim()) t.decode(k);
    while (t.writeHeld(0));
    t.close();
    expect(outcomes.map((o) => o.k)).toEqual([0, 1, 2]);
    expect(outcomes[0]!.readFailed).toBe(true);
    expect(outcomes[0]!.issues).toHaveLength(1);
    expect(outcomes[0]!.issues[0]).toMatchObject({ code: 'evtx.read-error', file: 'broken.evtx', offset: 0x1000, chunk: 0 });
    expect(outcomes[0]!.issues[0]!.message).toContain('EISDIR');
    // The batches after it are not read again: no more issues, nothing decoded.
    expect(outcomes.slice(1).every((o) => o.issues.length === 0 && o.read === 0)).toBe(true);
    expect(st[0]).toBe(3); // every turn passed
    expect(st[4]).toBe(1); // the file stopped at batch 0
  });
});
