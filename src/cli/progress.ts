// The ingest progress line on stderr: drawn only when stderr is a terminal (never in pipes or CI),
// at most ten times a second, measured in bytes with an ETA (src/ingest/progress.ts renders it).
import { ProgressLine, type ProgressState } from '../ingest/progress.js';
import { sanitizeInline } from '../report/sanitize.js';

/** Where the line goes: process.stderr, or a stand-in in tests. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

export function progressWanted(stream: ProgressStream = process.stderr, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.CI && env.TERM !== 'dumb';
}

export class StderrProgress {
  private readonly line: ProgressLine;
  private last = Number.NEGATIVE_INFINITY;
  private drawn = false;

  constructor(
    private readonly stream: ProgressStream = process.stderr,
    private readonly now: () => number = Date.now,
  ) {
    this.line = new ProgressLine(now);
  }

  update(p: ProgressState): void {
    // The file name comes from the input (a zip member's name): sanitized like any event text.
    this.draw(() => `${this.line.render(p)}  ${sanitizeInline(p.current ?? '')}`, p.doneBytes >= p.totalBytes);
  }

  /** A stage without byte counts (`analyzing 1223645 events  12s`): drawn as it is, same throttle. */
  phase(text: string): void {
    this.draw(() => sanitizeInline(text), false);
  }

  /** At most ten times a second (the last state always), cut to the terminal's width. */
  private draw(text: () => string, final: boolean): void {
    const t = this.now();
    if (t - this.last < 100 && !final) return;
    this.last = t;
    const width = this.stream.columns || 80;
    this.stream.write(`\r${text().slice(0, width - 1)}\x1b[K`);
    this.drawn = true;
  }

  /** Clears the line so a log line or the final summary starts on a clean row. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}
