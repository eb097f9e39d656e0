// `rdpdoctor events --db case.db`: lists stored events, oldest first (ties: source, then position).
// Text is a table with every control character escaped; --json prints NDJSON, one StoredEvent per
// line, with C1 and bidi characters written as \u escapes too (same data, safe to cat).
import { Command, InvalidArgumentError, Option } from 'commander';
import type { StoredEvent } from '../../model/stages.js';
import { toJson } from '../../report/json.js';
import { sanitizeInline } from '../../report/sanitize.js';
import { type DisplayZone, UTC_ZONE, formatTime, parseInstant, parseZone, toStoredTime } from '../../report/time.js';
import { openCase } from '../../store/caseFile.js';
import type { EventQuery } from '../../store/query.js';
import { ExitCode, FatalError } from '../exitCodes.js';
import { writeOut } from '../io.js';

interface EventsFlags {
  db: string;
  channel?: string[];
  provider?: string[];
  id?: number[];
  host?: string[];
  since?: string;
  until?: string;
  grep?: string;
  activity?: string;
  json?: boolean;
  limit?: number;
  tz?: string;
}

const collect = (v: string, prev: string[] | undefined): string[] => [...(prev ?? []), ...v.split(',').map((s) => s.trim()).filter(Boolean)];

function collectIds(v: string, prev: number[] | undefined): number[] {
  const ids = v.split(',').map((s) => s.trim()).filter(Boolean).flatMap((s) => {
    const m = /^(\d+)(?:-(\d+))?$/.exec(s);
    if (!m) throw new InvalidArgumentError(`"${s}" is not an event id or range (e.g. 1024,1026 or 1056-1058)`);
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (to < from || to - from > 65535) throw new InvalidArgumentError(`bad id range "${s}"`);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  });
  return [...(prev ?? []), ...ids];
}

function parseLimit(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number ≥ 0');
  return n;
}

export function build(): Command {
  return new Command('events')
    .description('list events stored in a case file (oldest first)')
    .addHelpText(
      'after',
      `
Examples:
  rdpdoctor events --db case.db --channel '*RDPClient*' --id 1024,1026
  rdpdoctor events --db case.db --host RDS01 --since 2024-05-01T14:00 --grep 10.0.0.5
  rdpdoctor events --db case.db --id 4625 --json | jq .data.SubStatus
`,
    )
    .requiredOption('--db <file>', 'case file')
    .option('--channel <name>', 'channel (repeatable or comma-separated; case-insensitive; * is a wildcard)', collect)
    .option('--provider <name>', 'provider (same matching as --channel)', collect)
    .option('--id <ids>', 'event id(s): 1024,1026 or 1056-1058 (repeatable)', collectIds)
    .option('--host <name>', 'computer that logged the event; a short name matches its FQDN (repeatable)', collect)
    .option('--since <time>', 'from this time (ISO 8601; without offset it is read in --tz)')
    .option('--until <time>', 'up to this time, inclusive')
    .option('--grep <text>', 'case-insensitive substring of the event data or message')
    .option('--activity <guid>', 'events of one ActivityID')
    .addOption(new Option('--limit <n>', 'print at most n events').argParser(parseLimit))
    .option('--tz <zone>', 'show times in this zone (IANA name or ±hh:mm; default UTC)')
    .option('--json', 'NDJSON: one JSON object per event and line (fields of the normalized event plus rowId)')
    .action((flags: EventsFlags) => {
      const zone = zoneOf(flags.tz);
      const q = toQuery(flags, zone);
      const cf = openCase(flags.db, { readonly: true });
      try {
        if (flags.json) {
          let buf = '';
          let n = 0;
          for (const e of cf.iterateEvents(q)) {
            n++;
            buf += `${toJson(e)}\n`;
            if (buf.length > 1 << 16) {
              writeOut(buf);
              buf = '';
            }
          }
          writeOut(buf);
          if (n === 0) process.stderr.write('no events match\n');
        } else {
          writeTable(cf.iterateEvents(q), zone);
        }
      } finally {
        cf.close();
      }
    });
}

function zoneOf(tz: string | undefined): DisplayZone {
  if (tz === undefined) return UTC_ZONE;
  const z = parseZone(tz);
  if (!z) throw new FatalError(`--tz: "${sanitizeInline(tz)}" is neither an IANA zone nor an offset like +05:30`, ExitCode.USAGE);
  return z;
}

export function toQuery(flags: Omit<EventsFlags, 'db'>, zone: DisplayZone = UTC_ZONE): EventQuery {
  const q: EventQuery = {};
  if (flags.channel?.length) q.channels = flags.channel;
  if (flags.provider?.length) q.providers = flags.provider;
  if (flags.id?.length) q.ids = [...new Set(flags.id)].sort((a, b) => a - b);
  if (flags.host?.length) q.hosts = flags.host;
  const bound = (name: string, v: string | undefined): string | undefined => {
    if (v === undefined) return undefined;
    const ms = parseInstant(v, zone);
    if (ms === undefined) throw new FatalError(`--${name}: "${sanitizeInline(v)}" is not a time (use ISO 8601, e.g. 2024-05-01T10:00:00Z)`, ExitCode.USAGE);
    return toStoredTime(ms);
  };
  const since = bound('since', flags.since);
  if (since !== undefined) q.since = since;
  // --until is inclusive at the precision given: a date covers that whole day, a whole second every
  // fraction of it.
  const dateOnly = flags.until !== undefined && /^\s*\d{4}-\d{2}-\d{2}\s*$/.test(flags.until);
  const until = bound('until', flags.until);
  if (until !== undefined) {
    if (dateOnly) q.until = `${toStoredTime(Date.parse(until) + 86_399_999).slice(0, 23)}9999Z`;
    else q.until = until.endsWith('.0000000Z') ? until.replace('.0000000Z', '.9999999Z') : until;
  }
  if (flags.grep) q.grep = flags.grep;
  if (flags.activity) q.activityId = flags.activity;
  if (flags.limit !== undefined) q.limit = flags.limit;
  return q;
}

/** Short, readable data: `Key=Value` pairs (the caller escapes controls). */
export function dataSummary(e: StoredEvent): string {
  return Object.entries(e.data)
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
}

const shortChannel = (c: string): string => c.replace(/^Microsoft-Windows-/i, '');

// Fixed column widths so the table streams (no need to see every row first); longer cells push on.
const COLUMNS = [0, 16, 40, 5] as const;

function row(cells: string[]): string {
  return cells.map((c, i) => (i < COLUMNS.length ? c.padEnd(COLUMNS[i]!) : c)).join('  ').trimEnd();
}

function writeTable(events: Iterable<StoredEvent>, zone: DisplayZone): void {
  const width = process.stdout.isTTY ? process.stdout.columns || 120 : Infinity;
  let n = 0;
  let buf = '';
  for (const e of events) {
    const cells = [formatTime(e.time, zone), e.computer, shortChannel(e.channel), String(e.eventId), dataSummary(e) || (e.message ?? '')];
    if (n === 0) buf += `${row(['TIME'.padEnd(formatTime(e.time, zone).length), 'HOST', 'CHANNEL', 'ID', 'DETAILS'])}\n`;
    let line = row(cells.map(sanitizeInline));
    if (line.length > width) line = `${line.slice(0, Math.max(0, width - 1))}…`;
    buf += `${line}\n`;
    n++;
    if (buf.length > 1 << 16) {
      writeOut(buf);
      buf = '';
    }
  }
  writeOut(buf);
  if (n === 0) process.stderr.write('no events match\n');
}
