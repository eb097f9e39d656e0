// One <Event> element → NormalizedEvent fields. Namespace prefixes are dropped, entities are never
// processed by the parser (only the five predefined ones and character references are decoded
// here), and EventData/UserData are flattened by the corpus reference convention.
import type { XMLParser } from 'fast-xml-parser';
import type { NormalizedEvent } from '../../model/event.js';
import { parseExactTime } from '../time.js';
import { normGuid, putUnique, toUint } from '../values.js';
import { checkWellFormed } from './wellFormed.js';

type XNode = Record<string, unknown>;

let parser: XMLParser | undefined;

/** Loads fast-xml-parser (~25 ms) on first use rather than at every start; parseEventElement needs it. */
export async function loadEventXmlParser(): Promise<void> {
  if (parser) return;
  const { XMLParser } = await import('fast-xml-parser');
  parser = new XMLParser(OPTIONS);
}

const OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  preserveOrder: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
};

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Decodes predefined entities and character references; any other `&name;` stays literal. */
export function unescapeXml(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(lt|gt|amp|quot|apos|#\d{1,7}|#x[0-9a-fA-F]{1,6});/g, (all, name: string) => {
    if (name[0] !== '#') return PREDEFINED[name] ?? all;
    const cp = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
    return cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : all;
  });
}

function tagOf(n: XNode): string | undefined {
  for (const k of Object.keys(n)) if (k !== ':@') return k;
  return undefined;
}
function kids(n: XNode): XNode[] {
  const t = tagOf(n);
  const v = t ? n[t] : undefined;
  return Array.isArray(v) ? (v as XNode[]) : [];
}
function attr(n: XNode | undefined, name: string): string | undefined {
  const a = n?.[':@'] as Record<string, string> | undefined;
  const v = a?.[name];
  return v === undefined ? undefined : unescapeXml(v);
}
function elements(n: XNode): XNode[] {
  return kids(n).filter((k) => tagOf(k) !== '#text');
}
/** Text content of an element: its own text plus descendants', entities decoded. */
function textOf(n: XNode): string {
  let s = '';
  for (const k of kids(n)) {
    if (tagOf(k) === '#text') s += String(k['#text']);
    else s += textOf(k);
  }
  return unescapeXml(s);
}
function child(n: XNode | undefined, name: string): XNode | undefined {
  return n ? elements(n).find((k) => tagOf(k) === name) : undefined;
}

export type ParsedEvent = Omit<NormalizedEvent, 'source'>;

/** Parses one element's text. Returns a message instead of throwing when it is not a usable event. */
export function parseEventElement(xml: string): { event: ParsedEvent } | { error: string; line?: number } {
  const bad = checkWellFormed(xml);
  if (bad) return { error: `malformed XML: ${bad.error}`, line: xml.slice(0, bad.at).split('\n').length };
  let root: XNode[];
  try {
    if (!parser) throw new Error('internal: loadEventXmlParser() was not awaited');
    root = parser.parse(xml) as XNode[];
  } catch (err) {
    return { error: `malformed XML: ${(err as Error).message}` };
  }
  const ev = root.find((n) => tagOf(n) === 'Event');
  if (!ev) return { error: 'no <Event> element' };
  const sys = child(ev, 'System');
  if (!sys) return { error: 'no <System> element' };

  const eventIdNode = child(sys, 'EventID');
  const eventId = eventIdNode ? toUint(textOf(eventIdNode), 0xffff) : undefined;
  if (eventId === undefined) return { error: 'missing or invalid <EventID>' };
  const tc = child(sys, 'TimeCreated');
  const rawTime = attr(tc, 'SystemTime') ?? '';
  const time = parseExactTime(rawTime);
  if (!time) return { error: `missing or unreadable TimeCreated/@SystemTime "${rawTime.slice(0, 64)}"` };

  const provider = child(sys, 'Provider');
  const corr = child(sys, 'Correlation');
  const exec = child(sys, 'Execution');
  const num = (name: string, max: number): number | undefined => {
    const n = child(sys, name);
    return n ? toUint(textOf(n), max) : undefined;
  };
  const text = (name: string): string | undefined => {
    const n = child(sys, name);
    return n ? textOf(n).trim() : undefined;
  };

  const out: ParsedEvent = {
    time,
    provider: attr(provider, 'Name') ?? '',
    eventId,
    channel: text('Channel') ?? '',
    computer: text('Computer') ?? '',
    data: {},
  };
  const opt = <K extends keyof ParsedEvent>(k: K, v: ParsedEvent[K] | undefined): void => {
    if (v !== undefined && v !== '') out[k] = v;
  };
  opt('providerGuid', normGuid(attr(provider, 'Guid')));
  opt('eventSourceName', attr(provider, 'EventSourceName'));
  opt('qualifiers', toUint(attr(eventIdNode, 'Qualifiers'), 0xffff));
  opt('version', num('Version', 0xff));
  opt('level', num('Level', 0xff));
  opt('task', num('Task', 0xffff));
  opt('opcode', num('Opcode', 0xff));
  opt('keywords', text('Keywords'));
  opt('recordId', num('EventRecordID', Number.MAX_SAFE_INTEGER));
  opt('activityId', normGuid(attr(corr, 'ActivityID')));
  opt('relatedActivityId', normGuid(attr(corr, 'RelatedActivityID')));
  opt('processId', toUint(attr(exec, 'ProcessID'), 0xffffffff));
  opt('threadId', toUint(attr(exec, 'ThreadID'), 0xffffffff));
  opt('userId', attr(child(sys, 'Security'), 'UserID'));

  const eventData = child(ev, 'EventData');
  if (eventData) flattenEventData(eventData, out.data);
  const userData = child(ev, 'UserData');
  if (userData) for (const wrapper of elements(userData)) flattenUserData(wrapper, '', out.data);

  const message = child(child(ev, 'RenderingInfo'), 'Message');
  // Messages compare across formats with LF line ends (XML's own line-end normalisation).
  if (message) opt('message', textOf(message).replace(/\r\n?/g, '\n'));
  return { event: out };
}

function flattenEventData(ed: XNode, data: Record<string, string>): void {
  let unnamed = 0;
  for (const k of elements(ed)) {
    const tag = tagOf(k);
    if (tag === 'Data') {
      const name = attr(k, 'Name');
      putUnique(data, name !== undefined && name !== '' ? name : `Data[${unnamed++}]`, textOf(k));
    } else if (tag === 'Binary') {
      putUnique(data, 'Binary', textOf(k).trim());
    } else if (tag) {
      flattenUserData(k, '', data);
    }
  }
}

/** UserData/<wrapper>/<X> gives X; deeper nesting X/Y. A wrapper without children is its own leaf. */
function flattenUserData(wrapper: XNode, prefix: string, data: Record<string, string>): void {
  const els = elements(wrapper);
  if (els.length === 0 && prefix === '') {
    const t = textOf(wrapper);
    if (t.trim() !== '') putUnique(data, tagOf(wrapper) ?? '', t);
    return;
  }
  for (const k of els) {
    const name = `${prefix}${tagOf(k) ?? ''}`;
    if (elements(k).length > 0) flattenUserData(k, `${name}/`, data);
    else putUnique(data, name, textOf(k));
  }
}
