// Server-side connections: RdpCoreTS 131 and the events sharing its ActivityID, joined to RCM
// 261/1149, Security 4624/4625/4634/4778/4779 and LSM 21–25/39/40 by client IP and port, session id,
// logon id and time (rdp-kb §3.1).
import { N } from './channels.js';
import { byTime, d, type Ev } from './ev.js';
import { lowerBound, normIp, pushTo, sortIfNeeded, splitHostPort } from './util.js';

export type ServerOutcome = 'succeeded' | 'failed' | 'unknown';

export interface ServerConn {
  host: string;
  activityId?: string;
  ip?: string;
  port?: number;
  start: number;
  end: number;
  events: Ev[];
  sessionId?: string;
  outcome: ServerOutcome;
  preconnect: boolean;
  user?: string;
  /** SEEN bits: "already has a 261/1149/102", O(1) however long the connection. */
  seen: number;
  /** For a preconnect: the real connection it preceded. */
  follows?: ServerConn;
}

/** The events a connection records having seen (ServerConn.seen): one bit each. */
const SEEN = { rcm261: 1, rcm1149: 2, core102: 4 } as const;

/** How long after 131 the authentication and session events of the same connection may come. */
const AUTH_WINDOW_MS = 180_000;
/** Events without an ActivityID join the latest open connection of the host within this time. */
const OPEN_WINDOW_MS = 120_000;
/** Session-id linked events (logoff, disconnect) may come much later. */
const SESSION_WINDOW_MS = 12 * 3600_000;

/** The UDP 131 follows its TCP connection's 131 within seconds. */
const UDP_WINDOW_MS = 60_000;

export function serverConnections(events: Ev[]): ServerConn[] {
  const conns: ServerConn[] = [];
  const byAct = new Map<string, ServerConn>();
  const pending = new Map<string, Ev[]>();
  const openByHost = new Map<string, ServerConn[]>();

  for (let k = 0; k < events.length; k++) {
    const ev = events[k]!;
    if (ev.ch !== N.rdpCoreTs) continue;
    const act = ev.e.activityId?.toUpperCase();
    const key = act ? `${ev.host}\u0000${act}` : undefined;
    if (ev.id === 131 && /^udp$/i.test(d(ev, 'ConnType') ?? '')) {
      // The UDP side channel gets its own ActivityID but belongs to the TCP connection it extends (rdp-kb §3.1).
      const ip = normIp(splitHostPort(d(ev, 'ClientIP') ?? '').addr);
      const list = openByHost.get(ev.host) ?? [];
      let owner: ServerConn | undefined;
      for (let i = list.length - 1; i >= 0 && i >= list.length - 64; i--) {
        const c = list[i]!;
        if (ev.t - c.start > UDP_WINDOW_MS) break;
        if (c.ip === ip) {
          owner = c;
          break;
        }
      }
      if (owner) {
        attach(owner, ev);
        if (key) {
          byAct.set(key, owner);
          for (const p of pending.get(key) ?? []) attach(owner, p);
          pending.delete(key);
        }
        continue;
      }
    }
    if (ev.id === 131) {
      const c = newConn(ev, act);
      conns.push(c);
      if (key) {
        byAct.set(key, c);
        for (const p of pending.get(key) ?? []) attach(c, p);
        pending.delete(key);
      }
      const list = openByHost.get(ev.host) ?? [];
      list.push(c);
      openByHost.set(ev.host, list);
      continue;
    }
    if (key) {
      const c = byAct.get(key);
      if (c) attach(c, ev);
      else pushTo(pending, key, ev);
      continue;
    }
    // No ActivityID (exports that drop it): the latest open connection of the host, by IP if the event names one.
    const list = openByHost.get(ev.host) ?? [];
    const ip = normIp(d(ev, 'IPString') ?? d(ev, 'ClientIP'));
    let target: ServerConn | undefined;
    for (let i = list.length - 1; i >= 0 && i >= list.length - 64; i--) {
      const c = list[i]!;
      if (ev.t - c.end > OPEN_WINDOW_MS) continue;
      if (c.seen & SEEN.core102) continue;
      if (ip && c.ip && c.ip !== ip) continue;
      target = c;
      break;
    }
    if (target) attach(target, ev);
  }
  // Activity groups that never saw a 131 (log started mid-connection) still count when they show a failure.
  for (const evs of pending.values()) {
    if (!evs.some((x) => x.id === 140 || x.id === 139 || x.id === 97)) continue;
    const c = newConn(evs[0]!, evs[0]!.e.activityId?.toUpperCase());
    for (const x of evs) attach(c, x);
    conns.push(c);
  }
  conns.sort((a, b) => a.start - b.start || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  return conns;
}

function newConn(ev: Ev, act: string | undefined): ServerConn {
  const c: ServerConn = { host: ev.host, start: ev.t, end: ev.t, events: [], outcome: 'unknown', preconnect: false, seen: 0 };
  if (act) c.activityId = act;
  const raw = ev.id === 131 ? d(ev, 'ClientIP') : (d(ev, 'IPString') ?? d(ev, 'ClientIP'));
  if (raw) {
    const { addr, port } = splitHostPort(raw);
    const ip = normIp(addr);
    if (ip) c.ip = ip;
    if (port !== undefined) c.port = port;
  }
  attach(c, ev);
  return c;
}

function attach(c: ServerConn, ev: Ev): void {
  // A 131 whose ClientIP did not survive (damaged record) still learns the address from 139/140.
  if (!c.ip && ev.ch === N.rdpCoreTs && (ev.id === 139 || ev.id === 140)) {
    const ip = normIp(d(ev, 'IPString'));
    if (ip) c.ip = ip;
  }
  c.events.push(ev);
  if (ev.ch === N.rcm) c.seen |= ev.id === 261 ? SEEN.rcm261 : ev.id === 1149 ? SEEN.rcm1149 : 0;
  else if (ev.ch === N.rdpCoreTs && ev.id === 102) c.seen |= SEEN.core102;
  ev.claimed = true;
  c.start = Math.min(c.start, ev.t);
  c.end = Math.max(c.end, ev.t);
}

/** Per-host index of server connections by client IP, sorted by start, for the joins below. */
class ConnIndex {
  private readonly byHostIp = new Map<string, ServerConn[]>();
  private readonly byHost = new Map<string, ServerConn[]>();
  private readonly starts = new Map<ServerConn[], number[]>();
  constructor(conns: ServerConn[]) {
    for (const c of conns) {
      pushTo(this.byHost, c.host, c);
      if (c.ip) pushTo(this.byHostIp, `${c.host}\u0000${c.ip}`, c);
    }
    for (const m of [this.byHost, this.byHostIp]) for (const l of m.values()) this.starts.set(l, l.map((c) => c.start));
  }
  /** Adds a connection created during the join, keeping each list sorted by start. */
  add(c: ServerConn): void {
    const put = (m: Map<string, ServerConn[]>, k: string): void => {
      let list = m.get(k);
      if (!list) {
        list = [];
        m.set(k, list);
        this.starts.set(list, []);
      }
      const starts = this.starts.get(list)!;
      const i = lowerBound(starts, c.start + 1);
      list.splice(i, 0, c);
      starts.splice(i, 0, c.start);
    };
    put(this.byHost, c.host);
    if (c.ip) put(this.byHostIp, `${c.host}\u0000${c.ip}`);
  }
  /** The latest connection from `ip` on `host` that started at most `window` ms before `t`. */
  latest(host: string, ip: string | undefined, t: number, window: number, ok: (c: ServerConn) => boolean): ServerConn | undefined {
    const list = ip ? this.byHostIp.get(`${host}\u0000${ip}`) : this.byHost.get(host);
    if (!list) return undefined;
    let i = lowerBound(this.starts.get(list)!, t + 1) - 1;
    for (; i >= 0; i--) {
      const c = list[i]!;
      if (t - c.start > window) break;
      if (ok(c)) return c;
    }
    return undefined;
  }
  nearest(host: string, t: number, window: number, ok: (c: ServerConn) => boolean): ServerConn | undefined {
    const list = this.byHost.get(host);
    if (!list) return undefined;
    const starts = this.starts.get(list)!;
    let best: ServerConn | undefined;
    for (let i = Math.max(0, lowerBound(starts, t - window)); i < list.length && list[i]!.start <= t + window; i++) {
      const c = list[i]!;
      if (ok(c) && (!best || Math.abs(c.start - t) < Math.abs(best.start - t))) best = c;
    }
    return best;
  }
}

/** LSM events tied to a connection by session id, and Security events by logon id (the second pass). */
const LSM_SESSION_IDS = new Set([23, 24, 39, 40, 41, 42]);
const LOGON_LINKED_IDS = new Set([4634, 4647, 4778, 4779]);

/** Events that may come just before the connection they belong to is known (4624 type 3 before 1149). */
const EARLY_SLACK_MS = 5_000;

/**
 * Joins RCM, Security and LSM events to the connections they belong to. Where no RdpCoreTS log
 * exists, an RCM 1149 or an LSM 21/25 with a client address starts a connection of its own, and
 * events that came a moment before it are joined in a second pass.
 */
export function joinServerEvents(conns: ServerConn[], events: Ev[]): void {
  const idx = new ConnIndex(conns);
  const sessionClaims = new Map<string, { t: number; c: ServerConn }[]>();
  const logonOwner = new Map<string, ServerConn>();
  const later: Ev[] = [];
  const orphans: Ev[] = [];
  const seed = (ev: Ev, ip: string): ServerConn => {
    const c: ServerConn = { host: ev.host, ip, start: ev.t, end: ev.t, events: [], outcome: 'unknown', preconnect: false, seen: 0 };
    conns.push(c);
    idx.add(c);
    return c;
  };

  const joinOne = (ev: Ev, slack: number, allowSeed: boolean): boolean => {
    const t = ev.t + slack;
    if (ev.ch === N.rcm && ev.id === 261) {
      const c = idx.nearest(ev.host, ev.t, 2_000 + slack, (x) => (x.seen & SEEN.rcm261) === 0);
      if (c) attach(c, ev);
      return Boolean(c);
    }
    if (ev.ch === N.rcm && ev.id === 1149) {
      const ip = normIp(d(ev, 'Param3'));
      let c = idx.latest(ev.host, ip, t, AUTH_WINDOW_MS, (x) => (x.seen & SEEN.rcm1149) === 0);
      if (!c && allowSeed && ip) c = seed(ev, ip);
      if (!c) return false;
      attach(c, ev);
      c.user ??= d(ev, 'Param1');
      return true;
    }
    if (ev.ch === N.security && (ev.id === 4624 || ev.id === 4625)) {
      const lt = d(ev, 'LogonType');
      if (lt !== '3' && lt !== '10' && lt !== '7') return true;
      const ip = normIp(d(ev, 'IpAddress'));
      if (!ip) return true;
      const port = Number(d(ev, 'IpPort') ?? 0);
      let c =
        (port > 0 ? idx.latest(ev.host, ip, t, AUTH_WINDOW_MS, (x) => x.port === port) : undefined) ??
        idx.latest(ev.host, ip, t, AUTH_WINDOW_MS, () => true);
      // A RemoteInteractive (10) or unlock (7) logon from an address is an RDP session even without RDS logs;
      // network logons (3) are not seeds: SMB and everything else makes them too.
      if (!c && allowSeed && ev.id === 4624 && lt !== '3') c = seed(ev, ip);
      if (!c) return false;
      attach(c, ev);
      const lid = d(ev, 'TargetLogonId');
      if (ev.id === 4624 && lid) {
        logonOwner.set(`${ev.host}\u0000${lid.toLowerCase()}`, c);
      }
      c.user ??= d(ev, 'TargetUserName');
      return true;
    }
    if (ev.ch === N.lsm && (ev.id === 21 || ev.id === 22 || ev.id === 25)) {
      const ip = normIp(d(ev, 'Address'));
      if (!ip) return true;
      let c = idx.latest(ev.host, ip, t, AUTH_WINDOW_MS, () => true);
      if (!c && allowSeed && ev.id !== 22) c = seed(ev, ip);
      if (!c) return false;
      attach(c, ev);
      const sid = sessionOf(ev);
      if (sid !== undefined) {
        c.sessionId ??= sid;
        pushTo(sessionClaims, `${ev.host}\u0000${sid}`, { t: ev.t, c });
      }
      c.user ??= d(ev, 'User');
      return true;
    }
    later.push(ev);
    return true;
  };

  // The orphans of the first pass (an event a moment before the 1149 that starts its connection) are
  // retried without seeding: whatever still finds nothing stays context.
  for (let k = 0; k < events.length; k++) {
    const ev = events[k]!;
    if (!ev.claimed && !joinOne(ev, 0, true)) orphans.push(ev);
  }
  for (const ev of orphans) joinOne(ev, EARLY_SLACK_MS, false);
  for (const list of sessionClaims.values()) list.sort((a, b) => a.t - b.t);
  // Second pass: events tied by session id or logon id to a connection claimed above.
  for (const ev of later) {
    if (ev.ch === N.lsm && LSM_SESSION_IDS.has(ev.id)) {
      const sid = sessionOf(ev);
      const claims = sid !== undefined ? sessionClaims.get(`${ev.host}\u0000${sid}`) : undefined;
      if (!claims) continue;
      let owner: ServerConn | undefined;
      for (const cl of claims) if (cl.t <= ev.t && ev.t - cl.t <= SESSION_WINDOW_MS) owner = cl.c;
      if (owner) attach(owner, ev);
    } else if (ev.ch === N.security && LOGON_LINKED_IDS.has(ev.id)) {
      const lid = (d(ev, 'TargetLogonId') ?? d(ev, 'LogonID'))?.toLowerCase();
      const owner = lid ? logonOwner.get(`${ev.host}\u0000${lid}`) : undefined;
      if (owner && ev.t >= owner.start) attach(owner, ev);
    }
  }
  for (const c of conns) sortIfNeeded(c.events, byTime);
  conns.sort((a, b) => a.start - b.start || (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
}

function sessionOf(ev: Ev): string | undefined {
  const v = d(ev, 'SessionID') ?? d(ev, 'Session') ?? d(ev, 'TargetSession');
  return v?.trim() || undefined;
}

const isRemoteLogon = (x: Ev): boolean =>
  x.ch === N.security && x.id === 4624 && ['10', '7'].includes(d(x, 'LogonType') ?? '');

/** Evidence the connection reached a user session (rdp-kb §2.3, §2.4 event 68, §2.7). */
export function sessionReached(c: { events: Ev[] }): boolean {
  return c.events.some(
    (x) => (x.ch === N.lsm && (x.id === 21 || x.id === 22 || x.id === 25)) || isRemoteLogon(x) || (x.ch === N.rdpCoreTs && x.id === 68) || (x.ch === N.security && x.id === 4778),
  );
}

/** Evidence the connection failed on the server (wrong password, TLS/CredSSP error, protocol error, 4625). */
export function serverFailure(c: { events: Ev[] }): boolean {
  return c.events.some(
    (x) => (x.ch === N.rdpCoreTs && [97, 139, 140, 146, 147, 149].includes(x.id)) || (x.ch === N.security && x.id === 4625),
  );
}

const PRECONNECT_MAX_MS = 5_000;
const PRECONNECT_FOLLOW_MS = 15_000;

/** Sets outcome and marks mstsc's short first TCP connection (closed right before the real one). */
export function classify(conns: ServerConn[]): void {
  const byHostIp = new Map<string, ServerConn[]>();
  for (const c of conns) if (c.ip) pushTo(byHostIp, `${c.host}\u0000${c.ip}`, c);
  for (const c of conns) {
    c.outcome = sessionReached(c) ? 'succeeded' : serverFailure(c) ? 'failed' : 'unknown';
  }
  for (const list of byHostIp.values()) {
    for (let i = 0; i + 1 < list.length; i++) {
      const c = list[i]!;
      const next = list[i + 1]!;
      const bare = c.outcome === 'unknown' && !c.events.some((x) => x.ch !== N.rdpCoreTs && x.ch !== N.rcm);
      if (bare && c.end - c.start <= PRECONNECT_MAX_MS && next.start >= c.start && next.start - c.end <= PRECONNECT_FOLLOW_MS && next.port !== c.port) {
        c.preconnect = true;
        c.follows = next;
      }
    }
  }
}
