// `analyze --json`: the document, pretty-printed with two spaces and a final newline. Key order is the
// order the builder writes, so the bytes are stable from run to run.
import type { AnalysisDocument } from '../model/report.js';

/**
 * JSON.stringify escapes C0 controls but writes DEL, C1 controls (U+009B is CSI on some terminals)
 * and bidi overrides as raw characters. Written as \u escapes instead, the data is the same for any
 * JSON reader and `cat` of the output cannot drive a terminal.
 */
const RAW_UNSAFE = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const HAS_RAW_UNSAFE = new RegExp(RAW_UNSAFE.source);

export function toJson(value: unknown, indent?: number): string {
  const json = JSON.stringify(value, null, indent);
  // One scan in the common case (nothing to escape); the replace only when something is there.
  if (!HAS_RAW_UNSAFE.test(json)) return json;
  return json.replace(RAW_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function renderJson(doc: AnalysisDocument): string {
  return `${toJson(doc, 2)}\n`;
}
