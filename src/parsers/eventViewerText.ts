// Event Viewer "Save All Events As…" CSV and tab-delimited text: Level, Date and Time, Source,
// Event ID, Task Category, then the rendered message. Times are local to the exporting machine in
// its locale's format: the zone comes from ReadOptions.sourceTz and the d/M order is decided from
// the whole file in a first pass. Data values come only from the message (fidelity message-only).
// The computer is not in the export: ReadOptions.computer, else '' (the caller names the host).
import type { Format, NormalizedEvent } from '../model/event.js';
import type { ParseIssue } from '../model/issue.js';
import { csvRecords } from './csv.js';
import { canonicalProvider, extractMessageFields, inferChannel } from './messageFields.js';
import { DateOrderVote, localZone, parseLocalTime } from './time.js';
import { decodeHead } from './textInput.js';
import { emptyStats, type InputSource, type ReadItem, type ReadOptions, type Reader, type ReadStream } from './types.js';
import { toUint } from './values.js';

/** Header words per UI language: level, date and time, source, event id, task category. */
const HEADERS: string[][] = [
  ['level', 'date and time', 'source', 'event id', 'task category'],
  ['ebene', 'datum und uhrzeit', 'quelle', 'ereignis-id', 'aufgabenkategorie'],
  ['niveau', 'date et heure', 'source', "id de l'événement", 'catégorie de la tâche'],
];

const LEVELS: Record<string, { level: number; keywords?: string }> = {
  critical: { level: 1 },
  kritisch: { level: 1 },
  error: { level: 2 },
  fehler: { level: 2 },
  erreur: { level: 2 },
  warning: { level: 3 },
  warnung: { level: 3 },
  avertissement: { level: 3 },
  information: { level: 4 },
  informationen: { level: 4 },
  verbose: { level: 5 },
  ausführlich: { level: 5 },
  'audit success': { level: 0, keywords: '0x8020000000000000' },
  'überwachung erfolgreich': { level: 0, keywords: '0x8020000000000000' },
  'audit failure': { level: 0, keywords: '0x8010000000000000' },
  'überwachung gescheitert': { level: 0, keywords: '0x8010000000000000' },
};

function norm(h: string): string {
  return h.trim().replace(/^"|"$/g, '').replace(/[\u2018\u2019]/g, "'").toLowerCase();
}

/** Which delimiter the header line uses, when it is an Event Viewer export header. */
export function sniffEventViewerHeader(head: Buffer): ',' | '\t' | undefined {
  const first = decodeHead(head).split(/\r?\n/, 1)[0] ?? '';
  for (const delim of [',', '\t'] as const) {
    const cols = first.split(delim).map(norm);
    if (cols.length < 5) continue;
    if (HEADERS.some((h) => h.every((w, i) => cols[i] === w))) return delim;
  }
  return undefined;
}

interface Columns {
  level: number;
  time: number;
  source: number;
  id: number;
  message: number;
}

async function* readExport(input: InputSource, opts: ReadOptions, delim: ',' | '\t', format: Format): ReadStream {
  const stats = emptyStats();
  const cols: Columns = { level: 0, time: 1, source: 2, id: 3, message: 5 };
  const skip = (code: string): void => {
    stats.skipped++;
    stats.skippedBy[code] = (stats.skippedBy[code] ?? 0) + 1;
  };

  // Pass 1: the date order is a property of the whole file (3/4 vs 13/4).
  const vote = new DateOrderVote();
  let first = true;
  for await (const items of csvRecords(input, delim)) {
    for (const it of items) {
      if (it.kind !== 'record') continue;
      if (first) first = false;
      else vote.add(it.fields[cols.time] ?? '');
    }
  }
  const decided = vote.decide();
  const { zone, issue: zoneIssue } = localZone(opts.sourceTz, input.name);
  const head: ParseIssue[] = zoneIssue ? [zoneIssue] : [];
  if (decided?.ambiguous) {
    head.push({
      severity: 'warning',
      code: 'time.ambiguous-date-order',
      message: `no date in this file has a day above 12, so day and month cannot be told apart; read as ${decided.order === 'en-US' ? 'month/day (AM/PM present)' : 'day/month'}`,
      file: input.name,
    });
  }
  let batch: ReadItem[] = head.map((issue) => ({ kind: 'issue', issue }));

  first = true;
  for await (const items of csvRecords(input, delim)) {
    for (const it of items) {
      if (it.kind === 'issue') {
        batch.push(it);
        continue;
      }
      if (first) {
        first = false;
        continue;
      }
      const f = it.fields;
      const bad = (code: string, message: string): void => {
        batch.push({ kind: 'issue', issue: { severity: 'error', code, message, file: input.name, line: it.line } });
        skip(code);
      };
      const eventId = toUint(f[cols.id], 0xffff);
      if (eventId === undefined) {
        bad('csv.bad-event-id', `Event ID "${(f[cols.id] ?? '').slice(0, 32)}" is not a number`);
        continue;
      }
      const rawTime = f[cols.time] ?? '';
      const time = decided ? parseLocalTime(rawTime, decided.order, zone) : undefined;
      if (!time) {
        bad('csv.bad-time', `date "${rawTime.slice(0, 40)}" is in no known format`);
        continue;
      }
      const provider = canonicalProvider(f[cols.source] ?? '');
      const channel = inferChannel(provider, eventId);
      if (opts.filter && !opts.filter.wants(channel, provider, eventId)) {
        stats.filtered++;
        continue;
      }
      // Extra delimiters in an unquoted message split it; join the tail back.
      const message = f.slice(cols.message).join(delim === ',' ? ',' : '\t').replace(/\r\n/g, '\n');
      const lv = LEVELS[norm(f[cols.level] ?? '')];
      const event: NormalizedEvent = {
        time,
        provider,
        eventId,
        channel,
        computer: opts.computer ?? '',
        data: extractMessageFields(provider, eventId, message),
        source: { file: input.name, format, position: `line ${it.line}`, fidelity: 'message-only' },
      };
      if (lv) {
        event.level = lv.level;
        if (lv.keywords) event.keywords = lv.keywords;
      }
      if (message !== '') event.message = message;
      batch.push({ kind: 'event', event });
      stats.read++;
    }
    if (batch.length >= 256) {
      yield batch;
      batch = [];
    }
  }
  if (first) batch.push({ kind: 'issue', issue: { severity: 'error', code: 'csv.empty', message: 'no header line', file: input.name } });
  if (batch.length) yield batch;
  return stats;
}

export const eventViewerCsvReader: Reader = {
  format: 'evt-csv',
  sniff: (head) => sniffEventViewerHeader(head) === ',',
  read: (input, opts) => readExport(input, opts, ',', 'evt-csv'),
};

export const eventViewerTextReader: Reader = {
  format: 'evt-text',
  sniff: (head) => sniffEventViewerHeader(head) === '\t',
  read: (input, opts) => readExport(input, opts, '\t', 'evt-text'),
};
