import { describe, expect, it } from 'vitest';
import { buildDocument } from '../../src/report/document.js';
import { renderJson } from '../../src/report/json.js';
import { ndjsonLines, renderNdjson } from '../../src/report/ndjson.js';
import { attemptLine, renderAttemptText, renderText } from '../../src/report/text.js';
import { parseZone } from '../../src/report/time.js';
import { fixtureInput } from './fixture.js';
import { expectGolden } from './golden.js';
import { analyzeErrors, ndjsonErrors } from './validate.js';

const doc = buildDocument(fixtureInput());

describe('golden outputs of the hand-built case', () => {
  it('JSON', () => {
    const json = renderJson(doc);
    expect(analyzeErrors(JSON.parse(json))).toEqual([]);
    expectGolden('fixture.golden.json', json);
  });
  it('text in UTC', () => expectGolden('fixture.golden.txt', renderText(doc)));
  it('text in Asia/Kolkata', () => expectGolden('fixture-kolkata.golden.txt', renderText(doc, { zone: parseZone('Asia/Kolkata')! })));
  it('NDJSON', () => expectGolden('fixture.golden.ndjson', renderNdjson(doc)));
});

describe('text report', () => {
  const text = renderText(doc, { zone: parseZone('+02:00')! });

  it('prints times with their offset, codes in hex and decimal with meaning, client → target', () => {
    expect(text).toContain('Time:      2024-05-01 14:06:33.654 +02:00 to 2024-05-01 14:06:35.100 +02:00');
    expect(text).toContain('Codes:     0x904 (2308) Socket closed; extended 0x7 (7) The server denied the connection (as reported by the user (--code/--ext))');
    expect(text).toMatch(/Path: {6}WS01\.contoso\.local \(CONTOSO\\alice, 10\.0\.0\.5\) → srv01/);
  });

  it('names the likely cause with its evidence, marks unconfirmed facts, lists ruled-out causes with their event', () => {
    expect(text).toContain('Likely:    server-denied: The server refused the connection after the handshake (score 9, confidence medium, rests on unconfirmed facts)');
    expect(text).toContain('+ RCM 1071: the server is configured to not accept connections (unconfirmed)');
    expect(text).toMatch(/SRV01 System 1071 at 2024-05-01 14:06:34\.200 \+02:00 \(skew-corrected 2024-05-01 14:06:34\.100 \+02:00\) — server\/System\.evtx chunk 0 record 41/);
    expect(text).toMatch(/- firewall \(Firewall blocks TCP 3389\): the server accepted the TCP connection \(RdpCoreTS 131\) — SRV01 RdpCoreTS\/Operational 131 at .*ClientIP=10\.0\.0\.5:51234 ConnType=TCP/);
    expect(text).toContain('No evidence either way: licensing');
    expect(text).toContain('"unconfirmed" marks statements resting on facts no primary source confirms (rdp-kb): treat them as hypotheses.');
    expect(text).toContain('1. On the server, run `chglogon /query`; if logons are disabled, `chglogon /enable`.');
  });

  it('lists the other attempts, the preconnect as not a failure, and ends with the counts', () => {
    expect(text).toMatch(/Other attempts:\n.*failed .*\(mstsc pre-connection, not a failure\)\n.*succeeded/);
    expect(text).toContain('files: 4 seen, 2 read, 2 skipped (not a recognised log format: 1; not a regular file: 1)');
    expect(text).toContain('records: 940 parsed, 1 recovered, 2 unreadable and skipped, 890 filtered out (not needed by any rule)');
    expect(text).toContain('events stored: 50; attempts built: 3 (2 failed, 1 succeeded, 0 unknown)');
    expect(text).toContain('rules evaluated: 19; root causes: none 1, server-denied 1, unknown 1');
  });

  it('neutralises terminal escapes from event data: CSI 2J, OSC 52, BEL, C1, bidi override', () => {
    // Nothing but \n may remain as a control or format character.
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(text).toContain('srv01\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07\\x9b31m\\u202eexe.txt');
  });
});

interface EcsLine {
  '@timestamp': string;
  event: Record<string, unknown>;
  host?: unknown;
  source?: unknown;
  destination: { address?: string; ip?: string };
  rule?: unknown;
}

describe('JSON outputs on a terminal', () => {
  it('write C1 controls and bidi overrides as \\u escapes (JSON.stringify already escapes C0)', () => {
    for (const out of [renderJson(doc), renderNdjson(doc)]) {
      expect(out).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      expect(out).toContain('srv01\\u001b[2J\\u001b]52;c;ZXZpbA==\\u0007\\u009b31m\\u202eexe.txt');
    }
    const back = JSON.parse(renderJson(doc)) as { attempts: { target?: string }[] };
    expect(back.attempts[1]!.target).toBe('srv01\u001b[2J\u001b]52;c;ZXZpbA==\u0007\u009b31m\u202eexe.txt');
  });
});

describe('NDJSON', () => {
  const lines = ndjsonLines(doc);
  it('has one line per attempt and finding plus a summary, each parsing alone and valid against the schema', () => {
    expect(lines).toHaveLength(doc.attempts.length + doc.findings.length + 1);
    for (const l of lines) {
      expect(l).not.toContain('\n');
      const o = JSON.parse(l) as unknown;
      expect(ndjsonErrors(o), l).toEqual([]);
    }
    const last = JSON.parse(lines[lines.length - 1]!) as { rdpdoctor: { type: string } };
    expect(last.rdpdoctor.type).toBe('summary');
  });
  it('carries ECS fields on attempt lines', () => {
    const a = JSON.parse(lines[1]!) as EcsLine;
    expect(a['@timestamp']).toBe('2024-05-01T12:06:33.654Z');
    expect(a.event).toMatchObject({ kind: 'event', code: '0x904', outcome: 'failure', dataset: 'rdpdoctor.attempt' });
    expect(a.host).toEqual({ name: 'WS01.contoso.local' });
    expect(a.source).toEqual({ ip: '10.0.0.5', address: '10.0.0.5' });
    expect(a.destination.address).toContain('srv01');
    expect(a.destination.ip).toBeUndefined();
    expect(a.rule).toEqual({ id: 'server-denied', name: 'The server refused the connection after the handshake', ruleset: 'rdpdoctor' });
    const ok = JSON.parse(lines[2]!) as EcsLine;
    expect(ok.destination).toEqual({ address: '10.0.0.9', ip: '10.0.0.9' });
    expect(ok.event.outcome).toBe('success');
  });
});

describe('one attempt (show) and one line (attempts)', () => {
  it('show prints every event and context event; a success says there is nothing to diagnose', () => {
    const failed = renderAttemptText(doc.attempts[1]!);
    expect(failed).toMatch(/^== Attempt \(failed\): a-0001 ==/);
    expect(failed).toMatch(/Events \(3\):\n {2}client WS01\.contoso\.local RDPClient\/Operational 1024 at 2024-05-01 12:06:33\.654 \+00:00/);
    expect(failed).toMatch(/Context \(1\):\n {2}server SRV01 System 1056/);
    expect(failed).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    const ok = renderAttemptText(doc.attempts[2]!);
    expect(ok).toContain('Result:    the connection succeeded; nothing to diagnose');
    expect(renderAttemptText(doc.attempts[0]!)).toContain("Result:    mstsc's short pre-connection before the real one; not a failure");
  });

  it('attempts prints one sanitized line per attempt', () => {
    const line = attemptLine(doc.attempts[1]!, parseZone('+01:00')!);
    expect(line).toBe(
      '2024-05-01 13:06:33.654 +01:00  failed     0x904/0x7    WS01.contoso.local (CONTOSO\\alice, 10.0.0.5) → srv01\\x1b[2J\\x1b]52;c;ZXZpbA==\\x07\\x9b31m\\u202eexe.txt [server SRV01]  server-denied  [a-0001]',
    );
    expect(attemptLine(doc.attempts[0]!)).toMatch(/ preconnect - +WS01/);
  });
});
