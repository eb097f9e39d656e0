import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverInputs } from '../../src/ingest/discover.js';
import { expandZip, unsafeReason } from '../../src/ingest/zip.js';
import { writeZip } from '../hardening/support/zip.js';
import { collect } from '../parsers/support/collect.js';

const FIX = new URL('../fixtures/inputs/', import.meta.url).pathname;
const fx = (n: string): Buffer => readFileSync(join(FIX, n));

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rdpdoctor-discover-'));
  // Folders: nested, with a file of unknown format and an empty file.
  mkdirSync(join(root, 'case/client/logs'), { recursive: true });
  mkdirSync(join(root, 'case/server'), { recursive: true });
  writeFileSync(join(root, 'case/client/logs/client.xml'), fx('wevtutil-client.xml'));
  writeFileSync(join(root, 'case/client/notes.txt'), 'the user says it worked yesterday\n');
  writeFileSync(join(root, 'case/client/empty.csv'), '');
  writeFileSync(join(root, 'case/server/ps7.json'), fx('ps7-server.json'));
  // A nested zip, then the outer zip with folders, the nested zip and hostile names.
  const inner = join(root, 'inner.zip');
  writeZip(inner, [
    { name: 'deep/RDCMan-202403140904.log', data: fx('RDCMan-202403140904.log') },
    { name: 'deep/mstsc.rdp', data: fx('mstsc-srv01.rdp'), store: true },
  ]);
  writeZip(join(root, 'case/collected.zip'), [
    { name: 'server/', data: Buffer.alloc(0), store: true },
    { name: 'server/saved.xml', data: fx('saved-server.xml') },
    { name: 'server/events.txt', data: fx('evtviewer-server.txt') },
    { name: '../../escape.xml', data: fx('wevtutil-client.xml') },
    { name: '/etc/cron.d/evil', data: Buffer.from('x') },
    { name: 'C:/Windows/evil.rdp', data: fx('mstsc-srv01.rdp') },
    { name: 'client/more.zip', data: readFileSync(inner), store: true },
    { name: 'client/photo.jpg', data: Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]) },
    { name: 'client/nothing.log', data: Buffer.alloc(0) },
  ]);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('discoverInputs', () => {
  it('walks folders and zips (nested folders, a zip in a zip) in a stable order, picking readers by content', async () => {
    const d = await discoverInputs([join(root, 'case')]);
    const rel = (n: string): string => n.slice(root.length + 1);
    expect(d.inputs.map((i) => [rel(i.source.name), i.reader.format])).toEqual([
      ['case/client/logs/client.xml', 'event-xml'],
      ['case/collected.zip!/client/more.zip!/deep/RDCMan-202403140904.log', 'rdcman-log'],
      ['case/collected.zip!/client/more.zip!/deep/mstsc.rdp', 'rdp'],
      ['case/collected.zip!/server/events.txt', 'evt-text'],
      ['case/collected.zip!/server/saved.xml', 'event-xml'],
      ['case/server/ps7.json', 'ps-json'],
    ]);
    expect(d.skipped.map((s) => [rel(s.name), s.code])).toEqual([
      ['case/client/empty.csv', 'empty'],
      ['case/client/notes.txt', 'unknown-format'],
      ['case/collected.zip!/../../escape.xml', 'unsafe-name'],
      ['case/collected.zip!//etc/cron.d/evil', 'unsafe-name'],
      ['case/collected.zip!/C:/Windows/evil.rdp', 'unsafe-name'],
      ['case/collected.zip!/client/nothing.log', 'empty'],
      ['case/collected.zip!/client/photo.jpg', 'unknown-format'],
    ]);
    for (const s of d.skipped) expect(s.reason.length).toBeGreaterThan(5);
  });

  it('streams zip members to the readers, twice if asked, without extracting to disk', async () => {
    const d = await discoverInputs([join(root, 'case/collected.zip')]);
    const saved = d.inputs.find((i) => i.source.name.endsWith('saved.xml'))!;
    expect(saved.source.path).toBeUndefined();
    const first = await collect(saved.reader, saved.source, {});
    const again = await collect(saved.reader, saved.source, {});
    expect(first.events.map((e) => e.eventId)).toEqual([131, 4625, 1149, 36888]);
    expect(again.events).toEqual(first.events);
    expect(first.events[0]!.source.file).toBe(`${join(root, 'case/collected.zip')}!/server/saved.xml`);
    const log = d.inputs.find((i) => i.reader.format === 'rdcman-log')!;
    const r = await collect(log.reader, log.source, { sourceTz: 'America/New_York' });
    expect(r.events.find((e) => e.eventId === 3)!.data.ExtendedReason).toBe('7');
  });

  it('reports a missing path and a corrupt zip instead of failing', async () => {
    writeFileSync(join(root, 'broken.zip'), Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.alloc(100, 7)]));
    const d = await discoverInputs([join(root, 'missing-folder'), join(root, 'broken.zip')]);
    expect(d.inputs).toEqual([]);
    expect(d.skipped.map((s) => s.code)).toEqual(['unreadable', 'zip-error']);
    expect(d.skipped[0]!.reason).toContain('ENOENT');
  });

  it('skips zip bombs by ratio, oversized declarations, and nesting beyond the depth limit', async () => {
    const bombPath = join(root, 'bomb.zip');
    writeZip(bombPath, [
      { name: 'zeros.xml', data: Buffer.alloc(8 * 1024 * 1024) },
      { name: 'liar.xml', data: fx('wevtutil-client.xml'), declaredSize: 2 ** 31 },
      { name: 'ok.xml', data: fx('wevtutil-client.xml') },
    ]);
    const z = await expandZip({ path: bombPath }, 'bomb.zip', { maxDepth: 3, maxEntryBytes: 1 << 30, maxTotalBytes: 2 ** 40, maxRatio: 100, maxNestedZipBytes: 1 << 20, maxEntries: 100 });
    expect(z.members.map((m) => m.source.name)).toEqual(['bomb.zip!/ok.xml']);
    expect(z.skipped.map((s) => [s.name, s.code])).toEqual([
      ['bomb.zip!/liar.xml', 'too-large'],
      ['bomb.zip!/zeros.xml', 'zip-bomb'],
    ]);
    const deep = await discoverInputs([join(root, 'case/collected.zip')], { zip: { maxDepth: 0 } });
    expect(deep.skipped.filter((s) => s.code === 'zip-depth').map((s) => s.name.slice(root.length + 1))).toEqual(['case/collected.zip!/client/more.zip']);
  });

  it('recognises unsafe entry names', () => {
    expect(unsafeReason('a/../../b')).toMatch(/escapes/);
    expect(unsafeReason('/abs')).toMatch(/absolute/);
    expect(unsafeReason('D:/x')).toMatch(/absolute/);
    expect(unsafeReason('a/b..c/d')).toBeUndefined();
  });

  it('does not loop on a symbolic link back up the tree', async () => {
    const loop = join(root, 'loop');
    mkdirSync(join(loop, 'sub'), { recursive: true });
    writeFileSync(join(loop, 'sub/client.xml'), fx('wevtutil-client.xml'));
    symlinkSync(loop, join(loop, 'sub/back'));
    const d = await discoverInputs([loop]);
    expect(d.inputs.map((i) => i.source.name.slice(loop.length + 1))).toEqual(['sub/client.xml']);
    expect(d.skipped.map((s) => [s.name.slice(loop.length + 1), s.code])).toEqual([['sub/back', 'not-a-file']]);
  });
});

