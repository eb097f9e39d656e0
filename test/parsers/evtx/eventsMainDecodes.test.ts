// Decoded events with workers: the main thread decodes chunks too (while the worker starts, and
// when the store would wait), and its chunks keep their place in file order. A decoder failure on
// this thread is thrown at that chunk's turn, after every chunk before it, as a worker's would be.
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fileSource } from '../../../src/ingest/discover.js';
import { decodeChunk, type ChunkJob, type ChunkResult } from '../../../src/parsers/evtx/decode.js';
import { chunkPipeline } from '../../../src/parsers/evtx/pipeline.js';
import { corpusFile, corpusPresenceTest, haveCorpus } from './corpus.js';

const FILE = 'dbc__smb-password-guessing-security.evtx';

async function chunks(workers: number, inline: (buf: Buffer, job: ChunkJob) => ChunkResult): Promise<{ order: number[]; here: number; error?: string }> {
  const f = corpusFile(FILE);
  const order: number[] = [];
  let here = 0;
  const counting = (buf: Buffer, job: ChunkJob): ChunkResult => {
    here++;
    return inline(buf, job);
  };
  try {
    for await (const item of chunkPipeline<ChunkResult>(fileSource(f, statSync(f).size), { workers }, 'events', counting)) {
      if (item.kind !== 'chunk') continue;
      const first = item.result.items.find((x) => x.kind === 'event');
      if (first?.kind === 'event') order.push(first.event.source.chunk!);
    }
  } catch (e) {
    return { order, here, error: (e as Error).message };
  }
  return { order, here };
}

describe('events pipeline with a worker', () => {
  corpusPresenceTest();
  // First, while the pool's worker is still starting: the main thread then surely decodes some chunks.
  it.runIf(haveCorpus)("throws this thread's decoder failure at its chunk's turn", async () => {
    const r = await chunks(2, () => {
      throw new Error('boom');
    });
    expect(r.error).toBe('boom');
    // Everything before the failed chunk came out, in order, from the worker.
    expect(r.order).toEqual(r.order.map((_, i) => r.order[0]! + i));
  }, 60_000);

  it.runIf(haveCorpus)('decodes on both threads, in file order', async () => {
    const one = await chunks(1, decodeChunk);
    const two = await chunks(2, decodeChunk);
    expect(two.order).toEqual(one.order);
    expect(one.order.length).toBeGreaterThan(20);
    expect(two.here).toBeGreaterThan(0);
    expect(two.here).toBeLessThan(one.here);
  }, 60_000);
});
