// `rdpdoctor dump <paths...>`: every event of the inputs, as JSONL (one object per record) or as
// Event XML (evtx inputs rendered from their own element tree). Data on stdout, buffered; a
// per-file summary and issues on stderr. Works for every format registered in parsers/all.
import { Command, InvalidArgumentError, Option } from 'commander';
import { formatIssue, type ParseIssue } from '../../model/issue.js';
import { discover, readHead } from '../../ingest/discover.js';
import '../../parsers/all.js';
import { ansiDecoder } from '../../parsers/evtx/binxml/values.js';
import { eventJson } from '../../parsers/evtx/jsonl.js';
import { evtxJsonl } from '../../parsers/evtx/jsonlStream.js';
import { evtxXml } from '../../parsers/evtx/xmlStream.js';
import { readerFor } from '../../parsers/registry.js';
import type { InputSource, ReadOptions, SourceStats } from '../../parsers/types.js';
import { ExitCode, FatalError } from '../exitCodes.js';
import { logErr, writeOut } from '../io.js';

interface DumpFlags {
  format: 'jsonl' | 'xml';
  strict?: boolean;
  workers: number;
  codepage?: string;
}

/** Issues printed per file; the summary line always has the true count. */
const MAX_ISSUE_LINES = 20;
const FLUSH_BYTES = 1 << 20;

function parseWorkers(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new InvalidArgumentError('expected a whole number from 1 to 64');
  return n;
}

/** stderr text from file names or event data: control characters shown as \xNN, never emitted. */
function safe(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

class Out {
  private parts: string[] = [];
  private size = 0;
  push(s: string): void {
    this.parts.push(s);
    this.size += s.length;
    if (this.size >= FLUSH_BYTES) this.flush();
  }
  flush(): void {
    if (this.parts.length) writeOut(this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
}

interface FileSummary {
  read: number;
  recovered: number;
  skipped: number;
  skippedBy: Record<string, number>;
  issues: number;
  failed?: string;
}

async function dumpOne(input: InputSource, flags: DumpFlags, out: Out): Promise<FileSummary> {
  const sum: FileSummary = { read: 0, recovered: 0, skipped: 0, skippedBy: {}, issues: 0 };
  let head: Buffer;
  try {
    head = input.path ? readHead(input.path) : Buffer.alloc(0);
  } catch (err) {
    sum.failed = `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
    return sum;
  }
  const reader = readerFor(head, input.name);
  if (!reader) {
    sum.failed = 'format not recognised';
    return sum;
  }
  const opts: ReadOptions = { workers: flags.workers };
  if (flags.strict) opts.strict = true;
  if (flags.codepage) opts.codepage = flags.codepage;
  const onIssue = (i: ParseIssue): void => {
    if (sum.issues++ < MAX_ISSUE_LINES) logErr(`rdpdoctor: ${i.severity}: ${safe(formatIssue(i))}`);
  };
  const finish = (st: SourceStats, fatal: boolean): void => {
    sum.read = st.read;
    sum.recovered = st.recovered;
    sum.skipped = st.skipped;
    sum.skippedBy = st.skippedBy;
    if (fatal && st.read === 0) sum.failed = 'not readable (bad file header)';
  };
  try {
    if (flags.format === 'xml' && reader.format === 'evtx') {
      const it = evtxXml(input, opts);
      for (;;) {
        const r = await it.next();
        if (r.done) {
          finish(r.value, r.value.skippedBy['evtx.bad-file-header'] !== undefined);
          break;
        }
        for (const x of r.value.records) out.push(`${x}\n`);
        r.value.issues.forEach(onIssue);
      }
    } else if (reader.format === 'evtx') {
      // Fast path: chunks become JSON text where they are decoded (on the workers when there are some).
      const it = evtxJsonl(input, opts);
      for (;;) {
        const r = await it.next();
        if (r.done) {
          finish(r.value, r.value.skippedBy['evtx.bad-file-header'] !== undefined);
          break;
        }
        if (r.value.text) out.push(r.value.text);
        r.value.issues.forEach(onIssue);
      }
    } else {
      if (flags.format === 'xml') throw new Error(`--format xml needs evtx input; this file is ${reader.format}`);
      const it = reader.read(input, opts);
      for (;;) {
        const r = await it.next();
        if (r.done) {
          finish(r.value, r.value.skippedBy['evtx.bad-file-header'] !== undefined);
          break;
        }
        for (const item of r.value) {
          if (item.kind === 'event') out.push(`${eventJson(item.event)}\n`);
          else if (item.kind === 'context') out.push(`${JSON.stringify({ context: item.context })}\n`);
          else onIssue(item.issue);
        }
      }
    }
  } catch (err) {
    sum.failed = (err as Error).message;
  }
  out.flush();
  if (sum.issues > MAX_ISSUE_LINES) logErr(`rdpdoctor: ${safe(input.name)}: ${sum.issues - MAX_ISSUE_LINES} more issues not shown`);
  return sum;
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
    .argument('<paths...>', 'files or folders (folders are walked recursively)')
    .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'xml']).default('jsonl'))
    .option('--strict', 'drop records of chunks whose checksums do not verify')
    .addOption(new Option('--workers <n>', 'worker threads for evtx decoding').argParser(parseWorkers).default(1))
    .option('--codepage <cp>', 'code page of ANSI strings in evtx (default windows-1252)')
    .action(async (paths: string[], flags: DumpFlags) => {
      if (flags.codepage) {
        try {
          ansiDecoder(flags.codepage);
        } catch {
          throw new FatalError(`unknown code page "${safe(flags.codepage)}"`, ExitCode.USAGE);
        }
      }
      const found = discover(paths);
      let failed = 0;
      for (const s of found.skipped) {
        logErr(`rdpdoctor: ${safe(s.name)}: ${safe(s.reason)}`);
        failed++;
      }
      const out = new Out();
      let read = 0;
      for (const input of found.inputs) {
        const s = await dumpOne(input, flags, out);
        if (s.failed) {
          failed++;
          logErr(`rdpdoctor: ${safe(input.name)}: ${safe(s.failed)}`);
          continue;
        }
        read++;
        logErr(summaryLine(input.name, s));
      }
      out.flush();
      if (read === 0) throw new FatalError('no input could be read', ExitCode.NO_INPUT);
      if (failed > 0) process.exitCode = ExitCode.NO_INPUT;
    });
}
