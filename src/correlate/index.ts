// buildAttempts: stored events (any number of clients and servers, hosts identified by Computer)
// → connection attempts with both sides' events, host context, coverage and skew-corrected times.
import type { Attempt, Codes, EventRef, HostInfo, Outcome, Side } from '../model/analysis.js';
import type { ContextRecord } from '../model/event.js';
import type { CorrelationOptions, CorrelationResult, StoredEvent } from '../model/stages.js';
import { CH, N, norm } from './channels.js';
import { clientAttempts, mergeRdcman, rdcmanSessions, type ClientGroup } from './client.js';
import { byTime, makeToEv, RefCache, toRef, type Ev } from './ev.js';
import { HostDirectory, estimateSkew, pickConnection } from './join.js';
import { classify, joinServerEvents, serverConnections, type ServerConn } from './server.js';
import { ContextIndex } from './context.js';
import { Coverage } from './coverage.js';
import { findings, type Draft } from './findings.js';
import { cmp, isIp, isLocalTarget, isoMs, lowerBound, pushTo, shortName, sortIfNeeded, splitHostPort, stableId } from './util.js';

export { CORRELATION_NEEDS, CHANNEL_ALIASES, PROVIDER_ALIASES } from './channels.js';

const DEFAULT_CONTEXT_MS = 5 * 60_000;
const BENIGN = new Set([1, 2, 3]);
const SERVER_CHANNELS = [N.rdpCoreTs, N.rcm, N.lsm];
const GATEWAY = norm(CH.gateway);
/** A client attempt with no 1026 whose log continues this much later did not just run on. */
const ABANDONED_AFTER_MS = 120_000;

export function buildAttempts(events: StoredEvent[], contexts: ContextRecord[] = [], opts: CorrelationOptions = {}): CorrelationResult {
  const W = opts.contextWindowMs ?? DEFAULT_CONTEXT_MS;
  const evs: Ev[] = [];
  const toEv = makeToEv();
  // Index loops over the per-event arrays: for-of allocated an iterator result per event here.
  for (let k = 0; k < events.length; k++) {
    const ev = toEv(events[k]!);
    if (ev) evs.push(ev);
  }
  evs.sort(byTime);

  const names = new Map<string, string>();
  let lastHost: string | undefined;
  for (let k = 0; k < evs.length; k++) {
    const ev = evs[k]!;
    // Runs of one host are common: skip the lookup while the host repeats (keys are interned).
    if (ev.host === lastHost) continue;
    lastHost = ev.host;
    if (!names.has(ev.host)) names.set(ev.host, ev.e.computer);
  }

  const clients = mergeRdcman(clientAttempts(evs), rdcmanSessions(evs)).sort((a, b) => a.start - b.start || cmp(a.host, b.host));
  const conns = serverConnections(evs);
  joinServerEvents(conns, evs);
  classify(conns);

  const coverage = new Coverage(evs);
  const accepts = new Map<string, number[]>();
  for (let k = 0; k < evs.length; k++) {
    const ev = evs[k]!;
    if (ev.ch !== N.rcm || ev.id !== 261) continue;
    const l = accepts.get(ev.host);
    if (l) l.push(ev.t);
    else accepts.set(ev.host, [ev.t]);
  }
  for (const a of clients) {
    if (a.loggedOn || a.disconnectReason !== undefined) continue;
    const last = coverage.lastOf(a.host, a.events[0]!.ch);
    if (last !== undefined && last - a.end > ABANDONED_AFTER_MS) a.abandoned = true;
  }
  const serverHosts = new Set<string>();
  for (let k = 0; k < evs.length; k++) {
    const ev = evs[k]!;
    if (SERVER_CHANNELS.includes(ev.ch)) serverHosts.add(ev.host);
  }
  const clientHosts = new Set(clients.map((c) => c.host));
  const dir = new HostDirectory(serverHosts, names.keys());
  const connsByHost = new Map<string, ServerConn[]>();
  for (const c of conns) pushTo(connsByHost, c.host, c);

  const { skew, basis } = estimateSkew(clients, connsByHost, dir);
  const skewOf = (h: string): number => skew.get(h) ?? 0;

  // Which client owns which address: learned from a trial join where both sides clearly agree
  // (client logged on, server reached a session). A busy server's connections from other clients'
  // addresses are then never taken by an attempt that has no connection of its own.
  const ipOwner = new Map<string, string>();
  {
    const trialTaken = new Set<ServerConn>();
    const votes = new Map<string, Set<string>>();
    for (const a of clients) {
      if (!a.loggedOn) continue;
      const cand = dir.candidates(a.target, a.host);
      const conn = cand.servers.length ? pickConnection(a, cand.servers, connsByHost, skewOf, trialTaken, undefined) : undefined;
      if (!conn || conn.outcome !== 'succeeded' || !conn.ip) continue;
      trialTaken.add(conn);
      const v = votes.get(conn.ip);
      if (v) v.add(a.host);
      else votes.set(conn.ip, new Set([a.host]));
    }
    // An address several clients share (NAT, VPN pool) belongs to none of them.
    for (const [ip, hosts] of votes) if (hosts.size === 1) ipOwner.set(ip, [...hosts][0]!);
  }

  // Join in time order; what a join teaches (client IP, server IP) helps the attempts after it.
  const taken = new Set<ServerConn>();
  const clientIps = new Map<string, Set<string>>();
  const drafts: Draft[] = [];
  for (const a of clients) {
    const cand = dir.candidates(a.target, a.host);
    const conn = cand.servers.length ? pickConnection(a, cand.servers, connsByHost, skewOf, taken, clientIps.get(a.host), ipOwner) : undefined;
    const draft: Draft = { client: a, match: cand.kind };
    if (cand.servers.length === 1) draft.serverHost = cand.servers[0]!;
    if (conn) {
      taken.add(conn);
      draft.conn = conn;
      draft.serverHost = conn.host;
      if (conn.ip) {
        const s = clientIps.get(a.host);
        if (s) s.add(conn.ip);
        else clientIps.set(a.host, new Set([conn.ip]));
      }
      const tgt = a.target ? splitHostPort(a.target).addr : undefined;
      if (tgt && isIp(tgt) && !isLocalTarget(tgt)) dir.learnIp(conn.host, tgt);
      if (a.serverIp && !isLocalTarget(a.serverIp)) dir.learnIp(conn.host, a.serverIp);
    }
    drafts.push(draft);
  }
  // Second pass: a target that names no host of the case (a DNS alias, a VIP) still joins the
  // connection that came from this client's own address (learned above) at that time.
  for (const dr of drafts) {
    if (dr.conn || !dr.client || dr.match === 'local') continue;
    const ips = clientIps.get(dr.client.host);
    if (!ips) continue;
    const conn = pickConnection(dr.client, dir.servers, connsByHost, skewOf, taken, ips, ipOwner);
    if (!conn || !conn.ip || !ips.has(conn.ip)) continue;
    taken.add(conn);
    dr.conn = conn;
    dr.serverHost = conn.host;
    dr.match = 'client-ip';
  }
  const clientByIp = new Map<string, string>();
  for (const [h, ips] of clientIps) for (const ip of ips) clientByIp.set(ip, h);
  for (const c of conns) if (!taken.has(c)) drafts.push({ conn: c, serverHost: c.host, match: 'none' });

  const ctx = new ContextIndex(evs);
  const env: Env = { skewOf, coverage, ctx, ctxRefs: new RefCache(), W, clientByIp, contexts, clientHosts, names, servers: dir.servers, connStarts: new Map([...connsByHost].map(([h, l]) => [h, l.map((c) => c.start)])), accepts };
  // Order on the reference clock (starts are shown on each attempt's own client clock).
  const keyed = drafts.map((dr) => {
    const first = dr.client ?? dr.conn!;
    return { at: first.start - skewOf(first.host), a: assemble(dr, env) };
  });
  keyed.sort((x, y) => x.at - y.at || cmp(x.a.id, y.a.id));
  const attempts = keyed.map((k) => k.a);

  // Records without a Computer value cannot be tied to a host (damaged or stripped exports).
  const hosts: HostInfo[] = [...names.keys()].filter((h) => h !== '').sort().map((h) => {
    const roles: Side[] = [];
    if (clientHosts.has(h)) roles.push('client');
    if (serverHosts.has(h)) roles.push('server');
    if (coverage.hasChannel(h, norm(CH.gateway))) roles.push('gateway');
    const info: HostInfo = { name: names.get(h)!, roles };
    if (skew.has(h)) {
      info.skewMs = Math.round(skew.get(h)!);
      info.skewBasis = basis.get(h)!;
    }
    return info;
  });
  return { attempts, hosts, findings: findings(drafts, dir, coverage, names, skew) };
}

interface Env {
  /** Context refs, shared by the attempts that show the same event. */
  ctxRefs: RefCache;
  skewOf: (h: string) => number;
  coverage: Coverage;
  ctx: ContextIndex;
  W: number;
  clientByIp: Map<string, string>;
  contexts: ContextRecord[];
  clientHosts: Set<string>;
  names: Map<string, string>;
  servers: string[];
  /** Sorted 131 times per server host. */
  connStarts: Map<string, number[]>;
  /** Sorted RCM 261 (listener accepted a connection) times per server host. */
  accepts: Map<string, number[]>;
}

function assemble(dr: Draft, env: Env): Attempt {
  const { client: a, conn } = dr;
  const refs: EventRef[] = [];
  const clientHost = a?.host ?? (conn?.ip ? env.clientByIp.get(conn.ip) : undefined);
  const serverHost = dr.serverHost;
  // The target's address as typed (lower-cased, no port), split once.
  const tgt = a?.target ? splitHostPort(a.target).addr : undefined;
  for (const ev of a?.events ?? []) refs.push(toRef(ev, 'client', env.skewOf(ev.host)));
  for (const ev of conn?.events ?? []) refs.push(toRef(ev, 'server', env.skewOf(ev.host)));
  sortIfNeeded(refs, refOrder);

  const first = a ?? conn!;
  // Work on the reference clock; report start/end on the clock of the first side (the client's, as logged).
  const startMs = first.start - env.skewOf(first.host);
  const endMs = Math.max(a ? a.end - env.skewOf(a.host) : -Infinity, conn ? conn.end - env.skewOf(conn.host) : -Infinity);
  const shown = env.skewOf(first.host);

  const codes: Codes = { source: 'none' };
  if (a?.disconnectReason !== undefined) {
    codes.disconnectReason = a.disconnectReason;
    codes.source = a.discSource ?? 'log';
  }
  if (a?.extendedReason !== undefined) {
    codes.extendedReason = a.extendedReason;
    codes.source = a.extSource ?? 'log';
  }

  const attempt: Attempt = {
    id: stableId('att', clientHost ?? '', serverHost ?? '', String(startMs), a?.activityId ?? conn?.activityId ?? '', first.events[0]?.e.source.file ?? '', first.events[0]?.e.source.position ?? ''),
    // RDCMan lines have whole seconds and a converted local time: the client's own events set the start.
    start: (earliest(first.events.filter((x) => x.ch !== N.rdcman)) ?? earliest(first.events))?.e.time ?? isoMs(startMs + shown),
    outcome: outcomeOf(a, conn),
    codes,
    events: refs,
    context: [],
    coverage: { client: false, server: false },
  };
  if (endMs > startMs) attempt.end = isoMs(endMs + shown);
  if (!clientHost && conn?.ip) {
    // Server-side only: the client is known by its address.
    attempt.client = { host: conn.ip, ip: conn.ip };
    if (conn.user) attempt.client.user = conn.user;
  }
  if (clientHost) {
    attempt.client = { host: env.names.get(clientHost) ?? clientHost };
    const sid = a?.events.find((x) => x.id === 1024)?.e.userId;
    const user = conn?.user ?? sid;
    if (user) attempt.client.user = user;
    if (conn?.ip) attempt.client.ip = conn.ip;
  }
  if (serverHost) {
    attempt.server = { host: env.names.get(serverHost) ?? serverHost };
    if (a?.serverIp) attempt.server.ip = a.serverIp;
    else if (tgt && isIp(tgt) && !isLocalTarget(tgt)) attempt.server.ip = tgt;
  }
  if (a?.target) attempt.target = a.target;
  if (conn?.preconnect) attempt.preconnect = true;

  // Coverage: which channels on each side have logs spanning the attempt's time (on that host's clock).
  const covClient = clientHost ? env.coverage.covering(clientHost, startMs + env.skewOf(clientHost)) : [];
  const covServer = serverHost ? env.coverage.covering(serverHost, startMs + env.skewOf(serverHost)) : [];
  attempt.covered = { client: covClient, server: covServer };
  attempt.coverage = {
    client: covClient.some((c) => c === CH.rdpClient || c === CH.rdcman) || Boolean(a),
    server: covServer.some((c) => SERVER_CHANNELS.includes(norm(c))) || Boolean(conn),
  };

  // Host context around the attempt on the client, the server, and the RD Gateway its settings name.
  const settings = settingsFor(a?.target, env.contexts);
  const gwName = settings?.gatewayhostname ? splitHostPort(settings.gatewayhostname).addr : undefined;
  const gatewayHost = gwName ? [...env.names.keys()].find((h) => h === gwName || shortName(h) === shortName(gwName)) : undefined;
  if (gatewayHost) (attempt.facts ??= {}).gateway = env.names.get(gatewayHost) ?? gatewayHost;
  const ctxRefs: EventRef[] = [];
  for (const [h, side] of [[clientHost, 'client'], [serverHost, 'server'], [gatewayHost, 'gateway']] as const) {
    if (!h || (side !== 'client' && h === clientHost) || (side === 'gateway' && h === serverHost)) continue;
    const sk = env.skewOf(h);
    for (const ev of env.ctx.around(h, startMs + sk - env.W, endMs + sk + env.W, startMs + sk)) {
      const evSide: Side = ev.ch === GATEWAY ? 'gateway' : side;
      ctxRefs.push(env.ctxRefs.get(ev, evSide, sk));
    }
  }
  sortIfNeeded(ctxRefs, refOrder);
  attempt.context = ctxRefs;

  const facts: Record<string, string> = { ...attempt.facts, serverMatch: dr.match, joined: a && conn ? 'yes' : 'no' };
  facts.targetKind = !tgt ? 'none' : isLocalTarget(tgt) || tgt === clientHost || dr.match === 'local' ? 'local' : isIp(tgt) ? 'ip' : 'name';
  if (conn?.ip) facts.clientIp = conn.ip;
  if (conn?.port !== undefined) facts.clientPort = String(conn.port);
  if (a?.loggedOn) facts.clientLoggedOn = 'yes';
  if (conn) facts.serverOutcome = conn.outcome;
  if (a && !serverHost) {
    // The target is none of the case's servers: did any of them log a connection at that time at all?
    const covering = env.servers.filter((h) => env.coverage.covering(h, startMs + env.skewOf(h)).some((c) => SERVER_CHANNELS.includes(norm(c))));
    facts.serversCovering = String(covering.length);
    const near = covering.some((h) =>
      [env.connStarts.get(h), env.accepts.get(h)].some((starts) => {
        if (!starts) return false;
        const i = lowerBound(starts, startMs - 3_000 + env.skewOf(h));
        return i < starts.length && starts[i]! <= endMs + 3_000 + env.skewOf(h);
      }),
    );
    facts.nearbyServerConnection = near ? 'yes' : 'no';
  }
  attempt.facts = facts;

  if (settings) attempt.settings = settings;
  return attempt;
}

/** Refs in order of corrected time, then row. */
function refOrder(x: EventRef, y: EventRef): number {
  return cmp(x.correctedTime, y.correctedTime) || x.eventId - y.eventId;
}

function earliest(evs: Ev[]): Ev | undefined {
  let best: Ev | undefined;
  for (const ev of evs) if (!best || byTime(ev, best) < 0) best = ev;
  return best;
}

function outcomeOf(a: ClientGroup | undefined, conn: ServerConn | undefined): Outcome {
  if (a) {
    const r = a.disconnectReason;
    if (r !== undefined && r !== 0 && !BENIGN.has(r)) return 'failed';
    if (a.extendedReason !== undefined && a.extendedReason !== 0 && ![11, 12].includes(a.extendedReason)) return 'failed';
    if (a.loggedOn || conn?.outcome === 'succeeded') return 'succeeded';
    if (conn?.outcome === 'failed') return 'failed';
    // Ended (1026) or abandoned (no 1026 while the client's log goes on) without ever logging on.
    if (r !== undefined || a.abandoned) return 'failed';
    return 'unknown';
  }
  if (!conn) return 'unknown';
  // The probe is never a failure; it shares the success of the connection it preceded.
  if (conn.preconnect) return conn.follows?.outcome === 'succeeded' ? 'succeeded' : 'unknown';
  return conn.outcome;
}

/** .rdp / RDCMan settings for a target: files whose address names it; the first file (by path) wins per key. */
function settingsFor(target: string | undefined, contexts: ContextRecord[]): Record<string, string> | undefined {
  if (!target || !contexts.length) return undefined;
  const addr = splitHostPort(target).addr;
  const hits = contexts
    .filter((c) => c.target && splitHostPort(c.target).addr === addr)
    .sort((x, y) => cmp(x.source.file, y.source.file) || cmp(x.source.position, y.source.position));
  if (!hits.length) return undefined;
  const out: Record<string, string> = {};
  for (const h of hits) for (const [k, v] of Object.entries(h.settings)) if (!(k.toLowerCase() in out)) out[k.toLowerCase()] = v;
  return out;
}
