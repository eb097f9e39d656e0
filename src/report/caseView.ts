// Opening a kept case for reading (`attempts`, `show`): read-only, with clear errors when the case
// was never analyzed or when the stored analysis is older than its sources.
import { ExitCode, FatalError } from '../model/errors.js';
import type { AnalysisDocument, AttemptReport } from '../model/report.js';
import { openCase } from '../store/caseFile.js';
import { type CaseDocumentOptions, documentFromCase } from './caseDocument.js';
import { sanitizeInline } from './sanitize.js';

export function loadCaseDocument(path: string, opts: CaseDocumentOptions & { warn?: (m: string) => void }): AnalysisDocument {
  const cf = openCase(path, { readonly: true });
  try {
    const doc = documentFromCase(cf, opts);
    if (!doc) {
      throw new FatalError(`case file ${path} holds no analysis yet: run \`rdpdoctor analyze --db ${path}\``, ExitCode.CASE_FILE);
    }
    if (!cf.analysisIsCurrent()) {
      opts.warn?.(`warning: sources were added to ${path} after its last analysis; run \`rdpdoctor analyze --db ${path}\` to refresh it`);
    }
    return doc;
  } finally {
    cf.close();
  }
}

/** The attempt with this id, or the only one whose id starts with it; otherwise a usage error. */
export function findAttempt(doc: AnalysisDocument, id: string, casePath: string): AttemptReport {
  const exact = doc.attempts.find((a) => a.id === id);
  if (exact) return exact;
  const prefixed = id.length > 0 ? doc.attempts.filter((a) => a.id.startsWith(id)) : [];
  if (prefixed.length === 1) return prefixed[0] as AttemptReport;
  const shown = sanitizeInline(id);
  if (prefixed.length > 1) {
    throw new FatalError(`attempt id "${shown}" is ambiguous (${prefixed.length} attempts start with it); give more characters`, ExitCode.USAGE);
  }
  throw new FatalError(`no attempt "${shown}" in ${casePath}; \`rdpdoctor attempts --db ${casePath}\` lists them`, ExitCode.USAGE);
}
