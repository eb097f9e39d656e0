// Small pure helpers shared by the correlation steps: times, host names, addresses, ids.

/** Milliseconds since the epoch for an event time; NaN when the string is not a time. */
export function timeMs(iso: string): number {
  // Fast path: the normalized form (V8 reads any number of fractional digits, keeping milliseconds).
  if (iso.length >= 20 && iso.charCodeAt(10) === 84 /* T */ && iso.charCodeAt(iso.length - 1) === 90 /* Z */) {
    const t = clockMs(iso);
    return t === undefined ? Date.parse(iso) : t;
  }
  // Windows writes 7 fractional digits, python-evtx a space instead of T and no Z: accept both.
  const s = iso.includes('T') ? iso : iso.replace(' ', 'T');
  const withZone = /[Zz]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`;
  return Date.parse(withZone.replace(/(\.\d{3})\d+/, '$1'));
}

/** The last day seen by clockMs (`YYYY-MM-DD`) and its midnight: events come in time order. */
let dayText = '';
let dayMs = NaN;

function digit(s: string, i: number): number {
  const c = s.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : -1000;
}

/**
 * Date.parse of `YYYY-MM-DDTHH:MM:SS[.digits]Z` without parsing the date again for every event of
 * the same day; undefined for anything else (the caller asks Date.parse). The date part still goes
 * through Date.parse, once per day, so its rules (and roll-overs) are V8's.
 */
function clockMs(iso: string): number | undefined {
  const n = iso.length;
  if (iso.charCodeAt(13) !== 58 || iso.charCodeAt(16) !== 58) return undefined;
  const h = digit(iso, 11) * 10 + digit(iso, 12);
  const m = digit(iso, 14) * 10 + digit(iso, 15);
  const sec = digit(iso, 17) * 10 + digit(iso, 18);
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) return undefined;
  let ms = 0;
  if (n > 20) {
    // `.` then at least one digit up to the Z; milliseconds are the first three, the rest is cut.
    if (iso.charCodeAt(19) !== 46 || n < 22) return undefined;
    for (let i = 20; i < n - 1; i++) {
      const d = digit(iso, i);
      if (d < 0) return undefined;
      if (i < 23) ms += d * (i === 20 ? 100 : i === 21 ? 10 : 1);
    }
  }
  if (!iso.startsWith(dayText) || dayText === '') {
    dayText = iso.slice(0, 10);
    dayMs = Date.parse(`${dayText}T00:00:00Z`);
  }
  if (!Number.isFinite(dayMs)) return undefined;
  return dayMs + h * 3_600_000 + m * 60_000 + sec * 1000 + ms;
}

/** ISO UTC string with millisecond precision for a corrected time. */
export function isoMs(ms: number): string {
  return new Date(ms).toISOString();
}

/** A host key: case-insensitive Computer value. */
export function hostKey(computer: string): string {
  return computer.trim().toLowerCase();
}

/** The first DNS label of a host name (`srv01.corp.local` → `srv01`); IPs stay whole. */
export function shortName(host: string): string {
  const h = host.toLowerCase();
  if (isIp(h)) return h;
  const dot = h.indexOf('.');
  return dot > 0 ? h.slice(0, dot) : h;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isIp(s: string): boolean {
  return IPV4.test(s) || (s.includes(':') && /^[0-9a-f:.]+$/i.test(s));
}

/** Splits `host[:port]`, `ip:port`, `[v6]:port` into address and optional port. */
export function splitHostPort(s: string): { addr: string; port?: number } {
  const t = s.trim();
  if (t.charCodeAt(0) !== 91 /* [ */) {
    // Without brackets (nearly every value, once per event): no regex.
    const i = t.indexOf(':');
    if (i >= 0 && t.indexOf(':', i + 1) < 0 && i + 1 < t.length && allDigits(t, i + 1)) return { addr: t.slice(0, i).toLowerCase(), port: Number(t.slice(i + 1)) };
    return { addr: t.toLowerCase() };
  }
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(t);
  if (v6) return v6[2] ? { addr: v6[1]!.toLowerCase(), port: Number(v6[2]) } : { addr: v6[1]!.toLowerCase() };
  const colons = t.split(':').length - 1;
  if (colons === 1) {
    const [a, p] = t.split(':') as [string, string];
    if (/^\d+$/.test(p)) return { addr: a.toLowerCase(), port: Number(p) };
  }
  return { addr: t.toLowerCase() };
}

function allDigits(s: string, from: number): boolean {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Normalizes an address field value (`-`, empty, `::ffff:10.0.0.1`) to a comparable IP or undefined. */
export function normIp(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const t = v.trim().toLowerCase();
  if (t === '' || t === '-' || t === 'local' || t === 'unknown') return undefined;
  const { addr } = splitHostPort(t);
  return addr.startsWith('::ffff:') && IPV4.test(addr.slice(7)) ? addr.slice(7) : addr;
}

/** Whether a target as typed points at the client machine itself (rdp-kb §4 row 16). */
export function isLocalTarget(addr: string): boolean {
  return addr === 'localhost' || addr === '::1' || /^127\.\d+\.\d+\.\d+$/.test(addr);
}

/**
 * Stable short id from parts: 48 bits of two FNV-1a passes (not cryptographic; ids only need to be
 * stable and distinct, and a hash object per attempt costs more than the rest of the attempt).
 */
export function stableId(prefix: string, ...parts: string[]): string {
  const s = parts.join('\u0000');
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x5bd1e995) >>> 0;
    b ^= b >>> 15;
  }
  return `${prefix}-${a.toString(16).padStart(8, '0')}${(b >>> 16).toString(16).padStart(4, '0')}`;
}

/** Parses a decimal or 0x-hex integer; undefined when it is neither. */
export function parseCode(v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const t = v.trim();
  if (/^0x[0-9a-f]+$/i.test(t)) return parseInt(t.slice(2), 16);
  if (/^-?\d+$/.test(t)) return Number(t);
  return undefined;
}

/** Plain string order (UTF-16 code units, as Array.prototype.sort's default). */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Sorts in place unless already in order: the lists sorted per attempt nearly always are, and
 * Array.prototype.sort copies its array even then.
 */
export function sortIfNeeded<T>(xs: T[], order: (a: T, b: T) => number): T[] {
  for (let i = 1; i < xs.length; i++) if (order(xs[i - 1]!, xs[i]!) > 0) return xs.sort(order);
  return xs;
}

/** Appends to the list under a key (creating it): O(1), unlike copying the list each time. */
export function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const l = m.get(k);
  if (l) l.push(v);
  else m.set(k, [v]);
}

/** Lower bound: first index in a sorted numeric array with value ≥ x. */
export function lowerBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >>> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
