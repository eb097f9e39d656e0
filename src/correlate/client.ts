// Client-side attempts: RDPClient/Operational 1024 → … → 1026 sharing one ActivityID (rdp-kb §2.1),
// plus RDCMan log sessions (OnConnecting … OnDisconnected), which are the only client source of
// the extended code (rdp-kb §5e).
import { parseExtended } from '../rules/codes.js';
import { N } from './channels.js';
import { d, type Ev } from './ev.js';
import { isIp, normIp, parseCode, splitHostPort } from './util.js';

export interface ClientGroup {
  host: string;
  activityId?: string;
  events: Ev[];
  /** Target as typed (1024 Value / RDCMan Server). */
  target?: string;
  start: number;
  end: number;
  disconnectReason?: number;
  extendedReason?: number;
  extSource?: 'rdcman';
  discSource?: 'log' | 'rdcman';
  /** 1027 (logon completed) or 1401 (graphics) seen. */
  loggedOn: boolean;
  /** No disconnect was logged, yet the client's log goes on well after: the attempt died (crash, kill). */
  abandoned?: boolean;
  /** A 1024 was seen (flag, so a hostile run of 1024s in one activity stays linear). */
  has1024?: boolean;
  /** The server address the client connected to (1102 "Server Address"), when it is an IP. */
  serverIp?: string;
}

const ORPHAN_WINDOW_MS = 120_000;

/** Groups RDPClient events into attempts by (host, ActivityID); events without one join the host's latest 1024. */
export function clientAttempts(events: Ev[]): ClientGroup[] {
  // host → ActivityID → group (nested maps: no key string built per event).
  const groups = new Map<string, Map<string, ClientGroup>>();
  const latestByHost = new Map<string, ClientGroup>();
  const out: ClientGroup[] = [];
  for (let k = 0; k < events.length; k++) {
    const ev = events[k]!;
    if (ev.ch !== N.rdpClient) continue;
    const act = ev.e.activityId?.toUpperCase();
    let g: ClientGroup | undefined;
    if (act) {
      let byAct = groups.get(ev.host);
      if (!byAct) groups.set(ev.host, (byAct = new Map()));
      g = byAct.get(act);
      // A second 1024 under the same activity (auto-reconnect) starts a new attempt.
      if (g && ev.id === 1024 && g.has1024) g = undefined;
      if (!g) {
        g = newGroup(ev, act);
        byAct.set(act, g);
        out.push(g);
      }
    } else {
      const last = latestByHost.get(ev.host);
      if (ev.id !== 1024 && last && ev.t - last.end <= ORPHAN_WINDOW_MS) g = last;
      else {
        g = newGroup(ev, undefined);
        out.push(g);
      }
    }
    add(g, ev);
    latestByHost.set(ev.host, g);
  }
  return out;
}

function newGroup(ev: Ev, activityId: string | undefined): ClientGroup {
  const g: ClientGroup = { host: ev.host, events: [], start: ev.t, end: ev.t, loggedOn: false };
  if (activityId) g.activityId = activityId;
  return g;
}

function add(g: ClientGroup, ev: Ev): void {
  g.events.push(ev);
  ev.claimed = true;
  g.end = Math.max(g.end, ev.t);
  if (ev.id === 1024) g.has1024 = true;
  if (ev.id === 1024 && !g.target) {
    const v = d(ev, 'Value') ?? d(ev, 'Data[1]');
    if (v) g.target = v.trim();
  }
  // Event 1026 records only the first code of the attempt (rdp-kb §1.4); keep the first one.
  if (ev.id === 1026 && g.disconnectReason === undefined) {
    const v = parseCode(d(ev, 'Value') ?? d(ev, 'Data[1]'));
    if (v !== undefined) {
      g.disconnectReason = v;
      g.discSource = 'log';
    }
  }
  if (ev.id === 1027 || ev.id === 1401) g.loggedOn = true;
  if (ev.id === 1102 && !g.serverIp) {
    const ip = normIp(d(ev, 'Value'));
    if (ip && isIp(ip)) g.serverIp = ip;
  }
}

/**
 * RDCMan log lines become events with Server, DiscReason, ExtendedReason (src/parsers/rdcmanLog.ts:
 * 1 OnConnecting, 2 OnConnected, 3 OnDisconnected, 5 OnAutoReconnecting…). A session runs from the
 * first event for a server to its disconnect line.
 */
export function rdcmanSessions(events: Ev[]): ClientGroup[] {
  const open = new Map<string, ClientGroup>();
  const out: ClientGroup[] = [];
  for (let k = 0; k < events.length; k++) {
    const ev = events[k]!;
    if (ev.ch !== N.rdcman && ev.prov !== N.rdcman) continue;
    const server = d(ev, 'Server');
    if (!server) continue;
    const key = `${ev.host}\u0000${server.toLowerCase()}`;
    let g = open.get(key);
    if (!g) {
      g = newGroup(ev, undefined);
      g.target = server.trim();
      open.set(key, g);
      out.push(g);
    }
    g.events.push(ev);
    ev.claimed = true;
    g.end = Math.max(g.end, ev.t);
    // Event 5 (OnAutoReconnecting) also carries DiscReason but does not end the session.
    const disc = ev.id === 5 ? undefined : parseCode(d(ev, 'DiscReason'));
    if (disc !== undefined) {
      g.disconnectReason ??= disc;
      g.discSource ??= 'rdcman';
      const extRaw = d(ev, 'ExtendedReason');
      const ext = extRaw !== undefined ? parseExtended(extRaw) : undefined;
      if (ext !== undefined && g.extendedReason === undefined) {
        g.extendedReason = ext;
        g.extSource = 'rdcman';
      }
      open.delete(key);
    }
  }
  return out;
}

const RDCMAN_MATCH_MS = 120_000;

/** Folds RDCMan sessions into the RDPClient attempt they describe (same host and target, near in time). */
export function mergeRdcman(attempts: ClientGroup[], sessions: ClientGroup[]): ClientGroup[] {
  const rest: ClientGroup[] = [];
  for (const s of sessions) {
    const tgt = s.target ? splitHostPort(s.target).addr : undefined;
    let best: ClientGroup | undefined;
    let bestDist = Infinity;
    for (const a of attempts) {
      // RDCMan logs name no computer unless the user said which; then any client with that target may match.
      if ((s.host !== '' && a.host !== s.host) || !a.target || !tgt || splitHostPort(a.target).addr !== tgt) continue;
      const dist = Math.abs(a.start - s.start);
      if (dist <= RDCMAN_MATCH_MS && dist < bestDist) {
        best = a;
        bestDist = dist;
      }
    }
    if (!best) {
      rest.push(s);
      continue;
    }
    best.events.push(...s.events);
    best.end = Math.max(best.end, s.end);
    if (best.disconnectReason === undefined && s.disconnectReason !== undefined) {
      best.disconnectReason = s.disconnectReason;
      best.discSource = 'rdcman';
    }
    if (best.extendedReason === undefined && s.extendedReason !== undefined) {
      best.extendedReason = s.extendedReason;
      best.extSource = 'rdcman';
    }
    best.loggedOn ||= s.loggedOn;
  }
  return [...attempts, ...rest];
}
