// `e` in the UI: writes the current attempt to a file, as the JSON of `analyze --json` (one attempt,
// with the document's envelope) or as the text of the detail pane. Never overwrites a file.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Zone } from 'luxon';
import type { AnalysisDocument, AttemptReport } from '../model/report.js';
import { buildAttemptLines } from './detailLines.js';
import { plain } from './lines.js';

export type ExportFormat = 'json' | 'text';

/** File-name-safe form of an attempt id (ids come from the case, but may carry anything). */
function safeName(id: string): string {
  const s = id.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.]+/, '').slice(0, 80);
  return s || 'attempt';
}

export function renderExport(doc: AnalysisDocument, a: AttemptReport, format: ExportFormat, zone: Zone): string {
  if (format === 'json') {
    const { schemaVersion, tool, hosts } = doc;
    return `${JSON.stringify({ schemaVersion, tool, hosts, attempt: a }, null, 2)}\n`;
  }
  return `${buildAttemptLines(doc, a, zone, 100)
    .map((l) => plain(l).trimEnd())
    .join('\n')}\n`;
}

/** Writes the export and returns its absolute path; `-2`, `-3`… are appended rather than overwriting. */
export function exportAttempt(doc: AnalysisDocument, a: AttemptReport, format: ExportFormat, dir: string, zone: Zone): string {
  const body = renderExport(doc, a, format, zone);
  const ext = format === 'json' ? 'json' : 'txt';
  const base = `rdpdoctor-attempt-${safeName(a.id)}`;
  for (let n = 1; n <= 1000; n++) {
    const path = resolve(join(dir, `${base}${n === 1 ? '' : `-${n}`}.${ext}`));
    try {
      writeFileSync(path, body, { flag: 'wx' });
      return path;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new Error(`${resolve(dir)}: too many earlier exports named ${base}*.${ext}`);
}
