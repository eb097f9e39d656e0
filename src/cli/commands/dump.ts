// `rdpdoctor dump <paths...>`: every event of the inputs, as JSONL (one object per record) or as
// Event XML (evtx inputs rendered from their own element tree). Data on stdout, buffered; a
// per-file summary and issues on stderr. Works for every format registered in parsers/all.
import { fstatSync } from 'node:fs';
import { isatty } from 'node:tty';
import { Command, Option } from 'commander';
import { formatIssue, type ParseIssue } from '../../model/issue.js';
import { discoverInputs } from '../../ingest/discover.js';
import { zoneArg } from '../options.js';
import { toSafeJson } from '../../model/json.js';
import '../../parsers/all.js';
import { ansiDecoder } from '../../parsers/evtx/binxml/values.js';
import { eventJson } from '../../parsers/evtx/jsonl.js';
import { evtxJsonlMany, type ManyTextItem } from '../../parsers/evtx/jsonlStream.js';
import { evtxJsonlRing, ringFits } from '../../parsers/evtx/jsonlRing.js';
import { evtxXml } from '../../parsers/evtx/xmlStream.js';
import { poolSizeFor } from '../../parsers/evtx/pipeline.js';
import { sharedPool } from '../../parsers/evtx/pool.js';
import type { InputSource, ReadOptions, Reader, SourceStats } from '../../parsers/types.js';
import { ExitCode, FatalError } from '../exitCodes.js';
import { logErr, writeOut, writeOutBytes } from '../io.js';
import { StderrProgress, progressWanted } from '../progress.js';
import { autoWorkers, parseWorkers, threadsFor } from '../threads.js';

interface DumpFlags {
  format: 'jsonl' | 'xml';
  strict?: boolean;
  workers: number;
  codepage?: string;
  sourceTz?: string;
}

/** Issues printed per file; the summary line always has the true count. */
const MAX_ISSUE_LINES = 20;
const FLUSH_BYTES = 1 << 20;

/** stderr text from file names or event data: control characters shown as \xNN, never emitted. */
function safe(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** stdout: text buffered and written in ~1 MiB pieces; UTF-8 bytes (the evtx JSONL path) written as they come. */
class Out {
  private parts: string[] = [];
  private size = 0;
  push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= FLUSH_BYTES) this.flush();
  }
  /** Bytes that may be a view into a reused buffer: written now, after what is buffered. */
  writeBytes(b: Uint8Array): void {
    this.flush();
    writeOutBytes(b);
  }
  flush(): void {
    if (this.parts.length === 0) return;
    writeOut(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

/**
 * The progress line: bytes of the inputs done, from how far evtx decoding has come in each file.
 * Drawn when stderr is a terminal and stdout goes to a file (or /dev/null): data on the screen,
 * or a pipe whose reader prints there (`| grep`), would mix with it.
 */
class DumpProgress {
  private readonly line = new StderrProgress();
  private doneBytes = 0;
  private filesDone = 0;
  constructor(
    private readonly totalBytes: number,
    private readonly filesTotal: number,
  ) {}
  at(name: string, within: number): void {
    this.line.update({ totalBytes: this.totalBytes, doneBytes: this.doneBytes + within, current: name, filesDone: this.filesDone, filesTotal: this.filesTotal });
  }
  fileDone(size: number): void {
    this.doneBytes += size;
    this.filesDone++;
  }
  clear(): void {
    this.line.clear();
  }
}

let progress: DumpProgress | undefined;

function stdoutIsFile(): boolean {
  try {
    const st = fstatSync(1);
    return st.isFile() || (st.isCharacterDevice() && !isatty(1));
  } catch {
    return false;
  }
}

/** A line on stderr, the progress line cleared first (it is drawn again on the next update). */
function note(text: string): void {
  progress?.clear();
  logErr(text);
}

interface FileSummary {
  read: number;
  recovered: number;
  skipped: number;
  skippedBy: Record<string, number>;
  issues: number;
  failed?: string;
}

/** Per-file bookkeeping: counts for the summary, issues printed (capped) as they come. */
class FileRun {
  readonly sum: FileSummary = { read: 0, recovered: 0, skipped: 0, skippedBy: {}, issues: 0 };
  constructor(readonly input: InputSource) {}
  issue = (i: ParseIssue): void => {
    if (this.sum.issues++ < MAX_ISSUE_LINES) note(`rdpdoctor: ${i.severity}: ${safe(formatIssue(i))}`);
  };
  finish(st: SourceStats): FileSummary {
    Object.assign(this.sum, { read: st.read, recovered: st.recovered, skipped: st.skipped, skippedBy: st.skippedBy });
    if (st.skippedBy['evtx.bad-file-header'] !== undefined && st.read === 0) this.sum.failed = 'not readable (bad file header)';
    if (this.sum.issues > MAX_ISSUE_LINES) note(`rdpdoctor: ${safe(this.input.name)}: ${this.sum.issues - MAX_ISSUE_LINES} more issues not shown`);
    return this.sum;
  }
}

interface Sniffed {
  input: InputSource;
  reader?: Reader;
  failed?: string;
}

function readOptions(flags: DumpFlags): ReadOptions {
  const opts: ReadOptions = { workers: flags.workers };
  if (flags.strict) opts.strict = true;
  if (flags.codepage) opts.codepage = flags.codepage;
  if (flags.sourceTz) opts.sourceTz = flags.sourceTz;
  return opts;
}

/** evtx to JSONL: this file's share of the cross-file pipeline (chunks become text on the workers). */
async function dumpEvtxJsonl(many: AsyncGenerator<ManyTextItem, void, void>, input: InputSource, out: Out): Promise<FileSummary> {
  const run = new FileRun(input);
  for (;;) {
    const r = await many.next();
    if (r.done) throw new Error('evtx pipeline ended early');
    const item = r.value;
    if (item.kind === 'text') {
      if (item.bytes.length) out.writeBytes(item.bytes);
      item.issues.forEach(run.issue);
      if (item.at !== undefined) progress?.at(input.name, item.at);
    } else if (item.kind === 'end') {
      out.flush();
      return run.finish(item.stats);
    } else {
      out.flush();
      run.sum.failed = item.message;
      return run.sum;
    }
  }
}

/** Any other input: Event XML for evtx, JSONL through the format's Reader otherwise. */
async function dumpOne(input: InputSource, reader: Reader, flags: DumpFlags, out: Out): Promise<FileSummary> {
  const run = new FileRun(input);
  const opts = readOptions(flags);
  try {
    if (flags.format === 'xml') {
      if (reader.format !== 'evtx') throw new Error(`--format xml needs evtx input; this file is ${reader.format}`);
      const it = evtxXml(input, opts);
      for (;;) {
        const r = await it.next();
        if (r.done) {
          out.flush();
          return run.finish(r.value);
        }
        if (r.value.bytes.length) out.writeBytes(r.value.bytes);
        r.value.issues.forEach(run.issue);
      }
    }
    const it = reader.read(input, opts);
    for (;;) {
      const r = await it.next();
      if (r.done) {
        out.flush();
        return run.finish(r.value);
      }
      for (const item of r.value) {
        if (item.kind === 'event') out.push(`${eventJson(item.event)}\n`);
        else if (item.kind === 'context') out.push(`${toSafeJson({ context: item.context })}\n`);
        else run.issue(item.issue);
      }
    }
  } catch (err) {
    out.flush();
    run.sum.failed = (err as Error).message;
    return run.sum;
  }
}

function viaPipeline(sn: Sniffed, flags: DumpFlags): boolean {
  return sn.reader?.format === 'evtx' && flags.format === 'jsonl';
}

async function dumpInput(sn: Sniffed, flags: DumpFlags, many: AsyncGenerator<ManyTextItem, void, void>, out: Out): Promise<FileSummary> {
  if (!sn.reader) return { read: 0, recovered: 0, skipped: 0, skippedBy: {}, issues: 0, failed: sn.failed ?? 'format not recognised' };
  if (viaPipeline(sn, flags)) return dumpEvtxJsonl(many, sn.input, out);
  return dumpOne(sn.input, sn.reader, flags, out);
}

function summaryLine(name: string, s: FileSummary): string {
  const reasons = Object.entries(s.skippedBy)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  return `${safe(name)}: ${s.read} records read, ${s.recovered} recovered, ${s.skipped} skipped${reasons ? ` (${reasons})` : ''}`;
}

export function build(): Command {
  return new Command('dump')
    .description('print the events of input files as JSONL or Event XML')
    .addHelpText(
      'after',
      `
Examples:
  rdpdoctor dump System.evtx                         one JSON object per record, summary on stderr
  rdpdoctor dump logs.zip --source-tz Europe/Berlin  every format in an archive, local times converted
  rdpdoctor dump Security.evtx --format xml          Event XML as Windows renders it
  rdpdoctor dump big.evtx --workers 2 | grep 4625    decode chunks on two threads, same output order
`,
    )
    .argument('<paths...>', 'files or folders (folders are walked recursively)')
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'xml']).default('jsonl'))
    .option('--strict', 'drop records of chunks whose checksums do not verify')
    .addOption(new Option('--workers <n>', 'threads decoding evtx: auto (one per core, at most 4) or a number; one below 192 MiB of evtx input').argParser(parseWorkers).default(autoWorkers(), 'auto'))
    .option('--codepage <cp>', 'code page of ANSI strings in evtx (default windows-1252)')
    .option('--source-tz <zone>', 'zone of local times in CSV/text exports and RDCMan logs (IANA name or ±hh:mm)', zoneArg)
    .action(async (paths: string[], flags: DumpFlags) => {
      if (flags.codepage) {
        try {
          ansiDecoder(flags.codepage);
        } catch {
          throw new FatalError(`unknown code page "${safe(flags.codepage)}"`, ExitCode.USAGE);
        }
      }
      // Folders, zip archives (in place) and formats by content, like ingest.
      const found = await discoverInputs(paths);
      let failed = 0;
      for (const s of found.skipped) {
        note(`rdpdoctor: ${safe(s.name)}: ${safe(s.reason)}`);
        // A file that is not a log (a README beside the exports) is listed, not a failure.
        if (s.code !== 'unknown-format' && s.code !== 'empty') failed++;
      }
      const out = new Out();
      let read = 0;
      const sniffed: Sniffed[] = found.inputs.map((x) => ({ input: x.source, reader: x.reader }));
      // More threads only pay off on enough evtx input (see cli/threads.ts).
      const evtxBytes = sniffed.reduce((n, x) => n + (x.reader?.format === 'evtx' ? x.input.size : 0), 0);
      flags.workers = threadsFor(flags.workers, evtxBytes);
      if (flags.workers > 1) sharedPool(poolSizeFor(flags.workers, flags.format === 'jsonl'));
      // One worker queue across every evtx file, consumed in input order (lazy: runs as we pull).
      // Files on disk with several threads: each thread reads, decodes and writes its own batches.
      const evtxInputs = sniffed.filter((x) => viaPipeline(x, flags)).map((x) => x.input);
      const opts = readOptions(flags);
      const many = ringFits(evtxInputs, opts) ? evtxJsonlRing(evtxInputs, opts, { fd: 1, onClosed: () => process.exit(0) }) : evtxJsonlMany(evtxInputs, opts);
      if (progressWanted() && stdoutIsFile()) progress = new DumpProgress(sniffed.reduce((n, x) => n + x.input.size, 0), sniffed.length);
      for (const sn of sniffed) {
        progress?.at(sn.input.name, 0);
        const s = await dumpInput(sn, flags, many, out);
        progress?.fileDone(sn.input.size);
        if (s.failed) {
          failed++;
          note(`rdpdoctor: ${safe(sn.input.name)}: ${safe(s.failed)}`);
          continue;
        }
        read++;
        note(summaryLine(sn.input.name, s));
      }
      out.flush();
      progress?.clear();
      progress = undefined;
      if (read === 0) throw new FatalError('no input could be read', ExitCode.NO_INPUT);
      if (failed > 0) process.exitCode = ExitCode.NO_INPUT;
    });
}
