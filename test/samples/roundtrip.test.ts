// Round trip: every sample .evtx written by our writer is read back by our own EVTX reader
// (src/parsers/evtx) into exactly the events we wrote, field by field, with no issues.
import { statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileSource } from '../../src/ingest/discover.js';
import type { NormalizedEvent } from '../../src/model/event.js';
import type { ParseIssue } from '../../src/model/issue.js';
import { evtxReader } from '../../src/parsers/evtx/index.js';
import { planFiles } from '../../scripts/make-samples.js';
import { SCENARIOS } from '../../scripts/scenarios/index.js';
import { canonicalGuid, canonicalTime, renderValue, type EvtxEventSpec } from '../support/evtx-writer/index.js';

const samplesDir = resolve(import.meta.dirname, '../../samples');

async function readAll(path: string): Promise<{ events: NormalizedEvent[]; issues: ParseIssue[] }> {
  const events: NormalizedEvent[] = [];
  const issues: ParseIssue[] = [];
  const it = evtxReader.read(fileSource(path, statSync(path).size), {});
  for (;;) {
    const n = await it.next();
    if (n.done) break;
    for (const item of n.value) {
      if (item.kind === 'event') events.push(item.event);
      else if (item.kind === 'issue') issues.push(item.issue);
    }
  }
  return { events, issues };
}

/** The data map the reference convention gives for what we wrote (named, Data[i], Binary, UserData leaves). */
function expectedData(e: EvtxEventSpec): Record<string, string> {
  const out: Record<string, string> = {};
  const p = e.payload;
  if (!p) return out;
  p.fields.forEach((f, i) => {
    out[f.name ?? `Data[${i}]`] = renderValue(f.value);
  });
  if (p.kind === 'EventData' && p.binary !== undefined) out.Binary = renderValue({ type: 'binary', value: p.binary });
  return out;
}

describe('samples read back by our own EVTX reader', () => {
  for (const s of SCENARIOS) {
    for (const f of planFiles(s)) {
      it(`${s.id}/${f.path}`, async () => {
        const { events, issues } = await readAll(join(samplesDir, s.id, f.path));
        expect(issues).toEqual([]);
        expect(events).toHaveLength(f.events.length);
        events.forEach((got, i) => {
          const e = f.events[i]!;
          const where = `${s.id}/${f.path} record ${f.firstRecordId + i}`;
          expect(
            {
              time: got.time,
              provider: got.provider,
              eventId: got.eventId,
              recordId: got.recordId,
              channel: got.channel,
              computer: got.computer,
              activityId: got.activityId,
              userId: got.userId,
              data: got.data,
            },
            where,
          ).toEqual({
            time: canonicalTime(e.time),
            provider: e.provider.name,
            eventId: e.eventId,
            recordId: f.firstRecordId + i,
            channel: e.channel,
            computer: e.computer,
            activityId: e.activityId ? canonicalGuid(e.activityId) : undefined,
            userId: e.userId,
            data: expectedData(e),
          });
          expect(got.source.fidelity).toBe('full');
        });
      });
    }
  }
});
