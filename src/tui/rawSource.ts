// The raw record behind a stored event, read again from its source file on demand (the case file
// keeps normalized events only): the record's Event XML for evtx, the element for Event XML exports,
// the line for line-based exports. Reads are bounded; nothing is read from zip members.
import { closeSync, openSync, readSync } from 'node:fs';
import type { StoredEvent } from '../model/stages.js';
import { chunkXml, xmlRecords } from '../parsers/evtx/xml.js';

const EVTX_HEADER = 4096;
const EVTX_CHUNK = 65536;
const MAX_LINE = 64 * 1024;
const MAX_ELEMENT = 1024 * 1024;

export interface RawSource {
  raw?: string;
  /** Why there is no raw record, or a caveat about the one shown. */
  note: string;
}

function readAt(path: string, offset: number, length: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(length);
    const n = readSync(fd, buf, 0, length, offset);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Indents one-line Event XML: one element per line, leaf elements kept with their text. */
export function prettyXml(xml: string): string {
  if (xml.length > MAX_ELEMENT) return xml;
  const out: string[] = [];
  let depth = 0;
  const re = /<\/[^>]+>|<[^>]+\/>|<[^>/][^>]*>[^<]*<\/[^>]+>|<[^>]+>|[^<]+/g;
  for (const [t] of xml.matchAll(re)) {
    if (t.startsWith('</')) {
      depth = Math.max(0, depth - 1);
      out.push(`${'  '.repeat(depth)}${t}`);
    } else if (t.startsWith('<?') || t.startsWith('<!') || t.endsWith('/>') || /^<[^>]+>[^<]*<\/[^>]+>$/.test(t)) {
      out.push(`${'  '.repeat(depth)}${t}`);
    } else if (t.startsWith('<')) {
      out.push(`${'  '.repeat(depth)}${t}`);
      depth++;
    } else if (t.trim()) {
      out.push(`${'  '.repeat(depth)}${t.trim()}`);
    }
  }
  return out.join('\n');
}

function evtxRecord(path: string, e: StoredEvent): RawSource {
  const chunk = e.source.chunk;
  if (chunk === undefined || e.recordId === undefined) return { note: 'the case does not say which chunk and record to read again' };
  const start = EVTX_HEADER + chunk * EVTX_CHUNK;
  const buf = readAt(path, start, EVTX_CHUNK);
  if (buf.length < EVTX_CHUNK) return { note: `${path} is shorter than when it was read (chunk ${chunk} is missing)` };
  const tag = `<EventRecordID>${e.recordId}</EventRecordID>`;
  const xml = xmlRecords(chunkXml(buf, { file: path, index: chunk, fileOffset: start })).find((r) => r.includes(tag));
  if (!xml) return { note: `record ${e.recordId} is no longer in chunk ${chunk} of ${path} (file changed, or the record was carved from slack)` };
  return { raw: prettyXml(xml), note: `read again from ${path}, chunk ${chunk}` };
}

function textSlice(path: string, offset: number, max: number, end: (s: string) => number): RawSource {
  // Event Viewer and PowerShell exports are often UTF-16LE (BOM FF FE).
  const bom = readAt(path, 0, 2);
  const encoding = bom[0] === 0xff && bom[1] === 0xfe ? 'utf16le' : 'utf8';
  const s = readAt(path, offset, max).toString(encoding);
  const cut = end(s);
  return { raw: cut >= 0 ? s.slice(0, cut) : s, note: `read again from ${path} at offset ${offset}${cut < 0 ? ` (first ${max} bytes)` : ''}` };
}

export function readRawSource(e: StoredEvent): RawSource {
  const path = e.source.file;
  if (path.includes('!/')) return { note: 'the record is inside an archive; it is not read again' };
  try {
    switch (e.source.format) {
      case 'evtx':
        return evtxRecord(path, e);
      case 'event-xml':
        if (e.source.offset === undefined) break;
        return textSlice(path, e.source.offset, MAX_ELEMENT, (s) => {
          const i = s.indexOf('</Event>');
          return i < 0 ? -1 : i + '</Event>'.length;
        });
      case 'evt-csv':
      case 'evt-text':
      case 'ps-csv':
      case 'rdcman-log':
        if (e.source.offset === undefined) break;
        return textSlice(path, e.source.offset, MAX_LINE, (s) => s.search(/\r?\n/));
      default:
        break;
    }
    return { note: `no raw form is kept for ${e.source.format} input` };
  } catch (err) {
    return { note: `cannot read ${path} again: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` };
  }
}
