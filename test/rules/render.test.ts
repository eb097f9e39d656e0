// render() cuts each template once into text and placeholders; it must write what the regex
// replace it replaced wrote, for any template (odd braces, empty and dotted names, $ signs).
import { describe, expect, it } from 'vitest';
import type { Attempt, EventRef } from '../../src/model/analysis.js';
import { evalCtx, render } from '../../src/rules/engine.js';

/** The former render: one regex replace per call, placeholders resolved by `resolve`. */
function oracle(t: string, resolve: (name: string) => string): string {
  return t.replace(/\$\{([^}]*)\}/g, (_m, raw: string) => resolve(raw));
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ref: EventRef = {
  eventId: 7, side: 'server', host: 'RDS01', channel: 'Security', provider: 'Microsoft-Windows-Security-Auditing', id: 4625,
  time: '2026-01-05T07:00:00.0000000Z', correctedTime: '2026-01-05T07:00:00.000Z', file: 'a.evtx', position: 'chunk 0 record 7 @0x200',
  values: { Status: '0xc000006d', IpAddress: '10.0.0.5', 'Data[1]': '$1 & $&', '': 'empty key' }, recordId: 7,
};
const attempt: Attempt = {
  id: 'att-1', start: '2026-01-05T07:00:00.000Z', outcome: 'failed', codes: { source: 'log', disconnectReason: 0x904, extendedReason: 7 },
  events: [ref], context: [], coverage: { client: true, server: true }, target: 'rds01.corp.example',
};

describe('render', () => {
  it('writes what the regex replace wrote, for 3,000 random templates', () => {
    const ctx = evalCtx(attempt);
    // Each placeholder alone, rendered by the new code, is the oracle's resolution of that name.
    const one = (raw: string): string => render(`\${${raw}}`, ref, ctx);
    const parts = ['${', '}', '{', '$', 'x', ' ', '.', 'codes', 'event', 'attempt', 'Status', 'IpAddress', 'Data[1]', 'host', 'id', 'target', 'disconnectReason', 'extendedReason', 'nope', '$1', '$&'];
    const rnd = seeded(2026);
    for (let i = 0; i < 3000; i++) {
      let t = '';
      const n = Math.floor(rnd() * 12);
      for (let j = 0; j < n; j++) t += parts[Math.floor(rnd() * parts.length)];
      expect(render(t, ref, ctx), JSON.stringify(t)).toBe(oracle(t, one));
    }
  });

  it('resolves codes, event fields, attempt fields and values', () => {
    const ctx = evalCtx(attempt);
    expect(render('${codes.disconnectReason}/${codes.extendedReason} via ${codes.source}', ref, ctx)).toBe('0x904 (2308)/0x7 (7) via log');
    expect(render('${Status} from ${IpAddress} on ${event.host} (${ missing })', ref, ctx)).toBe('0xC000006D from 10.0.0.5 on RDS01 (?)');
    expect(render('${Data[1]} ${attempt.target}', ref, ctx)).toBe('$1 & $& rds01.corp.example');
  });
});
