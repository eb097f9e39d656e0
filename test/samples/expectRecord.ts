// What evtxexport must print for an event spec we wrote: every System field and every data value,
// rendered the Windows way (the writer's renderValue), in the shape parseEvtxexportXml returns.
import { canonicalGuid, canonicalTime, renderValue, type EvtxEventSpec, type EvtxValue } from '../support/evtx-writer/index.js';
import type { ExportedRecord } from './tools.js';

/** evtxexport (libevtx) renders like Windows except that it zero-pads hex integers to their width. */
function libevtxValue(v: EvtxValue): string {
  if (typeof v !== 'string' && v.type === 'hex32') return `0x${v.value.toString(16).padStart(8, '0')}`;
  if (typeof v !== 'string' && v.type === 'hex64') return `0x${BigInt(v.value).toString(16).padStart(16, '0')}`;
  return renderValue(v);
}

export function expectedRecord(e: EvtxEventSpec, recordId: number): ExportedRecord {
  const legacy = e.provider.legacy === true;
  const classic = e.provider.eventSourceName !== undefined || legacy;
  const kw = typeof e.keywords === 'bigint' ? e.keywords : BigInt(e.keywords ?? 0);
  const data: Array<[string, string]> = [];
  const p = e.payload;
  if (p?.kind === 'EventData') {
    for (const f of p.fields) {
      if (typeof f.value !== 'string' && f.value.type === 'null') continue; // optional substitution: element omitted
      data.push([f.name ?? '', libevtxValue(f.value)]);
    }
    if (p.binary !== undefined) data.push(['Binary', renderValue({ type: 'binary', value: p.binary })]);
  } else if (p?.kind === 'UserData') {
    for (const f of p.fields) data.push([f.name, libevtxValue(f.value)]);
  }
  return {
    provider: e.provider.name,
    providerGuid: e.provider.guid === undefined ? undefined : classic ? e.provider.guid : canonicalGuid(e.provider.guid),
    eventSourceName: e.provider.eventSourceName,
    eventId: e.eventId,
    qualifiers: e.qualifiers,
    version: legacy ? undefined : (e.version ?? 0),
    level: e.level ?? 4,
    task: e.task ?? 0,
    opcode: legacy ? undefined : (e.opcode ?? 0),
    keywords: `0x${kw.toString(16).padStart(16, '0')}`,
    time: canonicalTime(e.time),
    recordId,
    activityId: e.activityId === undefined || legacy ? undefined : canonicalGuid(e.activityId),
    processId: legacy ? undefined : (e.processId ?? 0),
    threadId: legacy ? undefined : (e.threadId ?? 0),
    channel: e.channel,
    computer: e.computer,
    userId: e.userId,
    data,
    payload: p?.kind ?? 'none',
  };
}
