// `rdpdoctor rules list|lint [dir...]|test [dir...]`: the root-cause catalogue as data. `lint` and
// `test` exit 1 when a rule is rejected or a fixture fails, so CI can gate rule changes.
import { Command } from 'commander';
import { builtinCatalogDir, CatalogError, loadCatalog, loadDirs } from '../../rules/loader.js';
import { runFixtures } from '../../rules/fixtures.js';
import type { Catalog } from '../../rules/types.js';
import { sanitizeInline } from '../../report/sanitize.js';
import { ExitCode, FatalError } from '../exitCodes.js';
import { logErr, writeOut } from '../io.js';

/** Exit status of `rules lint` / `rules test` when rules or fixtures fail. */
export const RULES_FAILED = 1;

function load(dirs: string[], withBuiltin: boolean): Catalog {
  try {
    return withBuiltin ? loadCatalog(dirs) : loadDirs(dirs.length ? dirs : [builtinCatalogDir()]);
  } catch (err) {
    if (err instanceof CatalogError) throw new FatalError(err.message, ExitCode.USAGE);
    throw err;
  }
}

export function build(): Command {
  const cmd = new Command('rules')
    .description('list, lint and test the root-cause rules')
    .addHelpText(
      'after',
      `
Examples:
  rdpdoctor rules list                   every cause, unconfirmed ones marked
  rdpdoctor rules lint my-rules/         validate extra rules (file and reason for each problem)
  rdpdoctor rules test                   run every rule against its own fixtures
`,
    );
  cmd
    .command('list')
    .description('list the causes of the catalogue')
    .option('--rules <dir...>', 'extra rule folders')
    .option('--json', 'print JSON')
    .action((flags: { rules?: string[]; json?: boolean }) => {
      const cat = load(flags.rules ?? [], true);
      if (flags.json) {
        const rows = cat.rules.map((r) => ({ id: r.id, title: r.title, unconfirmed: Boolean(r.unconfirmed), needs: r.needs, supports: r.supports.length, refutes: r.refutes.length, references: r.references, file: r.file }));
        writeOut(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      const w = Math.max(...cat.rules.map((r) => r.id.length));
      const lines = cat.rules.map((r) => `${r.id.padEnd(w)}  ${r.title}${r.unconfirmed ? ' [unconfirmed]' : ''}  (+${r.supports.length}/-${r.refutes.length})`);
      writeOut(`${lines.map(sanitizeInline).join('\n')}\n`);
    });
  cmd
    .command('lint')
    .description('validate rule files (default: the bundled catalogue); every problem is printed with its file')
    .argument('[dir...]', 'rule folders')
    .action((dirs: string[]) => {
      try {
        const cat = loadDirs(dirs.length ? dirs : [builtinCatalogDir()]);
        writeOut(`ok: ${cat.rules.length} rules in ${cat.dirs.map(sanitizeInline).join(', ')}\n`);
      } catch (err) {
        if (!(err instanceof CatalogError)) throw err;
        for (const p of err.problems) writeOut(`${sanitizeInline(p)}\n`);
        logErr(`rdpdoctor: ${err.problems.length} problem(s) in the rules`);
        process.exitCode = RULES_FAILED;
      }
    });
  cmd
    .command('test')
    .description('run each rule against its fixtures (<dir>/fixtures/<rule-id>/*.yaml) and compare verdicts')
    .argument('[dir...]', 'rule folders (default: the bundled catalogue)')
    .action((dirs: string[]) => {
      const cat = load(dirs, false);
      const results = runFixtures(cat);
      let failed = 0;
      for (const r of results) {
        const ok = r.failures.length === 0;
        if (!ok) failed++;
        writeOut(`${ok ? 'ok  ' : 'FAIL'} ${r.rule}  ${sanitizeInline(r.description)}\n`);
        for (const f of r.failures) writeOut(`     ${sanitizeInline(f)}\n`);
      }
      logErr(`rdpdoctor: ${results.length - failed}/${results.length} fixtures passed`);
      if (failed) process.exitCode = RULES_FAILED;
    });
  return cmd;
}
