// Loads the root-cause catalogue (one YAML file per cause) and rejects bad rules loudly, naming
// the file and the reason: schema errors (ajv), then semantic checks (aliases, modifiers, regexes,
// durations, templates, selectors not covered by `needs`, duplicate ids).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { Ajv as AjvType } from 'ajv';
import { CHANNEL_ALIASES, PROVIDER_ALIASES } from '../correlate/channels.js';
import type { EventNeed } from '../model/stages.js';
import { Problems, checkTemplate, compileCond, type Pred } from './compile.js';
import { RULE_SCHEMA } from './schema.js';
import type { Catalog, Cond, Item, Rule, Selector } from './types.js';

export class CatalogError extends Error {
  constructor(readonly problems: string[]) {
    super(`rule catalogue rejected:\n  ${problems.join('\n  ')}`);
    this.name = 'CatalogError';
  }
}

export interface CompiledRule {
  supports: Pred[];
  refutes: Pred[];
}

const compiled = new WeakMap<Rule, CompiledRule>();

export function compiledOf(r: Rule): CompiledRule {
  const c = compiled.get(r);
  if (!c) throw new Error(`rule ${r.id} was not loaded through loadCatalog`);
  return c;
}

/** The bundled catalogue: src/rules/catalog, found from src/ (vitest) and from dist/ (built). */
export function builtinCatalogDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'catalog'), resolve(here, '../../src/rules/catalog')];
  const hit = candidates.find((c) => existsSync(c) && statSync(c).isDirectory());
  if (!hit) throw new CatalogError([`rule catalogue folder not found (looked in ${candidates.join(', ')})`]);
  return hit;
}

const MAX_RULE_BYTES = 256 * 1024;

function ruleFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/i.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Loads the bundled catalogue plus any extra folders. Throws CatalogError listing every problem. */
export function loadCatalog(extraDirs: string[] = []): Catalog {
  return loadDirs([builtinCatalogDir(), ...extraDirs]);
}

/**
 * Rule documents already parsed and checked against RULE_SCHEMA, by the SHA-256 of their file's
 * text: written at build time beside this module (scripts/catalog-snapshot.mjs). Parsing the
 * YAML and compiling the schema took about 150 ms of every run; a file whose text differs from
 * the snapshot's is parsed and checked as usual. Only for a snapshot of this very schema.
 */
export interface CatalogSnapshot {
  schema: string;
  docs: Record<string, unknown>;
}

export const schemaHash = (): string => sha256(JSON.stringify(RULE_SCHEMA));
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/**
 * The snapshot of the rule files of `dir` (the build writes the bundled catalogue's): each one's
 * document by its text's hash, for those that load and survive JSON as parsed. Problems are pushed.
 */
export function catalogSnapshot(dir: string, problems: string[]): CatalogSnapshot {
  const docs: Record<string, unknown> = {};
  for (const file of ruleFiles(dir)) {
    const read = readRuleDoc(file, problems);
    if (read && isDeepStrictEqual(JSON.parse(JSON.stringify(read.doc)), read.doc)) docs[read.sha256] = read.doc;
  }
  return { schema: schemaHash(), docs };
}

let snapshot: CatalogSnapshot | null | undefined;

/** The build's snapshot (dist/rules/catalog.json), when there is one for this schema. */
export function builtSnapshot(): CatalogSnapshot | undefined {
  if (snapshot === undefined) {
    snapshot = null;
    try {
      const s = JSON.parse(readFileSync(new URL('./catalog.json', import.meta.url), 'utf8')) as CatalogSnapshot;
      if (s.schema === schemaHash()) snapshot = s;
    } catch {
      // none (running from src/), or unreadable: parse the YAML
    }
  }
  return snapshot ?? undefined;
}

/** Loads exactly these folders (used by `rules lint <dir>`). */
export function loadDirs(dirs: string[], snap: CatalogSnapshot | undefined = builtSnapshot()): Catalog {
  const problems: string[] = [];
  const rules: Rule[] = [];
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    let files: string[];
    try {
      files = ruleFiles(dir);
    } catch (err) {
      problems.push(`${dir}: cannot read folder: ${(err as Error).message}`);
      continue;
    }
    for (const file of files) {
      const r = loadRuleFile(file, problems, snap);
      if (!r) continue;
      const prev = seen.get(r.id);
      if (prev) {
        problems.push(`${file}: duplicate rule id "${r.id}" (also in ${prev})`);
        continue;
      }
      seen.set(r.id, file);
      rules.push(r);
    }
  }
  if (problems.length) throw new CatalogError(problems);
  rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { rules, dirs };
}

// yaml and ajv load only when a file is not in the snapshot (their loading alone took 40 ms).
const requireCjs = createRequire(import.meta.url);
let validator: ReturnType<AjvType['compile']> | undefined;

function validate(doc: unknown): string[] {
  if (!validator) {
    const { Ajv } = requireCjs('ajv') as typeof import('ajv');
    validator = new Ajv({ allErrors: true, strict: true }).compile(RULE_SCHEMA);
  }
  if (validator(doc)) return [];
  return (validator.errors ?? []).map((e) => {
    const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as { additionalProperty: string }).additionalProperty}"` : '';
    return `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${extra}`;
  });
}

/** Parses one rule file and checks it against the schema; pushes `file: reason` problems and returns undefined when bad. */
export function readRuleDoc(file: string, problems: string[], snap?: CatalogSnapshot): { doc: unknown; sha256: string } | undefined {
  let text: string;
  try {
    if (statSync(file).size > MAX_RULE_BYTES) {
      problems.push(`${file}: larger than ${MAX_RULE_BYTES} bytes`);
      return undefined;
    }
    text = readFileSync(file, 'utf8');
  } catch (err) {
    problems.push(`${file}: cannot read: ${(err as Error).message}`);
    return undefined;
  }
  const hash = sha256(text);
  if (snap && Object.hasOwn(snap.docs, hash)) return { doc: structuredClone(snap.docs[hash]), sha256: hash };
  let doc: unknown;
  try {
    const { parse } = requireCjs('yaml') as typeof import('yaml');
    doc = parse(text, { maxAliasCount: 0, prettyErrors: true });
  } catch (err) {
    problems.push(`${file}: YAML error: ${(err as Error).message.split('\n')[0]}`);
    return undefined;
  }
  const schemaErrors = validate(doc);
  if (schemaErrors.length) {
    for (const e of schemaErrors) problems.push(`${file}: ${e}`);
    return undefined;
  }
  return { doc, sha256: hash };
}

/** Parses and checks one rule file; pushes `file: reason` problems and returns undefined when bad. */
export function loadRuleFile(file: string, problems: string[], snap?: CatalogSnapshot): Rule | undefined {
  const read = readRuleDoc(file, problems, snap);
  if (!read) return undefined;
  const raw = read.doc as Omit<Rule, 'file' | 'appliesTo' | 'thresholds' | 'collectNext' | 'needs'> & {
    appliesTo?: Rule['appliesTo'];
    thresholds?: Partial<Rule['thresholds']>;
    collectNext?: Rule['collectNext'];
    needs: EventNeed[];
  };
  const p = new Problems();
  const stem = basename(file).replace(/\.ya?ml$/i, '');
  if (raw.id !== stem) p.add('id', `"${raw.id}" must match the file name "${stem}"`);
  const needs = raw.needs.map((n, i) => resolveNeed(n, `needs[${i}]`, p));
  const compileItems = (items: Item[], kind: string): Pred[] =>
    items.map((it, i) => {
      checkTemplate(it.says, `${kind}[${i}].says`, p);
      if (it.decisive && kind === 'supports') p.add(`${kind}[${i}].decisive`, 'only refuting evidence can be decisive');
      for (const s of selectorsOf(it.when)) checkNeeded(s, needs, `${kind}[${i}]`, p);
      return compileCond(it.when, `${kind}[${i}].when`, p);
    });
  const supports = compileItems(raw.supports, 'supports');
  const refutes = compileItems(raw.refutes, 'refutes');
  if (!raw.supports.length) p.add('supports', 'a cause needs at least one piece of supporting evidence');
  if (p.list.length) {
    for (const m of p.list) problems.push(`${file}: ${m}`);
    return undefined;
  }
  const rule: Rule = {
    id: raw.id,
    title: raw.title,
    appliesTo: raw.appliesTo ?? ['failed', 'unknown'],
    needs,
    thresholds: { likely: raw.thresholds?.likely ?? 5, ruledOut: raw.thresholds?.ruledOut ?? 4 },
    supports: raw.supports,
    refutes: raw.refutes,
    remediation: raw.remediation,
    references: raw.references,
    collectNext: raw.collectNext ?? [],
    file,
  };
  if (raw.summary) rule.summary = raw.summary;
  if (raw.unconfirmed) rule.unconfirmed = true;
  compiled.set(rule, { supports, refutes });
  return rule;
}

function resolveNeed(n: EventNeed, path: string, p: Problems): EventNeed {
  const out: EventNeed = {};
  if (n.channel) {
    const full = CHANNEL_ALIASES[n.channel];
    if (!full && !n.channel.includes('/') && !['Security', 'System', 'Application', 'RDCMan'].includes(n.channel)) {
      p.add(`${path}.channel`, `unknown channel alias "${n.channel}"`);
    }
    out.channel = full ?? n.channel;
  }
  if (n.provider) {
    const full = PROVIDER_ALIASES[n.provider];
    if (!full && !n.provider.startsWith('Microsoft-Windows-')) p.add(`${path}.provider`, `unknown provider alias "${n.provider}"`);
    out.provider = full ?? n.provider;
  }
  if (n.ids) out.ids = [...n.ids].sort((a, b) => a - b);
  return out;
}

function selectorsOf(c: Cond): Selector[] {
  if ('event' in c) return [c.event];
  if ('absent' in c) return [c.absent];
  if ('sequence' in c) return c.sequence;
  if ('all' in c) return c.all.flatMap(selectorsOf);
  if ('any' in c) return c.any.flatMap(selectorsOf);
  if ('not' in c) return selectorsOf(c.not);
  return [];
}

/** Every selector must name a channel or provider, and `needs` must keep its events (filter push-down). */
function checkNeeded(s: Selector, needs: EventNeed[], path: string, p: Problems): void {
  if (!s.channel && !s.provider) {
    p.add(path, 'an event selector names a channel or a provider, so the case file knows to keep those events');
    return;
  }
  const ch = s.channel ? (CHANNEL_ALIASES[s.channel] ?? s.channel).toLowerCase() : undefined;
  const pr = s.provider ? (PROVIDER_ALIASES[s.provider] ?? s.provider).toLowerCase() : undefined;
  const ids = s.id === undefined ? undefined : Array.isArray(s.id) ? s.id : [s.id];
  const globbed = (pat: string, v: string): boolean => (pat.includes('*') ? new RegExp(`^${pat.split('*').map((x) => x.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i').test(v) : pat.toLowerCase() === v);
  // A need keeps events of its channel (and provider) only: the selector must be at least as narrow.
  const ok = needs.some((n) => {
    if (!n.channel && !n.provider) return false;
    if (n.channel && (!ch || (!globbed(ch, n.channel.toLowerCase()) && !globbed(n.channel, ch)))) return false;
    if (n.provider && (!pr || (!globbed(pr, n.provider.toLowerCase()) && !globbed(n.provider, pr)))) return false;
    if (n.ids && (!ids || ids.some((i) => !n.ids!.includes(i)))) return false;
    return true;
  });
  if (!ok) p.add(path, `selector (${s.channel ?? ''} ${s.provider ?? ''} ${ids?.join(',') ?? 'any id'}) is not covered by \`needs\`; the case file would drop its events`);
}
