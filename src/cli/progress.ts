// The ingest progress line on stderr: drawn only when stderr is a terminal (never in pipes or CI),
// at most ten times a second, measured in bytes with an ETA (src/ingest/progress.ts renders it).
import { type IngestProgress, ProgressLine } from '../ingest/progress.js';
import { sanitizeInline } from '../report/sanitize.js';

export function progressWanted(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.CI && process.env.TERM !== 'dumb';
}

export class StderrProgress {
  private readonly line = new ProgressLine();
  private last = 0;
  private drawn = false;

  update(p: IngestProgress): void {
    const now = Date.now();
    if (now - this.last < 100 && p.doneBytes < p.totalBytes) return;
    this.last = now;
    const text = `${this.line.render(p)}  ${sanitizeInline(p.current ?? '')}`;
    const width = process.stderr.columns || 80;
    process.stderr.write(`\r${text.slice(0, width - 1)}\x1b[K`);
    this.drawn = true;
  }

  /** Clears the line so a log line or the final summary starts on a clean row. */
  clear(): void {
    if (this.drawn) process.stderr.write('\r\x1b[K');
    this.drawn = false;
  }
}
