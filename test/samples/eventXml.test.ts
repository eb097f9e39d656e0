// writeEventXml renders the same events as the .evtx files: for every sample file, the project's
// Event XML reader on writeEventXml's text and its EVTX reader on the file give identical events
// (all fields but provenance), so cross-format tests can rely on the pair.
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { fileSource } from '../../src/ingest/discover.js';
import type { NormalizedEvent } from '../../src/model/event.js';
import type { ParseIssue } from '../../src/model/issue.js';
import { evtxReader } from '../../src/parsers/evtx/index.js';
import type { InputSource, Reader } from '../../src/parsers/types.js';
import { eventXmlReader } from '../../src/parsers/xml.js';
import { planFiles } from '../../scripts/make-samples.js';
import { SCENARIOS } from '../../scripts/scenarios/index.js';
import { writeEventXml } from '../support/evtx-writer/index.js';

const samplesDir = resolve(import.meta.dirname, '../../samples');

async function drain(reader: Reader, input: InputSource): Promise<{ events: NormalizedEvent[]; issues: ParseIssue[] }> {
  const out = { events: [] as NormalizedEvent[], issues: [] as ParseIssue[] };
  const it = reader.read(input, {});
  for (;;) {
    const n = await it.next();
    if (n.done) break;
    for (const item of n.value) {
      if (item.kind === 'event') out.events.push(item.event);
      else if (item.kind === 'issue') out.issues.push(item.issue);
    }
  }
  return out;
}

const textSource = (name: string, text: string): InputSource => {
  const buf = Buffer.from(text, 'utf8');
  return { name, size: buf.length, open: () => Readable.from([buf]) };
};

const core = ({ source: _s, message: _m, ...rest }: NormalizedEvent): Omit<NormalizedEvent, 'source' | 'message'> => rest;

describe('writeEventXml and writeEvtx agree through the readers', () => {
  for (const s of SCENARIOS) {
    for (const f of planFiles(s)) {
      it(`${s.id}/${f.path}`, async () => {
        const path = join(samplesDir, s.id, f.path);
        const fromEvtx = await drain(evtxReader, fileSource(path, statSync(path).size));
        const fromXml = await drain(eventXmlReader, textSource(`${f.path}.xml`, writeEventXml(f.events, { firstRecordId: f.firstRecordId })));
        expect(fromXml.issues).toEqual([]);
        expect(fromEvtx.issues).toEqual([]);
        expect(fromXml.events.map(core)).toEqual(fromEvtx.events.map(core));
        expect(fromXml.events.every((e) => e.source.format === 'event-xml' && e.source.fidelity === 'full')).toBe(true);
      });
    }
  }
});
