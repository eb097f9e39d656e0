// `rdpdoctor attempts --db case.db`: the attempts of a kept case as last analyzed, one per line
// (or as JSON). Reads the case only; `analyze --db` is what (re)builds the analysis.
import { Command } from 'commander';
import { SCHEMA_VERSION } from '../../model/report.js';
import { describeCodes } from '../../report/codes.js';
import { toJson } from '../../report/json.js';
import { loadCaseDocument } from '../../report/caseView.js';
import { attemptLine } from '../../report/text.js';
import { logErr, writeOut } from '../io.js';
import { resolveZone, zoneArg } from '../options.js';
import { toolVersion } from '../version.js';

interface Flags {
  db: string;
  json?: boolean;
  failed?: boolean;
  tz?: string;
}

export function build(): Command {
  return new Command('attempts')
    .description('list the connection attempts of a case file (as last analyzed)')
    .requiredOption('--db <file>', 'case file written by `analyze --db` or `ingest`')
    .option('--failed', 'only failed attempts (mstsc pre-connections excluded)')
    .option('--json', 'print {schemaVersion, attempts[]} as JSON (schema/analyze.schema.json $defs/attempt)')
    .option('--tz <zone>', 'show times in this zone: IANA name, ±hh:mm or local (default UTC)', zoneArg)
    .addHelpText(
      'after',
      `
Examples:
  rdpdoctor analyze --db case.db logs/        build (or refresh) the analysis first
  rdpdoctor attempts --db case.db --failed    failed attempts, one per line
  rdpdoctor attempts --db case.db --json | jq '.attempts[] | select(.rootCause != "none") | .id'`,
    )
    .action((flags: Flags) => {
      const doc = loadCaseDocument(flags.db, { toolVersion: toolVersion(), describeCodes, warn: logErr });
      const list = flags.failed ? doc.attempts.filter((a) => a.outcome === 'failed' && !a.preconnect) : doc.attempts;
      if (flags.json) {
        writeOut(`${toJson({ schemaVersion: SCHEMA_VERSION, attempts: list }, 2)}\n`);
      } else {
        const zone = resolveZone(flags.tz);
        writeOut(list.map((a) => `${attemptLine(a, zone)}\n`).join(''));
      }
      logErr(`${list.length} attempt(s)${flags.failed ? ' failed' : ''} of ${doc.attempts.length} in ${flags.db}`);
    });
}
