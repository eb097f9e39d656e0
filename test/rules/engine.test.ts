import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildAttempts } from '../../src/correlate/index.js';
import type { Attempt } from '../../src/model/analysis.js';
import { catalogNeeds, diagnose, loadCatalog, loadDirs, CatalogError } from '../../src/rules/index.js';
import { synthEvents, type ShortEvent } from '../../src/rules/synth.js';

/** Writes rule files into a fresh folder and returns it. */
function ruleDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'rdpdoctor-rules-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const BASE_RULE = `
id: probe
title: Probe cause
needs:
  - { channel: rdpclient, ids: [1024, 1026] }
  - { channel: rdpcorets }
  - { provider: schannel, ids: [36871] }
supports:
  - when: { codes: { disconnectReason: 0x904 } }
    weight: 3
    says: "code \${codes.disconnectReason} from \${codes.source}"
  - when: { event: { side: server, channel: rdpcorets, id: 131, where: { 'ClientIP|startswith': '10.', 'ConnType|re': '^tc' } } }
    weight: 2
    says: "131 from \${ClientIP} on \${event.host}"
  - when: { event: { provider: schannel, id: 36871, where: { 'Data[1]|gte': 10000 } } }
    weight: 4
    unconfirmed: true
    says: "state \${Data[1]}"
refutes:
  - when: { event: { side: server, channel: rdpcorets, id: 140 } }
    weight: 6
    says: "wrong password from \${IPString}"
remediation: ["do something"]
references: ["test"]
`;

function attempt(items: ShortEvent[]): Attempt {
  const r = buildAttempts(synthEvents(items), []);
  const a = r.attempts.find((x) => x.target) ?? r.attempts[0];
  if (!a) throw new Error('no attempt');
  return a;
}

const client = (extra: ShortEvent[] = [], value = 2308): ShortEvent[] => [
  { host: 'CL1', ch: 'rdpclient', id: 1024, t: 0, act: 'A', data: { Value: 'srv01' } },
  ...extra,
  { host: 'CL1', ch: 'rdpclient', id: 1026, t: 2, act: 'A', data: { Value: value } },
];
const conn = (ip = '10.0.0.10', more: ShortEvent[] = []): ShortEvent[] => [
  { host: 'SRV01', ch: 'rdpcorets', id: 131, t: 0.3, act: 'S', data: { ConnType: 'TCP', ClientIP: `${ip}:50000` } },
  ...more,
];

describe('rule engine', () => {
  const cat = loadDirs([ruleDir({ 'probe.yaml': BASE_RULE })]);

  it('scores supporting evidence and renders templates from the matched event', () => {
    const d = diagnose(attempt([...client(), ...conn()]), cat);
    const v = d.verdicts[0]!;
    expect(v.cause).toBe('probe');
    expect(v.score).toBe(5);
    expect(v.verdict).toBe('likely');
    expect(v.supports.map((s) => s.says)).toEqual(['code 0x904 (2308) from log', '131 from 10.0.0.10:50000 on SRV01']);
    expect(v.supports[1]!.events.map((e) => e.id)).toEqual([131]);
    expect(d.rootCause).toBe('probe');
  });

  it('Sigma-style modifiers decide: startswith fails on another subnet', () => {
    const v = diagnose(attempt([...client(), ...conn('192.168.1.9')]), cat).verdicts[0]!;
    expect(v.score).toBe(3);
    expect(v.verdict).toBe('possible');
    expect(v.confidence).toBe('medium');
  });

  it('halves unconfirmed evidence, flags it and says so', () => {
    const schannel: ShortEvent = { host: 'SRV01', ch: 'system', provider: 'schannel', id: 36871, t: 0.4, data: { 'Data[1]': 10013 } };
    const v = diagnose(attempt([...client([], 516), ...conn('192.168.1.9', [schannel])]), cat).verdicts[0]!;
    expect(v.score).toBe(2);
    const ev = v.supports.find((s) => s.unconfirmed)!;
    expect(ev.says).toBe('state 10013 (unconfirmed)');
    expect(v.confidence).toBe('low');
  });

  it('rules a cause out with the refuting event cited', () => {
    const v = diagnose(attempt([...client(), ...conn('10.0.0.10', [{ host: 'SRV01', ch: 'rdpcorets', id: 140, t: 1, act: 'S', data: { IPString: '10.0.0.10' } }])]), cat).verdicts[0]!;
    expect(v.verdict).toBe('ruled-out');
    expect(v.refutes[0]!.says).toBe('wrong password from 10.0.0.10');
    expect(v.refutes[0]!.events[0]!.id).toBe(140);
  });

  it('says no-evidence and unknown, with what to collect, when nothing matches', () => {
    const d = diagnose(attempt(client([], 516)), cat);
    expect(d.verdicts[0]!.verdict).toBe('no-evidence');
    expect(d.rootCause).toBe('unknown');
    expect(d.collectNext.some((c) => c.startsWith('server:'))).toBe(true);
  });

  it('returns none for a succeeded attempt and for mstsc preconnects', () => {
    const ok = attempt([...client([{ host: 'CL1', ch: 'rdpclient', id: 1027, t: 1, act: 'A' }], 1)]);
    expect(ok.outcome).toBe('succeeded');
    expect(diagnose(ok, cat)).toEqual({ attemptId: ok.id, rootCause: 'none', verdicts: [], collectNext: [] });
  });

  it('uses user-reported codes only when the log lacks them or agrees', () => {
    const extRule = BASE_RULE.replace('disconnectReason: 0x904 }', 'disconnectReason: 0x904, extendedReason: 7 }');
    const c2 = loadDirs([ruleDir({ 'probe.yaml': extRule })]);
    const a = attempt(client());
    expect(diagnose(a, c2).verdicts[0]!.supports).toHaveLength(0);
    const withUser = diagnose(a, c2, { userCodes: { disconnectReason: 0x904, extendedReason: 7 } }).verdicts[0]!;
    expect(withUser.supports[0]!.says).toBe('code 0x904 (2308) from user');
    // A dialog showing another code belongs to another attempt.
    expect(diagnose(a, c2, { userCodes: { disconnectReason: 0x204, extendedReason: 7 } }).verdicts[0]!.supports).toHaveLength(0);
  });

  it('judges an absence only where that side has a log covering the attempt', () => {
    const absentRule = `
id: absent-probe
title: Absent probe
needs: [{ channel: rdpcorets, ids: [131] }]
supports:
  - when: { absent: { side: server, channel: rdpcorets, id: 131 } }
    weight: 5
    says: "no 131"
refutes: []
remediation: ["x"]
references: ["y"]
`;
    const c3 = loadDirs([ruleDir({ 'absent-probe.yaml': absentRule })]);
    const uncovered = diagnose(attempt(client([], 516)), c3);
    expect(uncovered.verdicts[0]!.verdict).toBe('no-evidence');
    expect(uncovered.collectNext.some((c) => c.includes('cannot be judged'))).toBe(true);
    const covered = attempt([
      { host: 'SRV01', ch: 'rdpcorets', id: 131, t: -600, act: 'X', data: { ClientIP: '10.9.9.9:1' } },
      ...client([], 516),
      { host: 'SRV01', ch: 'system', provider: 'scm', id: 7036, t: 600 },
    ]);
    expect(diagnose(covered, c3).verdicts[0]!.verdict).toBe('likely');
  });

  it('evaluates sequences in time order', () => {
    const seqRule = `
id: seq
title: Sequence probe
needs: [{ channel: rdpcorets, ids: [131, 102] }]
supports:
  - when: { sequence: [{ side: server, channel: rdpcorets, id: 102 }, { side: server, channel: rdpcorets, id: 131 }] }
    weight: 5
    says: "102 before 131"
  - when: { sequence: [{ side: server, channel: rdpcorets, id: 131 }, { side: server, channel: rdpcorets, id: 102 }], maxGap: 2s }
    weight: 1
    says: "131 then 102 within 2s"
refutes: []
remediation: ["x"]
references: ["y"]
`;
    const c4 = loadDirs([ruleDir({ 'seq.yaml': seqRule })]);
    const a = attempt([...client(), ...conn('10.0.0.10', [{ host: 'SRV01', ch: 'rdpcorets', id: 102, t: 1.5, act: 'S' }])]);
    expect(diagnose(a, c4).verdicts[0]!.supports.map((s) => s.says)).toEqual(['131 then 102 within 2s']);
  });
  it('places events before, during or after the attempt, and tests facts and .rdp settings', () => {
    const rule = `
id: when-probe
title: When probe
needs: [{ provider: rcm, ids: [1056] }]
supports:
  - when: { event: { side: server, provider: rcm, id: 1056, at: [before] } }
    weight: 1
    says: "before"
  - when: { event: { side: server, provider: rcm, id: 1056, at: [after] } }
    weight: 2
    says: "after"
  - when: { all: [{ fact: { targetKind: name } }, { not: { setting: { gatewayusagemethod: ['1', '2'] } } }] }
    weight: 4
    says: "direct to \${attempt.target}"
refutes: []
remediation: ["x"]
references: ["y"]
`;
    const c5 = loadDirs([ruleDir({ 'when-probe.yaml': rule })]);
    const a = attempt([
      ...client([{ host: 'SRV01', ch: 'system', provider: 'rcm', id: 1056, t: 60 }]),
      ...conn(),
    ]);
    const v = diagnose(a, c5).verdicts[0]!;
    expect(v.supports.map((s) => s.says)).toEqual(['after', 'direct to srv01']);
    expect(v.score).toBe(6);
  });
  it('a decisive refute rules out whatever supports; target, outcome and coverage conditions', () => {
    const rule = `
id: decisive
title: Decisive probe
needs: [{ channel: rdpcorets, ids: [140] }]
supports:
  - when: { all: [{ target: { endswith: '01' } }, { outcome: failed }, { coverage: { client: true } }] }
    weight: 9
    says: "fits"
refutes:
  - when: { event: { side: server, channel: rdpcorets, id: 140 } }
    weight: 1
    decisive: true
    says: "decided by \${event.id}"
remediation: ["x"]
references: ["y"]
`;
    const c6 = loadDirs([ruleDir({ 'decisive.yaml': rule })]);
    const plain = diagnose(attempt(client()), c6).verdicts[0]!;
    expect(plain.verdict).toBe('likely');
    const decided = diagnose(attempt([...client(), ...conn('10.0.0.10', [{ host: 'SRV01', ch: 'rdpcorets', id: 140, t: 1, act: 'S', data: { IPString: '10.0.0.10' } }])]), c6).verdicts[0]!;
    expect(decided.verdict).toBe('ruled-out');
    expect(decided.confidence).toBe('high');
    expect(decided.refutes[0]!.says).toBe('decided by 140');
  });
});

describe('rule loader', () => {
  const bad = (yaml: string): string[] => {
    try {
      loadDirs([ruleDir({ 'probe.yaml': yaml })]);
    } catch (err) {
      expect(err).toBeInstanceOf(CatalogError);
      return (err as CatalogError).problems;
    }
    throw new Error('rule was accepted');
  };

  it('rejects unknown keys with the file name and the key', () => {
    const p = bad(BASE_RULE.replace('title: Probe cause', 'title: Probe cause\nwieght: 3'));
    expect(p[0]).toMatch(/probe\.yaml: \/ must NOT have additional properties "wieght"/);
  });

  it('rejects unknown channel aliases, modifiers and bad regexes', () => {
    const p = bad(
      BASE_RULE.replace("channel: rdpcorets, id: 131", 'channel: rdpcoretz, id: 131')
        .replace("'ClientIP|startswith'", "'ClientIP|beginswith'")
        .replace("'ConnType|re': '^tc'", "'ConnType|re': '(unclosed'"),
    );
    const text = p.join('\n');
    expect(text).toContain('unknown channel alias "rdpcoretz"');
    expect(text).toContain('unknown modifier "beginswith"');
    expect(text).toContain('bad regex /(unclosed/');
    expect(p.every((x) => x.includes('probe.yaml'))).toBe(true);
  });

  it('rejects a selector the needs would filter out, a wrong id, and a bad template', () => {
    const p = bad(
      BASE_RULE.replace('id: probe', 'id: other')
        .replace('- { provider: schannel, ids: [36871] }', '- { provider: schannel, ids: [36870] }')
        .replace('state ${Data[1]}', 'state ${event.nope}'),
    );
    const text = p.join('\n');
    expect(text).toContain('must match the file name "probe"');
    expect(text).toContain('not covered by `needs`');
    expect(text).toContain('unknown template field "${event.nope}"');
  });

  it('rejects YAML syntax errors, duplicate ids and an absence without a side', () => {
    expect(bad('id: [unclosed')[0]).toMatch(/probe\.yaml: YAML error/);
    const dir = ruleDir({ 'probe.yaml': BASE_RULE });
    const dir2 = ruleDir({ 'probe.yaml': BASE_RULE });
    expect(() => loadDirs([dir, dir2])).toThrow(/duplicate rule id "probe"/);
    const p = bad(BASE_RULE.replace("event: { side: server, channel: rdpcorets, id: 140 }", 'absent: { channel: rdpcorets, id: 140 }'));
    expect(p.join('\n')).toContain('an absence needs a side');
  });

  it('loads the bundled catalogue and merges its needs for the store', () => {
    const cat = loadCatalog();
    expect(cat.rules.map((r) => r.id)).toEqual(
      [
        'cert-expired-renewal', 'client-cert-trust', 'client-install-corrupt', 'credssp-oracle', 'custom-cert-invalid',
        'dns-resolution', 'firewall-blocked', 'insufficient-rights', 'licensing', 'localhost-console', 'machinekeys-corrupt',
        'network-drop', 'nla-credentials', 'ntlm-blocked', 'pending-reboot', 'rd-gateway', 'rdp-proxy-refused', 'server-denied',
        'session-replaced', 'tls-mismatch',
      ],
    );
    const needs = catalogNeeds(cat);
    const sec = needs.find((n) => n.channel === 'Security' && !n.provider)!;
    expect(sec.ids).toEqual(expect.arrayContaining([4624, 4625, 4634, 5152, 5157]));
    const client = needs.find((n) => n.channel === 'Microsoft-Windows-TerminalServices-RDPClient/Operational')!;
    expect(client.ids).toBeUndefined();
    expect(needs.every((n) => n.channel || n.provider)).toBe(true);
  });
});
