// Synthetic damage: each case yields every recoverable record plus counted issues, and never
// throws or hangs. Also the recovery policy: chunk count from the file size, all-zero chunks,
// slack carving, --strict, and the push-down filter.
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSource } from '../../../src/ingest/discover.js';
import { eventJson } from '../../../src/parsers/evtx/jsonl.js';
import { evtxJsonl } from '../../../src/parsers/evtx/jsonlStream.js';
import { workerScript } from '../../../src/parsers/evtx/pool.js';
import { evtxXml } from '../../../src/parsers/evtx/xmlStream.js';
import { xmlRecords } from '../../../src/parsers/evtx/xml.js';
import { buildChunk, deepEmbedded, fileOf, u32 } from './binxmlBuilder.js';
import { bufferSource, readFile, readSource, repoRoot } from './corpus.js';
import { sampleEvtx } from './fixtures.js';

const CHUNK = 0x10000;
const HEADER = 0x1000;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rdpdoctor-evtx-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Record offsets (chunk-relative) of the live records of chunk `i` of a clean file. */
function recordOffsets(file: Buffer, i: number): number[] {
  const base = HEADER + i * CHUNK;
  const free = file.readUInt32LE(base + 48);
  const out: number[] = [];
  for (let p = 512; p < free; p += file.readUInt32LE(base + p + 4)) out.push(p);
  return out;
}

describe('evtx damage and recovery', () => {
  const clean = sampleEvtx(300);
  const chunks = (clean.length - HEADER) / CHUNK;
  const perChunk = recordOffsets(clean, 0).length;

  it('reads a clean multi-chunk file without issues', async () => {
    expect(chunks).toBeGreaterThanOrEqual(2);
    const r = await readSource(bufferSource('clean.evtx', clean));
    expect(r.events).toHaveLength(300);
    expect(r.issues).toEqual([]);
    expect(r.events.map((e) => e.recordId)).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
  });

  it('truncated file: every whole record before the cut, and a truncation issue', async () => {
    const offs = recordOffsets(clean, 1);
    const cut = HEADER + CHUNK + offs[5]! + 10; // inside the 6th record of chunk 1
    const r = await readSource(bufferSource('cut.evtx', clean.subarray(0, cut)));
    expect(r.events).toHaveLength(perChunk + 5);
    expect(r.issues.map((i) => i.code)).toContain('evtx.truncated-chunk');
    expect(r.issues.find((i) => i.code === 'evtx.truncated-chunk')).toMatchObject({ chunk: 1, offset: HEADER + CHUNK });
  });

  it('truncated inside the file header: one error, no events', async () => {
    const r = await readSource(bufferSource('head.evtx', clean.subarray(0, 100)));
    expect(r.events).toEqual([]);
    expect(r.issues).toMatchObject([{ severity: 'error', code: 'evtx.bad-file-header' }]);
  });

  it('a zeroed region in a chunk costs only the records it covers', async () => {
    const f = Buffer.from(clean);
    const offs = recordOffsets(clean, 0);
    f.fill(0, HEADER + offs[3]!, HEADER + offs[6]!); // records 4, 5, 6 of chunk 0
    const r = await readSource(bufferSource('zeroed.evtx', f));
    const ids = r.events.filter((e) => !e.source.recovered).map((e) => e.recordId);
    expect(ids).not.toContain(4);
    expect(ids).not.toContain(6);
    expect(ids).toHaveLength(297);
    expect(r.issues.filter((i) => i.code === 'evtx.bad-record')).toHaveLength(1);
    expect(r.issues.filter((i) => i.code === 'evtx.chunk-data-checksum')).toHaveLength(1);
    expect(r.stats.skipped).toBe(1);
  });

  it('a record with an absurd size is skipped and the next records are read', async () => {
    const f = Buffer.from(clean);
    const offs = recordOffsets(clean, 0);
    f.writeUInt32LE(0xfffffff0, HEADER + offs[2]! + 4);
    const r = await readSource(bufferSource('size.evtx', f));
    expect(r.events.map((e) => e.recordId)).not.toContain(3);
    expect(r.events).toHaveLength(299);
    expect(r.issues.find((i) => i.code === 'evtx.bad-record')).toMatchObject({ severity: 'error', chunk: 0, offset: HEADER + offs[2]! });
  });

  it('a template offset outside the chunk is a counted record error', async () => {
    const { chunk } = buildChunk([{ name: 'v', type: 0x08, bytes: u32(1) }], { templateOffsetOverride: 0xfff0 });
    const r = await readSource(bufferSource('tmpl.evtx', fileOf([chunk])));
    expect(r.events).toEqual([]);
    expect(r.issues).toMatchObject([{ severity: 'error', code: 'evtx.bad-template', recordId: 1, chunk: 0 }]);
    expect(r.stats.skippedBy).toEqual({ 'evtx.bad-template': 1 });
  });

  it('a string-table loop and a template-table loop are reported, records still read', async () => {
    const { chunk } = buildChunk([{ name: 'v', type: 0x08, bytes: u32(7) }]);
    // Bucket 0 → a name entry whose "next" points at itself; template bucket 0 → a loop too.
    chunk.writeUInt32LE(0x1000, 128);
    chunk.writeUInt32LE(0x1000, 0x1000);
    chunk.writeUInt16LE(1, 0x1000 + 6);
    chunk.writeUInt32LE(0x2000, 384);
    chunk.writeUInt32LE(0x2000, 0x2000);
    const r = await readSource(bufferSource('loop.evtx', fileOf([chunk])));
    expect(r.events).toHaveLength(1);
    expect(r.events[0]!.data).toEqual({ v: '7' });
    const codes = r.issues.map((i) => i.code);
    expect(codes).toContain('evtx.bad-string-table');
    expect(codes).toContain('evtx.bad-template-table');
    expect(r.issues.every((i) => i.severity === 'warning')).toBe(true);
  });

  it('a template that refers to itself is refused, not recursed', async () => {
    const { chunk, templateOffset } = buildChunk([{ name: 'v', type: 0x08, bytes: u32(7) }]);
    // Replace the template body's first element with an instance of the template itself.
    const body = templateOffset + 24 + 4;
    chunk[body] = 0x0c;
    chunk[body + 1] = 0x01;
    chunk.writeUInt32LE(0, body + 2);
    chunk.writeUInt32LE(templateOffset, body + 6);
    const r = await readSource(bufferSource('self.evtx', fileOf([chunk])));
    expect(r.events).toEqual([]);
    expect(r.issues.filter((i) => i.severity === 'error')).toHaveLength(1);
  });

  it('an impossible substitution count is refused before anything is allocated', async () => {
    const { chunk, countOffset } = buildChunk([{ name: 'v', type: 0x08, bytes: u32(7) }]);
    chunk.writeUInt32LE(0x0fffffff, countOffset);
    const r = await readSource(bufferSource('count.evtx', fileOf([chunk])));
    expect(r.events).toEqual([]);
    expect(r.issues.filter((i) => i.severity === 'error').map((i) => i.message)).toEqual([expect.stringContaining('impossible substitution count 268435455')]);
  });

  it('BinXML nested too deeply is refused, not recursed into a stack overflow', async () => {
    const v = { name: 'deep', type: 0x21, bytes: deepEmbedded(0, 200), bytesAt: (at: number) => deepEmbedded(at, 200) };
    const { chunk } = buildChunk([v, { name: 'ok', type: 0x08, bytes: u32(1) }]);
    const r = await readSource(bufferSource('deep.evtx', fileOf([chunk])));
    expect(r.events).toEqual([]);
    expect(r.issues).toMatchObject([{ severity: 'error', recordId: 1, message: expect.stringContaining('nested too deeply') }]);
  });

  it('skips all-zero chunks and reads chunks past the header count', async () => {
    const f = Buffer.concat([clean.subarray(0, HEADER + CHUNK), Buffer.alloc(CHUNK), clean.subarray(HEADER + CHUNK)]);
    f.writeUInt16LE(1, 42); // header says one chunk
    const r = await readSource(bufferSource('gap.evtx', f));
    expect(r.events).toHaveLength(300);
    expect(r.issues.map((i) => i.code)).toEqual(['evtx.file-header-checksum']);
  });

  it('recovers records from slack after the free-space offset, marked recovered', async () => {
    const f = Buffer.from(clean);
    const offs = recordOffsets(clean, 0);
    f.writeUInt32LE(offs[offs.length - 2]!, HEADER + 48); // last two records now in slack
    const r = await readSource(bufferSource('slack.evtx', f));
    const rec = r.events.filter((e) => e.source.recovered);
    expect(rec.map((e) => e.recordId)).toEqual([perChunk - 1, perChunk]);
    expect(r.stats.recovered).toBe(2);
    expect(r.events).toHaveLength(300);
  });

  it('keeps records of a chunk with a bad checksum unless strict', async () => {
    const f = Buffer.from(clean);
    f.writeUInt32LE(f.readUInt32LE(HEADER + 52) ^ 1, HEADER + 52);
    const lax = await readSource(bufferSource('sum.evtx', f));
    expect(lax.events).toHaveLength(300);
    // The stored records checksum sits in the header, so the header checksum fails too.
    expect(lax.issues.map((i) => [i.severity, i.code, i.chunk])).toEqual([
      ['warning', 'evtx.chunk-header-checksum', 0],
      ['warning', 'evtx.chunk-data-checksum', 0],
    ]);
    const strict = await readSource(bufferSource('sum.evtx', f), { strict: true });
    expect(strict.events).toHaveLength(300 - perChunk);
    expect(strict.stats.skippedBy['evtx.checksum-strict']).toBe(perChunk);
  });

  it('drops unwanted records before decoding their data (push-down filter)', async () => {
    const seen: string[] = [];
    const r = await readSource(bufferSource('f.evtx', clean), {
      filter: {
        wants: (channel, provider, id) => {
          seen.push(`${channel}|${provider}|${id}`);
          return id === 4625;
        },
      },
    });
    expect(r.events).toHaveLength(150);
    expect(r.events.every((e) => e.eventId === 4625)).toBe(true);
    expect(r.stats.filtered).toBe(150);
    expect(seen).toContain('Security|Microsoft-Windows-Security-Auditing|4625');
  });

  it('random bytes after a valid header never throw', async () => {
    let seed = 12345;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    for (let n = 0; n < 20; n++) {
      const f = Buffer.from(clean.subarray(0, HEADER + CHUNK));
      for (let k = 0; k < 200; k++) f[HEADER + 512 + ((rnd() << 8) | rnd()) % (CHUNK - 512)] = rnd();
      const r = await readSource(bufferSource('fuzz.evtx', f));
      expect(r.events.length + r.stats.skipped).toBeGreaterThan(0);
    }
  });

  it('reads the same from a path and from a stream', async () => {
    const p = join(dir, 'same.evtx');
    writeFileSync(p, clean);
    const a = await readFile(p);
    const b = await readSource(bufferSource(p, clean));
    expect(a.events).toEqual(b.events);
  });

  describe('worker threads', () => {
    beforeAll(() => {
      // Workers load compiled JS; build once if this checkout has not been built.
      if (!existsSync(workerScript())) execSync('npm run build', { cwd: repoRoot, stdio: 'ignore' });
    }, 300_000);

    it('give the same events in the same order as inline decoding', async () => {
      const p = join(dir, 'workers.evtx');
      writeFileSync(p, clean);
      const one = await readFile(p, { workers: 1 });
      const two = await readFile(p, { workers: 2 });
      expect(two.events).toEqual(one.events);
      expect(two.stats).toEqual(one.stats);
      const filtered = await readFile(p, { workers: 2, filter: { wants: (_c, _p, id) => id === 1149 } });
      expect(filtered.events).toHaveLength(150);
      expect(filtered.stats.filtered).toBe(150);
    });

    it('turn chunks into the same JSONL and Event XML text as inline decoding', async () => {
      const p = join(dir, 'text.evtx');
      writeFileSync(p, clean);
      const src = fileSource(p, clean.length);
      const text = async (workers: number): Promise<string> => {
        let s = '';
        for await (const b of evtxJsonl(src, { workers })) s += Buffer.from(b.bytes).toString('utf8');
        return s;
      };
      const xml = async (workers: number): Promise<string[]> => {
        const out: string[] = [];
        for await (const b of evtxXml(src, { workers })) out.push(...xmlRecords(b));
        return out;
      };
      const one = await text(1);
      expect(one.split('\n').filter(Boolean)).toHaveLength(300);
      expect(await text(2)).toBe(one);
      const events = (await readFile(p)).events.map((e) => eventJson(e) + '\n').join('');
      expect(one).toBe(events);
      const x1 = await xml(1);
      expect(x1).toHaveLength(300);
      expect(await xml(2)).toEqual(x1);
    });
  });
});
