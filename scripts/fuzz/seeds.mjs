// Where fuzz inputs start from: real EVTX files of the shared corpus (never copied into the
// repo; cut to single chunks for fast passes), the project's samples and text fixtures, and the
// built-in text examples. Lists are sorted so a seed index means the same file on every machine.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { chunkCount, isEvtx, singleChunkFile } from './evtxLayout.mjs';
import { TEXT_SEEDS, textSeedBytes } from './textSeeds.mjs';
import { zipBuffer } from './zip.mjs';

function walk(dir) {
  const out = [];
  const visit = (d) => {
    let names;
    try {
      names = readdirSync(d).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(d, n);
      let st;
      try {
        st = statSync(p);
      } catch {
        continue;
      }
      if (st.isDirectory()) visit(p);
      else if (st.isFile()) out.push({ path: p, size: st.size });
    }
  };
  if (existsSync(dir)) visit(dir);
  return out;
}

const isZip = (b) => b.length >= 4 && b.readUInt32LE(0) === 0x04034b50;

/**
 * @param {{ corpusDir?: string, repoRoot: string, evtxMode: 'chunk' | 'file', maxSeedSize: number,
 *   chunksPerFile: number, builtin?: boolean, repoSeeds?: boolean,
 *   extraSeeds?: { name: string, kind: 'evtx' | 'text', buf: Buffer }[] }} o
 */
export function loadSeeds(o) {
  const evtx = [];
  const text = [];
  const notes = [];
  const addEvtx = (name, buf) => {
    if (o.evtxMode === 'file' && buf.length <= o.maxSeedSize) {
      evtx.push({ name, kind: 'evtx', buf });
      return;
    }
    // Chunk cuts: first, last and evenly spaced chunks in between.
    const n = chunkCount(buf);
    const picks = new Set();
    for (let k = 0; k < Math.min(n, o.chunksPerFile); k++) picks.add(Math.floor((k * Math.max(0, n - 1)) / Math.max(1, o.chunksPerFile - 1)));
    for (const k of [...picks].sort((a, b) => a - b)) {
      const cut = singleChunkFile(buf, k);
      if (cut) evtx.push({ name: `${name}#chunk${k}`, kind: 'evtx', buf: cut });
    }
  };
  if (o.corpusDir && existsSync(o.corpusDir)) {
    for (const name of readdirSync(o.corpusDir).filter((n) => n.endsWith('.evtx')).sort()) {
      addEvtx(`corpus/${name}`, readFileSync(join(o.corpusDir, name)));
    }
  } else {
    notes.push(`corpus not found at ${o.corpusDir}: EVTX seeds come from samples only`);
  }
  for (const dir of o.repoSeeds === false ? [] : ['samples', 'test/fixtures/inputs']) {
    for (const f of walk(join(o.repoRoot, dir))) {
      const rel = relative(o.repoRoot, f.path).split('\\').join('/');
      // Scenario READMEs and expected results are documentation, not evidence.
      if (f.size === 0 || /\.md$|(^|\/)expected\.json$|\.golden\.json$/i.test(rel)) continue;
      if (f.size > o.maxSeedSize && o.evtxMode !== 'file') {
        // Large files are only usable as EVTX chunk cuts.
        const buf = readFileSync(f.path);
        if (isEvtx(buf)) addEvtx(rel, buf);
        else notes.push(`${rel}: ${f.size} bytes, over the seed size limit`);
        continue;
      }
      const buf = readFileSync(f.path);
      if (isZip(buf)) notes.push(`${rel}: zip archives are exercised by the hostile suite, not mutated here`);
      else if (isEvtx(buf)) addEvtx(rel, buf);
      else text.push({ name: rel, kind: 'text', buf });
    }
  }
  if (o.builtin !== false) for (const s of TEXT_SEEDS) text.push({ name: s.name, kind: 'text', buf: textSeedBytes(s) });
  const zips = [];
  if (o.zipSeeds !== false && text.length) {
    // Archives as users send them: a few exports in folders, deflated or stored, one nested.
    const members = text.slice(0, 4).map((s, i) => ({ name: `logs/host${i}/${s.name.split('/').pop()}`, data: s.buf }));
    // One chunk is enough inside an archive (and keeps saved zip fixtures small).
    if (evtx.length) members.push({ name: 'logs/server/System.evtx', data: singleChunkFile(evtx[0].buf, 0) ?? evtx[0].buf });
    const deflated = zipBuffer(members);
    zips.push({ name: 'builtin/logs.zip', kind: 'zip', buf: deflated });
    zips.push({ name: 'builtin/stored.zip', kind: 'zip', buf: zipBuffer(members.slice(0, 3).map((m) => ({ ...m, store: true }))) });
    zips.push({ name: 'builtin/nested.zip', kind: 'zip', buf: zipBuffer([{ name: 'outer/inner.zip', data: zipBuffer(members.slice(0, 2)), store: true }, members[0]]) });
  }
  for (const s of o.extraSeeds ?? []) (s.kind === 'evtx' ? evtx : s.kind === 'zip' ? zips : text).push(s);
  return { evtx, text, zip: zips, notes };
}
