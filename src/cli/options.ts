// Option parsing shared by commands: zones (--tz, --source-tz), time bounds (--since/--until) and the
// codes of the mstsc dialog (--code/--ext, hex or decimal). A bad value is a usage error (exit 2)
// naming the option and what it expected.
import { InvalidArgumentError } from 'commander';
import { type DisplayZone, UTC_ZONE, parseInstant, parseZone, toStoredTime } from '../report/time.js';

/** commander parser for --tz / --source-tz: keeps the text, refuses what is neither IANA nor ±hh:mm. */
export function zoneArg(v: string): string {
  if (!parseZone(v)) throw new InvalidArgumentError(`"${v}" is not an IANA time zone (Europe/Paris) or an offset (+05:30, -08:00, UTC)`);
  return v;
}

export function resolveZone(v: string | undefined): DisplayZone {
  return v === undefined ? UTC_ZONE : (parseZone(v) as DisplayZone);
}

/** commander parser for --since/--until: checked now (in UTC), read again with --tz in timeBound(). */
export function instantArg(v: string): string {
  if (parseInstant(v) === undefined) {
    throw new InvalidArgumentError(`"${v}" is not a date or time: use 2024-05-01, 2024-05-01T14:00, or 2024-05-01T14:00:00+02:00`);
  }
  return v;
}

/**
 * The stored-time form of a --since/--until bound. A bound without an offset is wall-clock time in
 * --tz (UTC by default); a bare date as --until means the end of that day.
 */
export function timeBound(v: string | undefined, zone: DisplayZone, end = false): string | undefined {
  if (v === undefined) return undefined;
  let ms = parseInstant(v, zone) as number;
  if (end && /^\s*\d{4}-\d{2}-\d{2}\s*$/.test(v)) ms += 86_400_000 - 1;
  if (!end) return toStoredTime(ms);
  // Inclusive upper bound: the last 100 ns tick of that millisecond.
  return toStoredTime(ms).replace(/0000Z$/, '9999Z');
}

/** A dialog code: `0x904`, `904h`, `2308`. Limited to 32 bits like the API that reports it. */
export function parseCodeText(v: string): number | undefined {
  const t = v.trim();
  let n: number;
  if (/^0x[0-9a-f]{1,8}$/i.test(t)) n = parseInt(t.slice(2), 16);
  else if (/^[0-9a-f]{1,8}h$/i.test(t)) n = parseInt(t.slice(0, -1), 16);
  else if (/^\d{1,10}$/.test(t)) n = Number(t);
  else return undefined;
  return n <= 0xffffffff ? n : undefined;
}

export function codeArg(v: string): number {
  const n = parseCodeText(v);
  if (n === undefined) throw new InvalidArgumentError(`"${v}" is not a code: give it as shown by the dialog (0x904) or in decimal (2308)`);
  return n;
}

/** commander collector for repeatable options (--host A --host B). */
export function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

/**
 * A numeric setting from the environment (RDPDOCTOR_*): the value when it is a number ≥ 0, else the
 * default (unset, empty or not a number: a typo never turns a limit into 0).
 */
export function envNumber(name: string, fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[name];
  const v = Number(raw);
  return raw !== undefined && raw.trim() !== '' && Number.isFinite(v) && v >= 0 ? v : fallback;
}
