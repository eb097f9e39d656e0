// Times, durations and codes as the TUI prints them. Times are stored in UTC; the view renders
// them in the zone the user chose (--tz) and always prints the offset.
import { DateTime, FixedOffsetZone, IANAZone, type Zone } from 'luxon';

/** Resolves `--tz` (IANA name, `UTC`, or ±hh:mm). Throws with the offending value when unknown. */
export function resolveZone(tz: string | undefined): Zone {
  if (tz === undefined || tz === '' || /^(utc|z)$/i.test(tz)) return FixedOffsetZone.utcInstance;
  const m = /^([+-])(\d{1,2}):?(\d{2})$/.exec(tz);
  if (m) {
    const mins = (Number(m[2]) * 60 + Number(m[3])) * (m[1] === '-' ? -1 : 1);
    if (Math.abs(mins) <= 14 * 60) return FixedOffsetZone.instance(mins);
  } else if (IANAZone.isValidZone(tz)) {
    return IANAZone.create(tz);
  }
  throw new Error(`unknown time zone "${tz}" (use an IANA name such as Europe/Berlin, or ±hh:mm)`);
}

/** Epoch milliseconds of an ISO time; fractions beyond milliseconds are dropped. NaN when invalid. */
export function toMillis(iso: string): number {
  return Date.parse(iso.replace(/(\.\d{3})\d+/, '$1'));
}

function dt(iso: string, zone: Zone): DateTime | undefined {
  const ms = toMillis(iso);
  if (Number.isNaN(ms)) return undefined;
  return DateTime.fromMillis(ms, { zone });
}

/** `2024-03-05 14:03:22 +01:00` (wide) or `03-05 14:03:22+01:00` (compact). */
export function formatStamp(iso: string, zone: Zone, compact: boolean): string {
  const d = dt(iso, zone);
  if (!d) return '(bad time)';
  return compact ? d.toFormat("MM-dd HH:mm:ssZZ") : d.toFormat('yyyy-MM-dd HH:mm:ss ZZ');
}

/** `14:03:22.120` for timeline rows (the offset is printed once, in the lane header). */
export function formatClock(iso: string, zone: Zone): string {
  const d = dt(iso, zone);
  return d ? d.toFormat('HH:mm:ss.SSS') : '(bad time)';
}

export function zoneLabel(zone: Zone, atIso: string): string {
  const d = dt(atIso, zone);
  return d ? `UTC${d.toFormat('ZZ')}` : zone.name;
}

/** A gap between two events: `+0.120s`, `+2.3s`, `+4m05s`, `+1h02m`; negative gaps keep their sign. */
export function formatGap(ms: number): string {
  const sign = ms < 0 ? '−' : '+';
  const a = Math.abs(ms);
  if (a < 1000) return `${sign}${(a / 1000).toFixed(3)}s`;
  if (a < 60_000) return `${sign}${(a / 1000).toFixed(1)}s`;
  if (a < 3_600_000) {
    const m = Math.floor(a / 60_000);
    const s = Math.floor((a % 60_000) / 1000);
    return `${sign}${m}m${String(s).padStart(2, '0')}s`;
  }
  const h = Math.floor(a / 3_600_000);
  const m = Math.floor((a % 3_600_000) / 60_000);
  return `${sign}${h}h${String(m).padStart(2, '0')}m`;
}

/** Clock skew of a host against the reference: `±0`, `+2.3s`, `−45m00s`, or `unknown`. */
export function formatSkew(ms: number | undefined): string {
  if (ms === undefined) return 'skew unknown';
  if (ms === 0) return 'skew ±0';
  return `skew ${formatGap(ms)}`;
}

export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/** `0x904/0x7`, `0x904/?` (extended unknown), or `—`. */
export function formatCodes(c: { disconnectReason?: number; extendedReason?: number }): string {
  if (c.disconnectReason === undefined && c.extendedReason === undefined) return '—';
  const d = c.disconnectReason !== undefined ? hex(c.disconnectReason) : '?';
  const e = c.extendedReason !== undefined ? hex(c.extendedReason) : '?';
  return `${d}/${e}`;
}
