// Cross-host join: a client attempt meets the server connection it made, by the target as typed
// (name or IP), by IP, and by time once each host pair's clock skew is known (rdp-kb §3).
import type { ClientGroup } from './client.js';
import type { ServerConn } from './server.js';
import { isIp, isLocalTarget, lowerBound, median, pushTo, shortName, splitHostPort } from './util.js';

export type MatchKind = 'local' | 'name' | 'ip' | 'single-server' | 'client-ip' | 'none';

export interface Candidate {
  servers: string[];
  kind: MatchKind;
}

/** Skews below this are network latency and logging jitter, not a clock difference. */
const MIN_SKEW_MS = 2_000;
/**
 * discReasons of attempts whose TCP connection never came up: DNS failures, connect() failed, bad
 * address. (0x108 "timed out" is left out: an established connection can time out too.)
 */
const NEVER_CONNECTED = new Set([0x104, 0x204, 0x208, 0x308, 0x508, 0x604, 0x804]);

/** Connections looked at per attempt while estimating skew. */
const MAX_EXAMINED = 256;
/** How far before the real connection mstsc's probe connection may start. */
const PROBE_LEAD_MS = 15_000;
/** Pairs further apart than this are not the same attempt, whatever the clocks say. */
export const MAX_SKEW_MS = 15 * 60_000;
/** After skew correction the server's 131 falls between 1024 and 1026, with this slack. */
const JOIN_SLACK_MS = 3_000;
const OPEN_ATTEMPT_MS = 120_000;

export class HostDirectory {
  readonly servers: string[];
  private readonly byName = new Map<string, string[]>();
  readonly ipOf = new Map<string, Set<string>>();
  /** `serverHosts` logged server channels; `allHosts` can still be named as a target (e.g. only its System log was collected). */
  constructor(serverHosts: Iterable<string>, allHosts: Iterable<string>) {
    this.servers = [...new Set(serverHosts)].sort();
    for (const h of [...new Set(allHosts)].sort()) {
      for (const k of new Set([h, shortName(h)])) pushTo(this.byName, k, h);
    }
  }
  learnIp(host: string, ip: string): void {
    const s = this.ipOf.get(host) ?? new Set<string>();
    s.add(ip);
    this.ipOf.set(host, s);
  }
  /** Server hosts a target as typed can mean, and how we know. */
  candidates(target: string | undefined, clientHost: string): Candidate {
    if (target) {
      const { addr } = splitHostPort(target);
      if (isLocalTarget(addr) || addr === clientHost || shortName(addr) === shortName(clientHost)) {
        return { servers: [clientHost], kind: 'local' };
      }
      if (!isIp(addr)) {
        const hit = this.byName.get(addr) ?? this.byName.get(shortName(addr));
        if (hit) return { servers: hit, kind: 'name' };
      } else {
        const hit = this.servers.filter((h) => this.ipOf.get(h)?.has(addr));
        if (hit.length) return { servers: hit, kind: 'ip' };
      }
    }
    const others = this.servers.filter((h) => h !== clientHost);
    // One server in the case and nothing contradicts it: the only place the attempt can have gone.
    if (others.length === 1 && (!target || isIp(splitHostPort(target).addr))) return { servers: others, kind: 'single-server' };
    return { servers: [], kind: 'none' };
  }
}

const startsCache = new WeakMap<ServerConn[], number[]>();
/** Start times of a host's connections (sorted by start), computed once per list. */
function startsOf(list: ServerConn[]): number[] {
  let s = startsCache.get(list);
  if (!s) {
    s = list.map((c) => c.start);
    startsCache.set(list, s);
  }
  return s;
}

export interface SkewResult {
  /** host → skew in ms (host clock − reference clock). */
  skew: Map<string, number>;
  basis: Map<string, string>;
}

/** Time window of a client attempt in which its server 131 must fall. */
function window(a: ClientGroup): [number, number] {
  const end = a.disconnectReason !== undefined ? a.end : Math.max(a.end, a.start + OPEN_ATTEMPT_MS);
  return [a.start - JOIN_SLACK_MS, end + JOIN_SLACK_MS];
}

/**
 * Estimates the skew of each host pair from attempts that clearly match: a client attempt with
 * exactly one real (non-preconnect) server connection of the same outcome within ±15 minutes on
 * its one candidate server. Pairs are chained from a reference host (the server with most evidence).
 */
export function estimateSkew(attempts: ClientGroup[], conns: Map<string, ServerConn[]>, dir: HostDirectory): SkewResult {
  const pairDeltas = new Map<string, number[]>();
  for (const a of attempts) {
    const cand = dir.candidates(a.target, a.host);
    if (cand.servers.length !== 1 || cand.kind === 'local') continue;
    const s = cand.servers[0]!;
    const list = conns.get(s) ?? [];
    const starts = startsOf(list);
    const near: ServerConn[] = [];
    // Only pairs whose outcomes clearly agree count: both reached a session, or both failed.
    // A busy window (more than MAX_EXAMINED connections) cannot give a clear pair: skip it.
    let examined = 0;
    for (let i = lowerBound(starts, a.start - MAX_SKEW_MS); i < list.length && list[i]!.start <= a.start + MAX_SKEW_MS; i++) {
      if (++examined > MAX_EXAMINED) {
        near.length = 0;
        break;
      }
      const c = list[i]!;
      if (c.preconnect || !agree(a, c)) continue;
      near.push(c);
      if (near.length > 1) break;
    }
    if (near.length !== 1) continue;
    // mstsc's probe connection opens right after 1024; the real one can follow seconds later.
    // Measuring from the probe keeps that delay from passing for clock skew.
    const real = near[0]!;
    let first = real.start;
    for (let i = lowerBound(starts, real.start - PROBE_LEAD_MS); i < list.length && list[i]!.start < real.start; i++) {
      if (list[i]!.preconnect && list[i]!.ip === real.ip) first = Math.min(first, list[i]!.start);
    }
    pushTo(pairDeltas, `${a.host}\u0000${s}`, first - a.start);
  }
  // Graph of pair skews: d = server − client.
  const edges = new Map<string, { to: string; d: number; n: number }[]>();
  for (const [key, deltas] of [...pairDeltas.entries()].sort()) {
    const [c, s] = key.split('\u0000') as [string, string];
    let dm = median(deltas);
    if (Math.abs(dm) < MIN_SKEW_MS) dm = 0;
    pushTo(edges, c, { to: s, d: dm, n: deltas.length });
    pushTo(edges, s, { to: c, d: -dm, n: deltas.length });
  }
  const skew = new Map<string, number>();
  const basis = new Map<string, string>();
  const weight = (h: string): number => (edges.get(h) ?? []).reduce((n, e) => n + e.n, 0);
  const roots = [...edges.keys()].sort((a, b) => (dir.servers.includes(b) ? 1 : 0) - (dir.servers.includes(a) ? 1 : 0) || weight(b) - weight(a) || (a < b ? -1 : 1));
  for (const root of roots) {
    if (skew.has(root)) continue;
    skew.set(root, 0);
    basis.set(root, 'reference clock');
    const queue = [root];
    while (queue.length) {
      const h = queue.shift()!;
      for (const e of edges.get(h) ?? []) {
        if (skew.has(e.to)) continue;
        skew.set(e.to, skew.get(h)! + e.d);
        basis.set(e.to, `median of ${e.n} matched attempt(s) with ${h}`);
        queue.push(e.to);
      }
    }
  }
  return { skew, basis };
}

function agree(a: ClientGroup, c: ServerConn): boolean {
  if (a.loggedOn) return c.outcome === 'succeeded';
  const failed = a.disconnectReason !== undefined && ![0, 1, 2, 3].includes(a.disconnectReason);
  return failed && c.outcome === 'failed';
}

/** Picks the server connection of a client attempt (skew-corrected), or undefined. */
export function pickConnection(
  a: ClientGroup,
  servers: string[],
  conns: Map<string, ServerConn[]>,
  skewOf: (h: string) => number,
  taken: Set<ServerConn>,
  clientIps: Set<string> | undefined,
  ipOwner?: Map<string, string>,
): ServerConn | undefined {
  // These codes mean TCP never connected (rdp-kb §1.2, §3.3): there is no server connection to find.
  if (!a.loggedOn && a.disconnectReason !== undefined && NEVER_CONNECTED.has(a.disconnectReason)) return undefined;
  const aSkew = skewOf(a.host);
  const [lo, hi] = window(a).map((t) => t - aSkew) as [number, number];
  let best: ServerConn | undefined;
  let bestScore = -Infinity;
  for (const s of servers) {
    const list = conns.get(s) ?? [];
    const sSkew = skewOf(s);
    const starts = startsOf(list);
    for (let i = lowerBound(starts, lo + sSkew); i < list.length && starts[i]! - sSkew <= hi; i++) {
      const c = list[i]!;
      if (taken.has(c) || c.preconnect) continue;
      if (clientIps && c.ip && !clientIps.has(c.ip)) continue;
      // An address that clearly belongs to another client of the case is not this attempt's.
      const owner = c.ip ? ipOwner?.get(c.ip) : undefined;
      if (owner !== undefined && owner !== a.host) continue;
      // Prefer the connection that got furthest (auth/session events), then the closest to 1024.
      const score = c.events.length * 1e-3 + (c.outcome !== 'unknown' ? 10 : 0) - Math.abs(starts[i]! - sSkew - (a.start - aSkew)) / 1e6;
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
  }
  return best;
}
