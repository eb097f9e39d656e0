// diagnose: every rule of the catalogue against one attempt → a verdict per cause with the
// evidence for and against it. Generic: weights and thresholds come from the rule files.
import { parseCode, timeMs } from '../correlate/util.js';
import type { Attempt, Codes, Confidence, Diagnosis, Evidence, EventRef, Verdict, VerdictKind } from '../model/analysis.js';
import type { DiagnoseOptions } from '../model/stages.js';
import { hex } from './codes.js';
import type { EvalCtx } from './compile.js';
import { compiledOf } from './loader.js';
import type { Catalog, CollectHint, Item, Rule } from './types.js';

/** Evidence resting on an UNCONFIRMED fact counts half. */
const UNCONFIRMED_FACTOR = 0.5;
const MAX_COLLECT = 8;

export function diagnose(attempt: Attempt, catalog: Catalog, opts: DiagnoseOptions = {}): Diagnosis {
  if (attempt.preconnect || attempt.outcome === 'succeeded') {
    return { attemptId: attempt.id, rootCause: 'none', verdicts: [], collectNext: [] };
  }
  const ctx = evalCtx(attempt, opts);
  const verdicts: Verdict[] = [];
  const uncoveredAll = new Set<string>();
  for (const rule of catalog.rules) {
    if (!rule.appliesTo.includes(attempt.outcome)) continue;
    const v = evaluate(rule, ctx, uncoveredAll);
    verdicts.push(v);
  }
  verdicts.sort(
    (a, b) => rank(a.verdict) - rank(b.verdict) || b.score - a.score || confRank(b.confidence) - confRank(a.confidence) || (a.cause < b.cause ? -1 : 1),
  );
  const top = verdicts.find((v) => v.verdict === 'likely');
  const collectNext: string[] = [];
  if (!top) {
    if (!attempt.coverage.server) collectNext.push('server: the RdpCoreTS, RemoteConnectionManager, LocalSessionManager Operational logs and the System and Security logs of the target server, covering the attempt time');
    if (!attempt.coverage.client) collectNext.push('client: Microsoft-Windows-TerminalServices-RDPClient/Operational from the client, covering the attempt time');
    for (const u of [...uncoveredAll].sort()) collectNext.push(`${u}: no log covers the attempt time there, so the absence of its events cannot be judged`);
    for (const v of verdicts) {
      if (v.verdict !== 'possible' && v.verdict !== 'no-evidence') continue;
      const rule = catalog.rules.find((r) => r.id === v.cause);
      for (const h of rule?.collectNext ?? []) collectNext.push(hint(h));
    }
  }
  return { attemptId: attempt.id, rootCause: top ? top.cause : 'unknown', verdicts, collectNext: [...new Set(collectNext)].slice(0, MAX_COLLECT) };
}

// Switches, not object literals: these run for every comparison of every attempt's verdicts.
function rank(v: VerdictKind): number {
  switch (v) {
    case 'likely':
      return 0;
    case 'possible':
      return 1;
    case 'no-evidence':
      return 2;
    default:
      return 3;
  }
}

function confRank(c: Confidence): number {
  return c === 'high' ? 2 : c === 'medium' ? 1 : 0;
}

/** Codes as logged, completed by what the user reported (the dialog's codes; 1026 has no extended code). */
export function effectiveCodes(attempt: Attempt, opts: DiagnoseOptions): Codes {
  const codes: Codes = { ...attempt.codes };
  const u = opts.userCodes;
  if (!u || attempt.outcome === 'succeeded') return codes;
  // The user's dialog belongs to this attempt only if the logged code (when any) is the same one.
  if (codes.disconnectReason !== undefined && u.disconnectReason !== undefined && codes.disconnectReason !== u.disconnectReason) return codes;
  let used = false;
  if (codes.disconnectReason === undefined && u.disconnectReason !== undefined) {
    codes.disconnectReason = u.disconnectReason;
    used = true;
  }
  if (codes.extendedReason === undefined && u.extendedReason !== undefined) {
    codes.extendedReason = u.extendedReason;
    used = true;
  }
  // `source` names where the decisive (extended) part came from; RDCMan keeps its credit.
  if (used && codes.source !== 'rdcman') codes.source = 'user';
  return codes;
}

export function evalCtx(attempt: Attempt, opts: DiagnoseOptions = {}): EvalCtx {
  const times = new Map<EventRef, number>();
  const timeOf = (r: EventRef): number => {
    let t = times.get(r);
    if (t === undefined) {
      t = timeMs(r.correctedTime);
      times.set(r, t);
    }
    return t;
  };
  // Event times are compared on the reference clock (correctedTime), so the window is too.
  let startMs = Infinity;
  let endMs = -Infinity;
  for (const r of attempt.events) {
    const t = timeOf(r);
    if (t < startMs) startMs = t;
    if (t > endMs) endMs = t;
  }
  if (!Number.isFinite(startMs)) {
    startMs = Date.parse(attempt.start);
    endMs = attempt.end ? Date.parse(attempt.end) : startMs;
  }
  const byId = new Map<number, { r: EventRef; inContext: boolean }[]>();
  for (const [list, inContext] of [[attempt.events, false], [attempt.context, true]] as const) {
    for (const r of list) {
      const l = byId.get(r.id);
      if (l) l.push({ r, inContext });
      else byId.set(r.id, [{ r, inContext }]);
    }
  }
  return { attempt, codes: effectiveCodes(attempt, opts), startMs, endMs, timeOf, byId };
}

function evaluate(rule: Rule, ctx: EvalCtx, uncoveredAll: Set<string>): Verdict {
  const c = compiledOf(rule);
  const supports: Evidence[] = [];
  const refutes: Evidence[] = [];
  let supW = 0;
  let refW = 0;
  let supUnconfirmedW = 0;
  let refUnconfirmedW = 0;
  let decisive = false;
  const run = (items: Item[], preds: typeof c.supports, out: Evidence[], isSupport: boolean): void => {
    items.forEach((it, i) => {
      const r = preds[i]!(ctx);
      for (const u of r.uncovered) uncoveredAll.add(u);
      if (!r.ok) return;
      // An unconfirmed item counts half; an unconfirmed rule keeps its weights but never rises above low confidence.
      const unconfirmed = Boolean(it.unconfirmed || rule.unconfirmed);
      const w = it.weight * (it.unconfirmed ? UNCONFIRMED_FACTOR : 1);
      const ev: Evidence = { says: render(it.says, r.events[0], ctx) + (it.unconfirmed ? ' (unconfirmed)' : ''), weight: it.weight, events: r.events };
      if (unconfirmed) ev.unconfirmed = true;
      out.push(ev);
      if (isSupport) {
        supW += w;
        if (it.unconfirmed) supUnconfirmedW += w;
      } else {
        refW += w;
        if (it.unconfirmed) refUnconfirmedW += w;
        if (it.decisive) decisive = true;
      }
    });
  };
  run(rule.supports, c.supports, supports, true);
  run(rule.refutes, c.refutes, refutes, false);
  const score = round(supW - refW);
  const { likely, ruledOut } = rule.thresholds;
  let verdict: VerdictKind;
  if (decisive || (refW >= ruledOut && score <= 0)) verdict = 'ruled-out';
  else if (score >= likely) verdict = 'likely';
  else if (score > 0) verdict = 'possible';
  else verdict = refW > 0 && supW > 0 ? 'ruled-out' : 'no-evidence';

  let confidence: Confidence;
  if (verdict === 'ruled-out') {
    confidence = decisive || refW - refUnconfirmedW >= 2 * ruledOut ? 'high' : refUnconfirmedW * 2 > refW ? 'low' : 'medium';
  } else if (verdict === 'no-evidence') {
    confidence = 'low';
  } else {
    const mostlyUnconfirmed = supUnconfirmedW * 2 > supW;
    if (rule.unconfirmed || mostlyUnconfirmed) confidence = 'low';
    else if (verdict === 'likely' && score >= 2 * likely && supUnconfirmedW === 0) confidence = 'high';
    else confidence = 'medium';
  }
  const v: Verdict = {
    cause: rule.id,
    title: rule.title,
    verdict,
    score,
    confidence,
    supports,
    refutes,
    remediation: rule.remediation,
    references: rule.references,
  };
  // What to collect next matters for causes still in play; "no evidence" ones feed the attempt-level list only.
  if ((verdict === 'likely' || verdict === 'possible') && rule.collectNext.length) v.collectNext = rule.collectNext.map(hint);
  return v;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

export function hint(h: CollectHint): string {
  return `${h.host}: ${h.log}${h.enable ? ` (off by default; enable with: ${h.enable})` : ''}`;
}

/** `${event.<key>}` (a switch, not an object per placeholder: evidence text is rendered for every attempt). */
function eventField(ev: EventRef, key: string): string | undefined {
  switch (key) {
    case 'id':
      return String(ev.id);
    case 'host':
      return ev.host;
    case 'time':
      return ev.correctedTime;
    case 'channel':
      return ev.channel;
    case 'provider':
      return ev.provider;
    case 'side':
      return ev.side;
    case 'file':
      return ev.file;
    case 'position':
      return ev.position;
    default:
      return undefined;
  }
}

/** `${attempt.<key>}`. */
function attemptField(a: EvalCtx['attempt'], key: string): string | undefined {
  switch (key) {
    case 'target':
      return a.target;
    case 'client':
      return a.client?.host;
    case 'server':
      return a.server?.host;
    case 'clientIp':
      return a.client?.ip;
    case 'outcome':
      return a.outcome;
    default:
      return undefined;
  }
}

/** A template cut into its literal text and its `${…}` placeholders (name, and root.key when dotted). */
type Piece = string | { name: string; root: string; key: string | undefined };

/** Templates are few (one per evidence item of the catalogue) and rendered for every attempt: cut once. */
const pieces = new Map<string, Piece[]>();

function piecesOf(t: string): Piece[] {
  let ps = pieces.get(t);
  if (ps !== undefined) return ps;
  ps = [];
  const re = /\$\{([^}]*)\}/g;
  let at = 0;
  for (let m = re.exec(t); m !== null; m = re.exec(t)) {
    if (m.index > at) ps.push(t.slice(at, m.index));
    const name = m[1]!.trim();
    const [root, key] = name.split('.', 2) as [string, string | undefined];
    ps.push({ name, root, key });
    at = m.index + m[0].length;
  }
  if (at < t.length) ps.push(t.slice(at));
  // Bounded: rule files are the only source of templates, but a user's own rules could be many.
  if (pieces.size < 10_000) pieces.set(t, ps);
  return ps;
}

/** Fills `${Field}`, `${event.x}`, `${codes.x}`, `${attempt.x}`; values are already control-character free. */
export function render(t: string, ev: EventRef | undefined, ctx: EvalCtx): string {
  let out = '';
  for (const p of piecesOf(t)) out += typeof p === 'string' ? p : placeholder(p.name, p.root, p.key, ev, ctx);
  return out;
}

function placeholder(name: string, root: string, key: string | undefined, ev: EventRef | undefined, ctx: EvalCtx): string {
  if (root === 'codes' && key) {
    const v = ctx.codes[key as keyof Codes];
    if (v === undefined) return 'unknown';
    return typeof v === 'number' ? `${hex(v)} (${v})` : String(v);
  }
  if (root === 'event' && key) {
    if (!ev) return '?';
    return eventField(ev, key) ?? '?';
  }
  if (root === 'attempt' && key) return attemptField(ctx.attempt, key) ?? 'unknown';
  const v = ev?.values[name];
  if (v === undefined) return '?';
  // Hex-looking NTSTATUS values read better upper-cased.
  return /^0x[0-9a-f]+$/i.test(v) && parseCode(v) !== undefined ? `0x${v.slice(2).toUpperCase()}` : v;
}
