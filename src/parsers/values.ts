// Value normalisation shared by the readers, so the same event yields the same strings whatever
// format delivered it (GUIDs as Windows renders them, integers parsed strictly).

const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/** Upper-case braced GUID (`{XXXXXXXX-…}`), or undefined when the text is empty or not a GUID. */
export function normGuid(text: string | undefined | null): string | undefined {
  if (text === undefined || text === null) return undefined;
  const m = GUID.exec(String(text).trim());
  return m ? `{${m[1]!.toUpperCase()}}` : undefined;
}

export function isGuid(text: string): boolean {
  return GUID.test(text.trim());
}

/** Strict non-negative-or-negative decimal (or 0x hex) integer; undefined for anything else. */
export function toInt(text: string | number | undefined | null): number | undefined {
  if (text === undefined || text === null) return undefined;
  if (typeof text === 'number') return Number.isSafeInteger(text) ? text : undefined;
  const t = text.trim();
  if (/^-?\d+$/.test(t)) {
    const n = Number(t);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  if (/^0x[0-9a-f]+$/i.test(t)) {
    const n = Number.parseInt(t.slice(2), 16);
    return Number.isSafeInteger(n) ? n : undefined;
  }
  return undefined;
}

/** A non-negative integer no larger than `max` (System fields are unsigned); undefined otherwise. */
export function toUint(text: string | number | undefined | null, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const n = toInt(text);
  return n !== undefined && n >= 0 && n <= max ? n : undefined;
}

/** Lower-case `0x` hex of an unsigned value of `bits` width, zero-padded to `digits` (Windows HexInt rendering). */
export function hexOf(value: bigint | number, bits: 32 | 64, digits: number): string {
  let v = BigInt(value);
  if (v < 0n) v += 1n << BigInt(bits);
  return `0x${v.toString(16).padStart(digits, '0')}`;
}

/** Adds `key` to `data`, suffixing repeats `#2`, `#3`… (the corpus reference convention). */
export function putUnique(data: Record<string, string>, key: string, value: string): void {
  if (!(key in data)) {
    data[key] = value;
    return;
  }
  for (let n = 2; ; n++) {
    const k = `${key}#${n}`;
    if (!(k in data)) {
      data[k] = value;
      return;
    }
  }
}
