// `rules test`: each rule's fixtures (catalog/fixtures/<rule-id>/*.yaml: shorthand events and the
// verdicts expected) go through the real pipeline, buildAttempts → diagnose, and are compared.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { buildAttempts } from '../correlate/index.js';
import type { Attempt, Diagnosis } from '../model/analysis.js';
import type { ContextRecord } from '../model/event.js';
import { diagnose } from './engine.js';
import { synthEvents, type ShortEvent } from './synth.js';
import type { Catalog } from './types.js';

interface Expectation {
  index?: number;
  client?: string;
  target?: string;
  outcome?: string;
  preconnect?: boolean;
  rootCause?: string;
  verdicts?: Record<string, string>;
}

interface FixtureDoc {
  description?: string;
  base?: string;
  userCodes?: { disconnectReason?: number; extendedReason?: number };
  events: ShortEvent[];
  /** .rdp-file settings for a target (`full address` style), as the rdp reader would give them. */
  contexts?: { target: string; settings: Record<string, string | number> }[];
  expect: Expectation[];
}

export interface FixtureResult {
  rule: string;
  file: string;
  description: string;
  failures: string[];
}

const MAX_FIXTURE_BYTES = 512 * 1024;

/** Runs every fixture of every rule; a rule without fixtures is itself a failure. */
export function runFixtures(catalog: Catalog): FixtureResult[] {
  const out: FixtureResult[] = [];
  for (const rule of catalog.rules) {
    const dirs = catalog.dirs.map((d) => join(d, 'fixtures', rule.id)).filter((d) => existsSync(d));
    const files = dirs.flatMap((d) => readdirSync(d).filter((f) => /\.ya?ml$/i.test(f)).sort().map((f) => join(d, f)));
    if (!files.length) {
      out.push({ rule: rule.id, file: join(catalog.dirs[0] ?? '.', 'fixtures', rule.id), description: 'no fixtures', failures: ['the rule has no fixtures'] });
      continue;
    }
    for (const f of files) out.push({ rule: rule.id, file: f, ...runFixture(f, catalog) });
  }
  return out;
}

export function runFixture(file: string, catalog: Catalog): { description: string; failures: string[] } {
  let doc: FixtureDoc;
  try {
    const text = readFileSync(file, 'utf8');
    if (text.length > MAX_FIXTURE_BYTES) return { description: '', failures: [`${file}: larger than ${MAX_FIXTURE_BYTES} bytes`] };
    doc = parse(text, { maxAliasCount: 0 }) as FixtureDoc;
  } catch (err) {
    return { description: '', failures: [`${file}: ${(err as Error).message.split('\n')[0]}`] };
  }
  if (!doc || !Array.isArray(doc.events) || !Array.isArray(doc.expect) || !doc.expect.length) {
    return { description: doc?.description ?? '', failures: [`${file}: a fixture needs an events list and a non-empty expect list`] };
  }
  const failures: string[] = [];
  let attempts: Attempt[];
  try {
    const contexts: ContextRecord[] = (doc.contexts ?? []).map((c, i) => ({
      kind: 'rdp-file',
      target: String(c.target),
      settings: Object.fromEntries(Object.entries(c.settings ?? {}).map(([k, v]) => [k, String(v)])),
      source: { file, format: 'rdp', position: `contexts[${i}]`, fidelity: 'context' },
    }));
    attempts = buildAttempts(synthEvents(doc.events, doc.base, file), contexts).attempts;
  } catch (err) {
    return { description: doc.description ?? '', failures: [(err as Error).message] };
  }
  const opts = doc.userCodes ? { userCodes: doc.userCodes } : {};
  const diags = new Map<string, Diagnosis>(attempts.map((a) => [a.id, diagnose(a, catalog, opts)]));
  doc.expect.forEach((ex, i) => {
    const where = `${file}: expect[${i}]`;
    const a = pick(attempts, ex);
    if (!a) {
      failures.push(`${where}: no attempt matches ${JSON.stringify({ index: ex.index, client: ex.client, target: ex.target })} (${attempts.length} attempts built)`);
      return;
    }
    const dg = diags.get(a.id)!;
    if (ex.outcome !== undefined && a.outcome !== ex.outcome) failures.push(`${where}: outcome ${a.outcome}, expected ${ex.outcome}`);
    if (ex.preconnect !== undefined && Boolean(a.preconnect) !== ex.preconnect) failures.push(`${where}: preconnect ${Boolean(a.preconnect)}, expected ${ex.preconnect}`);
    if (ex.rootCause !== undefined && dg.rootCause !== ex.rootCause) {
      const top = dg.verdicts.slice(0, 3).map((v) => `${v.cause}=${v.verdict}(${v.score})`).join(', ');
      failures.push(`${where}: rootCause ${dg.rootCause}, expected ${ex.rootCause} [${top}]`);
    }
    for (const [cause, verdict] of Object.entries(ex.verdicts ?? {})) {
      const v = dg.verdicts.find((x) => x.cause === cause);
      if (!v) failures.push(`${where}: no verdict for ${cause}`);
      else if (v.verdict !== verdict) failures.push(`${where}: ${cause} is ${v.verdict} (score ${v.score}), expected ${verdict}`);
    }
  });
  return { description: doc.description ?? '', failures };
}

function pick(attempts: Attempt[], ex: Expectation): Attempt | undefined {
  const real = attempts.filter((a) => !a.preconnect || ex.preconnect === true);
  const hits = real.filter((a) => (ex.client === undefined || a.client?.host === ex.client) && (ex.target === undefined || a.target === ex.target));
  return hits[ex.index ?? 0];
}
