// Every .evtx under samples/ is read by Debian's evtxexport (libevtx), an independent parser: the
// exact record count and, record by record, every System field and data value we wrote. evtxinfo
// must report the right count and no corruption/dirty flag.
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planFiles } from '../../scripts/make-samples.js';
import { SCENARIOS } from '../../scripts/scenarios/index.js';
import { expectedRecord } from './expectRecord.js';
import { parseEvtxexportXml, requireTool, run } from './tools.js';

const samplesDir = resolve(import.meta.dirname, '../../samples');
const haveEvtxexport = requireTool('evtxexport', 'samples/evtxexport');
const haveEvtxinfo = requireTool('evtxinfo', 'samples/evtxinfo');

function evtxFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? evtxFiles(join(dir, d.name)) : d.name.endsWith('.evtx') ? [join(dir, d.name)] : [],
  );
}

describe.skipIf(!haveEvtxexport)('samples read by evtxexport', () => {
  for (const s of SCENARIOS) {
    describe(s.id, () => {
      for (const f of planFiles(s)) {
        it(`${f.path}: ${f.events.length} records, every field as written`, () => {
          const file = join(samplesDir, s.id, f.path);
          const r = run('evtxexport', ['-f', 'xml', file]);
          expect(r.status, `${file}: ${r.stderr}`).toBe(0);
          const got = parseEvtxexportXml(r.stdout);
          expect(got).toHaveLength(f.events.length);
          f.events.forEach((e, i) => {
            expect(got[i], `${file} record ${f.firstRecordId + i}`).toEqual(expectedRecord(e, f.firstRecordId + i));
          });
        });
      }
    });
  }

  it('has no .evtx file that no scenario plans', () => {
    const planned = new Set(SCENARIOS.flatMap((s) => planFiles(s).map((f) => join(samplesDir, s.id, f.path))));
    const onDisk = evtxFiles(samplesDir);
    expect(onDisk.filter((p) => !planned.has(p))).toEqual([]);
    expect(onDisk.length).toBe(planned.size);
  });
});

describe.skipIf(!haveEvtxinfo)('samples checked by evtxinfo', () => {
  const files = SCENARIOS.flatMap((s) => planFiles(s).map((f) => ({ file: join(samplesDir, s.id, f.path), records: f.events.length })));
  it.each(files.map((f) => [f.file.slice(samplesDir.length + 1), f] as const))('%s is clean', (_name, f) => {
    const r = run('evtxinfo', [f.file]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Version\s*:\s*3\.1/);
    expect(r.stdout).toMatch(new RegExp(`Number of records\\s*:\\s*${f.records}\\n`));
    expect(r.stdout).toMatch(/Number of recovered records\s*:\s*0\n/);
    expect(r.stdout).not.toMatch(/corrupted|dirty|full/i);
    expect(statSync(f.file).size % 65536).toBe(4096);
  });
});
