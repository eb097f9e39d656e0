// `rdpdoctor analyze <paths...>`: ingest → correlate → diagnose → report. On a terminal it opens the
// TUI; otherwise (or with --text/--no-tui) it prints the text report, or --json / --ndjson. Every
// run ends with the counts on stderr, whatever the output mode, so a zero is never silent.
import { getHeapStatistics } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { Command, Option } from 'commander';
import { CHANNEL_ALIASES, PROVIDER_ALIASES } from '../../correlate/index.js';
import { ingestPaths, type IngestSummary } from '../../ingest/ingest.js';
import type { AnalysisDocument, InputReport } from '../../model/report.js';
import type { EventNeed } from '../../model/stages.js';
import { sourceToInput } from '../../report/caseDocument.js';
import { builtScript } from '../../parsers/builtScript.js';
import { EVIDENCE_NEEDS } from '../../report/findings.js';
import { renderJson } from '../../report/json.js';
import { renderNdjson } from '../../report/ndjson.js';
import { sanitizeInline } from '../../report/sanitize.js';
import { renderText, summaryLines } from '../../report/text.js';
import { type Catalog, CatalogError, catalogNeeds, loadCatalog } from '../../rules/index.js';
import type { CaseFile } from '../../store/caseFile.js';
import { withCase } from '../../store/temporary.js';
import { analyzeStored, type AnalysisOutcome, type AnalysisParams } from '../analysis.js';
import type { AnalysisJob, AnalysisReply } from '../analysisWorker.js';
import { ExitCode, FatalError, type ExitCodeValue } from '../exitCodes.js';
import { logErr, writeOut } from '../io.js';
import { codeArg, collect, envNumber, instantArg, resolveZone, timeBound, zoneArg } from '../options.js';
import { StderrProgress, progressWanted } from '../progress.js';
import { autoWorkers, parallelMinBytes, parseWorkers } from '../threads.js';

export interface AnalyzeFlags {
  json?: boolean;
  ndjson?: boolean;
  text?: boolean;
  /** commander sets false for --no-tui. */
  tui?: boolean;
  db?: string;
  since?: string;
  until?: string;
  host?: string[];
  tz?: string;
  code?: number;
  ext?: number;
  sourceTz?: string;
  rules?: string[];
  strict?: boolean;
  allEvents?: boolean;
  /** Threads for evtx decoding (the CLI's default is auto); none below 192 MiB of evtx input. */
  workers?: number;
  quiet?: boolean;
  verbose?: boolean;
}

const EXAMPLES = `
Examples:
  rdpdoctor analyze client/ server/                      report on the terminal (TUI when interactive)
  rdpdoctor analyze logs.zip --text --tz Europe/Paris    plain-text report, times in Paris time
  rdpdoctor analyze logs/ --code 0x904 --ext 0x7         add the codes shown by the mstsc dialog
  rdpdoctor analyze logs/ --json > case.json             one JSON document (schema/analyze.schema.json)
  rdpdoctor analyze logs/ --ndjson | curl ... (Splunk HEC / Elastic, see README "SIEM")
  rdpdoctor analyze logs/ --db case.db                   keep the case file; later: attempts, show, tui
  rdpdoctor analyze --db case.db --since 2024-05-01T14:00 --until 2024-05-01T15:00
                                                         re-analyze a kept case for one hour

Exit codes: 0 analysis completed (whatever it found), 2 usage, 3 no input could be read,
4 case-file problem, 5 the events to analyze do not fit in memory, 70 internal error.`;

export function build(): Command {
  return new Command('analyze')
    .description('ingest logs, rebuild connection attempts and diagnose them')
    .argument('[paths...]', 'files, folders (read recursively) or .zip archives; none with --db re-analyzes the case')
    .addOption(new Option('--json', 'print one JSON document (schema/analyze.schema.json)').conflicts(['ndjson', 'text']))
    .addOption(new Option('--ndjson', 'print one ECS-aligned JSON object per attempt, finding and summary').conflicts(['text']))
    .option('--text', 'print the plain-text report even on a terminal')
    .option('--no-tui', 'never open the terminal UI (same as --text unless --json/--ndjson)')
    .option('--db <file>', 'keep the case file (SQLite) here, or reuse it; without paths, re-analyze it')
    .option('--since <time>', 'only events at or after this time (ISO 8601; no offset = --tz)', instantArg)
    .option('--until <time>', 'only events at or before this time (a bare date means the whole day)', instantArg)
    .option('--host <name>', 'only events logged by this host (repeatable; a short name matches its FQDN)', collect)
    .option('--tz <zone>', 'show times in this zone: IANA name, ±hh:mm or local (default UTC)', zoneArg)
    .option('--code <code>', 'error code shown by the dialog (0x904 or 2308)', codeArg)
    .option('--ext <code>', 'extended error code shown by the dialog (0x7 or 7)', codeArg)
    .option('--source-tz <zone>', 'zone of local times in CSV/text exports and RDCMan logs', zoneArg)
    .option('--rules <dir>', 'extra rule folder (repeatable)', collect)
    .option('--strict', 'drop records whose checksums fail')
    .option('--all-events', 'store every event, not only what the diagnosis uses')
    .addOption(new Option('--workers <n>', 'threads for evtx files: auto (one per core, at most 4) or a number; none below 192 MiB of evtx input').argParser(parseWorkers).default(autoWorkers(), 'auto'))
    .option('--quiet', 'no progress and no per-file lines (the final counts are always printed)')
    .option('--verbose', 'one line per input with its counts and issues, and stage timings')
    .addHelpText('after', EXAMPLES)
    .action(async (paths: string[], flags: AnalyzeFlags) => {
      process.exitCode = await runAnalyze(paths, flags);
    });
}

interface RunResult {
  doc: AnalysisDocument;
  /** Inputs were given and none of them gave anything usable. */
  nothingUsable: boolean;
}

export async function runAnalyze(paths: string[], flags: AnalyzeFlags): Promise<number> {
  if (paths.length === 0 && flags.db === undefined) {
    throw new FatalError('nothing to analyze: give input paths, or --db FILE to re-analyze a kept case (see --help)', ExitCode.USAGE);
  }
  const zone = resolveZone(flags.tz);
  const since = timeBound(flags.since, zone);
  const until = timeBound(flags.until, zone, true);
  if (since !== undefined && until !== undefined && since > until) {
    throw new FatalError(`--since ${flags.since} is after --until ${flags.until}`, ExitCode.USAGE);
  }
  const catalog = loadRules(flags.rules ?? []);
  const wantsTui = !flags.json && !flags.ndjson && !flags.text && flags.tui !== false && Boolean(process.stdout.isTTY && process.stdin.isTTY);
  let result: RunResult | undefined;
  let tuiShown = false;
  await withCase(
    flags.db,
    async (cf) => {
      result = await analyzeCase(cf, paths, flags, catalog);
      // Nothing read: the text report says why more plainly than an empty UI would.
      if (wantsTui && !result.nothingUsable) {
        await openTui(result.doc, cf, flags);
        tuiShown = true;
      }
    },
    { create: paths.length > 0 },
  );
  const { doc, nothingUsable } = result as RunResult;
  if (flags.json) writeOut(renderJson(doc));
  else if (flags.ndjson) writeOut(renderNdjson(doc));
  else if (!tuiShown) writeOut(renderText(doc, { zone }));
  for (const l of summaryLines(doc.summary)) logErr(`rdpdoctor: ${l}`);
  if (nothingUsable) {
    logErr('rdpdoctor: no input could be read: nothing usable');
    return ExitCode.NO_INPUT;
  }
  return ExitCode.OK;
}

/**
 * From this many events to analyze, the analysis runs in a worker thread, whose heap filling up is
 * an error `analyze` can report (exit 5) instead of V8 aborting the process. Below it the worker's
 * start is not worth it: 0.25–0.3 s on the samples (it loads the modules and the rules again),
 * where a 4 GiB case's 1.2 million events fill 1 GB. RDPDOCTOR_ANALYSIS_WORKER_MIN_EVENTS sets it (tests: 0).
 */
const ANALYSIS_WORKER_MIN_EVENTS = 200_000;

async function analyzeInWorker(cf: CaseFile, params: AnalysisParams, flags: AnalyzeFlags, count: number): Promise<AnalysisOutcome> {
  const job: AnalysisJob = { casePath: cf.path, rules: flags.rules ?? [], params };
  const reply = await new Promise<AnalysisReply>((resolveReply, reject) => {
    const w = new Worker(builtScript(import.meta.url, '../analysisWorker.js'), { workerData: job });
    let got: AnalysisReply | undefined;
    w.once('message', (m: AnalysisReply) => {
      got = m;
    });
    w.once('error', reject);
    w.once('exit', (code) => {
      if (got) resolveReply(got);
      else reject(new Error(`the analysis thread ended (exit ${code}) without an answer`));
    });
  }).catch((err: unknown) => {
    if ((err as { code?: string }).code !== 'ERR_WORKER_OUT_OF_MEMORY') throw err;
    const limit = Math.ceil(getHeapStatistics().heap_size_limit / 2 ** 20);
    const kept = flags.db !== undefined ? `the case file ${flags.db} keeps what was ingested` : 'give --db FILE to keep what is ingested';
    throw new FatalError(
      `the ${count} events to analyze do not fit in memory (JavaScript heap ${limit} MiB): narrow the analysis with --since/--until/--host, ` +
        `or give Node a bigger heap, e.g. NODE_OPTIONS=--max-old-space-size=${2 * limit}; ${kept}`,
      ExitCode.TOO_LARGE,
    );
  });
  if ('fatal' in reply) throw new FatalError(reply.fatal.message, reply.fatal.exitCode as ExitCodeValue);
  if ('error' in reply) {
    const e = new Error(reply.error.message);
    if (reply.error.stack) e.stack = reply.error.stack;
    throw e;
  }
  return reply.ok;
}

function loadRules(extra: string[]): Catalog {
  try {
    return loadCatalog(extra);
  } catch (err) {
    if (err instanceof CatalogError) throw new FatalError(err.message, ExitCode.USAGE);
    throw err;
  }
}

/** The catalogue's and correlation's needs (catalogNeeds) plus the evidence findings', aliases resolved. */
export function allNeeds(catalog: Catalog): EventNeed[] {
  const resolve = (n: EventNeed): EventNeed => {
    const c = n.channel !== undefined ? CHANNEL_ALIASES[n.channel.toLowerCase()] : undefined;
    const p = n.provider !== undefined ? PROVIDER_ALIASES[n.provider.toLowerCase()] : undefined;
    return { ...n, ...(c ? { channel: c } : {}), ...(p ? { provider: p } : {}) };
  };
  return [...catalogNeeds(catalog), ...EVIDENCE_NEEDS].map(resolve);
}

async function analyzeCase(cf: CaseFile, paths: string[], flags: AnalyzeFlags, catalog: Catalog): Promise<RunResult> {
  const t0 = Date.now();
  const needs = allNeeds(catalog);
  const zone = resolveZone(flags.tz);
  let inputs: InputReport[];
  let skipped: IngestSummary['skipped'] = [];
  if (paths.length > 0) {
    const summary = await ingest(cf, paths, flags, needs);
    skipped = summary.skipped;
    if (!flags.quiet) for (const sk of skipped) logErr(`rdpdoctor: skipped ${sanitizeInline(sk.name)}: ${sanitizeInline(sk.reason)}`);
    inputs = withEarlierSources(cf, summary.inputs);
    // A temporary case was filled without indexes: build them before reading (1 GiB: 0.7 s).
    cf.restoreIndexes();
  } else {
    inputs = cf.sources().map((s) => sourceToInput(s, 'already-in-case'));
  }
  const t1 = Date.now();
  const filters: string[] = [];
  const since = timeBound(flags.since, zone);
  const until = timeBound(flags.until, zone, true);
  if (flags.since !== undefined) filters.push(`--since ${flags.since}`);
  if (flags.until !== undefined) filters.push(`--until ${flags.until}`);
  if (flags.host?.length) filters.push(`--host ${flags.host.join(',')}`);
  const params: AnalysisParams = {
    query: {
      ...(since !== undefined ? { since } : {}),
      ...(until !== undefined ? { until } : {}),
      ...(flags.host?.length ? { hosts: flags.host } : {}),
    },
    ...(flags.code !== undefined ? { code: flags.code } : {}),
    ...(flags.ext !== undefined ? { ext: flags.ext } : {}),
    filters,
    inputs,
    skipped,
  };
  // Unnarrowed, every stored event is analyzed: the case's own count, no scan of the events.
  const count = filters.length ? cf.countEvents(params.query) : cf.stats().events;
  // Loading and correlating a big case takes a while: say so on a terminal, with the time so far.
  const progress = !flags.quiet && progressWanted() ? new StderrProgress() : undefined;
  const started = Date.now();
  const tick = (): void => progress?.phase(`analyzing ${count} events  ${Math.round((Date.now() - started) / 1000)}s`);
  tick();
  let outcome: AnalysisOutcome;
  if (count >= envNumber('RDPDOCTOR_ANALYSIS_WORKER_MIN_EVENTS', ANALYSIS_WORKER_MIN_EVENTS)) {
    const timer = progress ? setInterval(tick, 500) : undefined;
    try {
      outcome = await analyzeInWorker(cf, params, flags, count);
    } finally {
      if (timer) clearInterval(timer);
      progress?.clear();
    }
  } else {
    outcome = analyzeStored(cf, params, catalog);
    progress?.clear();
  }
  if (flags.db !== undefined && !cf.readonly) {
    cf.replaceAnalysis(outcome.analysis, { onWait: () => logErr(`waiting: another process is writing to ${flags.db}`) });
  }
  if (flags.verbose) {
    logErr(`rdpdoctor: ingest ${t1 - t0} ms, correlate+diagnose ${outcome.ms.diagnose} ms, report ${outcome.ms.report} ms`);
  }
  const doc = outcome.doc;
  const usable = cf.stats().sources > 0;
  const given = inputs.length + skipped.length;
  return { doc, nothingUsable: paths.length > 0 && (given === 0 || !usable) };
}

/** This run's input reports, then the case's other sources (from earlier runs) as already in the case. */
function withEarlierSources(cf: CaseFile, reports: InputReport[]): InputReport[] {
  const now = new Set(reports.map((r) => r.sha256).filter((h) => h !== undefined));
  const earlier = cf
    .sources()
    .filter((s) => !now.has(s.sha256))
    .map((s) => ({ ...sourceToInput(s, 'already-in-case'), skipReason: 'in the case from an earlier run' }));
  return [...reports, ...earlier];
}

async function ingest(cf: CaseFile, paths: string[], flags: AnalyzeFlags, needs: EventNeed[]): Promise<IngestSummary> {
  const progress = !flags.quiet && progressWanted() ? new StderrProgress() : undefined;
  try {
    return await ingestPaths(cf, paths, {
      needs,
      allEvents: Boolean(flags.allEvents),
      ...(flags.strict ? { strict: true } : {}),
      ...(flags.sourceTz !== undefined ? { sourceTz: flags.sourceTz } : {}),
      ...(flags.workers !== undefined ? { workers: flags.workers, parallelMinBytes: parallelMinBytes() } : {}),
      onWait: () => logErr(`rdpdoctor: waiting: another process is writing to ${flags.db ?? 'the case file'}`),
      ...(progress ? { onProgress: (p) => progress.update(p) } : {}),
      onInput: (r) => {
        if (flags.quiet) return;
        const bad = r.status === 'skipped' || r.status === 'failed' || r.errorCount > 0;
        if (!flags.verbose && !bad) return;
        progress?.clear();
        const what =
          r.status === 'ingested'
            ? `${r.counts.read} read, ${r.counts.recovered} recovered, ${r.counts.skipped} skipped, ${r.counts.stored} stored`
            : (r.skipReason ?? r.status);
        logErr(`rdpdoctor: ${r.status} ${sanitizeInline(r.file)}: ${sanitizeInline(what)}`);
        for (const e of r.errors.slice(0, flags.verbose ? 20 : 3)) logErr(`  ${sanitizeInline(e)}`);
        const shown = Math.min(r.errors.length, flags.verbose ? 20 : 3);
        if (r.errorCount > shown) logErr(`  … ${r.errorCount - shown} more issue(s)`);
      },
    });
  } finally {
    progress?.clear();
  }
}

async function openTui(doc: AnalysisDocument, cf: CaseFile, flags: AnalyzeFlags): Promise<void> {
  // Loaded only here: React and ink cost nothing to runs that print text or JSON.
  const spec = '../../tui/index.js';
  const tui = (await import(spec)) as typeof import('../../tui/index.js');
  await tui.runTui(doc, {
    getEvent: (rowId) => cf.eventsByRowIds([rowId])[0],
    // The normalised zone (`local` → its IANA name, `UTC+3` → +03:00), a form the TUI reads too.
    ...(flags.tz !== undefined ? { tz: resolveZone(flags.tz).label } : {}),
  });
}
