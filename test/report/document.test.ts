import { describe, expect, it } from 'vitest';
import { buildDocument, orderCauses } from '../../src/report/document.js';
import { renderJson } from '../../src/report/json.js';
import { fixtureInput } from './fixture.js';
import { analyzeErrors } from './validate.js';

describe('buildDocument', () => {
  it('produces a document valid against schema/analyze.schema.json', () => {
    const doc = buildDocument(fixtureInput());
    expect(analyzeErrors(JSON.parse(renderJson(doc)))).toEqual([]);
  });

  it('orders attempts by start then id, and causes likely, possible, no-evidence, ruled-out, score, id', () => {
    const doc = buildDocument(fixtureInput());
    expect(doc.attempts.map((a) => a.id)).toEqual(['a-0000', 'a-0001', 'a-0002']);
    const failed = doc.attempts[1]!;
    expect(failed.causes.map((c) => `${c.verdict}:${c.id}`)).toEqual([
      'likely:server-denied',
      'possible:rdp-proxy',
      'no-evidence:licensing',
      'ruled-out:firewall',
      'ruled-out:cert-selfsigned',
    ]);
    expect(failed.rootCause).toBe('server-denied');
    expect(failed.codes).toEqual({ disconnectReason: 2308, extendedReason: 7, source: 'user', meaning: 'Socket closed', extendedMeaning: 'The server denied the connection' });
    // events sorted by skew-corrected time
    expect(failed.events.map((e) => e.id)).toEqual([1024, 131, 1026]);
    expect(failed.collectNext).toEqual(['System log of the license server']);
  });

  it('ties on verdict and score are broken by id', () => {
    const base = { title: 't', confidence: 'low' as const, evidence: [], remediation: [], references: [] };
    const out = orderCauses([
      { ...base, id: 'b', verdict: 'possible', score: 2 },
      { ...base, id: 'a', verdict: 'possible', score: 2 },
      { ...base, id: 'c', verdict: 'possible', score: 3 },
    ]);
    expect(out.map((c) => c.id)).toEqual(['c', 'a', 'b']);
  });

  it('counts files seen, read and skipped with reasons, and records', () => {
    const s = buildDocument(fixtureInput()).summary;
    expect(s.files).toEqual({ seen: 4, read: 2, skipped: 2, skipReasons: { 'not a recognised log format': 1, 'not a regular file': 1 } });
    expect(s.records).toEqual({ parsed: 940, recovered: 1, skipped: 2, filtered: 890 });
    expect(s.attempts).toEqual({ total: 3, failed: 2, succeeded: 1, unknown: 0 });
    expect(s.rootCauses).toEqual({ none: 1, 'server-denied': 1, unknown: 1 });
    expect(s.rulesEvaluated).toBe(19);
    expect(s.noAttemptsReason).toBeUndefined();
  });

  it('is deterministic: same input, shuffled lists, byte-identical JSON', () => {
    const a = renderJson(buildDocument(fixtureInput()));
    const shuffled = fixtureInput();
    shuffled.attempts.reverse();
    shuffled.diagnoses.reverse();
    shuffled.hosts.reverse();
    for (const att of shuffled.attempts) att.events.reverse();
    const b = renderJson(buildDocument(shuffled));
    expect(b).toBe(a);
    expect(a).not.toMatch(/\/tmp\//);
  });

  it('explains zero attempts: no RDP channels', () => {
    const input = { ...fixtureInput(), attempts: [], diagnoses: [], channelsSeen: ['System', 'Security'] };
    const doc = buildDocument(input);
    expect(doc.summary.noAttemptsReason).toMatch(/No RDPClient\/Operational or RdpCoreTS\/Operational events/);
    expect(doc.summary.noAttemptsReason).toMatch(/wevtutil epl "Microsoft-Windows-TerminalServices-RDPClient\/Operational"/);
    expect(analyzeErrors(JSON.parse(renderJson(doc)))).toEqual([]);
  });

  it('explains zero attempts: nothing readable, and no relevant events', () => {
    const unreadable = buildDocument({ ...fixtureInput(), attempts: [], diagnoses: [], inputs: [], skipped: [{ name: 'x.bin', reason: 'not a recognised log format' }] });
    expect(unreadable.summary.noAttemptsReason).toMatch(/None of the 1 input file\(s\) could be read/);
    const empty = buildDocument({ ...fixtureInput(), attempts: [], diagnoses: [], eventsStored: 0, filters: ['--since 2030-01-01'] });
    expect(empty.summary.noAttemptsReason).toMatch(/no events that bear on RDP connections \(940 record\(s\) read \(with --since 2030-01-01\)\)/);
    const present = buildDocument({ ...fixtureInput(), attempts: [], diagnoses: [] });
    expect(present.summary.noAttemptsReason).toMatch(/none starts a connection attempt/);
  });

  it('replaces lone surrogates, flags the event and adds a finding', () => {
    const input = fixtureInput();
    const att = input.attempts.find((a) => a.id === 'a-0001')!;
    att.events[0]!.values = { Value: 'bad\ud800text' };
    const doc = buildDocument(input);
    const json = renderJson(doc);
    expect(json).not.toMatch(/\\ud800/);
    expect(Buffer.from(json, 'utf8').toString('utf8')).toBe(json);
    const repaired = doc.attempts[1]!.events.find((e) => e.textRepaired);
    expect(repaired?.values['Value']).toBe('bad\ufffdtext');
    expect(doc.findings.some((f) => f.id === 'other:malformed-text')).toBe(true);
    expect(analyzeErrors(JSON.parse(json))).toEqual([]);
  });
});
