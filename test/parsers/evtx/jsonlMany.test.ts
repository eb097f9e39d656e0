// evtxJsonlMany (dump's evtx path) with worker threads: jobs are whole read batches transferred to
// the workers, and a stream's short last block (a small pooled Buffer) goes alone, copied. Output
// and counts must be those of inline decoding, in input order, whatever the mix of inputs.
import { readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fileSource } from '../../../src/ingest/discover.js';
import { evtxJsonlMany } from '../../../src/parsers/evtx/jsonlStream.js';
import { poolSizeFor } from '../../../src/parsers/evtx/pipeline.js';
import { sharedPool } from '../../../src/parsers/evtx/pool.js';
import type { InputSource } from '../../../src/parsers/types.js';
import { bufferSource, corpusFile, corpusPresenceTest, haveCorpus } from './corpus.js';

async function dumpAll(inputs: InputSource[], workers: number): Promise<{ text: string; ends: string[] }> {
  const parts: Buffer[] = [];
  const ends: string[] = [];
  for await (const item of evtxJsonlMany(inputs, { workers })) {
    // Copied at once: an item's bytes may be a view that the next item reuses.
    if (item.kind === 'text') parts.push(Buffer.from(item.bytes));
    else if (item.kind === 'end') ends.push(`${item.file}: ${item.stats.read} read, ${item.stats.recovered} recovered, ${item.stats.skipped} skipped`);
    else ends.push(`${item.file}: error ${item.message}`);
  }
  return { text: Buffer.concat(parts).toString('utf8'), ends };
}

describe('evtxJsonlMany with workers', () => {
  corpusPresenceTest();
  it.runIf(haveCorpus)('writes what inline decoding writes, for files, streams and a short stream tail', async () => {
    const big = corpusFile('dbc__smb-password-guessing-security.evtx'); // 3 MiB: several read batches
    const small = corpusFile('vraptor__RDPAuth_LocalSessionManager.evtx');
    const bytes = readFileSync(big);
    // A stream cut 3000 bytes into a chunk: its last block is a small Buffer from Node's pool.
    const cut = bufferSource('cut.evtx', bytes.subarray(0, 4096 + 5 * 65536 + 3000));
    const inputs = (): InputSource[] => [fileSource(big, statSync(big).size), cut, fileSource(small, statSync(small).size), bufferSource('whole.evtx', bytes)];
    const one = await dumpAll(inputs(), 1);
    // The main thread decodes too, and alone until the worker has started: wait for it, so that
    // both kinds of thread take part (checked by the count of jobs sent to the worker).
    const pool = sharedPool(poolSizeFor(2, true));
    await pool.whenReady();
    const sent = pool.sent;
    const two = await dumpAll(inputs(), 2);
    expect(pool.sent - sent).toBeGreaterThan(2);
    expect(one.ends).toHaveLength(4);
    expect(one.text.split('\n').length).toBeGreaterThan(7000);
    expect(two.ends).toEqual(one.ends);
    expect(two.text === one.text).toBe(true);
  }, 120_000);
});
