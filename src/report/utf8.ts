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

/** Repairs strings in place (the builder's objects are its own fresh copies); returns the value to store. */
function walk(v: unknown, w: Walk, refList: boolean): unknown {
  if (typeof v === 'string') {
    const r = wellFormed(v);
    if (r.repaired) w.repaired = true;
    return r.text;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      if (!refList) {
        v[i] = walk(v[i], w, false);
        continue;
      }
      const own: Walk = { repaired: false, touched: w.touched };
      const ref = walk(v[i], own, false) as Record<string, unknown>;
      if (own.repaired) {
        ref['textRepaired'] = true;
        w.touched.add(Number(ref['eventId']));
        w.repaired = true;
      }
      v[i] = ref;
    }
    return v;
  }
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      const x = o[k];
      const value = walk(x, w, REF_LISTS.has(k) && Array.isArray(x));
      const key = wellFormed(k);
      if (key.repaired) {
        w.repaired = true;
        delete o[k];
        o[key.text] = value;
      } else if (value !== x) o[k] = value;
    }
    return o;
  }
  return v;
}

/** Makes every string of a freshly built document well-formed Unicode (in place) and returns it. */
export function repairDocument(doc: AnalysisDocument): AnalysisDocument {
  const w: Walk = { repaired: false, touched: new Set() };
  walk(doc, w, false);
  if (w.repaired) {
    doc.findings = sortFindings([
      ...doc.findings,
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
  return doc;
}
