// `rdpdoctor ingest <paths...> --db case.db`: adds inputs to a case file. The summary (per input
// and per channel) goes to stderr; with --json the IngestSummary is the only thing on stdout.
import { Command, Option } from 'commander';
import type { EventNeed } from '../../model/stages.js';
import { type IngestSummary, ingestPaths } from '../../ingest/ingest.js';
import { ProgressLine } from '../../ingest/progress.js';
import { toJson } from '../../report/json.js';
import { sanitizeInline } from '../../report/sanitize.js';
import { parseZone } from '../../report/time.js';
import { CatalogError, loadCatalog } from '../../rules/index.js';
import { openCase } from '../../store/caseFile.js';
import { autoWorkers, parallelMinBytes, parseWorkers } from '../threads.js';
import { allNeeds } from './analyze.js';
import { ExitCode, FatalError } from '../exitCodes.js';
import { logErr, writeOut } from '../io.js';

interface IngestFlags {
  db: string;
  allEvents?: boolean;
  strict?: boolean;
  sourceTz?: string;
  workers: number;
  json?: boolean;
  rules?: string[];
}

/**
 * What the rules, correlation and the evidence findings read: the same selection `analyze` uses, so a
 * case filled by `ingest` is reused as it is by `analyze --db`.
 */
export function ruleNeeds(extraRuleDirs: string[] = []): EventNeed[] {
  try {
    return allNeeds(loadCatalog(extraRuleDirs));
  } catch (err) {
    if (err instanceof CatalogError) throw new FatalError(err.message, ExitCode.USAGE);
    throw err;
  }
}

/** True when progress may be drawn: stderr is a terminal and we are not in CI. */
export function progressWanted(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.CI && process.env.TERM !== 'dumb';
}

export function build(): Command {
  return new Command('ingest')
    .description('add input files (or folders) to a case file; inputs already in the case are skipped')
    .addHelpText(
      'after',
      `
Examples:
  rdpdoctor ingest client-logs/ --db case.db          start a case with the client's logs
  rdpdoctor ingest server.zip --db case.db            add the server's logs later (duplicates are skipped)
  rdpdoctor ingest exports/ --db case.db --source-tz +01:00 --all-events
`,
    )
    .argument('<paths...>', 'files or folders (read recursively)')
    .requiredOption('--db <file>', 'case file (SQLite); created when missing')
    .option('--all-events', 'store every event, not only what diagnosis uses')
    .option('--strict', 'drop records whose checksums fail')
    .option('--source-tz <tz>', 'zone of local times in CSV/text exports and RDCMan logs (IANA name or ±hh:mm)')
    .addOption(new Option('--workers <n>', 'threads for evtx files: auto (one per core, at most 4) or a number; none below 192 MiB of evtx input').argParser(parseWorkers).default(autoWorkers(), 'auto'))
    .option('--rules <dir...>', 'extra rule folders whose needs the case keeps too')
    .option('--json', 'print the ingest summary as JSON on stdout')
    .addHelpText(
      'after',
      '\nBy default the case keeps RDP-related channels plus the host events the rules use;\n' +
        'the per-channel counts printed at the end say what was read, stored and filtered out.',
    )
    .action(async (paths: string[], flags: IngestFlags) => {
      const summary = await runIngest(paths, flags);
      if (flags.json) writeOut(`${toJson(summary, 2)}\n`);
      for (const line of summaryLines(summary)) logErr(line);
      if (summary.totals.ingested + summary.totals.alreadyInCase === 0) {
        const why = summary.totals.inputs + summary.skipped.length === 0 ? 'no input files found' : 'no input could be read';
        throw new FatalError(why, ExitCode.NO_INPUT);
      }
    });
}

async function runIngest(paths: string[], flags: IngestFlags): Promise<IngestSummary> {
  if (flags.sourceTz !== undefined && !parseZone(flags.sourceTz)) {
    throw new FatalError(`--source-tz: "${sanitizeInline(flags.sourceTz)}" is neither an IANA zone nor an offset like +05:30`, ExitCode.USAGE);
  }
  const needs = flags.allEvents ? undefined : ruleNeeds(flags.rules ?? []);
  const cf = openCase(flags.db, { create: true });
  const draw = progressWanted();
  const line = new ProgressLine();
  let lastDraw = 0;
  let stored = 0;
  // Ctrl-C between batches: the input being read is rolled back (it is one transaction), the ones
  // before it stay; say so, rather than leave the user guessing what the case now holds.
  const interrupted = (): void => {
    if (draw) process.stderr.write('\r\x1b[K');
    cf.close();
    logErr(`rdpdoctor: interrupted; ${stored} input(s) stored in ${flags.db}, the one being read was not (run ingest again to add it)`);
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  try {
    return await ingestPaths(cf, paths, {
      ...(needs ? { needs } : {}),
      allEvents: Boolean(flags.allEvents),
      ...(flags.strict ? { strict: true } : {}),
      ...(flags.sourceTz !== undefined ? { sourceTz: flags.sourceTz } : {}),
      workers: flags.workers,
      parallelMinBytes: parallelMinBytes(),
      onWait: () => logErr(`waiting: another process is writing to ${flags.db}`),
      onProgress: draw
        ? (p) => {
            const now = Date.now();
            if (now - lastDraw < 100 && p.doneBytes < p.totalBytes) return;
            lastDraw = now;
            const text = `${line.render(p)}  ${sanitizeInline(p.current ?? '')}`;
            const width = process.stderr.columns || 80;
            process.stderr.write(`\r${text.slice(0, width - 1)}\x1b[K`);
          }
        : undefined,
      onInput: (r) => {
        if (r.status === 'ingested') stored++;
        if (draw) process.stderr.write('\r\x1b[K');
        const what =
          r.status !== 'ingested'
            ? (r.skipReason ?? r.status)
            : r.format === 'rdp' || r.format === 'rdg'
              ? 'connection settings stored (context)'
              : `${r.counts.stored} events stored, ${r.counts.filtered} filtered out`;
        logErr(`${r.status.padEnd(15)} ${sanitizeInline(r.file)}: ${sanitizeInline(what)}`);
        for (const e of r.errors.slice(0, 5)) logErr(`  ${sanitizeInline(e)}`);
        if (r.errorCount > 5) logErr(`  … ${r.errorCount - 5} more issue(s)`);
      },
    });
  } finally {
    process.removeListener('SIGINT', interrupted);
    if (draw) process.stderr.write('\r\x1b[K');
    cf.close();
  }
}

/** The end-of-run report: skipped paths, per-channel counts, totals. Never silent about zero. */
export function summaryLines(s: IngestSummary): string[] {
  const clean = sanitizeInline;
  const out: string[] = [];
  for (const sk of s.skipped) out.push(`skipped         ${clean(sk.name)}: ${clean(sk.reason)}`);
  if (s.channels.length) {
    const w = Math.min(70, Math.max(7, ...s.channels.map((c) => c.channel.length)));
    const num = (n: number): string => String(n).padStart(9);
    out.push(`${'channel'.padEnd(w)} ${'read'.padStart(9)} ${'stored'.padStart(9)} ${'filtered'.padStart(9)}`);
    for (const c of s.channels) out.push(`${clean(c.channel).slice(0, w).padEnd(w)} ${num(c.read)} ${num(c.stored)} ${num(c.filtered)}`);
  }
  const t = s.totals;
  out.push(
    `inputs: ${t.inputs} (${t.ingested} ingested, ${t.alreadyInCase} already in case, ${t.skipped} skipped, ${t.failed} failed); ` +
      `records: ${t.seen} read, ${t.stored} stored, ${t.filtered} filtered out, ${t.skippedRecords} unreadable, ${t.errors} issue(s); ` +
      `filter: ${s.filter === 'all' ? 'all events' : 'RDP + rule needs'}`,
  );
  return out;
}
