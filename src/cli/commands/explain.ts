// `rdpdoctor explain <code> [--ext <code>] [--table t] [--json]`: what a disconnect code (and
// extended code) means, hex or decimal, and which causes of the catalogue it fits or excludes.
import { Command, InvalidArgumentError, Option } from 'commander';
import { TABLES, hex, parseUserCode, type CodeEntry, type TableId } from '../../rules/codes.js';
import { explainCode, type Explanation } from '../../rules/explain.js';
import { CatalogError, loadCatalog } from '../../rules/loader.js';
import { sanitizeInline } from '../../report/sanitize.js';
import { ExitCode, FatalError } from '../exitCodes.js';
import { writeOut } from '../io.js';

function code(v: string): number {
  const n = parseUserCode(v);
  if (n === undefined || n > 0xffffffff) throw new InvalidArgumentError(`"${v}" is not a code (use hex like 0x904 or decimal like 2308)`);
  return n;
}

export function build(): Command {
  return new Command('explain')
    .description('explain a disconnect code (and extended code): meaning, and which causes it fits or excludes')
    .addHelpText(
      'after',
      `
Examples:
  rdpdoctor explain 0x904 --ext 0x7      the classic "socket closed / server denied" pair
  rdpdoctor explain 2308                 decimal works too (event 1026 logs decimal)
  rdpdoctor explain 0x204 --json
`,
    )
    .argument('<code>', 'the code, hex (0x904) or decimal (2308)', code)
    .option('--ext <code>', 'the extended error code from the same dialog (0x7)', code)
    .addOption(new Option('--table <table>', 'which table the code belongs to').choices(TABLES.map((t) => t.id)))
    .option('--json', 'print JSON')
    .option('--rules <dir...>', 'extra rule folders')
    .action((c: number, flags: { ext?: number; table?: TableId; json?: boolean; rules?: string[] }) => {
      let catalog;
      try {
        catalog = loadCatalog(flags.rules ?? []);
      } catch (err) {
        if (err instanceof CatalogError) throw new FatalError(err.message, ExitCode.USAGE);
        throw err;
      }
      const ex = explainCode(c, flags.ext, catalog, flags.table);
      writeOut(flags.json ? `${JSON.stringify(ex, null, 2)}\n` : renderText(ex));
    });
}

function line(label: string, n: number, e: CodeEntry | undefined): string {
  const head = `${label} ${hex(n)} (${n})`;
  if (!e) return `${head}: undocumented (not in the tables rdpdoctor knows; it does not guess)`;
  return `${head} ${e.name}: ${e.meaning}${e.unconfirmed ? ' (unconfirmed)' : ''} [${e.source}]`;
}

const TITLE: Record<TableId, string> = Object.fromEntries(TABLES.map((t) => [t.id, t.title])) as Record<TableId, string>;

export function renderText(ex: Explanation): string {
  const out: string[] = [line(TITLE[ex.table], ex.code, ex.entry)];
  for (const a of ex.alsoIn) out.push(`  also as ${line(TITLE[a.table], ex.code, a.entry)}`);
  if (ex.ext) out.push(line(TITLE.ext, ex.ext.code, ex.ext.entry));
  if (ex.table === 'disc' || ex.table === 'ext') {
    const list = (title: string, items: Explanation['fits']): void => {
      out.push('', title);
      if (!items.length) out.push('  (none of the catalogue\'s code conditions)');
      for (const f of items) {
        out.push(`  ${f.cause}: ${f.title}${f.unconfirmed ? ' [unconfirmed cause]' : ''}`);
        for (const s of f.says) out.push(`    - ${s}`);
      }
    };
    list('Fits:', ex.fits);
    list('Excludes:', ex.excludes);
  }
  return `${out.map(sanitizeInline).join('\n')}\n`;
}
