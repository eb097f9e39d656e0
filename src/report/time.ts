// Times are stored in UTC and shown in the zone the reader asks for (--tz: an IANA name or a fixed
// ±hh:mm offset), always with their offset, so a printed time can never be mistaken for another zone.
import { DateTime, IANAZone } from 'luxon';

export interface DisplayZone {
  /** What the user gave, normalised: `UTC`, `+05:30`, `Europe/Paris`. */
  label: string;
  /** Offset in minutes east of UTC at the given instant. */
  offsetAt(utcMs: number): number;
}

export const UTC_ZONE: DisplayZone = { label: 'UTC', offsetAt: () => 0 };

const OFFSET = /^(?:UTC|GMT)?([+-])(\d{1,2})(?::?(\d{2}))?$/i;

/** Parses a --tz value (IANA name, ±hh:mm, UTC, or `local`). Undefined when it is none of these or past ±18:00. */
export function parseZone(spec: string): DisplayZone | undefined {
  const s = spec.trim();
  if (/^(utc|gmt|z)$/i.test(s)) return UTC_ZONE;
  if (/^local$/i.test(s)) {
    // This machine's zone, by name, so the printed offset follows its DST rules.
    const name = Intl.DateTimeFormat().resolvedOptions().timeZone;
    return name && IANAZone.isValidZone(name) && name !== 'UTC' ? parseZone(name) : UTC_ZONE;
  }
  const m = OFFSET.exec(s);
  if (m) {
    const minutes = Number(m[2]) * 60 + Number(m[3] ?? '0');
    if (minutes > 18 * 60 || Number(m[3] ?? '0') >= 60) return undefined;
    const off = (m[1] === '-' ? -1 : 1) * minutes;
    return { label: formatOffset(off), offsetAt: () => off };
  }
  if (!IANAZone.isValidZone(s)) return undefined;
  const zone = IANAZone.create(s);
  return { label: zone.name, offsetAt: (ms) => zone.offset(ms) };
}

export function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const a = Math.abs(minutes);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?Z$/;

/** Milliseconds since the epoch of a stored ISO UTC time (sub-millisecond digits truncated); NaN if malformed. */
export function utcMillis(iso: string): number {
  const m = ISO_UTC.exec(iso);
  if (!m) return Number.NaN;
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms);
}

/**
 * `2024-05-01 14:06:33.654 +02:00`. Milliseconds are truncated, not rounded, so a time never moves
 * into the next second. A malformed stored time is shown as it is rather than guessed.
 */
export function formatTime(iso: string, zone: DisplayZone = UTC_ZONE): string {
  const ms = utcMillis(iso);
  if (Number.isNaN(ms)) return iso;
  const off = zone.offsetAt(ms);
  const d = new Date(ms + off * 60_000);
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return (
    `${p(d.getUTCFullYear(), 4)}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ` +
    `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)} ${formatOffset(off)}`
  );
}

/** Stored-time form of an instant: ISO UTC with 7 fractional digits, comparable as a string. */
export function toStoredTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 23)}0000Z`;
}

/**
 * Parses a --since/--until bound: ISO 8601 with `Z` or an offset, or a date / date-time without one,
 * read in `zone` (local wall-clock time there). Returns epoch milliseconds, or undefined.
 */
export function parseInstant(text: string, zone: DisplayZone = UTC_ZONE): number | undefined {
  const s = text.trim().replace(' ', 'T');
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i.test(s)) return undefined;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(s) && s.includes('T');
  if (hasZone) {
    const d = DateTime.fromISO(s, { setZone: true });
    return d.isValid ? d.toMillis() : undefined;
  }
  const local = DateTime.fromISO(s, { zone: 'utc' });
  if (!local.isValid) return undefined;
  // Wall-clock in `zone`: subtract the zone's offset, then re-check it at the shifted instant (DST edges).
  let ms = local.toMillis() - zone.offsetAt(local.toMillis()) * 60_000;
  ms = local.toMillis() - zone.offsetAt(ms) * 60_000;
  return ms;
}
