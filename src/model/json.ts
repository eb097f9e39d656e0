// JSON that is safe to print on a terminal. JSON.stringify escapes C0 controls but writes DEL, C1
// controls (U+009B is CSI on xterm) and bidi overrides raw. Every JSON the tool prints escapes them
// as \u sequences too: the data is the same for any JSON reader, and `cat` cannot drive a terminal.

/** The characters JSON allows raw that the tool always escapes. */
export const RAW_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const HAS_RAW_UNSAFE = new RegExp(RAW_UNSAFE.source);

/** True for a UTF-16 unit in RAW_UNSAFE (the byte writers' per-character form of the same set). */
export function isRawUnsafe(c: number): boolean {
  return (
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x61c ||
    c === 0x200e ||
    c === 0x200f ||
    (c >= 0x2028 && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  );
}

/** JSON.stringify, with RAW_UNSAFE characters escaped. */
export function toSafeJson(value: unknown, indent?: number): string {
  const json = JSON.stringify(value, null, indent);
  // One scan in the common case (nothing to escape); the replace only when something is there.
  if (!HAS_RAW_UNSAFE.test(json)) return json;
  return json.replace(RAW_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
