// The two-lane timeline: the attempt's own events and nearby host context, ordered by
// skew-corrected time, with the gap to the previous row so silences stand out.
import type { EventRef, Side } from '../model/analysis.js';
import type { AttemptReport } from '../model/report.js';
import { toMillis } from './format.js';

export interface TimelineRow {
  event: EventRef;
  context: boolean;
  lane: 'client' | 'server';
  /** Milliseconds since the previous row (undefined for the first). */
  gapMs?: number;
}

const SIDE_ORDER: Record<Side, number> = { client: 0, gateway: 1, server: 2 };

export function buildTimeline(a: AttemptReport): TimelineRow[] {
  const seen = new Set<number>();
  const rows: TimelineRow[] = [];
  const push = (e: EventRef, context: boolean): void => {
    if (seen.has(e.eventId)) return;
    seen.add(e.eventId);
    rows.push({ event: e, context, lane: e.side === 'client' ? 'client' : 'server' });
  };
  for (const e of a.events) push(e, false);
  for (const e of a.context) push(e, true);
  const t = (r: TimelineRow): number => {
    const ms = toMillis(r.event.correctedTime || r.event.time);
    return Number.isNaN(ms) ? 0 : ms;
  };
  rows.sort(
    (x, y) =>
      t(x) - t(y) ||
      SIDE_ORDER[x.event.side] - SIDE_ORDER[y.event.side] ||
      (x.event.recordId ?? 0) - (y.event.recordId ?? 0) ||
      x.event.eventId - y.event.eventId,
  );
  for (let i = 1; i < rows.length; i++) {
    const r = rows[i];
    const prev = rows[i - 1];
    if (r && prev) r.gapMs = t(r) - t(prev);
  }
  return rows;
}
