// The event query used by `events` and by diagnosis, compiled to one parameterised SQL statement.
// Order is always time, then source, then position in the source (row id), so output is reproducible.

export interface EventQuery {
  /** Channel names; case-insensitive; `*` matches any run of characters (`*RdpCoreTS/Operational`). */
  channels?: string[];
  /** Provider names, same matching as channels. */
  providers?: string[];
  ids?: number[];
  /** Host (System/Computer): case-insensitive, `*` wildcard; a short name also matches its FQDN (`SRV01` ~ `SRV01.corp`). */
  hosts?: string[];
  /** Inclusive bounds, ISO 8601 UTC in the stored form (see normalizeTime). */
  since?: string;
  until?: string;
  /** Case-insensitive substring of the event data (as JSON text) or the message. */
  grep?: string;
  activityId?: string;
  sourceId?: number;
  limit?: number;
  offset?: number;
}

export interface CompiledQuery {
  where: string;
  params: (string | number)[];
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** Turns `*` globs into a LIKE pattern with `\` as the escape character. */
function likePattern(glob: string): string {
  return escapeLike(glob).replace(/\*/g, '%');
}

function nameMatch(column: string, values: string[], params: (string | number)[]): string {
  const parts = values.map((v) => {
    if (v.includes('*')) {
      params.push(likePattern(v));
      return `${column} LIKE ? ESCAPE '\\'`;
    }
    params.push(v);
    return `${column} = ? COLLATE NOCASE`;
  });
  return `(${parts.join(' OR ')})`;
}

export function compileQuery(q: EventQuery): CompiledQuery {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  if (q.channels?.length) clauses.push(nameMatch('e.channel', q.channels, params));
  if (q.providers?.length) clauses.push(nameMatch('e.provider', q.providers, params));
  if (q.ids?.length) {
    const ids = q.ids.filter((i) => Number.isInteger(i));
    clauses.push(ids.length ? `e.event_id IN (${ids.map(() => '?').join(', ')})` : '0');
    params.push(...ids);
  }
  if (q.hosts?.length) {
    const parts = q.hosts.map((h) => {
      if (h.includes('*')) {
        params.push(likePattern(h));
        return `e.computer LIKE ? ESCAPE '\\'`;
      }
      params.push(h, `${likePattern(h)}.%`);
      return `(e.computer = ? COLLATE NOCASE OR e.computer LIKE ? ESCAPE '\\')`;
    });
    clauses.push(`(${parts.join(' OR ')})`);
  }
  if (q.since !== undefined) {
    clauses.push('e.time >= ?');
    params.push(q.since);
  }
  if (q.until !== undefined) {
    clauses.push('e.time <= ?');
    params.push(q.until);
  }
  if (q.grep) {
    // Data is stored as JSON text, which escapes quotes, backslashes and control characters:
    // match the needle both as typed (message) and as it is written inside JSON (data).
    const plain = `%${escapeLike(q.grep)}%`;
    const inJson = `%${escapeLike(JSON.stringify(q.grep).slice(1, -1))}%`;
    clauses.push(`(e.data LIKE ? ESCAPE '\\' OR e.data LIKE ? ESCAPE '\\' OR e.message LIKE ? ESCAPE '\\')`);
    params.push(plain, inJson, plain);
  }
  if (q.activityId !== undefined) {
    clauses.push('e.activity_id = ? COLLATE NOCASE');
    params.push(q.activityId);
  }
  if (q.sourceId !== undefined) {
    clauses.push('e.source_id = ?');
    params.push(q.sourceId);
  }
  return { where: clauses.length ? `WHERE ${clauses.join(' AND ')}` : '', params };
}

const FRACTION_DIGITS = 7;

/**
 * Normalizes a user-given time to the stored form (`2024-05-01T10:00:00.0000000Z`) so text comparison
 * orders correctly. Accepts a date, a date-time with `Z` or ±hh:mm, or a date-time without zone (taken as UTC).
 * Returns undefined when the text is not a time.
 */
export function normalizeTime(text: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i.exec(text.trim());
  if (!m) return undefined;
  const [, date, clock = '00:00:00', frac = '', zone = 'Z'] = m;
  const hms = clock.length === 5 ? `${clock}:00` : clock;
  const ms = Date.parse(`${date}T${hms}${zone.toUpperCase() === 'Z' ? 'Z' : zone.replace(/^([+-]\d{2})(\d{2})$/, '$1:$2')}`);
  if (Number.isNaN(ms)) return undefined;
  const base = new Date(ms).toISOString().slice(0, 19);
  const digits = frac.padEnd(FRACTION_DIGITS, '0').slice(0, FRACTION_DIGITS);
  return `${base}.${digits}Z`;
}
