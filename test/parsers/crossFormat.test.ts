// The same four server events (RdpCoreTS 131, Security 4625, RCM 1149, Schannel 36888) delivered
// as .evtx, Event XML, PowerShell 7 JSON, Export-Csv and an Event Viewer text export must normalize
// to the same fields. Where a format cannot carry a field, the difference is asserted here.
import { describe, expect, it } from 'vitest';
import type { NormalizedEvent } from '../../src/model/event.js';
import { evtxReader } from '../../src/parsers/evtx/reader.js';
import { eventViewerCsvReader, eventViewerTextReader } from '../../src/parsers/eventViewerText.js';
import { psCsvReader, psJsonReader } from '../../src/parsers/powershell.js';
import { eventXmlReader } from '../../src/parsers/xml.js';
import { writeEvtx, type EvtxEventSpec, type EvtxValue } from '../support/evtx-writer/index.js';
import { collect, fixture, memorySource } from './support/collect.js';

/** Windows value types of the typed fields (everything else is a string). */
const TYPES: Record<string, (v: string) => EvtxValue> = {
  SubjectUserSid: (v) => ({ type: 'sid', value: v }),
  TargetUserSid: (v) => ({ type: 'sid', value: v }),
  SubjectLogonId: (v) => ({ type: 'hex64', value: BigInt(v) }),
  ProcessId: (v) => ({ type: 'hex64', value: BigInt(v) }),
  Status: (v) => ({ type: 'hex32', value: Number(v) }),
  SubStatus: (v) => ({ type: 'hex32', value: Number(v) }),
  LogonType: (v) => ({ type: 'uint32', value: Number(v) }),
  KeyLength: (v) => ({ type: 'uint32', value: Number(v) }),
  AlertDesc: (v) => ({ type: 'uint32', value: Number(v) }),
  ErrorState: (v) => ({ type: 'uint32', value: Number(v) }),
};

function toSpec(e: NormalizedEvent): EvtxEventSpec {
  const fields = Object.entries(e.data).map(([name, v]) => ({ name, value: TYPES[name]?.(v) ?? v }));
  return {
    provider: { name: e.provider, guid: e.providerGuid },
    eventId: e.eventId,
    version: e.version,
    level: e.level,
    task: e.task,
    opcode: e.opcode,
    keywords: e.keywords,
    time: e.time,
    recordId: e.recordId,
    activityId: e.activityId,
    processId: e.processId,
    threadId: e.threadId,
    channel: e.channel,
    computer: e.computer,
    userId: e.userId,
    payload: e.eventId === 1149 ? { kind: 'UserData', element: 'EventXML', xmlns: 'Event_NS', fields } : { kind: 'EventData', fields },
  };
}

const seconds = (t: string): string => `${t.slice(0, 19)}.0000000Z`;
const SYSTEM = ['provider', 'eventId', 'channel', 'level', 'keywords'] as const;

describe('one event, five formats', () => {
  it('normalizes to the same fields, and each format lacks exactly what it cannot carry', async () => {
    const xml = (await collect(eventXmlReader, fixture('saved-server.xml'), {})).events;
    // One .evtx per log, as Windows keeps them.
    const evtx = { events: [] as NormalizedEvent[], issues: [] as unknown[] };
    for (const x of xml) {
      const r = await collect(evtxReader, memorySource(`${x.channel.replace('/', '%4')}.evtx`, writeEvtx([toSpec(x)])), {});
      evtx.events.push(...r.events);
      evtx.issues.push(...r.issues);
    }
    const json = (await collect(psJsonReader, fixture('ps7-server.json'), {})).events;
    const pscsv = (await collect(psCsvReader, fixture('ps-server.csv'), { sourceTz: 'Europe/Berlin' })).events;
    const txt = (await collect(eventViewerTextReader, fixture('evtviewer-server.txt'), { sourceTz: 'Europe/Berlin' })).events;
    expect(evtx.issues).toEqual([]);

    for (const x of xml) {
      const pick = (list: NormalizedEvent[]): NormalizedEvent => list.find((e) => e.eventId === x.eventId)!;
      const [v, j, c, t] = [pick(evtx.events), pick(json), pick(pscsv), pick(txt)];

      // .evtx: everything but the rendered message (evtx has none) and provenance.
      const { message: _m, source: _s, ...xmlCore } = x;
      const { source: _s2, ...evtxCore } = v;
      expect(evtxCore, `evtx ${x.eventId}`).toEqual(xmlCore);
      expect(v.source.fidelity).toBe('full');

      // PowerShell JSON: same System fields and positional data mapped to the same names.
      expect(j.data, `json ${x.eventId}`).toEqual(x.data);
      for (const k of [...SYSTEM, 'time', 'computer', 'recordId', 'activityId', 'processId', 'threadId', 'userId', 'providerGuid', 'message'] as const) {
        expect(j[k], `json ${x.eventId} ${k}`).toEqual(x[k]);
      }
      expect(j.source.fidelity).toBe('positional');

      // Export-Csv and Event Viewer text: values from the message, times to the second.
      const lostInMessage = x.eventId === 4625 ? ['FailureReason', 'KeyLength', 'LmPackageName', 'TransmittedServices'] : [];
      for (const [name, m] of [
        ['ps-csv', c],
        ['evt-text', t],
      ] as const) {
        expect(m.source.fidelity).toBe('message-only');
        expect(m.time, `${name} ${x.eventId}`).toBe(seconds(x.time));
        for (const k of SYSTEM.filter((k) => k !== 'keywords')) expect(m[k], `${name} ${x.eventId} ${k}`).toEqual(x[k]);
        const missing = Object.keys(x.data).filter((k) => !(k in m.data)).sort();
        expect(missing, `${name} ${x.eventId} missing`).toEqual(lostInMessage);
        for (const [k, val] of Object.entries(m.data)) expect(val, `${name} ${x.eventId} ${k}`).toBe(x.data[k]);
      }
      // Export-Csv keeps the System columns; the Event Viewer export has none of them, and its
      // Level column carries keywords only for Security audits (Audit Success/Failure).
      expect(c.keywords).toBe(x.keywords);
      expect(t.keywords).toBe(x.channel === 'Security' ? x.keywords : undefined);
      expect([c.computer, c.recordId, c.activityId]).toEqual([x.computer, x.recordId, x.activityId]);
      expect([t.computer, t.recordId, t.activityId, t.processId, t.userId]).toEqual(['', undefined, undefined, undefined, undefined]);
    }
  });

  it('client side: ConvertTo-Json 5.1 keeps milliseconds only; the CSV keeps Value but not Name/CustomLevel', async () => {
    const xml = (await collect(eventXmlReader, fixture('wevtutil-client.xml'), {})).events.filter((e) => e.eventId !== 6041);
    const json = (await collect(psJsonReader, fixture('ps51-client.json'), {})).events;
    const csv = (await collect(eventViewerCsvReader, fixture('evtviewer-client.csv'), { sourceTz: 'America/New_York', computer: 'HLPC01.contoso.local' })).events;
    for (const x of xml) {
      const j = json.find((e) => e.eventId === x.eventId)!;
      const c = csv.find((e) => e.eventId === x.eventId)!;
      expect(j.data).toEqual(x.data);
      expect(j.time).toBe(`${x.time.slice(0, 23)}0000Z`);
      for (const k of ['activityId', 'userId', 'processId', 'recordId', 'keywords', 'computer'] as const) expect(j[k], k).toEqual(x[k]);
      expect(c.data).toEqual({ Value: x.data.Value });
      expect(c.time).toBe(seconds(x.time));
      expect(c.computer).toBe(x.computer);
    }
  });
});

