// `rdpdoctor show <attempt-id> --db case.db`: one attempt in full, every cause with its evidence and
// every event behind it. An id prefix is enough when it is unique.
import { Command } from 'commander';
import { SCHEMA_VERSION } from '../../model/report.js';
import { describeCodes } from '../../report/codes.js';
import { toJson } from '../../report/json.js';
import { findAttempt, loadCaseDocument } from '../../report/caseView.js';
import { renderAttemptText } from '../../report/text.js';
import { logErr, writeOut } from '../io.js';
import { resolveZone, zoneArg } from '../options.js';
import { toolVersion } from '../version.js';

interface Flags {
  db: string;
  json?: boolean;
  tz?: string;
}

export function build(): Command {
  return new Command('show')
    .description('show one attempt in full: codes, every cause with its evidence, every event')
    .argument('<attempt-id>', 'attempt id (or a unique prefix) from `rdpdoctor attempts`')
    .requiredOption('--db <file>', 'case file written by `analyze --db`')
    .option('--json', 'print {schemaVersion, attempt} as JSON (schema/analyze.schema.json $defs/attempt)')
    .option('--tz <zone>', 'show times in this zone: IANA name, ±hh:mm or local (default UTC)', zoneArg)
    .addHelpText(
      'after',
      `
Examples:
  rdpdoctor attempts --db case.db --failed
  rdpdoctor show 3f2a9c --db case.db --tz Europe/Paris
  rdpdoctor show 3f2a9c --db case.db --json | jq '.attempt.causes[0]'`,
    )
    .action((id: string, flags: Flags) => {
      const doc = loadCaseDocument(flags.db, { toolVersion: toolVersion(), describeCodes, warn: logErr });
      const a = findAttempt(doc, id, flags.db);
      if (flags.json) writeOut(`${toJson({ schemaVersion: SCHEMA_VERSION, attempt: a }, 2)}\n`);
      else writeOut(renderAttemptText(a, { zone: resolveZone(flags.tz) }));
    });
}
