// The JSON outputs must be valid UTF-8 for any SIEM to take them. A record with malformed UTF-16
// leaves lone surrogates in JS strings; they are replaced with U+FFFD here and the event that held
// them is flagged (`textRepaired`), with one finding saying how many were touched.
import type { AnalysisDocument } from '../model/report.js';
import { sortFindings } from './findings.js';
import { wellFormed } from './sanitize.js';

/** Keys under which the document holds EventRef lists (attempt events/context, evidence events). */
const REF_LISTS = new Set(['events', 'context']);

interface Walk {
  repaired: boolean;
  /** eventId (case row id) of every repaired EventRef. */
  touched: Set<number>;
}

function walk(v: unknown, w: Walk, refList: boolean): unknown {
  if (typeof v === 'string') {
    const r = wellFormed(v);
    if (r.repaired) w.repaired = true;
    return r.text;
  }
  if (Array.isArray(v)) {
    if (!refList) return v.map((x) => walk(x, w, false));
    return v.map((ref) => {
      const own: Walk = { repaired: false, touched: w.touched };
      const out = walk(ref, own, false) as Record<string, unknown>;
      if (own.repaired) {
        out['textRepaired'] = true;
        w.touched.add(Number(out['eventId']));
        w.repaired = true;
      }
      return out;
    });
  }
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[walk(k, w, false) as string] = walk(x, w, REF_LISTS.has(k) && Array.isArray(x));
    return out;
  }
  return v;
}

/** Returns a copy of the document in which every string is well-formed Unicode. */
export function repairDocument(doc: AnalysisDocument): AnalysisDocument {
  const w: Walk = { repaired: false, touched: new Set() };
  const out = walk(doc, w, false) as AnalysisDocument;
  if (w.repaired) {
    out.findings = sortFindings([
      ...out.findings,
      {
        id: 'other:malformed-text',
        kind: 'other',
        severity: 'warning',
        message:
          w.touched.size > 0
            ? `${w.touched.size} event(s) held malformed UTF-16 text; the bad characters were replaced with U+FFFD and the events are marked textRepaired.`
            : 'Some input text held malformed UTF-16; the bad characters were replaced with U+FFFD.',
        details: { events: w.touched.size },
      },
    ]);
  }
  return out;
}
