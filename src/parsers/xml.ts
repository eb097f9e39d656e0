// Event XML: `wevtutil qe /f:xml` (bare concatenated <Event> elements), `/e:Events` and Event Viewer
// "Save as XML" (<Events> root, RenderingInfo kept as the message). UTF-8/UTF-16 with or without
// BOM. Streams element by element; position = element index (1-based) and byte offset.
import type { NormalizedEvent } from '../model/event.js';
import type { ParseIssue } from '../model/issue.js';
import { decodeHead, decodeInput } from './textInput.js';
import { emptyStats, type InputSource, type ReadItem, type ReadOptions, type Reader, type ReadStream } from './types.js';
import { loadEventXmlParser, parseEventElement } from './xml/event.js';
import { EventSplitter, MAX_ELEMENT_CHARS, type Piece } from './xml/splitter.js';

const BATCH = 256;

/** Content sniff: the first element (after prolog, comments, DOCTYPE) is Event or Events. */
export function sniffEventXml(head: Buffer): boolean {
  // evtxexport -f xml prints a version banner line before the first element.
  const text = decodeHead(head).replace(/^\s*evtxexport \d+\s*\n/, '').replace(/^\s+/, '');
  if (!text.startsWith('<')) return false;
  const body = text.replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, '');
  if (/<(?:[A-Za-z_][\w.-]*:)?RDCMan[\s>]/.test(body)) return false;
  const eventTag = /<(?:[A-Za-z_][\w.-]*:)?Events?(?=[\s>/])/;
  // A DOCTYPE'd event file is claimed so that the reader can refuse it with a clear issue.
  if (/^\s*<!(DOCTYPE|ENTITY)/.test(body)) return eventTag.test(body);
  return /^\s*<(?:[A-Za-z_][\w.-]*:)?Events?(?=[\s>/])/.test(body);
}

export interface XmlReadOptions extends ReadOptions {
  /** Test hook: the largest element accepted, in characters. */
  maxElementChars?: number;
}

async function* readEventXml(input: InputSource, opts: XmlReadOptions): ReadStream {
  await loadEventXmlParser();
  const stats = emptyStats();
  let splitter: EventSplitter | undefined;
  let batch: ReadItem[] = [];
  let warnedReplacement = false;

  const skip = (code: string): void => {
    stats.skipped++;
    stats.skippedBy[code] = (stats.skippedBy[code] ?? 0) + 1;
  };
  const handle = (p: Piece): void => {
    if (p.kind === 'issue') {
      batch.push({ kind: 'issue', issue: p.issue });
      if (p.index !== undefined) skip(p.issue.code);
      return;
    }
    let r: ReturnType<typeof parseEventElement>;
    try {
      r = parseEventElement(p.text);
    } catch (err) {
      r = { error: `unreadable element: ${(err as Error).message}` };
    }
    if ('error' in r) {
      const issue: ParseIssue = { severity: 'error', code: 'xml.bad-event', message: `element ${p.index}: ${r.error}`, file: input.name, offset: p.offset };
      batch.push({ kind: 'issue', issue });
      skip(issue.code);
      return;
    }
    const e = r.event;
    if (!warnedReplacement && p.text.includes('\uFFFD')) {
      warnedReplacement = true;
      batch.push({
        kind: 'issue',
        issue: { severity: 'warning', code: 'text.invalid-encoding', message: `element ${p.index} holds bytes that are not valid in the detected encoding (replaced by U+FFFD)`, file: input.name, offset: p.offset },
      });
    }
    if (opts.filter && !opts.filter.wants(e.channel, e.provider, e.eventId)) {
      stats.filtered++;
      return;
    }
    const event: NormalizedEvent = {
      ...e,
      source: { file: input.name, format: 'event-xml', position: `element ${p.index}`, offset: p.offset, fidelity: 'full' },
    };
    batch.push({ kind: 'event', event });
    stats.read++;
  };

  try {
    for await (const chunk of decodeInput(input)) {
      splitter ??= new EventSplitter(input.name, chunk.encoding, chunk.dataStart, opts.maxElementChars ?? MAX_ELEMENT_CHARS);
      for (const p of splitter.push(chunk.text)) handle(p);
      if (splitter.refused) break;
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
  } catch (err) {
    batch.push({ kind: 'issue', issue: { severity: 'error', code: 'io.read-failed', message: `cannot read: ${(err as Error).message}`, file: input.name } });
  }
  if (splitter) for (const p of splitter.end()) handle(p);
  if (!splitter?.refused && (splitter?.count ?? 0) === 0) {
    batch.push({ kind: 'issue', issue: { severity: 'error', code: 'xml.no-events', message: 'no <Event> element found (wrong encoding or not an event export?)', file: input.name } });
  }
  if (batch.length) yield batch;
  return stats;
}

export const eventXmlReader: Reader = {
  format: 'event-xml',
  sniff: (head) => sniffEventXml(head),
  read: (input, opts) => readEventXml(input, opts),
};
