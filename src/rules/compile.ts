// Turns validated rule conditions into predicates over one attempt, and checks what JSON Schema
// cannot: channel/provider aliases, Sigma-style field modifiers, regexes, durations, templates.
// Nothing here knows any cause: every rule is data evaluated the same way.
import { CHANNEL_ALIASES, CH, PROV, PROVIDER_ALIASES } from '../correlate/channels.js';
import { parseCode } from '../correlate/util.js';
import type { Attempt, Codes, EventRef } from '../model/analysis.js';
import type { Cond, NumMatch, Selector, StrMatch } from './types.js';

/** What a condition needs to see of an attempt; built once per attempt. */
export interface EvalCtx {
  attempt: Attempt;
  codes: Codes;
  startMs: number;
  endMs: number;
  timeOf: (r: EventRef) => number;
  /** The attempt's own events and its context, by event id (selectors name ids almost always). */
  byId: Map<number, { r: EventRef; inContext: boolean }[]>;
}

export interface Result {
  ok: boolean;
  events: EventRef[];
  /** Channels whose absence could not be judged because no log covers the attempt there. */
  uncovered: string[];
}

export type Pred = (ctx: EvalCtx) => Result;

const NO: Result = { ok: false, events: [], uncovered: [] };
const YES: Result = { ok: true, events: [], uncovered: [] };
const MAX_CITED = 5;

const KNOWN_CHANNELS = new Set(Object.values(CH).map((c) => c.toLowerCase()));
const KNOWN_PROVIDERS = new Set(Object.values(PROV).map((p) => p.toLowerCase()));

export class Problems {
  readonly list: string[] = [];
  add(path: string, msg: string): void {
    this.list.push(`${path}: ${msg}`);
  }
}

/** `30s`, `10m`, `2h`, `1d` or plain milliseconds. */
export function parseDuration(s: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(s.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 }[(m[2] ?? 'ms') as 'ms'];
  return n * unit;
}

/** Resolves a channel alias or full name to a matcher; globs (`*RdpCoreTS/Operational`) allowed. */
export function resolveChannel(v: string, path: string, p: Problems): ((s: string) => boolean) | undefined {
  const full = CHANNEL_ALIASES[v];
  if (full) return eqI(full);
  if (v.includes('*')) return glob(v);
  if (v.includes('/') || KNOWN_CHANNELS.has(v.toLowerCase())) return eqI(v);
  p.add(path, `unknown channel alias "${v}" (known: ${Object.keys(CHANNEL_ALIASES).sort().join(', ')}, or a full channel name)`);
  return undefined;
}

export function resolveProvider(v: string, path: string, p: Problems): ((s: string) => boolean) | undefined {
  const full = PROVIDER_ALIASES[v];
  if (full) return eqI(full);
  if (v.includes('*')) return glob(v);
  if (v.startsWith('Microsoft-Windows-') || KNOWN_PROVIDERS.has(v.toLowerCase())) return eqI(v);
  p.add(path, `unknown provider alias "${v}" (known: ${Object.keys(PROVIDER_ALIASES).sort().join(', ')}, or a full Microsoft-Windows-… name)`);
  return undefined;
}

function eqI(v: string): (s: string) => boolean {
  const l = v.toLowerCase();
  return (s) => s.toLowerCase() === l;
}

function glob(v: string): (s: string) => boolean {
  const re = new RegExp(`^${v.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return (s) => re.test(s);
}

function numTest(m: NumMatch): (n: number) => boolean {
  if (typeof m === 'number') return (n) => n === m;
  if (Array.isArray(m)) return (n) => m.includes(n);
  return (n) =>
    (m.gte === undefined || n >= m.gte) &&
    (m.gt === undefined || n > m.gt) &&
    (m.lte === undefined || n <= m.lte) &&
    (m.lt === undefined || n < m.lt) &&
    (m.in === undefined || m.in.includes(n)) &&
    (m.not === undefined || !m.not.includes(n));
}

function strTest(m: StrMatch, path: string, p: Problems): (v: string | undefined) => boolean {
  if (typeof m === 'string') return (v) => v !== undefined && v.toLowerCase() === m.toLowerCase();
  if (Array.isArray(m)) {
    const set = new Set(m.map((x) => x.toLowerCase()));
    return (v) => v !== undefined && set.has(v.toLowerCase());
  }
  const tests: ((v: string) => boolean)[] = [];
  if (m.equals !== undefined) {
    const eq = strTest(m.equals, path, p);
    tests.push((v) => eq(v));
  }
  if (m.contains) tests.push((v) => v.toLowerCase().includes(m.contains!.toLowerCase()));
  if (m.startswith) tests.push((v) => v.toLowerCase().startsWith(m.startswith!.toLowerCase()));
  if (m.endswith) tests.push((v) => v.toLowerCase().endsWith(m.endswith!.toLowerCase()));
  if (m.re) {
    const re = safeRegex(m.re, path, p);
    if (re) tests.push((v) => re.test(v));
  }
  if (m.exists !== undefined) return (v) => (v !== undefined && v !== '') === m.exists && (v === undefined || tests.every((t) => t(v)));
  return (v) => v !== undefined && tests.every((t) => t(v));
}

function safeRegex(src: string, path: string, p: Problems): RegExp | undefined {
  try {
    return new RegExp(src, 'i');
  } catch (err) {
    p.add(path, `bad regex /${src}/: ${(err as Error).message}`);
    return undefined;
  }
}

const MODIFIERS = new Set(['contains', 'startswith', 'endswith', 're', 'gt', 'gte', 'lt', 'lte', 'all', 'exists', 'equals']);

/** One Sigma-style `Field|mod|mod: value` condition. Strings compare case-insensitively. */
function fieldTest(key: string, value: unknown, path: string, p: Problems): ((vals: Record<string, string>) => boolean) | undefined {
  const [field, ...mods] = key.split('|');
  if (!field) {
    p.add(path, `empty field name in "${key}"`);
    return undefined;
  }
  for (const m of mods) if (!MODIFIERS.has(m)) p.add(path, `unknown modifier "${m}" in "${key}" (known: ${[...MODIFIERS].join(', ')})`);
  const all = mods.includes('all');
  const op = mods.find((m) => m !== 'all') ?? 'equals';
  if (op === 'exists') {
    if (typeof value !== 'boolean') p.add(path, `"${key}" needs true or false`);
    return (vals) => (vals[field] !== undefined && vals[field] !== '') === value;
  }
  const list = Array.isArray(value) ? value : [value];
  if (!list.length || list.some((x) => typeof x !== 'string' && typeof x !== 'number')) {
    p.add(path, `"${key}" needs a string, a number or a list of them`);
    return undefined;
  }
  let one: (v: string, x: string | number) => boolean;
  if (['gt', 'gte', 'lt', 'lte'].includes(op)) {
    if (list.some((x) => typeof x !== 'number')) p.add(path, `"${key}" compares numbers: give a number`);
    one = (v, x) => {
      const n = parseCode(v);
      if (n === undefined) return false;
      const t = x as number;
      return op === 'gt' ? n > t : op === 'gte' ? n >= t : op === 'lt' ? n < t : n <= t;
    };
  } else if (op === 're') {
    const res = list.map((x) => safeRegex(String(x), path, p));
    if (res.some((r) => !r)) return undefined;
    const byStr = new Map(list.map((x, i) => [String(x), res[i]!]));
    one = (v, x) => byStr.get(String(x))!.test(v);
  } else {
    one = (v, x) => {
      const a = v.toLowerCase();
      const b = String(x).toLowerCase();
      if (op === 'contains') return a.includes(b);
      if (op === 'startswith') return a.startsWith(b);
      if (op === 'endswith') return a.endsWith(b);
      // Numbers written in the rule also match hex or decimal field values (0x7 == 7).
      if (typeof x === 'number') return parseCode(v) === x;
      return a === b;
    };
  }
  return (vals) => {
    const v = vals[field];
    if (v === undefined) return false;
    return all ? list.every((x) => one(v, x)) : list.some((x) => one(v, x));
  };
}

export interface CompiledSelector {
  test: (r: EventRef, ctx: EvalCtx, inContext: boolean) => boolean;
  ids?: number[];
  side: string;
  where: 'events' | 'context' | 'any';
  channelName?: string;
}

export function compileSelector(s: Selector, path: string, p: Problems): CompiledSelector {
  const ch = s.channel ? resolveChannel(s.channel, `${path}.channel`, p) : undefined;
  const prov = s.provider ? resolveProvider(s.provider, `${path}.provider`, p) : undefined;
  const ids = s.id === undefined ? undefined : new Set(Array.isArray(s.id) ? s.id : [s.id]);
  const fields = Object.entries(s.where ?? {}).map(([k, v]) => fieldTest(k, v, `${path}.where.${k}`, p));
  const within = s.within !== undefined ? parseDuration(s.within) : undefined;
  if (s.within !== undefined && within === undefined) p.add(`${path}.within`, `bad duration "${s.within}" (use 30s, 10m, 2h, 1d)`);
  const side = s.side ?? 'any';
  const where = s.in ?? 'any';
  const at = s.at ? new Set(s.at) : undefined;
  const out: CompiledSelector = {
    side,
    where,
    test: (r, ctx, inContext) => {
      if (where === 'events' && inContext) return false;
      if (where === 'context' && !inContext) return false;
      if (side !== 'any' && r.side !== side) return false;
      if (ids && !ids.has(r.id)) return false;
      if (ch && !ch(r.channel)) return false;
      if (prov && !prov(r.provider)) return false;
      if (within !== undefined || at) {
        const t = ctx.timeOf(r);
        if (within !== undefined && (t < ctx.startMs - within || t > ctx.endMs + within)) return false;
        if (at && !at.has(t < ctx.startMs ? 'before' : t > ctx.endMs ? 'after' : 'during')) return false;
      }
      for (const f of fields) if (!f || !f(r.values)) return false;
      return true;
    },
  };
  if (s.channel) out.channelName = CHANNEL_ALIASES[s.channel] ?? s.channel;
  if (ids) out.ids = [...ids];
  return out;
}

function find(sel: CompiledSelector, ctx: EvalCtx): EventRef[] {
  const hits: EventRef[] = [];
  if (sel.ids && sel.ids.length === 1) {
    // One id: its candidates are already in the attempt's order.
    const l = ctx.byId.get(sel.ids[0]!);
    if (l !== undefined) for (const x of l) if (sel.test(x.r, ctx, x.inContext)) hits.push(x.r);
    return hits;
  }
  if (sel.ids) {
    // Candidates by id, then back in the attempt's order (events first, then context).
    const cand: { r: EventRef; inContext: boolean }[] = [];
    for (const id of sel.ids) {
      const l = ctx.byId.get(id);
      if (l !== undefined) for (const x of l) cand.push(x);
    }
    if (cand.length > 1) cand.sort((a, b) => Number(a.inContext) - Number(b.inContext) || ctx.timeOf(a.r) - ctx.timeOf(b.r) || a.r.eventId - b.r.eventId);
    for (const x of cand) if (sel.test(x.r, ctx, x.inContext)) hits.push(x.r);
    return hits;
  }
  for (const r of ctx.attempt.events) if (sel.test(r, ctx, false)) hits.push(r);
  for (const r of ctx.attempt.context) if (sel.test(r, ctx, true)) hits.push(r);
  return hits;
}

/** find(sel, ctx).length > 0, without building the list (absences ask only this). */
function exists(sel: CompiledSelector, ctx: EvalCtx): boolean {
  if (sel.ids) {
    for (const id of sel.ids) {
      const l = ctx.byId.get(id);
      if (l !== undefined) for (const x of l) if (sel.test(x.r, ctx, x.inContext)) return true;
    }
    return false;
  }
  for (const r of ctx.attempt.events) if (sel.test(r, ctx, false)) return true;
  for (const r of ctx.attempt.context) if (sel.test(r, ctx, true)) return true;
  return false;
}

const COND_KEYS = ['codes', 'event', 'absent', 'sequence', 'outcome', 'coverage', 'fact', 'setting', 'target', 'all', 'any', 'not'];

export function compileCond(c: Cond, path: string, p: Problems): Pred {
  const keys = Object.keys(c).filter((k) => k !== 'maxGap');
  if (keys.length !== 1 || !COND_KEYS.includes(keys[0]!)) {
    p.add(path, `a condition has exactly one of ${COND_KEYS.join(', ')}; found ${keys.join(', ') || 'none'}`);
    return () => NO;
  }
  if ('maxGap' in c && !('sequence' in c)) p.add(path, 'maxGap belongs to a sequence condition');
  if ('codes' in c) {
    const cc = c.codes;
    const dr = cc.disconnectReason !== undefined ? numTest(cc.disconnectReason) : undefined;
    const er = cc.extendedReason !== undefined ? numTest(cc.extendedReason) : undefined;
    const src = cc.source ? new Set(cc.source) : undefined;
    const missing = cc.missing ?? [];
    return (ctx) => {
      const k = ctx.codes;
      if (dr && (k.disconnectReason === undefined || !dr(k.disconnectReason))) return NO;
      if (er && (k.extendedReason === undefined || !er(k.extendedReason))) return NO;
      if (src && !src.has(k.source)) return NO;
      if (missing.some((m) => k[m] !== undefined)) return NO;
      return YES;
    };
  }
  if ('event' in c) {
    const sel = compileSelector(c.event, `${path}.event`, p);
    return (ctx) => {
      const hits = find(sel, ctx);
      return hits.length ? { ok: true, events: hits.slice(0, MAX_CITED), uncovered: [] } : NO;
    };
  }
  if ('absent' in c) {
    const sel = compileSelector(c.absent, `${path}.absent`, p);
    if (sel.side === 'any') p.add(`${path}.absent`, 'an absence needs a side (client or server): coverage is judged per side');
    const chMatch = c.absent.channel ? resolveChannel(c.absent.channel, `${path}.absent.channel`, new Problems()) : undefined;
    return (ctx) => {
      const side = sel.side === 'client' ? 'client' : 'server';
      // An absence only counts where that side's log covers the attempt (rdp-kb §3; the brief's coverage rule).
      const covered = chMatch ? (ctx.attempt.covered?.[side] ?? []).some((x) => chMatch(x)) : ctx.attempt.coverage[side];
      if (!covered) return { ok: false, events: [], uncovered: [`${side}: ${sel.channelName ?? 'any log'}`] };
      return exists(sel, ctx) ? NO : YES;
    };
  }
  if ('sequence' in c) {
    const sels = c.sequence.map((s, i) => compileSelector(s, `${path}.sequence[${i}]`, p));
    const gap = c.maxGap !== undefined ? parseDuration(c.maxGap) : Infinity;
    if (gap === undefined) p.add(`${path}.maxGap`, `bad duration "${c.maxGap}"`);
    return (ctx) => {
      // Earliest-first greedy: each step takes the first match at or after the previous step.
      const cited: EventRef[] = [];
      let prev = -Infinity;
      for (const sel of sels) {
        const hits = find(sel, ctx)
          .map((r) => ({ r, t: ctx.timeOf(r) }))
          .filter((h) => h.t >= prev && (prev === -Infinity || h.t - prev <= (gap ?? Infinity)))
          .sort((a, b) => a.t - b.t);
        if (!hits.length) return NO;
        cited.push(hits[0]!.r);
        prev = hits[0]!.t;
      }
      return { ok: true, events: cited, uncovered: [] };
    };
  }
  if ('outcome' in c) {
    const set = new Set(Array.isArray(c.outcome) ? c.outcome : [c.outcome]);
    return (ctx) => (set.has(ctx.attempt.outcome) ? YES : NO);
  }
  if ('coverage' in c) {
    const cv = c.coverage;
    return (ctx) =>
      (cv.client === undefined || ctx.attempt.coverage.client === cv.client) && (cv.server === undefined || ctx.attempt.coverage.server === cv.server) ? YES : NO;
  }
  if ('fact' in c || 'setting' in c) {
    const isFact = 'fact' in c;
    const map = isFact ? c.fact : (c as { setting: Record<string, StrMatch> }).setting;
    const tests = Object.entries(map).map(([k, m]) => [isFact ? k : k.toLowerCase(), strTest(m, `${path}.${k}`, p)] as const);
    return (ctx) => {
      const src = (isFact ? ctx.attempt.facts : ctx.attempt.settings) ?? {};
      return tests.every(([k, t]) => t(src[k])) ? YES : NO;
    };
  }
  if ('target' in c) {
    const t = strTest(c.target, `${path}.target`, p);
    return (ctx) => (t(ctx.attempt.target) ? YES : NO);
  }
  if ('all' in c || 'any' in c) {
    const isAll = 'all' in c;
    const parts = (isAll ? c.all : (c as { any: Cond[] }).any).map((x, i) => compileCond(x, `${path}.${isAll ? 'all' : 'any'}[${i}]`, p));
    return (ctx) => {
      const events: EventRef[] = [];
      const uncovered: string[] = [];
      let okAny = false;
      for (const part of parts) {
        const r = part(ctx);
        uncovered.push(...r.uncovered);
        if (r.ok) {
          okAny = true;
          events.push(...r.events);
          if (!isAll) break;
        } else if (isAll) return { ok: false, events: [], uncovered };
      }
      return { ok: isAll || okAny, events: dedupe(events), uncovered };
    };
  }
  const inner = compileCond((c as { not: Cond }).not, `${path}.not`, p);
  return (ctx) => {
    const r = inner(ctx);
    // "not" of an undecidable absence stays undecided rather than becoming true.
    if (!r.ok && r.uncovered.length) return { ok: false, events: [], uncovered: r.uncovered };
    return r.ok ? NO : YES;
  };
}

function dedupe(refs: EventRef[]): EventRef[] {
  const seen = new Set<number>();
  return refs.filter((r) => (seen.has(r.eventId) ? false : (seen.add(r.eventId), true)));
}

/** Roots a `${…}` template may use besides bare data field names. */
const TEMPLATE_ROOTS = new Set(['event', 'codes', 'attempt']);
const EVENT_KEYS = new Set(['id', 'host', 'time', 'channel', 'provider', 'side', 'file', 'position']);
const CODE_KEYS = new Set(['disconnectReason', 'extendedReason', 'source']);
const ATTEMPT_KEYS = new Set(['target', 'client', 'server', 'clientIp', 'outcome']);

export function checkTemplate(t: string, path: string, p: Problems): void {
  for (const m of t.matchAll(/\$\{([^}]*)\}/g)) {
    const name = m[1]!.trim();
    if (!/^[A-Za-z0-9_.#[\] /-]+$/.test(name)) p.add(path, `bad template reference "\${${name}}"`);
    const [root, key] = name.split('.', 2);
    if (key === undefined || !TEMPLATE_ROOTS.has(root!)) continue;
    const ok = root === 'event' ? EVENT_KEYS.has(key) : root === 'codes' ? CODE_KEYS.has(key) : ATTEMPT_KEYS.has(key);
    if (!ok) p.add(path, `unknown template field "\${${name}}"`);
  }
}
