// What a code (and extended code) means, and which causes of the catalogue it fits or excludes —
// read from the rules' own code-only conditions, so `explain` and `analyze` can never disagree.
import type { Attempt } from '../model/analysis.js';
import { TABLES, describeExt, lookup, type CodeEntry, type TableId } from './codes.js';
import type { Cond } from './types.js';
import { evalCtx, render } from './engine.js';
import { compiledOf } from './loader.js';
import type { Catalog } from './types.js';

export interface CauseFit {
  cause: string;
  title: string;
  unconfirmed: boolean;
  says: string[];
}

export interface Explanation {
  code: number;
  table: TableId;
  entry?: CodeEntry;
  /** Other tables that hold the same number (when no table was asked for). */
  alsoIn: { table: TableId; entry: CodeEntry }[];
  ext?: { code: number; entry?: CodeEntry };
  fits: CauseFit[];
  excludes: CauseFit[];
}

function codeOnly(c: Cond): boolean {
  if ('codes' in c) return true;
  if ('all' in c) return c.all.every(codeOnly);
  if ('any' in c) return c.any.every(codeOnly);
  if ('not' in c) return codeOnly(c.not);
  return false;
}

export function explainCode(code: number, ext: number | undefined, catalog: Catalog, table?: TableId): Explanation {
  let chosen: TableId = table ?? 'disc';
  let entry = chosen === 'ext' ? describeExt(code) : lookup(chosen, code);
  const alsoIn: Explanation['alsoIn'] = [];
  if (!table) {
    for (const t of TABLES) {
      if (t.id === 'disc') continue;
      // Exact entries only: the extended "protocol range" would claim every number from 4096 up.
      const e = lookup(t.id, code);
      if (e) alsoIn.push({ table: t.id, entry: e });
    }
    if (!entry && alsoIn.length) {
      const first = alsoIn.shift()!;
      chosen = first.table;
      entry = first.entry;
    }
  }
  const out: Explanation = { code, table: chosen, alsoIn, fits: [], excludes: [] };
  if (entry) out.entry = entry;
  if (ext !== undefined) {
    const e = describeExt(ext);
    out.ext = e ? { code: ext, entry: e } : { code: ext };
  }
  // Only disconnect and extended codes are conditions of the rules.
  if (chosen !== 'disc' && chosen !== 'ext') return out;
  const attempt: Attempt = {
    id: 'explain',
    start: '1970-01-01T00:00:00.000Z',
    outcome: 'failed',
    codes: { source: 'user', ...(chosen === 'disc' ? { disconnectReason: code } : { extendedReason: code }), ...(ext !== undefined ? { extendedReason: ext } : {}) },
    events: [],
    context: [],
    coverage: { client: false, server: false },
  };
  const ctx = evalCtx(attempt);
  for (const rule of catalog.rules) {
    const c = compiledOf(rule);
    let net = 0;
    const pick = (items: typeof rule.supports, preds: typeof c.supports, sign: number): string[] =>
      items.flatMap((it, i) => {
        if (!codeOnly(it.when) || !preds[i]!(ctx).ok) return [];
        net += sign * it.weight * (it.unconfirmed ? 0.5 : 1);
        return [render(it.says, undefined, ctx) + (it.unconfirmed ? ' (unconfirmed)' : '')];
      });
    const sup = pick(rule.supports, c.supports, 1);
    const ref = pick(rule.refutes, c.refutes, -1);
    if (!sup.length && !ref.length) continue;
    // Weighed as diagnose weighs them: the side with more weight decides where the cause is listed.
    const says = net > 0 ? [...sup, ...ref.map((r) => `but: ${r}`)] : [...ref, ...sup.map((s) => `although: ${s}`)];
    (net > 0 ? out.fits : out.excludes).push({ cause: rule.id, title: rule.title, unconfirmed: Boolean(rule.unconfirmed), says });
  }
  return out;
}
