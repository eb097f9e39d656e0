// Turning worker outcomes into findings: a crash signature (what failed, in which reader, where
// in our code) decides deduplication and the fixture's file name.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = `${resolve(fileURLToPath(new URL('../..', import.meta.url)))}/`;

/** Message with numbers and hex taken out, so one bug met at different offsets is one finding. */
export function normalizeMessage(msg) {
  return String(msg)
    .replace(/0x[0-9a-f]+/gi, '0xN')
    .replace(/-?\d+/g, 'N')
    .replace(/"[^"]{40,}"/g, '"…"')
    .slice(0, 160);
}

/** Stack frames as { fn, file }, without Node internals and the harness itself. */
function frames(stack) {
  const out = [];
  for (const line of String(stack).split('\n').slice(1)) {
    const m = /at (?:async )?(?:(\S+) \()?(?:file:\/\/)?([^():]+):\d+:\d+\)?/.exec(line.trim());
    if (!m || m[2].includes('node:') || m[2].includes('/scripts/fuzz/')) continue;
    out.push({ fn: m[1] ?? '<anon>', file: m[2] });
  }
  return out;
}

/**
 * What identifies a thrown error: where it left our code, and what it says. When a library threw
 * (fast-xml-parser, csv-parse…), its message varies with the input, so the signature keeps the
 * library file and our calling function instead: one unguarded call is one finding.
 */
export function errorSignature(name, message, stack, code) {
  const fs = frames(stack);
  const ours = fs.find((f) => !f.file.includes('node_modules'));
  const at = ours ? `${ours.fn}@${basename(ours.file)}` : '';
  if (fs[0] && fs[0].file.includes('node_modules')) return `${name}|lib:${basename(fs[0].file)}|${at}`;
  // Errors raised inside Node (zlib, fs) carry no JS frame of ours but a stable code.
  if (!fs.length && code) return `${name}|code:${code}`;
  return `${name}|${normalizeMessage(message)}|${at}`;
}

/** Findings from one job outcome. `job` is what was run; `meta` says where the input came from. */
export function classify(outcome) {
  const out = [];
  if (outcome.status === 'hang') {
    out.push({ kind: 'hang', format: outcome.running ?? 'sniff', message: `no result within ${outcome.limitMs} ms`, signature: `hang|${outcome.running ?? 'sniff'}` });
  } else if (outcome.status === 'oom') {
    out.push({ kind: 'oom', format: outcome.running ?? 'sniff', message: outcome.error.message, signature: `oom|${outcome.running ?? 'sniff'}` });
  } else if (outcome.status === 'uncaught') {
    const e = outcome.error;
    out.push({ kind: 'uncaught', format: outcome.running ?? 'sniff', message: `${e.name}: ${e.message}`, stack: e.stack, signature: `uncaught|${outcome.running ?? 'sniff'}|${errorSignature(e.name, e.message, e.stack, e.code)}` });
  } else {
    const r = outcome.result;
    if (r.harnessError) out.push({ kind: 'harness', format: 'harness', message: r.harnessError.message, stack: r.harnessError.stack, signature: `harness|${normalizeMessage(r.harnessError.message)}` });
    for (const run of r.runs) {
      if (run.error) {
        const e = run.error;
        out.push({ kind: 'throw', phase: run.phase, format: run.format, forced: run.forced, message: `${e.name}: ${e.message}`, stack: e.stack, signature: `throw|${run.format}|${run.phase}|${errorSignature(e.name, e.message, e.stack, e.code)}` });
      }
      if (run.oom) out.push({ kind: 'oom', format: run.format, forced: run.forced, message: `reader heap+buffers reached ${run.oom.mb} MiB`, signature: `oom|${run.format}` });
      if (run.violations?.length) {
        // One signature per distinct first violation, numbers taken out.
        // Values are dropped from the signature: a bad time is one bug whatever garbage it holds.
        const shape = normalizeMessage(run.violations[0].replace(/"(?:[^"\\]|\\.)*"/g, '"…"'));
        out.push({ kind: 'contract', phase: run.phase, format: run.format, forced: run.forced, message: run.violations.join('; '), signature: `contract|${run.format}|${shape}` });
      }
    }
  }
  return out;
}

export function signatureHash(signature) {
  return createHash('sha256').update(signature).digest('hex').slice(0, 12);
}

/** Saves a finding as test/fixtures/fuzz/<reader>/<hash>.bin + .json; returns the path, or undefined when already saved. */
export function saveFixture(dir, finding, bytes, meta) {
  const folder = join(dir, finding.format.replace(/[^a-z0-9-]/gi, '_'));
  // Same signature as a fixture marked fixed: a new input brings the bug back (or a variant of it
  // the fix missed), so it gets its own file beside the old one. An open one already covers it.
  let hash = signatureHash(finding.signature);
  for (let n = 2; existsSync(join(folder, `${hash}.json`)); n++) {
    const prev = JSON.parse(readFileSync(join(folder, `${hash}.json`), 'utf8'));
    if (prev.status !== 'fixed') return undefined;
    hash = `${signatureHash(finding.signature)}-${n}`;
  }
  const bin = join(folder, `${hash}.bin`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(bin, bytes);
  const doc = {
    reader: finding.format,
    kind: finding.kind,
    phase: finding.phase ?? 'read',
    status: 'open',
    signature: finding.signature,
    message: finding.message.slice(0, 2000),
    // Repo-relative paths: fixtures must not depend on where the repo was checked out.
    stack: (finding.stack ?? '').split('\n').slice(0, 10).join('\n').replaceAll(`file://${ROOT}`, '').replaceAll(ROOT, ''),
    replay: { name: meta.name, via: meta.via, splitSeed: meta.splitSeed, sniff: meta.sniff, zip: meta.zip === true, twice: meta.twice === true, force: meta.force },
    origin: { seed: meta.seedName, fuzzSeed: meta.fuzzSeed, index: meta.index, steps: meta.steps, originalSize: meta.originalSize },
    size: bytes.length,
  };
  writeFileSync(join(folder, `${hash}.json`), `${JSON.stringify(doc, null, 2)}\n`);
  return bin;
}

/** Every saved fixture: { dir, hash, bin, doc }. */
export function listFixtures(dir) {
  const out = [];
  if (!existsSync(dir)) return out;
  for (const reader of readdirSync(dir).sort()) {
    const folder = join(dir, reader);
    let names;
    try {
      names = readdirSync(folder).sort();
    } catch {
      continue;
    }
    for (const n of names.filter((x) => x.endsWith('.json'))) {
      const hash = n.slice(0, -5);
      const doc = JSON.parse(readFileSync(join(folder, n), 'utf8'));
      out.push({ reader, hash, bin: join(folder, `${hash}.bin`), doc });
    }
  }
  return out;
}
