// Time parsing for every text format. The model keeps ISO UTC with 7 fractional digits (Windows'
// 100 ns ticks), so exact stamps are handled with integer arithmetic on the digits, never through
// a Date (which keeps milliseconds only). Local times (CSV exports, RDCMan logs) go through luxon.
import { DateTime, FixedOffsetZone, IANAZone, type Zone } from 'luxon';
import type { ParseIssue } from '../model/issue.js';

const EXACT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d+))?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** ISO UTC string with 7 fractional digits from epoch milliseconds plus extra sub-millisecond ticks. */
export function isoFromEpochMs(ms: number, subMsTicks = 0): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(Math.floor(ms));
  if (Number.isNaN(d.getTime())) return undefined;
  const y = d.getUTCFullYear();
  if (y < 1 || y > 9999) return undefined;
  const frac = pad(d.getUTCMilliseconds(), 3) + pad(subMsTicks, 4);
  return (
    `${pad(y, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}T` +
    `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${frac}Z`
  );
}

/**
 * Parses a timestamp that carries its own zone or is UTC by convention: Windows
 * `2023-07-14T14:06:33.6543161Z`, evtxexport's 9 digits, python-evtx's `2020-11-13 11:09:07.084053`
 * (UTC, no zone), PowerShell 7's `2020-11-13T12:09:07.0840534+01:00`. Keeps 100 ns precision.
 */
export function parseExactTime(text: string): string | undefined {
  const m = EXACT.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fracRaw = '', zone = 'Z'] = m;
  const digits = (fracRaw + '0000000').slice(0, 7);
  let offsetMin = 0;
  if (zone.toUpperCase() !== 'Z') {
    const z = zone.replace(':', '');
    offsetMin = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)));
  }
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(digits.slice(0, 3)));
  // Date.UTC maps years 0..99 to 1900+; reject rather than silently shift.
  if (Number(y) < 100 || Number(mo) > 12 || Number(d) > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) return undefined;
  return isoFromEpochMs(ms - offsetMin * 60_000, Number(digits.slice(3)));
}

/** `/Date(1605265747084)/` (Windows PowerShell 5.1 ConvertTo-Json), optionally with a `+0100` suffix. */
export function parseMsDate(text: string): string | undefined {
  const m = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/.exec(text.trim());
  return m ? isoFromEpochMs(Number(m[1])) : undefined;
}

/** Resolves ReadOptions.sourceTz (IANA name or ±hh:mm). Undefined when the text is not a zone. */
export function resolveZone(spec: string): Zone | undefined {
  const s = spec.trim();
  const off = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(s);
  if (off) {
    const z = FixedOffsetZone.parseSpecifier(`UTC${off[1]}${Number(off[2])}:${off[3] ?? '00'}`);
    return z && z.isValid && Math.abs(z.offset(0)) <= 14 * 60 ? z : undefined;
  }
  if (/^(UTC|GMT|Z)$/i.test(s)) return FixedOffsetZone.utcInstance;
  return IANAZone.isValidZone(s) ? IANAZone.create(s) : undefined;
}

/** Local-time layouts seen in Event Viewer / Export-Csv / RDCMan output, in luxon tokens. */
export const LOCAL_FORMATS = {
  'en-US': ['M/d/yyyy h:mm:ss a', 'M/d/yyyy H:mm:ss', 'M/d/yyyy h:mm a'],
  'day-first-slash': ['d/M/yyyy H:mm:ss', 'd/M/yyyy h:mm:ss a'],
  'day-first-dot': ['d.M.yyyy H:mm:ss'],
  iso: ["yyyy-MM-dd'T'HH:mm:ss", 'yyyy-MM-dd HH:mm:ss', "yyyy-MM-dd'T'HH:mm:ss.SSS", 'yyyy-MM-dd HH:mm:ss.SSS', 'yyyy/MM/dd H:mm:ss'],
} as const;
export type DateOrder = keyof typeof LOCAL_FORMATS;

/** Parses a local wall-clock time in `zone` with the formats of one date order. */
export function parseLocalTime(text: string, order: DateOrder, zone: Zone): string | undefined {
  const t = cleanDate(text);
  for (const fmt of LOCAL_FORMATS[order]) {
    const dt = DateTime.fromFormat(t, fmt, { zone, locale: 'en-US' });
    if (dt.isValid) return isoFromEpochMs(dt.toMillis());
  }
  return undefined;
}

/**
 * Decides the date order of a file's local times from all of its samples: a first field above 12
 * means day-first, a second field above 12 means month-first. `ambiguous` is true when nothing in the
 * file decides it (then AM/PM suggests en-US, otherwise day-first is taken).
 */
export class DateOrderVote {
  private slash = 0;
  private dot = 0;
  private iso = 0;
  private firstOver12 = false;
  private secondOver12 = false;
  private ampm = false;

  add(raw: string): void {
    const s = cleanDate(raw);
    if (/^\d{4}[-/]\d{1,2}[-/]\d{1,2}/.test(s)) {
      this.iso++;
      return;
    }
    const m = /^(\d{1,2})([./])(\d{1,2})\2\d{4}/.exec(s);
    if (!m) return;
    if (m[2] === '.') this.dot++;
    else this.slash++;
    if (Number(m[1]) > 12) this.firstOver12 = true;
    if (Number(m[3]) > 12) this.secondOver12 = true;
    if (/\b(AM|PM)\b/i.test(s)) this.ampm = true;
  }

  decide(): { order: DateOrder; ambiguous: boolean } | undefined {
    if (this.iso > 0 && this.slash === 0 && this.dot === 0) return { order: 'iso', ambiguous: false };
    if (this.dot > 0 && this.slash === 0) return { order: 'day-first-dot', ambiguous: false };
    if (this.slash === 0) return undefined;
    if (this.firstOver12 && !this.secondOver12) return { order: 'day-first-slash', ambiguous: false };
    if (this.secondOver12 && !this.firstOver12) return { order: 'en-US', ambiguous: false };
    return { order: this.ampm ? 'en-US' : 'day-first-slash', ambiguous: true };
  }
}

export function decideDateOrder(samples: Iterable<string>): { order: DateOrder; ambiguous: boolean } | undefined {
  const v = new DateOrderVote();
  for (const s of samples) v.add(s);
  return v.decide();
}

/** Event Viewer puts bidi marks (U+200E/U+200F) into exported dates in some locales. */
export function cleanDate(s: string): string {
  return s.replace(/[\u200e\u200f\u202a-\u202e]/g, '').trim().replace(/\s+/g, ' ');
}

/**
 * The zone for a file's local times: ReadOptions.sourceTz, else UTC with one warning (the export
 * does not say which zone its times are in). An unusable sourceTz is an error and UTC is taken.
 */
export function localZone(sourceTz: string | undefined, file: string): { zone: Zone; issue?: ParseIssue } {
  if (sourceTz === undefined || sourceTz.trim() === '') {
    return {
      zone: FixedOffsetZone.utcInstance,
      issue: { severity: 'warning', code: 'time.no-zone', message: 'times in this file are local to the exporting machine and no source time zone was given (--source-tz); taken as UTC', file },
    };
  }
  const zone = resolveZone(sourceTz);
  if (zone) return { zone };
  return {
    zone: FixedOffsetZone.utcInstance,
    issue: { severity: 'error', code: 'time.bad-zone', message: `source time zone "${sourceTz}" is neither an IANA name nor ±hh:mm; taken as UTC`, file },
  };
}
