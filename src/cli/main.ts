// Entry point. Commands are loaded lazily so `rdpdoctor --version` or `dump` never pays for
// SQLite, the rule catalogue, or React.
import { Command, CommanderError } from 'commander';
import { ExitCode, FatalError } from './exitCodes.js';
import { toolVersion } from './version.js';

interface CommandEntry {
  name: string;
  summary: string;
}

const COMMANDS: CommandEntry[] = [
  { name: 'analyze', summary: 'ingest logs, rebuild connection attempts and diagnose them', },
  { name: 'dump', summary: 'print the events of input files as JSONL or Event XML', },
  { name: 'ingest', summary: 'add input files to a case file (SQLite)', },
  { name: 'events', summary: 'list events stored in a case file', },
  { name: 'attempts', summary: 'list the connection attempts of a case file', },
  { name: 'show', summary: 'show one attempt in full', },
  { name: 'explain', summary: 'explain a disconnect code (and extended code)', },
  { name: 'rules', summary: 'list, lint and test the root-cause rules', },
  { name: 'tui', summary: 'review a case file in the terminal UI', },
];

export async function main(argv: string[]): Promise<void> {
  const program = new Command('rdpdoctor')
    .description('Diagnose failing Remote Desktop connections from client and server logs.')
    .version(toolVersion(), '-V, --version')
    .showSuggestionAfterError()
    .exitOverride();

  const requested = argv.slice(2).find((a) => !a.startsWith('-'));
  for (const entry of COMMANDS) {
    if (entry.name === requested) {
      try {
        const mod = await loadCommand(entry.name);
        program.addCommand(mod.build().exitOverride());
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') {
          program.command(entry.name).description(`${entry.summary} (not available in this build)`);
        } else throw err;
      }
    } else {
      program.command(entry.name).description(entry.summary);
    }
  }

  try {
    await program.parseAsync(argv);
  } catch (err) {
    process.exitCode = exitCodeFor(err);
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    // --help and --version come through here with exit code 0.
    return err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
  }
  if (err instanceof FatalError) {
    process.stderr.write(`rdpdoctor: ${err.message}\n`);
    return err.exitCode;
  }
  const e = err as Error;
  process.stderr.write(`rdpdoctor: internal error: ${e?.message ?? String(err)}\n`);
  if (process.env.RDPDOCTOR_DEBUG) process.stderr.write(`${e?.stack ?? ''}\n`);
  return ExitCode.INTERNAL;
}

/** Command modules export build(): Command. The specifier is computed so each stays a separate lazy chunk. */
async function loadCommand(name: string): Promise<{ build: () => Command }> {
  return (await import(`./commands/${name}.js`)) as { build: () => Command };
}
