import { createHash } from 'node:crypto';
import { copyFileSync, createReadStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type IngestOptions, ingestPaths, ingestSources } from '../../src/ingest/ingest.js';
import { hashAside } from '../../src/ingest/sha256.js';
import type { InputSource } from '../../src/parsers/types.js';
import { type CaseFile, openCase } from '../../src/store/caseFile.js';
import { fakeReaderFor, writeFakeInput } from './fakeReader.js';

// Big inputs are hashed on a thread while they are stored, and checked against the case before
// the commit. hashAsideMinBytes: 0 sends these small files down that path.
let dir: string;
const opened: CaseFile[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rdpd-hash-'));
  writeFakeInput(join(dir, 'a.txt'), { count: 300, seed: 1, host: 'CLIENT01' });
  writeFakeInput(join(dir, 'b.txt'), { count: 200, seed: 2, host: 'SRV01' });
});
afterEach(() => {
  for (const cf of opened.splice(0)) cf.close();
  rmSync(dir, { recursive: true, force: true });
});
const open = (name: string): CaseFile => {
  const cf = openCase(join(dir, name));
  opened.push(cf);
  return cf;
};
const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
const aside: IngestOptions = { readerFor: fakeReaderFor, hashAsideMinBytes: 0 };
const storedHashes = (cf: CaseFile): string[] => cf.sources().map((s) => s.sha256).sort();

describe('hashing on a thread while storing', () => {
  it('stores the same as hashing first, under the file hashes', async () => {
    const first = open('first.db');
    const threaded = open('threaded.db');
    const a = await ingestPaths(first, [dir], { readerFor: fakeReaderFor });
    const b = await ingestPaths(threaded, [join(dir, 'a.txt'), join(dir, 'b.txt')], aside);
    expect(b.inputs).toEqual(a.inputs);
    expect(b.inputs.map((r) => r.sha256)).toEqual([sha(join(dir, 'a.txt')), sha(join(dir, 'b.txt'))]);
    expect(storedHashes(threaded)).toEqual(storedHashes(first));
    expect(storedHashes(threaded).some((h) => h.startsWith('pending:'))).toBe(false);
    expect(threaded.countEvents()).toBe(first.countEvents());
    // Stored sizes now match: the second run hashes first and finds both in the case.
    const again = await ingestPaths(threaded, [dir], aside);
    expect(again.inputs.map((r) => r.status)).toEqual(['already-in-case', 'already-in-case']);
  });

  it('rolls a source back when its hash turns out to be in the case (the file changed size since it was listed)', async () => {
    const cf = open('case.db');
    const p = join(dir, 'a.txt');
    await ingestPaths(cf, [p], { readerFor: fakeReaderFor });
    const events = cf.countEvents();
    // Listed one byte bigger: no stored source has that size, so this goes the threaded way.
    const grown: InputSource = { name: 'copy/a.txt', path: p, size: statSync(p).size + 1, open: () => createReadStream(p) };
    const s = await ingestSources(cf, [grown], aside);
    expect(s.inputs[0]).toMatchObject({ file: 'copy/a.txt', status: 'already-in-case', sha256: sha(p) });
    expect(s.inputs[0]!.skipReason).toMatch(/same content as .*a\.txt\)$/);
    expect(cf.countEvents()).toBe(events);
    expect(cf.sources()).toHaveLength(1);
  });

  it('fails only the source whose file the thread cannot read, storing nothing of it', async () => {
    const cf = open('case.db');
    const real = join(dir, 'a.txt');
    const doomed = join(dir, 'gone.txt');
    copyFileSync(real, doomed);
    // The file goes away once sniffed; its stream (over a copy) still reads, the hash thread cannot.
    const gone: InputSource = { name: 'gone.txt', path: doomed, size: statSync(real).size, open: () => createReadStream(real) };
    const other: InputSource = { name: 'b.txt', path: join(dir, 'b.txt'), size: statSync(join(dir, 'b.txt')).size, open: () => createReadStream(join(dir, 'b.txt')) };
    const readerFor = (head: Buffer, name: string) => {
      if (name === 'gone.txt') rmSync(doomed);
      return fakeReaderFor(head);
    };
    const s = await ingestSources(cf, [gone, other], { ...aside, readerFor });
    expect(s.inputs.map((r) => [r.file, r.status])).toEqual([
      ['gone.txt', 'failed'],
      ['b.txt', 'ingested'],
    ]);
    expect(s.inputs[0]!.errors).toEqual([expect.stringMatching(/^gone\.txt: cannot read: ENOENT: /)]);
    expect(cf.sources().map((x) => x.path)).toEqual(['b.txt']);
    expect(cf.countEvents()).toBe(s.inputs[1]!.counts.stored);
  });

  it('is used only for a file on disk, big enough, with a core to spare', () => {
    const p = join(dir, 'a.txt');
    const src: InputSource = { name: p, path: p, size: 100, open: () => createReadStream(p) };
    expect(hashAside(src, 101, 2)).toBeUndefined();
    expect(hashAside(src, 0, 1)).toBeUndefined();
    expect(hashAside({ ...src, path: undefined }, 0, 2)).toBeUndefined();
  });

  it('gives the file hash, or the read error with its code', async () => {
    const p = join(dir, 'a.txt');
    const h = hashAside({ name: p, path: p, size: 1, open: () => createReadStream(p) }, 0, 2)!;
    expect(await h.result).toEqual({ hex: sha(p) });
    const bad = hashAside({ name: 'x', path: join(dir, 'nope'), size: 1, open: () => createReadStream(p) }, 0, 2)!;
    const r = await bad.result;
    expect('error' in r && r.error.code).toBe('ENOENT');
  });
});
