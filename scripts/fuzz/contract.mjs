// Checks what a reader yields against src/parsers/types.ts and src/model: the shapes the store,
// the report and the terminal rely on. A violation is not a crash, but it is reported like one.
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/;
const KINDS = new Set(['event', 'context', 'issue']);

const isStr = (v) => typeof v === 'string';
const isCount = (v) => Number.isInteger(v) && v >= 0;

/** Returns violations (strings) for one yielded batch; `tally` counts items by kind. */
export function checkBatch(batch, input, format, tally) {
  const bad = [];
  if (!Array.isArray(batch)) return [`batch is ${typeof batch}, not an array`];
  for (const item of batch) {
    if (!item || !KINDS.has(item.kind)) {
      bad.push(`item kind ${JSON.stringify(item?.kind)}`);
      continue;
    }
    tally[item.kind]++;
    if (item.kind === 'event') bad.push(...checkEvent(item.event, input, format));
    else if (item.kind === 'issue') bad.push(...checkIssue(item.issue, input));
    else bad.push(...checkContext(item.context, input, format));
    if (bad.length > 20) break;
  }
  return bad;
}

function checkProvenance(src, input, format, what) {
  const bad = [];
  if (!src || typeof src !== 'object') return [`${what}: no source`];
  if (src.file !== input) bad.push(`${what}: source.file ${JSON.stringify(src.file)} is not the input name`);
  if (src.format !== format) bad.push(`${what}: source.format ${src.format} from the ${format} reader`);
  if (!isStr(src.position) || !src.position) bad.push(`${what}: no source.position`);
  if (src.offset !== undefined && !isCount(src.offset)) bad.push(`${what}: source.offset ${src.offset}`);
  return bad;
}

function checkEvent(e, input, format) {
  if (!e || typeof e !== 'object') return ['event is not an object'];
  const bad = [];
  if (!isStr(e.time) || !ISO.test(e.time)) bad.push(`event time ${JSON.stringify(e.time)} is not ISO UTC with 7 digits`);
  if (!Number.isInteger(e.eventId) || e.eventId < 0 || e.eventId > 0xffff) bad.push(`eventId ${e.eventId}`);
  for (const k of ['provider', 'channel', 'computer']) if (!isStr(e[k])) bad.push(`event ${k} is ${typeof e[k]}`);
  if (!e.data || typeof e.data !== 'object') bad.push('event data is not an object');
  else for (const [k, v] of Object.entries(e.data)) if (!isStr(v)) bad.push(`data[${JSON.stringify(k)}] is ${typeof v}`);
  for (const k of ['recordId', 'level', 'task', 'opcode', 'version', 'qualifiers', 'processId', 'threadId']) {
    if (e[k] !== undefined && !(Number.isFinite(e[k]) && e[k] >= 0)) bad.push(`event ${k} ${e[k]}`);
  }
  bad.push(...checkProvenance(e.source, input, format, 'event'));
  return bad;
}

function checkContext(c, input, format) {
  if (!c || typeof c !== 'object') return ['context is not an object'];
  const bad = [];
  if (c.kind !== 'rdp-file' && c.kind !== 'rdg-server') bad.push(`context kind ${c.kind}`);
  if (!c.settings || typeof c.settings !== 'object') bad.push('context settings is not an object');
  else for (const [k, v] of Object.entries(c.settings)) if (!isStr(v)) bad.push(`setting ${JSON.stringify(k)} is ${typeof v}`);
  bad.push(...checkProvenance(c.source, input, format, 'context'));
  return bad;
}

function checkIssue(i, input) {
  if (!i || typeof i !== 'object') return ['issue is not an object'];
  const bad = [];
  if (i.severity !== 'error' && i.severity !== 'warning') bad.push(`issue severity ${i.severity}`);
  if (!isStr(i.code) || !i.code) bad.push('issue without code');
  if (!isStr(i.message) || !i.message) bad.push(`issue ${i.code} without message`);
  if (i.file !== input) bad.push(`issue ${i.code}: file ${JSON.stringify(i.file)} is not the input name`);
  for (const k of ['offset', 'chunk', 'recordId', 'line']) if (i[k] !== undefined && !isCount(i[k])) bad.push(`issue ${i.code}: ${k} ${i[k]}`);
  return bad;
}

/** The generator's return value. `yielded` is the tally of what was actually produced. */
export function checkStats(stats, yielded) {
  if (!stats || typeof stats !== 'object') return [`stats is ${typeof stats}`];
  const bad = [];
  for (const k of ['read', 'recovered', 'skipped', 'filtered']) if (!isCount(stats[k])) bad.push(`stats.${k} ${stats[k]}`);
  if (!stats.skippedBy || typeof stats.skippedBy !== 'object') bad.push('stats.skippedBy missing');
  // Context records may or may not count as read; events always do.
  if (isCount(stats.read) && stats.read !== yielded.event && stats.read !== yielded.event + yielded.context) {
    bad.push(`stats.read ${stats.read} but ${yielded.event} events (+${yielded.context} contexts) yielded`);
  }
  if (isCount(stats.recovered) && isCount(stats.read) && stats.recovered > stats.read) bad.push(`stats.recovered ${stats.recovered} > read ${stats.read}`);
  return bad;
}
