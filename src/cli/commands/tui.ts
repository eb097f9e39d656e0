// `rdpdoctor tui --db case.db`: review a kept case in the terminal UI. The case is opened read-only;
// the document is the one `attempts`/`show` print, and the event pane reads events from the case.
// `--doc file.json` (hidden) views an `analyze --json` document instead: a debugging aid.
import { readFileSync, statSync } from 'node:fs';
import { Command, Option } from 'commander';
import type { AnalysisDocument } from '../../model/report.js';
import { describeCodes } from '../../report/codes.js';
import { loadCaseDocument } from '../../report/caseView.js';
import { sanitizeInline } from '../../report/sanitize.js';
import { openCase } from '../../store/index.js';
import { ExitCode, FatalError } from '../exitCodes.js';
import { logErr } from '../io.js';
import { zoneArg } from '../options.js';
import { toolVersion } from '../version.js';

interface Flags {
  db?: string;
  doc?: string;
  tz?: string;
  exportDir?: string;
}

/** A JSON document is read whole: refuse what cannot be a case document rather than exhaust memory. */
const MAX_DOC_BYTES = 512 * 1024 * 1024;

function readDocument(path: string): AnalysisDocument {
  let size: number;
  try {
    size = statSync(path).size;
  } catch (err) {
    throw new FatalError(`${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, ExitCode.NO_INPUT);
  }
  if (size > MAX_DOC_BYTES) throw new FatalError(`${path}: ${size} bytes is larger than a document this command reads (${MAX_DOC_BYTES})`, ExitCode.NO_INPUT);
  let doc: unknown;
  const text = readFileSync(path, 'utf8').replace(/^\ufeff/, '');
  try {
    doc = JSON.parse(text);
  } catch (err) {
    const at = jsonErrorOffset(text);
    const before = text.slice(0, at);
    const line = before.split('\n').length;
    const col = at - before.lastIndexOf('\n');
    throw new FatalError(`${path}: not JSON at line ${line} column ${col} (offset ${at}): ${sanitizeInline((err as Error).message)}`, ExitCode.NO_INPUT);
  }
  const d = doc as Partial<AnalysisDocument> | null;
  const missing = ['schemaVersion', 'attempts', 'hosts', 'findings', 'inputs', 'summary'].filter((k) => !d || typeof d !== 'object' || !(k in d));
  if (missing.length || !Array.isArray(d?.attempts)) {
    throw new FatalError(`${path}: not an \`analyze --json\` document (missing ${missing.join(', ') || 'attempts[]'})`, ExitCode.NO_INPUT);
  }
  return d as AnalysisDocument;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/**
 * Offset of the first syntax error in `text` (JSON.parse on Node 20 does not always say where).
 * Iterative, with an explicit stack, so deep nesting in a hostile file cannot overflow the call stack.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = (): void => {
    while (i < text.length && ' \t\r\n'.includes(text[i] as string)) i++;
  };
  const token = (re: RegExp): boolean => {
    re.lastIndex = i;
    if (!re.test(text)) return false;
    i = re.lastIndex;
    return true;
  };
  // Each frame: the container kind and whether a value was just completed in it.
  const stack: ('{' | '[')[] = [];
  let expectValue = true;
  for (;;) {
    ws();
    if (expectValue) {
      const c = text[i];
      if (c === '{' || c === '[') {
        stack.push(c);
        i++;
        ws();
        if (text[i] === (c === '{' ? '}' : ']')) {
          stack.pop();
          i++;
          expectValue = false;
          continue;
        }
        if (c === '{') {
          if (!token(STRING)) return i;
          ws();
          if (text[i] !== ':') return i;
          i++;
        }
        continue;
      }
      if (c === '"' ? !token(STRING) : !(token(NUMBER) || ['true', 'false', 'null'].some((w) => text.startsWith(w, i) && (i += w.length)))) return i;
      expectValue = false;
      continue;
    }
    const top = stack[stack.length - 1];
    if (!top) return i < text.length ? i : text.length + 1;
    const c = text[i];
    if (c === ',') {
      i++;
      if (top === '{') {
        ws();
        if (!token(STRING)) return i;
        ws();
        if (text[i] !== ':') return i;
        i++;
      }
      expectValue = true;
    } else if (c === (top === '{' ? '}' : ']')) {
      stack.pop();
      i++;
    } else return i;
  }
}

export function build(): Command {
  return new Command('tui')
    .description('review a case file in the terminal UI (keys: ? for help)')
    .option('--db <file>', 'case file written by `analyze --db`')
    .option('--tz <zone>', 'show times in this zone: IANA name or ±hh:mm (default UTC)', zoneArg)
    .option('--export-dir <dir>', 'folder where `e` writes attempt exports (default: current directory)')
    .addOption(new Option('--doc <file>', 'debugging aid: view an `analyze --json` document instead of a case file').hideHelp())
    .addHelpText(
      'after',
      `
Examples:
  rdpdoctor analyze logs/ --db case.db --text
  rdpdoctor tui --db case.db --tz Europe/Berlin`,
    )
    .action(async (flags: Flags) => {
      if (flags.db === undefined && flags.doc === undefined) throw new FatalError('tui needs --db <case file> (written by `analyze --db`)', ExitCode.USAGE);
      if (flags.db !== undefined && flags.doc !== undefined) throw new FatalError('give --db or --doc, not both', ExitCode.USAGE);
      if (flags.exportDir !== undefined && !statSync(flags.exportDir, { throwIfNoEntry: false })?.isDirectory()) {
        throw new FatalError(`--export-dir ${flags.exportDir}: not a folder`, ExitCode.USAGE);
      }
      // Input problems are reported before the terminal check, so a pipe still learns what is wrong.
      const doc = flags.doc !== undefined ? readDocument(flags.doc) : loadCaseDocument(flags.db as string, { toolVersion: toolVersion(), describeCodes, warn: logErr });
      if (!process.stdout.isTTY || !process.stdin.isTTY) {
        throw new FatalError('tui needs a terminal on stdin and stdout; for pipes use `rdpdoctor attempts --db` or `analyze --json`', ExitCode.USAGE);
      }
      // Loaded only here: React and ink cost nothing to the other commands.
      const spec = '../../tui/index.js';
      const tui = (await import(spec)) as typeof import('../../tui/index.js');
      const common = { ...(flags.tz !== undefined ? { tz: flags.tz } : {}), ...(flags.exportDir !== undefined ? { exportDir: flags.exportDir } : {}) };
      if (flags.db === undefined) {
        await tui.runTui(doc, common);
        return;
      }
      const cf = openCase(flags.db, { readonly: true });
      try {
        await tui.runTui(doc, { ...common, getEvent: (rowId) => cf.eventsByRowIds([rowId])[0] });
      } finally {
        cf.close();
      }
    });
}
