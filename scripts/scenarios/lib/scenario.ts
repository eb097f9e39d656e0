// Turns a filled Recorder into a Scenario (expected attempts sorted by start, then client).
import { isoToFiletime } from '../../../test/support/evtx-writer/index.js';
import type { Expected, ExpectedAttempt, Scenario } from './model.js';
import { CLIENT_TZ } from './exports.js';
import type { Recorder } from './recorder.js';

export interface Meta {
  summary: string;
  causes: string[];
  keyEvents: string[];
  story: string;
  evidence: string[];
  unconfirmed: string[];
  attempts: ExpectedAttempt[];
  notes: string;
  userCodes?: Expected['userCodes'];
}


export function finish(r: Recorder, m: Meta): Scenario {
  const attempts = [...m.attempts].sort((a, b) => {
    const d = isoToFiletime(a.start) - isoToFiletime(b.start);
    return d !== 0n ? (d < 0n ? -1 : 1) : a.client < b.client ? -1 : a.client > b.client ? 1 : 0;
  });
  return {
    id: r.scenario,
    summary: m.summary,
    causes: m.causes,
    keyEvents: m.keyEvents,
    story: m.story,
    evidence: m.evidence,
    unconfirmed: m.unconfirmed,
    expected: {
      scenario: r.scenario,
      attempts,
      notes: m.notes,
      ...(r.exports.some((x) => /^RDCMan-\d{12}\.log$/.test(x.name)) ? { sourceTz: CLIENT_TZ } : {}),
      ...(m.userCodes ? { userCodes: m.userCodes } : {}),
    },
    events: r.events,
    exports: r.exports,
  };
}
