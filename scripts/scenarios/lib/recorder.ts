// Collects a scenario's events and files while flows add them, and hands out the per-host
// counters Windows keeps (RDP-Tcp#N connection names, session ids, logon ids).
import type { EvtxEventSpec } from '../../../test/support/evtx-writer/index.js';
import type { At } from './common.js';
import type { Host } from './hosts.js';
import { activityId, pick } from './ids.js';
import type { ExportFile, PlacedEvent, Side } from './model.js';
import { plus } from './time.js';

export class Recorder {
  readonly events: PlacedEvent[] = [];
  readonly exports: ExportFile[] = [];
  private readonly counters = new Map<string, number>();

  constructor(readonly scenario: string) {}

  add(side: Side, ...specs: EvtxEventSpec[]): void {
    for (const spec of specs) this.events.push({ side, spec });
  }

  file(side: Side, host: Host, name: string, content: string | Buffer): void {
    this.exports.push({ side, host: host.name, name, content });
  }

  act(host: Host, label: string): string {
    return activityId(this.scenario, host.name, label);
  }

  /** Next value of a per-host counter, starting from a stable per-scenario value in [min, max]. */
  next(host: Host, counter: string, min: number, max: number): number {
    const key = `${host.name}\n${counter}`;
    const v = this.counters.get(key) ?? pick(min, max, this.scenario, host.name, counter);
    this.counters.set(key, v + 1);
    return v;
  }

  /** A stable number for this scenario (ports, process ids). */
  pick(min: number, max: number, ...parts: string[]): number {
    return pick(min, max, this.scenario, ...parts);
  }

  /** A clock for one host: `at(ms)` is `start + ms` with the given correlation ids. */
  clock(host: Host, start: string, ids: { activityId?: string; processId?: number; label: string }): (ms: number, override?: Partial<At>) => At {
    return (ms, override) => ({
      host,
      time: plus(start, ms),
      ...(ids.activityId ? { activityId: ids.activityId } : {}),
      processId: ids.processId,
      threadId: this.pick(1000, 12000, host.name, ids.label, 'thread', String(Math.floor(ms / 1000))),
      ...override,
    });
  }
}

/** Process ids of the services that log, stable per host. */
export function pids(r: Recorder, h: Host): { termService: number; lsm: number; lsass: number; dns: number } {
  return {
    termService: r.pick(1000, 1400, h.name, 'TermService'),
    lsm: r.pick(600, 800, h.name, 'LSM'),
    lsass: r.pick(640, 720, h.name, 'lsass'),
    dns: r.pick(1500, 2200, h.name, 'Dnscache'),
  };
}
