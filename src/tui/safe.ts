// The TUI's single door for text that came from logs: everything event-derived passes through
// here before it is measured, truncated or drawn (the escaping itself lives in src/report).
import { sanitizeBlock, sanitizeInline } from '../report/sanitize.js';

/** One-line text: every control character, newline included, becomes a visible escape. */
export function inline(s: string | number | undefined | null): string {
  if (s === undefined || s === null) return '';
  return sanitizeInline(String(s));
}

/** Multi-line text (a message, raw XML): keeps newlines, tabs become spaces, other controls escaped. */
export function block(s: string): string {
  return sanitizeBlock(s.replace(/\r\n/g, '\n')).replace(/\t/g, '    ');
}

/** A host name for display; an empty Computer value (seen in real logs) is shown as such, not as nothing. */
export function hostName(s: string | undefined): string {
  return s ? inline(s) : '(no name)';
}
