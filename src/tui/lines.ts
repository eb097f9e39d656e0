// Panes are lists of pre-wrapped, width-fitted lines, so scrolling is index arithmetic and the same
// lines serve the screen and the text export.
import type { EventRef } from '../model/analysis.js';
import { displayWidth, truncate, wrap } from './text.js';
import type { Tone } from './theme.js';

export interface Seg {
  text: string;
  tone?: Tone;
  bold?: boolean;
}

export interface Line {
  key: string;
  segs: Seg[];
  /** Set on lines that point at an event: Enter opens its detail. */
  event?: EventRef;
}

export function seg(text: string, tone?: Tone, bold?: boolean): Seg {
  return bold ? { text, tone, bold } : { text, tone };
}

/** Cuts a segment list to `width` columns (the last visible segment gets the ellipsis). */
export function fitSegs(segs: Seg[], width: number): Seg[] {
  const out: Seg[] = [];
  let left = width;
  for (const s of segs) {
    if (left <= 0) break;
    const w = displayWidth(s.text);
    if (w <= left) {
      out.push(s);
      left -= w;
    } else {
      out.push({ ...s, text: truncate(s.text, left) });
      left = 0;
    }
  }
  return out;
}

export function plain(line: Line): string {
  return line.segs.map((s) => s.text).join('');
}

/** Builds lines while keeping keys unique and every line within the pane width. */
export class LineBuilder {
  readonly lines: Line[] = [];
  private n = 0;
  constructor(readonly width: number) {}

  add(segs: Seg[], event?: EventRef): void {
    const line: Line = { key: `l${this.n++}`, segs: fitSegs(segs, this.width) };
    if (event) line.event = event;
    this.lines.push(line);
  }

  blank(): void {
    this.add([]);
  }

  /** Wraps prose after a fixed prefix; continuation lines are indented to the prefix width. */
  para(prefix: Seg[], text: string, tone?: Tone, tail: Seg[] = []): void {
    const pw = prefix.reduce((a, s) => a + displayWidth(s.text), 0);
    const body = wrap(text, Math.max(10, this.width - pw));
    body.forEach((chunk, i) => {
      const last = i === body.length - 1;
      const head = i === 0 ? prefix : [seg(' '.repeat(pw))];
      this.add([...head, seg(chunk, tone), ...(last ? tail : [])]);
    });
  }
}
