// Column arithmetic for the terminal: display width (wide CJK/emoji = 2, combining marks = 0),
// truncation with an ellipsis and word wrapping. Inputs are already sanitized (no controls).

const COMBINING = /[\p{Mn}\p{Me}\u200b-\u200d\ufeff]/u;

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0x303e) ||
    (cp >= 0x3041 && cp <= 0x33ff) ||
    (cp >= 0x3400 && cp <= 0x4dbf) ||
    (cp >= 0x4e00 && cp <= 0x9fff) ||
    (cp >= 0xa000 && cp <= 0xa4cf) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function charWidth(ch: string): number {
  if (COMBINING.test(ch)) return 0;
  return isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
}

export function displayWidth(s: string): number {
  let w = 0;
  // Fast path: printable ASCII is one column per char.
  if (/^[\x20-\x7e]*$/.test(s)) return s.length;
  for (const ch of s) w += charWidth(ch);
  return w;
}

/** Cuts `s` to at most `width` columns, ending with `…` when something was cut. */
export function truncate(s: string, width: number): string {
  if (width <= 0) return '';
  if (s.length <= width && /^[\x20-\x7e]*$/.test(s)) return s;
  // One pass that stops soon after the limit: a megabyte-long value costs what a short one does.
  let out = '';
  let w = 0;
  let cut = -1;
  for (const ch of s) {
    const cw = charWidth(ch);
    if (cut < 0 && w + cw > width - 1) cut = out.length;
    if (w + cw > width) return `${out.slice(0, cut)}…`;
    out += ch;
    w += cw;
  }
  return out;
}

/** Truncates then pads with spaces to exactly `width` columns. */
export function fit(s: string, width: number, align: 'left' | 'right' = 'left'): string {
  const t = truncate(s, width);
  const pad = ' '.repeat(Math.max(0, width - displayWidth(t)));
  return align === 'left' ? t + pad : pad + t;
}

/**
 * Word-wraps to `width` columns; words longer than a line are split. Leading indentation of a
 * paragraph is kept on its first line. Linear in the input, so a huge value cannot stall the UI.
 * Always returns at least one line.
 */
export function wrap(s: string, width: number): string[] {
  const w = Math.max(1, width);
  const out: string[] = [];
  for (const para of s.split('\n')) {
    const indent = /^ */.exec(para)?.[0] ?? '';
    let line = indent.length < w ? indent : '';
    let lw = line.length;
    let fresh = true;
    for (const word of para.slice(indent.length).split(/ +/)) {
      const ww = displayWidth(word);
      if (!fresh && lw + 1 + ww <= w) {
        line += ` ${word}`;
        lw += 1 + ww;
        continue;
      }
      if (!fresh) {
        out.push(line);
        line = '';
        lw = 0;
      }
      fresh = false;
      if (lw + ww <= w) {
        line += word;
        lw += ww;
        continue;
      }
      for (const ch of word) {
        const cw = charWidth(ch);
        if (lw + cw > w && lw > 0) {
          out.push(line);
          line = '';
          lw = 0;
        }
        line += ch;
        lw += cw;
      }
    }
    out.push(line);
  }
  return out;
}
