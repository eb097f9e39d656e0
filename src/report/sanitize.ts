// Event data is attacker-controlled: a ComputerName or a user name can carry ESC sequences, OSC 52
// (clipboard write), BEL, C1 controls or bidi overrides that would rewrite what the reviewer sees.
// Everything that reaches a terminal goes through here; the TUI reuses the same functions.

/** C0 (but \t \n handled by mode), DEL, C1, bidi controls/overrides/isolates, line/paragraph separators, lone surrogates. */
const UNSAFE =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** For one-line display (a value in a list, a table cell): every control, newline included, is shown escaped. */
export function sanitizeInline(s: string): string {
  return s.replace(UNSAFE, escapeChar);
}

/** For multi-line display (a rendered message): keeps \n and \t, escapes every other control. */
export function sanitizeBlock(s: string): string {
  return s.replace(UNSAFE, (c) => (c === '\n' || c === '\t' ? c : escapeChar(c)));
}

/** True when the string holds anything sanitizeInline would change. */
export function hasUnsafe(s: string): boolean {
  UNSAFE.lastIndex = 0;
  const r = UNSAFE.test(s);
  UNSAFE.lastIndex = 0;
  return r;
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Makes a string encodable as UTF-8: lone surrogates (from malformed UTF-16 in a record) become
 * U+FFFD. Returns the same string instance when nothing had to change.
 */
export function wellFormed(s: string): { text: string; repaired: boolean } {
  LONE_SURROGATE.lastIndex = 0;
  if (!LONE_SURROGATE.test(s)) return { text: s, repaired: false };
  LONE_SURROGATE.lastIndex = 0;
  return { text: s.replace(LONE_SURROGATE, '\ufffd'), repaired: true };
}
