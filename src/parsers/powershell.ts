// PowerShell exports of Get-WinEvent: `ConvertTo-Json` (Windows PowerShell 5.1 `/Date(ms)/` times
// and shallow Properties; PowerShell 7 ISO times with offsets and deeper values) and `Export-Csv`
// (with or without the #TYPE line). Properties are positional and named by psProperties.ts
// (fidelity positional). Export-Csv flattens Properties to a type name, so its data come from the
// message text (fidelity message-only) and its times are local (ReadOptions.sourceTz).
import type { Fidelity, Format, NormalizedEvent } from '../model/event.js';
import type { ParseIssue } from '../model/issue.js';
import { csvRecords } from './csv.js';
import { extractMessageFields } from './messageFields.js';
import { JsonObjectSplitter, MAX_OBJECT_CHARS } from './psJsonSplitter.js';
import { HEX_FIELDS, propertyName } from './psProperties.js';
import { DateOrderVote, localZone, parseExactTime, parseLocalTime, parseMsDate } from './time.js';
import { decodeHead, decodeInput } from './textInput.js';
import { emptyStats, type InputSource, type ReadItem, type ReadOptions, type Reader, type ReadStream, type SourceStats } from './types.js';
import { hexOf, isGuid, normGuid, toUint } from './values.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

/** LevelDisplayName when Level itself was not exported (Select-Object, custom views). */
const LEVEL_NAMES: Record<string, number> = { critical: 1, error: 2, warning: 3, information: 4, verbose: 5 };

const TYPE_LINE = /^#TYPE\s+System\.Diagnostics\.Eventing\.Reader\.EventLogRecord/;

export function sniffPsJson(head: Buffer): boolean {
  const t = decodeHead(head).replace(/^\s+/, '');
  if (!(t.startsWith('{') || t.startsWith('['))) return false;
  return /"TimeCreated"\s*:/.test(t) && /"(ProviderName|LogName)"\s*:/.test(t) && /"Id"\s*:/.test(t);
}

export function sniffPsCsv(head: Buffer): boolean {
  const lines = decodeHead(head).split(/\r?\n/, 2);
  if (TYPE_LINE.test(lines[0] ?? '')) return true;
  const cols = (lines[0] ?? '').split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  return cols.includes('Id') && cols.includes('ProviderName') && cols.includes('TimeCreated');
}

function str(v: Json | undefined): string | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (!Array.isArray(v) && typeof v === 'object') {
    // SecurityIdentifier {BinaryLength, AccountDomainSid, Value}; WinPS 5.1 DateTime {value, DateTime}.
    if ('Value' in v) return str(v.Value);
    if ('value' in v) return str(v.value);
    if ('Guid' in v) return str(v.Guid);
  }
  return undefined;
}

/** A Properties[i].Value rendered the way evtx renders the same value. */
function renderValue(v: Json | undefined, hexBits: 32 | 64 | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (hexBits && Number.isSafeInteger(v)) return hexOf(v, hexBits, 1);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'string') {
    if (isGuid(v)) return normGuid(v)!;
    return parseMsDate(v) ?? v;
  }
  if (Array.isArray(v)) {
    // byte[] → upper-case hex like evtx's Binary rendering.
    if (v.every((b) => typeof b === 'number' && b >= 0 && b <= 255)) return Buffer.from(v as number[]).toString('hex').toUpperCase();
    return v.map((x) => renderValue(x, undefined)).join(', ');
  }
  return renderValue(str(v) ?? null, hexBits);
}

function keywordsHex(raw: string, value: Json | undefined): string | undefined {
  // Int64 keywords do not survive JSON.parse as numbers: read the digits from the object's text.
  const m = /"Keywords"\s*:\s*(-?\d+)/.exec(raw);
  if (m) return hexOf(BigInt(m[1]!), 64, 16);
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return hexOf(BigInt(value), 64, 16);
  if (typeof value === 'string' && /^0x[0-9a-f]+$/i.test(value)) return value.toLowerCase();
  return undefined;
}

interface Built {
  event?: NormalizedEvent;
  error?: string;
  /** True when Properties could not be used (depth-truncated) and the message was mined instead. */
  degraded?: boolean;
}

function buildEvent(o: Obj, raw: string, time: string, format: Format, position: string, offset: number | undefined, file: string): Built {
  const eventId = toUint(o.Id as number | string | undefined, 0xffff);
  if (eventId === undefined) return { error: 'no numeric "Id"' };
  const provider = str(o.ProviderName) ?? '';
  const message = str(o.Message);
  let fidelity: Fidelity = format === 'ps-json' ? 'positional' : 'message-only';
  let data: Record<string, string> = {};
  let degraded = false;
  const props = o.Properties;
  const hex = HEX_FIELDS[`${provider}|${eventId}`] ?? {};
  if (Array.isArray(props) && props.every((p) => p !== null && typeof p === 'object' && !Array.isArray(p))) {
    const version = toUint(str(o.Version), 0xff);
    props.forEach((p, i) => {
      const name = propertyName(provider, eventId, i, props.length, version);
      data[name] = renderValue((p as Obj).Value, hex[name]);
    });
  } else {
    if (format === 'ps-json' && props !== undefined && props !== null) degraded = true;
    fidelity = 'message-only';
    data = message ? extractMessageFields(provider, eventId, message) : {};
  }
  const event: NormalizedEvent = {
    time,
    provider,
    eventId,
    channel: str(o.LogName) ?? str(o.ContainerLog) ?? '',
    computer: str(o.MachineName) ?? '',
    data,
    source: { file, format, position, fidelity, ...(offset !== undefined ? { offset } : {}) },
  };
  const set = <K extends keyof NormalizedEvent>(k: K, v: NormalizedEvent[K] | undefined): void => {
    if (v !== undefined && v !== '') event[k] = v;
  };
  set('providerGuid', normGuid(str(o.ProviderId)));
  set('qualifiers', toUint(str(o.Qualifiers), 0xffff));
  set('version', toUint(str(o.Version), 0xff));
  set('level', toUint(str(o.Level), 0xff) ?? LEVEL_NAMES[(str(o.LevelDisplayName) ?? '').toLowerCase()]);
  set('task', toUint(str(o.Task), 0xffff));
  set('opcode', toUint(str(o.Opcode), 0xff));
  set('keywords', keywordsHex(raw, o.Keywords));
  set('recordId', toUint(str(o.RecordId)));
  set('activityId', normGuid(str(o.ActivityId)));
  set('relatedActivityId', normGuid(str(o.RelatedActivityId)));
  set('processId', toUint(str(o.ProcessId), 0xffffffff));
  set('threadId', toUint(str(o.ThreadId), 0xffffffff));
  set('userId', str(o.UserId));
  set('message', message?.replace(/\r\n/g, '\n'));
  return { event, degraded };
}

async function* readPsJson(input: InputSource, opts: ReadOptions & { maxObjectChars?: number }): ReadStream {
  const stats = emptyStats();
  let batch: ReadItem[] = [];
  let splitter: JsonObjectSplitter | undefined;
  let warnedDegraded = false;
  let zoneWarned = false;
  const local = localZone(opts.sourceTz, input.name);
  const skip = (code: string): void => {
    stats.skipped++;
    stats.skippedBy[code] = (stats.skippedBy[code] ?? 0) + 1;
  };
  const issue = (i: ParseIssue, counts: boolean): void => {
    batch.push({ kind: 'issue', issue: i });
    if (counts) skip(i.code);
  };
  const onObject = (text: string, index: number, offset: number): void => {
    let o: Json;
    try {
      o = JSON.parse(text) as Json;
    } catch (err) {
      issue({ severity: 'error', code: 'json.malformed', message: `object ${index}: ${(err as Error).message}`, file: input.name, offset }, true);
      return;
    }
    if (o === null || typeof o !== 'object' || Array.isArray(o) || !('Id' in o) || !('TimeCreated' in o)) {
      issue({ severity: 'error', code: 'json.wrong-shape', message: `object ${index} is not a Get-WinEvent record (needs Id and TimeCreated)`, file: input.name, offset }, true);
      return;
    }
    const rawTime = str(o.TimeCreated) ?? '';
    let time = parseMsDate(rawTime) ?? (/([+-]\d{2}:?\d{2}|Z)$/i.test(rawTime.trim()) ? parseExactTime(rawTime) : undefined);
    if (!time && /^\d{4}-\d{2}-\d{2}T/.test(rawTime)) {
      // A zone-less ISO time is the exporting machine's local time.
      if (local.issue && !zoneWarned) {
        zoneWarned = true;
        issue(local.issue, false);
      }
      time = parseLocalTime(rawTime.replace(/\.\d+$/, ''), 'iso', local.zone);
    }
    if (!time) {
      issue({ severity: 'error', code: 'json.bad-time', message: `object ${index}: TimeCreated "${rawTime.slice(0, 40)}" is unreadable`, file: input.name, offset }, true);
      return;
    }
    let b: Built;
    try {
      b = buildEvent(o, text, time, 'ps-json', `object ${index}`, offset, input.name);
    } catch (err) {
      b = { error: `unusable values: ${(err as Error).message}` };
    }
    if (!b.event) {
      issue({ severity: 'error', code: 'json.wrong-shape', message: `object ${index}: ${b.error}`, file: input.name, offset }, true);
      return;
    }
    if (b.degraded && !warnedDegraded) {
      warnedDegraded = true;
      issue({ severity: 'warning', code: 'ps.properties-truncated', message: 'Properties were cut by ConvertTo-Json depth (use -Depth 4); values taken from the message text instead', file: input.name, offset }, false);
    }
    const e = b.event;
    if (opts.filter && !opts.filter.wants(e.channel, e.provider, e.eventId)) {
      stats.filtered++;
      return;
    }
    batch.push({ kind: 'event', event: e });
    stats.read++;
  };
  try {
    for await (const chunk of decodeInput(input)) {
      splitter ??= new JsonObjectSplitter(input.name, chunk.encoding, chunk.dataStart, opts.maxObjectChars ?? MAX_OBJECT_CHARS);
      for (const p of splitter.push(chunk.text)) {
        if (p.kind === 'issue') issue(p.issue, p.counts);
        else onObject(p.text, p.index, p.offset);
      }
      if (batch.length >= 256) {
        yield batch;
        batch = [];
      }
    }
  } catch (err) {
    issue({ severity: 'error', code: 'io.read-failed', message: `cannot read: ${(err as Error).message}`, file: input.name }, false);
  }
  if (splitter) for (const p of splitter.end()) if (p.kind === 'issue') issue(p.issue, p.counts);
  if ((splitter?.count ?? 0) === 0) issue({ severity: 'error', code: 'json.no-objects', message: 'no JSON object found', file: input.name }, false);
  if (batch.length) yield batch;
  return stats;
}

async function* readPsCsv(input: InputSource, opts: ReadOptions): ReadStream {
  const stats: SourceStats = emptyStats();
  const skip = (code: string): void => {
    stats.skipped++;
    stats.skippedBy[code] = (stats.skippedBy[code] ?? 0) + 1;
  };
  let header: string[] | undefined;
  const vote = new DateOrderVote();
  for await (const items of csvRecords(input, ',')) {
    for (const it of items) {
      if (it.kind !== 'record' || (it.fields.length === 1 && TYPE_LINE.test(it.fields[0] ?? ''))) continue;
      if (!header) header = it.fields;
      else vote.add(it.fields[header.indexOf('TimeCreated')] ?? '');
    }
  }
  const decided = vote.decide();
  const local = localZone(opts.sourceTz, input.name);
  let batch: ReadItem[] = local.issue ? [{ kind: 'issue', issue: local.issue }] : [];
  if (decided?.ambiguous) {
    batch.push({ kind: 'issue', issue: { severity: 'warning', code: 'time.ambiguous-date-order', message: `day and month cannot be told apart in this file; read as ${decided.order === 'en-US' ? 'month/day' : 'day/month'}`, file: input.name } });
  }
  header = undefined;
  for await (const items of csvRecords(input, ',')) {
    for (const it of items) {
      if (it.kind === 'issue') {
        batch.push(it);
        continue;
      }
      if (it.fields.length === 1 && TYPE_LINE.test(it.fields[0] ?? '')) continue;
      if (!header) {
        header = it.fields;
        continue;
      }
      const o: Obj = {};
      header.forEach((h, i) => {
        const v = it.fields[i];
        if (v !== undefined && v !== '') o[h] = v;
      });
      const rawTime = str(o.TimeCreated) ?? '';
      const time = (decided && parseLocalTime(rawTime, decided.order, local.zone)) || parseExactTime(rawTime);
      if (!time) {
        batch.push({ kind: 'issue', issue: { severity: 'error', code: 'csv.bad-time', message: `TimeCreated "${rawTime.slice(0, 40)}" is in no known format`, file: input.name, line: it.line } });
        skip('csv.bad-time');
        continue;
      }
      // Export-Csv writes Properties as a type name: never positional here.
      delete o.Properties;
      const b = buildEvent(o, '', time, 'ps-csv', `line ${it.line}`, undefined, input.name);
      if (!b.event) {
        batch.push({ kind: 'issue', issue: { severity: 'error', code: 'csv.wrong-shape', message: b.error ?? 'not an event row', file: input.name, line: it.line } });
        skip('csv.wrong-shape');
        continue;
      }
      const e = b.event;
      if (opts.filter && !opts.filter.wants(e.channel, e.provider, e.eventId)) {
        stats.filtered++;
        continue;
      }
      batch.push({ kind: 'event', event: e });
      stats.read++;
    }
    if (batch.length >= 256) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
  return stats;
}

export const psJsonReader: Reader = {
  format: 'ps-json',
  sniff: (head) => sniffPsJson(head),
  read: (input, opts) => readPsJson(input, opts),
};

export const psCsvReader: Reader = {
  format: 'ps-csv',
  sniff: (head) => sniffPsCsv(head),
  read: (input, opts) => readPsCsv(input, opts),
};
