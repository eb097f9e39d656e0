// The event-detail pane as lines: every field of the stored event, its data, message, the decoded
// meaning of its codes, where it came from (file and record), and the raw XML or source line.
import type { Zone } from 'luxon';
import type { EventRef } from '../model/analysis.js';
import type { AttemptReport } from '../model/report.js';
import { describeEventCodes } from './eventCodes.js';
import { formatStamp, hex } from './format.js';
import { LineBuilder, seg, type Line } from './lines.js';
import type { TuiEvent, TuiOptions } from './options.js';
import { block, hostName, inline } from './safe.js';
import { fit } from './text.js';

function field(b: LineBuilder, name: string, value: string | number | undefined, labelWidth = 18): void {
  if (value === undefined || value === '') return;
  b.para([seg(fit(name, labelWidth), 'muted')], inline(value));
}

function parseNumber(v: string): number | undefined {
  const t = v.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return Number.parseInt(t.slice(2), 16);
  if (/^\d{1,10}$/.test(t)) return Number(t);
  return undefined;
}

/** Fallback for fields no decode rule covers: values equal to the attempt's codes get the attempt's meanings. */
function attemptCodeMeanings(values: Record<string, string>, a: AttemptReport | undefined): string[] {
  if (!a) return [];
  const out: string[] = [];
  for (const k of Object.keys(values).sort()) {
    const n = parseNumber(values[k] ?? '');
    if (n === undefined) continue;
    if (n === a.codes.disconnectReason) out.push(`${k}=${n} is disconnect reason ${hex(n)}: ${a.codes.meaning ?? 'undocumented'}`);
    else if (n === a.codes.extendedReason && n !== 0) out.push(`${k}=${n} is extended reason ${hex(n)}: ${a.codes.extendedMeaning ?? 'undocumented'}`);
  }
  return out;
}

export function buildEventLines(
  ref: EventRef,
  full: TuiEvent | undefined,
  attempt: AttemptReport | undefined,
  opts: Pick<TuiOptions, 'describeEvent'>,
  zone: Zone,
  width: number,
): Line[] {
  const b = new LineBuilder(width);
  const provider = full?.provider ?? ref.provider;
  const channel = full?.channel ?? ref.channel;
  b.add([seg('Event ', 'muted'), seg(String(full?.eventId ?? ref.id), 'accent', true), seg(` ${inline(provider)}`, undefined, true)]);
  b.blank();
  field(b, 'Time (logged)', `${formatStamp(full?.time ?? ref.time, zone, false)}  (${inline(full?.time ?? ref.time)})`);
  if (ref.correctedTime && ref.correctedTime !== ref.time) field(b, 'Time (corrected)', `${formatStamp(ref.correctedTime, zone, false)}  (skew-corrected)`);
  field(b, 'Host', hostName(full?.computer ?? ref.host));
  field(b, 'Side', ref.side);
  field(b, 'Channel', channel);
  field(b, 'Provider', provider);
  if (full) {
    field(b, 'Provider GUID', full.providerGuid);
    field(b, 'EventSourceName', full.eventSourceName);
    field(b, 'Qualifiers', full.qualifiers);
    field(b, 'Version', full.version);
    field(b, 'Level', full.level);
    field(b, 'Task', full.task);
    field(b, 'Opcode', full.opcode);
    field(b, 'Keywords', full.keywords);
  }
  field(b, 'Record ID', full?.recordId ?? ref.recordId);
  if (full) {
    field(b, 'Activity ID', full.activityId);
    field(b, 'Related activity', full.relatedActivityId);
    field(b, 'Process ID', full.processId);
    field(b, 'Thread ID', full.threadId);
    field(b, 'User ID', full.userId);
  }

  const data = full?.data ?? ref.values;
  b.blank();
  b.add([seg(full ? 'Data' : 'Values (from the attempt reference)', 'accent', true)]);
  const keys = Object.keys(data).sort();
  if (!keys.length) b.add([seg('  (none)', 'muted')]);
  const kw = Math.min(28, Math.max(8, ...keys.map((k) => inline(k).length + 1)));
  for (const k of keys) b.para([seg('  '), seg(fit(inline(k), kw), 'muted')], inline(data[k]));

  const subject = { channel, provider, id: full?.eventId ?? ref.id, values: data };
  const decoded = describeEventCodes(subject);
  const meanings = [
    ...(decoded.length ? decoded : attemptCodeMeanings(data, attempt)),
    ...(opts.describeEvent?.(subject) ?? []),
  ];
  if (meanings.length) {
    b.blank();
    b.add([seg('Codes decoded', 'accent', true)]);
    for (const m of [...new Set(meanings)]) b.para([seg('  • ')], inline(m));
  }

  if (full?.message) {
    b.blank();
    b.add([seg('Message', 'accent', true)]);
    for (const l of block(full.message).split('\n')) b.para([seg('  ')], l);
  }

  b.blank();
  b.add([seg('Provenance', 'accent', true)]);
  const src = full?.source;
  field(b, '  File', src?.file ?? ref.file);
  field(b, '  Position', src?.position ?? ref.position);
  if (src) {
    field(b, '  Format', src.format);
    field(b, '  Fidelity', src.fidelity);
    if (src.offset !== undefined) field(b, '  Offset', `0x${src.offset.toString(16)} (${src.offset})`);
    field(b, '  Chunk', src.chunk);
    if (src.recovered) field(b, '  Recovered', 'yes: carved from chunk slack, not from the live record chain');
  }
  field(b, '  Case row', ref.eventId);

  b.blank();
  const xml = full?.source.format === 'evtx' || full?.source.format === 'event-xml';
  if (full?.raw) {
    b.add([seg(xml ? 'Raw XML' : 'Source line', 'accent', true), seg(full.rawNote ? ` (${inline(full.rawNote)})` : '', 'muted')]);
    for (const l of block(full.raw).split('\n')) b.para([seg('  ')], l);
  } else if (!full) {
    b.para([], 'The full event is not available here: open the case with `rdpdoctor tui --db case.db` to see every field and the raw record.', 'muted');
  } else {
    b.para([seg(xml ? 'Raw XML: ' : 'Source line: ', 'accent', true)], inline(full.rawNote ?? 'not kept in the case file'), 'muted');
  }
  return b.lines;
}
