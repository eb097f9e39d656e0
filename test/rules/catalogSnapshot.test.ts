// The build's parsed catalogue (dist/rules/catalog.json): rules read through it are the rules read
// from the YAML, and a file whose text changed since is parsed and checked again.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtinCatalogDir, CatalogError, catalogSnapshot, loadDirs, schemaHash, type CatalogSnapshot } from '../../src/rules/loader.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rdpd-snap-'));
  cpSync(builtinCatalogDir(), dir, { recursive: true });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function snapshotOf(d: string): CatalogSnapshot {
  const problems: string[] = [];
  const snap = catalogSnapshot(d, problems);
  expect(problems).toEqual([]);
  return snap;
}

describe('catalogue snapshot', () => {
  it('gives the same rules as parsing the YAML', () => {
    const snap = snapshotOf(dir);
    expect(Object.keys(snap.docs).length).toBeGreaterThanOrEqual(20);
    expect(loadDirs([dir], snap)).toEqual(loadDirs([dir], undefined));
    // And the documents do come from it: a title changed in the snapshot alone shows.
    const [hash, doc] = Object.entries(snap.docs).find(([, d]) => (d as { id: string }).id === 'licensing')!;
    const marked = { ...snap, docs: { ...snap.docs, [hash]: { ...(doc as object), title: 'From the snapshot' } } };
    expect(loadDirs([dir], marked).rules.find((r) => r.id === 'licensing')!.title).toBe('From the snapshot');
  });

  it('parses and checks again a file changed since: a good edit is read, a bad one rejected', () => {
    const snap = snapshotOf(dir);
    const file = join(dir, 'licensing.yaml');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/^title: .*$/m, 'title: Edited after the build'));
    expect(loadDirs([dir], snap).rules.find((r) => r.id === 'licensing')!.title).toBe('Edited after the build');
    writeFileSync(file, `${text}\nnot_a_field: 1\n`);
    expect(() => loadDirs([dir], snap)).toThrow(CatalogError);
    expect(() => loadDirs([dir], snap)).toThrow(/licensing\.yaml: .*not_a_field/);
  });

  it('is written by the build for this schema, one document per bundled rule', async () => {
    const built = (await import(pathToFileURL(join(__dirname, '../../dist/rules/loader.js')).href)) as typeof import('../../src/rules/loader.js');
    const snap = built.builtSnapshot();
    expect(snap?.schema).toBe(schemaHash());
    expect(Object.keys(snap!.docs).sort()).toEqual(Object.keys(snapshotOf(builtinCatalogDir()).docs).sort());
  });
});
