// Which logs cover which time on each host: an absent event only means something where the
// channel that would have logged it was running (and collected) at that time.
import type { Ev } from './ev.js';
import { cmp, sortIfNeeded } from './util.js';

/** Time span of each (host, channel) and of each host, to tell whether an absence means anything. */
export class Coverage {
  /** host → lower-cased channel → span (channel as logged kept for display). */
  private readonly spans = new Map<string, Map<string, { ch: string; min: number; max: number }>>();
  private readonly hostMax = new Map<string, number>();
  constructor(evs: Ev[]) {
    for (let k = 0; k < evs.length; k++) {
      const ev = evs[k]!;
      let byCh = this.spans.get(ev.host);
      if (!byCh) this.spans.set(ev.host, (byCh = new Map()));
      const s = byCh.get(ev.ch);
      if (!s) byCh.set(ev.ch, { ch: ev.e.channel, min: ev.t, max: ev.t });
      else {
        if (ev.t < s.min) s.min = ev.t;
        if (ev.t > s.max) s.max = ev.t;
      }
      const m = this.hostMax.get(ev.host);
      if (m === undefined || ev.t > m) this.hostMax.set(ev.host, ev.t);
    }
  }
  /** Time of the last event of a (host, lower-cased channel). */
  lastOf(host: string, ch: string): number | undefined {
    return this.spans.get(host)?.get(ch)?.max;
  }
  hasChannel(host: string, ch: string): boolean {
    return this.spans.get(host)?.has(ch) ?? false;
  }
  range(host: string): [number, number] | undefined {
    const byCh = this.spans.get(host);
    const max = this.hostMax.get(host);
    if (!byCh || max === undefined) return undefined;
    let min = Infinity;
    for (const s of byCh.values()) min = Math.min(min, s.min);
    return [min, max];
  }
  /**
   * Channels of `host` that cover time t: the channel started before t, and the host logged
   * something after t (a proxy for "collected after the attempt": the channel would have recorded it).
   */
  covering(host: string, t: number): string[] {
    const out: string[] = [];
    const max = this.hostMax.get(host) ?? -Infinity;
    if (max < t - 5_000) return out;
    for (const s of this.spans.get(host)?.values() ?? []) if (s.min <= t + 5_000) out.push(s.ch);
    return sortIfNeeded(out, cmp);
  }
}
