// The same event specs rendered as Event XML text (the shape of `wevtutil qe /f:xml` and of Event
// Viewer's "Save as XML"), so tests can feed identical events to the EVTX and the XML readers.
import { EVENT_NS } from './templates.js';
import type { EvtxEventSpec, EvtxValue } from './types.js';
import { canonicalGuid, canonicalTime, keywordsValue, renderValue } from './values.js';

export interface EventXmlOptions {
  /** Wrap in `<Events>…</Events>` (Event Viewer, `wevtutil /e:Events`); default true. */
  root?: boolean;
  /** Prepend `<?xml version="1.0" encoding="UTF-8"?>`; default true when `root`. */
  declaration?: boolean;
  /** Record id for events without one (default 1, then +1), as writeEvtx assigns them. */
  firstRecordId?: number;
}

/** XML-escapes text; CR becomes &#xD; because XML parsers turn a literal CR LF into LF. */
function esc(s: string): string {
  return s.replace(/[&<>"\r]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\r': '&#xD;' })[c]!);
}

function valueText(v: EvtxValue): string {
  return esc(renderValue(v));
}

/** One `<Event>` element on one line, values rendered as Windows renders them. */
export function renderEventXml(e: EvtxEventSpec, recordId: number): string {
  const p: string[] = [];
  const legacy = e.provider.legacy === true;
  const classic = e.provider.eventSourceName !== undefined || legacy;
  let prov = `<Provider Name="${esc(e.provider.name)}"`;
  if (e.provider.guid) prov += ` Guid="${esc(classic ? e.provider.guid : canonicalGuid(e.provider.guid))}"`;
  if (e.provider.eventSourceName !== undefined) prov += ` EventSourceName="${esc(e.provider.eventSourceName)}"`;
  p.push(`<Event xmlns="${EVENT_NS}"><System>${prov}/>`);
  p.push(e.qualifiers !== undefined ? `<EventID Qualifiers="${e.qualifiers}">${e.eventId}</EventID>` : `<EventID>${e.eventId}</EventID>`);
  // Legacy sources have no Version, Opcode, Correlation or Execution.
  if (!legacy) p.push(`<Version>${e.version ?? 0}</Version>`);
  p.push(`<Level>${e.level ?? 4}</Level><Task>${e.task ?? 0}</Task>`);
  if (!legacy) p.push(`<Opcode>${e.opcode ?? 0}</Opcode>`);
  // Windows renders the mask without zero padding (classic sources: 0x80000000000000); evtxexport pads.
  p.push(`<Keywords>0x${keywordsValue(e.keywords).toString(16)}</Keywords>`);
  p.push(`<TimeCreated SystemTime="${canonicalTime(e.time)}"/><EventRecordID>${recordId}</EventRecordID>`);
  let corr = '<Correlation';
  if (e.activityId) corr += ` ActivityID="${canonicalGuid(e.activityId)}"`;
  if (e.relatedActivityId) corr += ` RelatedActivityID="${canonicalGuid(e.relatedActivityId)}"`;
  if (!legacy) p.push(`${corr}/><Execution ProcessID="${e.processId ?? 0}" ThreadID="${e.threadId ?? 0}"/>`);
  p.push(`<Channel>${esc(e.channel)}</Channel><Computer>${esc(e.computer)}</Computer>`);
  p.push(e.userId ? `<Security UserID="${esc(e.userId)}"/></System>` : '<Security/></System>');
  const pl = e.payload;
  if (pl?.kind === 'EventData') {
    if (pl.fields.length === 0 && pl.binary === undefined) p.push('<EventData/>');
    else {
      p.push('<EventData>');
      for (const f of pl.fields) {
        const open = f.name !== undefined ? `<Data Name="${esc(f.name)}">` : '<Data>';
        p.push(`${open}${valueText(f.value)}</Data>`);
      }
      if (pl.binary !== undefined) p.push(`<Binary>${valueText({ type: 'binary', value: pl.binary })}</Binary>`);
      p.push('</EventData>');
    }
  } else if (pl?.kind === 'UserData') {
    p.push(`<UserData><${pl.element} xmlns="${esc(pl.xmlns)}">`);
    for (const f of pl.fields) p.push(`<${f.name}>${valueText(f.value)}</${f.name}>`);
    p.push(`</${pl.element}></UserData>`);
  }
  p.push('</Event>');
  return p.join('');
}

/** Several events as one XML document (or a bare sequence of `<Event>` elements when root is false). */
export function writeEventXml(events: readonly EvtxEventSpec[], opts: EventXmlOptions = {}): string {
  const root = opts.root ?? true;
  const decl = opts.declaration ?? root;
  let next = opts.firstRecordId ?? 1;
  const lines = events.map((e) => {
    const id = e.recordId ?? next;
    next = id + 1;
    return renderEventXml(e, id);
  });
  const body = root ? ['<Events>', ...lines, '</Events>'] : lines;
  return `${decl ? '<?xml version="1.0" encoding="UTF-8"?>\n' : ''}${body.join('\n')}\n`;
}
