// `analyze --json`: the document, pretty-printed with two spaces and a final newline. Key order is the
// order the builder writes, so the bytes are stable from run to run.
import { toSafeJson } from '../model/json.js';
import type { AnalysisDocument } from '../model/report.js';

/** Kept under its old name for the report's callers; the escaping policy lives in src/model/json.ts. */
export const toJson = toSafeJson;

export function renderJson(doc: AnalysisDocument): string {
  return `${toJson(doc, 2)}\n`;
}
