// Worker thread: runs one input at a time through readers and reports what came out. Anything
// thrown by a reader is caught here and sent back as data; the parent's watchdog handles the
// rest (time limit, heap limit, uncaught async errors).
import { parentPort, workerData } from 'node:worker_threads';
import { Readable } from 'node:stream';
import { createReadStream, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createHash } from 'node:crypto';
import { checkBatch, checkStats } from './contract.mjs';
import { Rng } from './rng.mjs';

const { distDir, readersModule, softLimitMb, tmpDir } = workerData;

async function loadReaders() {
  if (readersModule) {
    const mod = await import(pathToFileURL(readersModule).href);
    return mod.readers;
  }
  await import(pathToFileURL(join(distDir, 'parsers', 'all.js')).href);
  const registry = await import(pathToFileURL(join(distDir, 'parsers', 'registry.js')).href);
  return registry.allReaders();
}

const readers = await loadReaders();
let discoverInputs;

function describeError(err) {
  if (err instanceof Error) return { name: err.name, message: String(err.message), stack: String(err.stack ?? ''), ...(typeof err.code === 'string' ? { code: err.code } : {}) };
  return { name: typeof err, message: String(err), stack: '' };
}

/**
 * A stream source cut into uneven pieces, so readers meet every kind of chunk boundary. With
 * `fail`, the stream errors after a seeded share of its pieces, as a failing disk or a corrupt zip
 * member does.
 */
function streamSource(name, bytes, splitSeed, fail = false) {
  const rng = new Rng(splitSeed);
  const pieces = [];
  for (let off = 0; off < bytes.length; ) {
    const n = Math.min(bytes.length - off, rng.chance(0.2) ? rng.range(1, 7) : rng.size(65536));
    pieces.push(bytes.subarray(off, off + n));
    off += n;
  }
  const failAt = fail ? rng.int(pieces.length + 1) : -1;
  const open = () => {
    if (!fail) return Readable.from(pieces, { objectMode: false });
    let i = 0;
    return new Readable({
      read() {
        if (i === failAt) this.destroy(new Error(`injected read error after ${i} pieces`));
        else if (i < pieces.length) this.push(pieces[i++]);
        else this.push(null);
      },
    });
  };
  return { name, size: bytes.length, open };
}

let jsonlModules;
async function evtxJsonlModules() {
  jsonlModules ??= {
    eventJson: (await import(pathToFileURL(join(distDir, 'parsers', 'evtx', 'jsonl.js')).href)).eventJson,
    evtxJsonl: (await import(pathToFileURL(join(distDir, 'parsers', 'evtx', 'jsonlStream.js')).href)).evtxJsonl,
  };
  return jsonlModules;
}

/** dump's evtx path on the same input: the same bytes as eventJson of the reader's events, and the same counts. */
async function checkJsonl(jsonl, input, stats) {
  const got = createHash('sha256');
  const gen = jsonl.evtxJsonl(input, {});
  let r = await gen.next();
  while (!r.done) {
    got.update(r.value.bytes);
    r = await gen.next();
  }
  const out = [];
  if (got.digest('hex') !== jsonl.hash.digest('hex')) out.push('dump JSONL (compiled templates) differs from eventJson of the events');
  for (const k of ['read', 'recovered', 'skipped']) if (r.value[k] !== stats[k]) out.push(`dump JSONL counts ${k} ${r.value[k]}, the reader ${stats[k]}`);
  return out;
}

function memoryMb() {
  const m = process.memoryUsage();
  return (m.heapUsed + m.arrayBuffers) / 1048576;
}

async function runReader(reader, input, job) {
  const tally = { event: 0, context: 0, issue: 0 };
  const issueCodes = {};
  const violations = [];
  let peakMb = memoryMb();
  const out = { format: reader.format, tally, issueCodes, violations };
  // With job.twice, a digest of everything yielded: the same input must give the same output.
  const digest = job.twice ? createHash('sha256') : undefined;
  // evtx: the JSONL that dump writes (compiled templates) must be eventJson of these events.
  const jsonl = reader.format === 'evtx' && !readersModule && job.via !== 'stream-error' ? { hash: createHash('sha256'), ...(await evtxJsonlModules()) } : undefined;
  parentPort.postMessage({ id: job.id, progress: reader.format });
  try {
    const gen = reader.read(input, {});
    let r = await gen.next();
    while (!r.done) {
      for (const item of Array.isArray(r.value) ? r.value : []) {
        if (item?.kind === 'issue' && item.issue) issueCodes[item.issue.code] = (issueCodes[item.issue.code] ?? 0) + 1;
        digest?.update(JSON.stringify(item) ?? 'undefined').update('\n');
        if (jsonl && item?.kind === 'event') jsonl.hash.update(jsonl.eventJson(item.event)).update('\n');
      }
      if (violations.length < 10) violations.push(...checkBatch(r.value, input.name, reader.format, tally).slice(0, 10 - violations.length));
      else checkBatch(r.value, input.name, reader.format, tally);
      const mb = memoryMb();
      if (mb > peakMb) peakMb = mb;
      if (mb > softLimitMb) {
        await gen.return(undefined);
        out.oom = { mb: Math.round(mb) };
        break;
      }
      r = await gen.next();
    }
    if (r.done) {
      out.stats = r.value;
      digest?.update(JSON.stringify(r.value) ?? 'undefined');
      out.digest = digest?.digest('hex');
      violations.push(...checkStats(r.value, tally).slice(0, 5));
      if (jsonl) violations.push(...(await checkJsonl(jsonl, input, r.value)));
    }
  } catch (err) {
    out.error = describeError(err);
  }
  out.peakMb = Math.round(peakMb);
  return out;
}

parentPort.on('message', async (job) => {
  const bytes = Buffer.from(job.bytes.buffer, job.bytes.byteOffset, job.bytes.byteLength);
  const result = { id: job.id, sniffed: null, runs: [], missing: [] };
  let tmpFile;
  try {
    if (job.sniff) {
      const head = bytes.subarray(0, 65536);
      for (const r of readers) {
        let yes;
        try {
          yes = r.sniff(head, job.name);
        } catch (err) {
          result.runs.push({ format: r.format, phase: 'sniff', error: describeError(err), tally: { event: 0, context: 0, issue: 0 }, issueCodes: {}, violations: [] });
          continue;
        }
        if (yes === true) {
          result.sniffed = r.format;
          break;
        }
        if (yes !== false) result.runs.push({ format: r.format, phase: 'sniff', tally: { event: 0, context: 0, issue: 0 }, issueCodes: {}, violations: [`sniff returned ${typeof yes}`] });
      }
    }
    if (job.zip) {
      // Archives: discovery expands them in place (src/ingest/zip.ts), then every member is read.
      tmpFile = join(tmpDir, `in-${process.pid}-${job.id}.zip`);
      writeFileSync(tmpFile, bytes);
      discoverInputs ??= (await import(pathToFileURL(join(distDir, 'ingest', 'discover.js')).href)).discoverInputs;
      let found;
      parentPort.postMessage({ id: job.id, progress: 'zip' });
      try {
        found = await discoverInputs([tmpFile]);
      } catch (err) {
        result.runs.push({ format: 'zip', phase: 'discover', error: describeError(err), tally: { event: 0, context: 0, issue: 0 }, issueCodes: {}, violations: [] });
      }
      for (const { source, reader } of found?.inputs ?? []) {
        const run = await runReader(reader, source, job);
        run.phase = 'read';
        run.member = true;
        result.runs.push(run);
        if (run.oom) break;
      }
      parentPort.postMessage(result);
      return;
    }
    const formats = [...new Set([result.sniffed, ...(job.force ?? [])].filter(Boolean))];
    let input;
    if (job.via === 'file') {
      tmpFile = join(tmpDir, `in-${process.pid}-${job.id}.bin`);
      writeFileSync(tmpFile, bytes);
      const path = tmpFile;
      input = { name: job.name, size: bytes.length, path, open: () => createReadStream(path, { highWaterMark: 1 << 16 }) };
    } else {
      input = streamSource(job.name, bytes, job.splitSeed ?? 1, job.via === 'stream-error');
    }
    for (const f of formats) {
      const reader = readers.find((r) => r.format === f);
      if (!reader) {
        result.missing.push(f);
        continue;
      }
      const run = await runReader(reader, input, job);
      run.phase = 'read';
      run.forced = f !== result.sniffed;
      // Not for 'stream-error': how much data arrives before an injected error depends on timing.
      if (job.twice && job.via !== 'stream-error' && run.digest && !run.error && !run.oom) {
        const again = await runReader(reader, input, job);
        if (again.digest && again.digest !== run.digest) run.violations.push('output differs between two reads of the same input (nondeterministic)');
      }
      result.runs.push(run);
      if (run.oom) break;
    }
  } catch (err) {
    result.harnessError = describeError(err);
  } finally {
    if (tmpFile) rmSync(tmpFile, { force: true });
  }
  parentPort.postMessage(result);
});

parentPort.postMessage({ ready: true, formats: readers.map((r) => r.format) });
