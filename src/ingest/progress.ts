// Ingest progress measured in bytes (not files: one big Security log would make a file count lie),
// with an ETA from the average rate so far. Pure: the CLI decides whether and where to draw it.

export interface IngestProgress {
  /** Bytes of all inputs to read in this run (already-in-case inputs excluded once known). */
  totalBytes: number;
  doneBytes: number;
  /** Display name of the input being read. */
  current?: string;
  filesDone: number;
  filesTotal: number;
  eventsStored: number;
}

/** What the line shows: ingest's progress, or dump's, which has no count (it knows it only at each file's end). */
export type ProgressState = Omit<IngestProgress, 'eventsStored'> & { eventsStored?: number };

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(n: number): string {
  let v = n;
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${v} ${UNITS[u]}` : `${v.toFixed(1)} ${UNITS[u]}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Tracks elapsed time and renders one status line. `now` is injectable for tests. */
export class ProgressLine {
  private readonly started: number;

  constructor(private readonly now: () => number = Date.now) {
    this.started = now();
  }

  /** Seconds left at the average rate so far; undefined until there is a rate. */
  eta(p: ProgressState): number | undefined {
    const elapsed = (this.now() - this.started) / 1000;
    if (elapsed <= 0 || p.doneBytes <= 0) return undefined;
    return (Math.max(0, p.totalBytes - p.doneBytes) * elapsed) / p.doneBytes;
  }

  render(p: ProgressState): string {
    const pct = p.totalBytes > 0 ? Math.min(100, Math.floor((100 * p.doneBytes) / p.totalBytes)) : 100;
    const eta = this.eta(p);
    const parts = [`${pct}%`, `${formatBytes(p.doneBytes)} / ${formatBytes(p.totalBytes)}`, `file ${Math.min(p.filesDone + 1, p.filesTotal)}/${p.filesTotal}`];
    if (p.eventsStored !== undefined) parts.push(`${p.eventsStored} events stored`);
    parts.push(`ETA ${eta === undefined ? '?' : formatDuration(eta)}`);
    return parts.join('  ');
  }
}
