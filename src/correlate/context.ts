// Host context: events near an attempt on either host (System RCM, Schannel, LsaSrv, DNS, WFP…),
// plus "state" events that stay true long after they were logged.
import { STATE_LOOKBACK_MS, isContextEvent, isStateEvent } from './channels.js';
import { byTime, type Ev } from './ev.js';
import { lowerBound, sortIfNeeded } from './util.js';

const MAX_CONTEXT = 200;

/** Unclaimed host-context events per host, sorted by time; state events also per (provider, id). */
export class ContextIndex {
  private readonly byHost = new Map<string, { ts: number[]; evs: Ev[] }>();
  private readonly states = new Map<string, Map<string, { ts: number[]; evs: Ev[] }>>();
  constructor(evs: Ev[]) {
    for (let k = 0; k < evs.length; k++) {
      const ev = evs[k]!;
      if (ev.claimed || !isContextEvent(ev.ch, ev.prov, ev.id)) continue;
      let h = this.byHost.get(ev.host);
      if (!h) this.byHost.set(ev.host, (h = { ts: [], evs: [] }));
      h.ts.push(ev.t);
      h.evs.push(ev);
      if (isStateEvent(ev.ch, ev.prov, ev.id)) {
        let m = this.states.get(ev.host);
        if (!m) this.states.set(ev.host, (m = new Map()));
        const k = `${ev.prov}\u0000${ev.id}`;
        let s = m.get(k);
        if (!s) m.set(k, (s = { ts: [], evs: [] }));
        s.ts.push(ev.t);
        s.evs.push(ev);
      }
    }
  }
  /**
   * Events in [lo, hi] (at most MAX_CONTEXT, the nearest to `t` kept), plus for each kind of state
   * event the latest one up to a day before `lo` and the first one up to a day after `hi`.
   */
  around(host: string, lo: number, hi: number, t: number): Ev[] {
    const h = this.byHost.get(host);
    if (!h) return [];
    let out: Ev[] = [];
    for (let i = lowerBound(h.ts, lo); i < h.ts.length && h.ts[i]! <= hi; i++) out.push(h.evs[i]!);
    if (out.length > MAX_CONTEXT) out = out.sort((x, y) => Math.abs(x.t - t) - Math.abs(y.t - t) || byTime(x, y)).slice(0, MAX_CONTEXT);
    const states = this.states.get(host);
    if (states !== undefined) {
      for (const s of states.values()) {
        const i = lowerBound(s.ts, lo) - 1;
        if (i >= 0 && lo - s.ts[i]! <= STATE_LOOKBACK_MS) out.push(s.evs[i]!);
        const j = lowerBound(s.ts, hi + 1);
        if (j < s.ts.length && s.ts[j]! - hi <= STATE_LOOKBACK_MS) out.push(s.evs[j]!);
      }
    }
    return sortIfNeeded(out, byTime);
  }
}
