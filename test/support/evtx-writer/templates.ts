// The templates Windows uses for an event: the System part (one template per channel file for
// manifest providers, with Provider and Channel as substitutions; one per source for classic
// EventSourceName providers, with them as literals) and a nested template for EventData/UserData.
import { createHash } from 'node:crypto';
import type { InstanceValue, TElement, TSub, TText, Template } from './binxml.js';
import { NO_DEP, writeFragmentHeader, writeTemplateInstance, type ChunkTables } from './binxml.js';
import type { Sink } from './sink.js';
import type { EvtxEventSpec, EvtxPayload, EvtxValue } from './types.js';
import { VT, canonicalGuid, encodeValue, isoToFiletime, keywordsValue, type Encoded } from './values.js';

export const EVENT_NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

const el = (name: string, dep: number, attrs: TElement['attrs'], children: TElement['children']): TElement => ({
  k: 'el',
  name,
  dep,
  attrs,
  children,
});
const text = (value: string): TText => ({ k: 'text', value });
const opt = (index: number, type: number): TSub => ({ k: 'sub', index, type, optional: true });
const sub = (index: number, type: number): TSub => ({ k: 'sub', index, type, optional: false });

/** Deterministic template GUID from the template's shape, so equal shapes share one definition. */
function templateGuid(key: string): Buffer {
  return createHash('md5').update(key).digest();
}

const templateCache = new Map<string, Template>();
function cached(key: string, build: () => TElement): Template {
  let t = templateCache.get(key);
  if (!t) {
    t = { guid: templateGuid(key), root: build() };
    templateCache.set(key, t);
  }
  return t;
}

// Substitution slots of the System template, numbered as in real Windows records.
const S = {
  level: 0,
  opcode: 1,
  task: 2,
  eventId: 3,
  qualifiers: 4,
  keywords: 5,
  time: 6,
  activityId: 7,
  processId: 8,
  threadId: 9,
  recordId: 10,
  version: 11,
  userId: 12,
} as const;

interface SystemLayout {
  related: number;
  providerName?: number;
  providerGuid?: number;
  channel?: number;
  payload: number;
  count: number;
}
const MANIFEST: SystemLayout = { related: 13, providerName: 14, providerGuid: 15, channel: 16, payload: 17, count: 18 };
const CLASSIC: SystemLayout = { related: 18, payload: 19, count: 20 };

function isClassic(e: EvtxEventSpec): boolean {
  return e.provider.eventSourceName !== undefined || e.provider.legacy === true;
}

function systemTemplate(e: EvtxEventSpec): Template {
  const classic = isClassic(e);
  const L = classic ? CLASSIC : MANIFEST;
  const wrap = e.payload?.kind ?? 'none';
  const legacy = e.provider.legacy === true;
  const key = classic
    ? `${legacy ? 'legacy' : 'classic'}\n${e.provider.name}\n${e.provider.guid ?? ''}\n${e.provider.eventSourceName ?? ''}\n${e.channel}\n${e.computer}\n${wrap}`
    : `manifest\n${e.computer}\n${wrap}`;
  return cached(key, () => {
    const providerAttrs: TElement['attrs'] = classic
      ? [
          { name: 'Name', value: text(e.provider.name) },
          ...(e.provider.guid ? [{ name: 'Guid', value: text(e.provider.guid) }] : []),
          ...(e.provider.eventSourceName !== undefined ? [{ name: 'EventSourceName', value: text(e.provider.eventSourceName) }] : []),
        ]
      : [
          { name: 'Name', value: opt(L.providerName!, VT.string) },
          { name: 'Guid', value: opt(L.providerGuid!, VT.guid) },
        ];
    const full = !legacy; // legacy sources have no Version, Opcode, Correlation or Execution
    const system = el('System', NO_DEP, [], [
      el('Provider', NO_DEP, providerAttrs, []),
      el('EventID', S.eventId, [{ name: 'Qualifiers', value: opt(S.qualifiers, VT.uint16) }], [opt(S.eventId, VT.uint16)]),
      ...(full ? [el('Version', S.version, [], [opt(S.version, VT.uint8)])] : []),
      el('Level', S.level, [], [opt(S.level, VT.uint8)]),
      el('Task', S.task, [], [opt(S.task, VT.uint16)]),
      ...(full ? [el('Opcode', S.opcode, [], [opt(S.opcode, VT.uint8)])] : []),
      el('Keywords', S.keywords, [], [opt(S.keywords, VT.hex64)]),
      el('TimeCreated', NO_DEP, [{ name: 'SystemTime', value: opt(S.time, VT.filetime) }], []),
      el('EventRecordID', S.recordId, [], [opt(S.recordId, VT.uint64)]),
      ...(full ? [el(
        'Correlation',
        NO_DEP,
        [
          { name: 'ActivityID', value: opt(S.activityId, VT.guid) },
          { name: 'RelatedActivityID', value: opt(L.related, VT.guid) },
        ],
        [],
      ),
      el(
        'Execution',
        NO_DEP,
        [
          { name: 'ProcessID', value: opt(S.processId, VT.uint32) },
          { name: 'ThreadID', value: opt(S.threadId, VT.uint32) },
        ],
        [],
      )] : []),
      classic ? el('Channel', NO_DEP, [], [text(e.channel)]) : el('Channel', L.channel!, [], [opt(L.channel!, VT.string)]),
      el('Computer', NO_DEP, [], [text(e.computer)]),
      el('Security', NO_DEP, [{ name: 'UserID', value: opt(S.userId, VT.sid) }], []),
    ]);
    // EventData lives in the nested fragment; UserData's wrapper element stays in the outer template.
    // libfwevt rejects a NULL BinXML value, so an event without payload gets a template without the slot.
    const payload = wrap === 'UserData' ? [el('UserData', L.payload, [], [opt(L.payload, VT.binxml)])] : wrap === 'EventData' ? [opt(L.payload, VT.binxml)] : [];
    return el('Event', NO_DEP, [{ name: 'xmlns', value: text(EVENT_NS) }], [system, ...payload]);
  });
}

function declaredType(v: EvtxValue): number {
  const t = encodeValue(v).type;
  return t === VT.null ? VT.string : t;
}

/** Absent values must use an optional substitution: libfwevt refuses NULL in a normal one. */
function slot(index: number, v: EvtxValue): TSub {
  const isNull = typeof v !== 'string' && v.type === 'null';
  return isNull ? opt(index, VT.string) : sub(index, declaredType(v));
}

function shapeOf(v: EvtxValue): string {
  return typeof v !== 'string' && v.type === 'null' ? 'null' : String(declaredType(v));
}

const XML_NAME = /^[A-Za-z_][\w.-]*$/;

function xmlName(name: string, what: string): string {
  if (!XML_NAME.test(name)) throw new Error(`${what} "${name}" is not an XML element name`);
  return name;
}

function payloadTemplate(p: EvtxPayload): Template {
  if (p.kind === 'EventData') {
    const shape = p.fields.map((f) => `${f.name ?? ''}:${shapeOf(f.value)}`).join(',');
    const key = `EventData\n${shape}\n${p.binary !== undefined ? 'binary' : ''}`;
    return cached(key, () => {
      const kids: TElement[] = p.fields.map((f, i) =>
        el('Data', NO_DEP, f.name !== undefined ? [{ name: 'Name', value: text(f.name) }] : [], [slot(i, f.value)]),
      );
      if (p.binary !== undefined) kids.push(el('Binary', NO_DEP, [], [sub(p.fields.length, VT.binary)]));
      return el('EventData', NO_DEP, [], kids);
    });
  }
  xmlName(p.element, 'UserData element');
  for (const f of p.fields) xmlName(f.name, 'UserData field');
  const shape = p.fields.map((f) => `${f.name}:${shapeOf(f.value)}`).join(',');
  const key = `UserData\n${p.element}\n${p.xmlns}\n${shape}`;
  return cached(key, () =>
    el(
      p.element,
      NO_DEP,
      [{ name: 'xmlns', value: text(p.xmlns) }],
      p.fields.map((f, i) => el(f.name, NO_DEP, [], [slot(i, f.value)])),
    ),
  );
}

function payloadValues(p: EvtxPayload): Encoded[] {
  if (p.kind === 'EventData') {
    const vals = p.fields.map((f) => encodeValue(f.value));
    if (p.binary !== undefined) vals.push(encodeValue({ type: 'binary', value: p.binary }));
    return vals;
  }
  // Windows writes UserData strings with their terminating NUL.
  return p.fields.map((f) => encodeValue(f.value, true));
}

const NULL: Encoded = { type: VT.null, bytes: Buffer.alloc(0) };
const u = (type: 'uint8' | 'uint16' | 'uint32', v: number): Encoded => encodeValue({ type, value: v });

/** Writes the record's BinXML (fragment header, System template instance with nested payload, EOF). */
export function writeEventBinXml(s: Sink, t: ChunkTables, e: EvtxEventSpec, recordId: number): void {
  const classic = isClassic(e);
  const L = classic ? CLASSIC : MANIFEST;
  const values: InstanceValue[] = new Array<InstanceValue>(L.count).fill(NULL);
  values[S.level] = u('uint8', e.level ?? 4);
  values[S.opcode] = u('uint8', e.opcode ?? 0);
  values[S.task] = u('uint16', e.task ?? 0);
  values[S.eventId] = u('uint16', e.eventId);
  if (e.qualifiers !== undefined) values[S.qualifiers] = u('uint16', e.qualifiers);
  values[S.keywords] = encodeValue({ type: 'hex64', value: keywordsValue(e.keywords) });
  values[S.time] = { type: VT.filetime, bytes: u64(isoToFiletime(e.time)) };
  if (e.activityId) values[S.activityId] = encodeValue({ type: 'guid', value: e.activityId });
  values[S.processId] = u('uint32', e.processId ?? 0);
  values[S.threadId] = u('uint32', e.threadId ?? 0);
  values[S.recordId] = encodeValue({ type: 'uint64', value: recordId });
  values[S.version] = u('uint8', e.version ?? 0);
  if (e.userId) values[S.userId] = encodeValue({ type: 'sid', value: e.userId });
  if (e.relatedActivityId) values[L.related] = encodeValue({ type: 'guid', value: e.relatedActivityId });
  if (!classic) {
    values[L.providerName!] = encodeValue(e.provider.name);
    if (e.provider.guid) values[L.providerGuid!] = encodeValue({ type: 'guid', value: canonicalGuid(e.provider.guid) });
    values[L.channel!] = encodeValue(e.channel);
  }
  const p = e.payload;
  if (p) {
    values[L.payload] = {
      type: VT.binxml,
      write: (inner) => {
        writeFragmentHeader(inner);
        writeTemplateInstance(inner, t, payloadTemplate(p), payloadValues(p));
        inner.u8(0x00);
      },
    };
  }
  writeFragmentHeader(s);
  writeTemplateInstance(s, t, systemTemplate(e), values);
  s.u8(0x00);
}

function u64(v: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(v);
  return b;
}
