// `analyze --json`: the document, pretty-printed with two spaces and a final newline. Key order is the
// order the builder writes, so the bytes are stable from run to run.
import type { AnalysisDocument } from '../model/report.js';

export function renderJson(doc: AnalysisDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}
