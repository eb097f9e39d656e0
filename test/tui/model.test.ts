// The UI's pure parts: list sort/filter/search, time and gap formatting, column arithmetic,
// timeline ordering, event code decoding, export naming, theme.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeEventCodes } from '../../src/tui/eventCodes.js';
import { exportAttempt } from '../../src/tui/exportAttempt.js';
import { formatCodes, formatGap, formatSkew, formatStamp, resolveZone } from '../../src/tui/format.js';
import { buildRows, filterOptions, query, type ListQuery } from '../../src/tui/listModel.js';
import { rankCauses } from '../../src/tui/detailLines.js';
import { makeTheme } from '../../src/tui/theme.js';
import { displayWidth, fit, truncate, wrap } from '../../src/tui/text.js';
import { buildTimeline } from '../../src/tui/timeline.js';
import { caseDoc } from './fixtures/caseDoc.js';

const q = (p: Partial<ListQuery>): ListQuery => ({ sort: 'time', descending: false, filter: {}, search: '', ...p });

describe('list model', () => {
  const rows = buildRows(caseDoc());

  it('sorts by time by default, ties broken by id', () => {
    // a-0001 and a-0002 both start at 13:58:10 (different milliseconds): time order holds.
    expect(query(rows, q({})).map((r) => r.id)).toEqual(['a-0001', 'a-0002', 'a-0003', 'a-0004', 'a-0005']);
    expect(query(rows, q({ descending: true })).map((r) => r.id)).toEqual(['a-0005', 'a-0004', 'a-0003', 'a-0002', 'a-0001']);
  });

  it('sorts by outcome (failed first) and by cause, falling back to time', () => {
    expect(query(rows, q({ sort: 'outcome' })).map((r) => r.id)).toEqual(['a-0003', 'a-0004', 'a-0005', 'a-0001', 'a-0002']);
    expect(query(rows, q({ sort: 'cause' })).map((r) => r.cause)).toEqual(['firewall', 'none', 'none', 'server-denied', 'unknown']);
  });

  it('filters by outcome, host (case-insensitive, client, server or target) and cause, combined', () => {
    expect(query(rows, q({ filter: { outcome: 'failed' } })).map((r) => r.id)).toEqual(['a-0003', 'a-0004', 'a-0005']);
    expect(query(rows, q({ filter: { host: 'SRV01' } })).map((r) => r.id)).toEqual(['a-0001', 'a-0002', 'a-0003']);
    expect(query(rows, q({ filter: { host: '10.0.0.99' } })).map((r) => r.id)).toEqual(['a-0004']);
    expect(query(rows, q({ filter: { outcome: 'failed', host: 'srv01' } })).map((r) => r.id)).toEqual(['a-0003']);
    expect(query(rows, q({ filter: { cause: 'unknown' } })).map((r) => r.id)).toEqual(['a-0004']);
  });

  it('searches ids, hosts, users, IPs, codes and likely cause titles', () => {
    expect(query(rows, q({ search: 'ALICE' })).length).toBe(4);
    expect(query(rows, q({ search: '0x904/0x7' })).map((r) => r.id)).toEqual(['a-0003']);
    expect(query(rows, q({ search: 'refused the connection' })).map((r) => r.id)).toEqual(['a-0003', 'a-0004']);
    expect(query(rows, q({ search: '10.0.0.5' })).length).toBe(4);
    expect(query(rows, q({ search: 'no such thing' }))).toEqual([]);
  });

  it('offers filter options with counts, in a stable order', () => {
    const opts = filterOptions(rows).map((o) => `${o.label} ${o.count}`);
    expect(opts.slice(0, 2)).toEqual(['outcome: failed 3', 'outcome: succeeded 2']);
    expect(opts).toContain('host: srv01 3');
    expect(opts).toContain('cause: none 2');
    expect(opts.filter((o) => o.startsWith('host:'))).toEqual([...opts.filter((o) => o.startsWith('host:'))].sort());
  });

  it('keeps hostile strings escaped in row fields', () => {
    const r = rows[4];
    expect(r?.client).toBe('EVIL\\x1b[2J');
    expect(r?.userShort).toBe('bob\\x1b]52;c;ZWNobyBwd25lZA==\\x07');
  });
});

describe('format', () => {
  it('prints times in the chosen zone with the offset', () => {
    const t = '2024-03-05T14:03:20.1234567Z';
    expect(formatStamp(t, resolveZone(undefined), false)).toBe('2024-03-05 14:03:20 +00:00');
    expect(formatStamp(t, resolveZone('+05:30'), true)).toBe('03-05 19:33:20+05:30');
    expect(formatStamp(t, resolveZone('Europe/Berlin'), false)).toBe('2024-03-05 15:03:20 +01:00');
    expect(formatStamp('2024-07-05T14:03:20Z', resolveZone('Europe/Berlin'), false)).toBe('2024-07-05 16:03:20 +02:00');
    expect(formatStamp('garbage', resolveZone(undefined), false)).toBe('(bad time)');
  });

  it('refuses unknown zones with the value in the message', () => {
    expect(() => resolveZone('Mars/Olympus')).toThrow(/Mars\/Olympus/);
    expect(() => resolveZone('+15:00')).toThrow(/\+15:00/);
  });

  it('formats gaps, skews and codes', () => {
    expect(formatGap(110)).toBe('+0.110s');
    expect(formatGap(2300)).toBe('+2.3s');
    expect(formatGap(-2300)).toBe('−2.3s');
    expect(formatGap(245_000)).toBe('+4m05s');
    expect(formatGap(3_720_000)).toBe('+1h02m');
    expect(formatSkew(0)).toBe('skew ±0');
    expect(formatSkew(undefined)).toBe('skew unknown');
    expect(formatCodes({ disconnectReason: 2308, extendedReason: 7 })).toBe('0x904/0x7');
    expect(formatCodes({ disconnectReason: 2308 })).toBe('0x904/?');
    expect(formatCodes({})).toBe('—');
  });
});

describe('text', () => {
  it('measures wide and combining characters', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
  });

  it('truncates with an ellipsis and pads to an exact width', () => {
    expect(truncate('srv01.contoso.com', 8)).toBe('srv01.c…');
    expect(fit('ab', 4)).toBe('ab  ');
    expect(fit('ab', 4, 'right')).toBe('  ab');
    expect(displayWidth(fit('日本語テキスト', 7))).toBeLessThanOrEqual(7);
  });

  it('wraps on words and splits words longer than a line', () => {
    expect(wrap('the server denied the connection', 12)).toEqual(['the server', 'denied the', 'connection']);
    expect(wrap('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrap('', 10)).toEqual(['']);
  });
});

describe('timeline and causes', () => {
  const a = caseDoc().attempts[2];

  it('merges attempt and context events by corrected time, with gaps', () => {
    const rows = buildTimeline(a as NonNullable<typeof a>);
    expect(rows.map((r) => `${r.lane}:${r.event.id}${r.context ? '*' : ''}`)).toEqual([
      'client:1024',
      'server:131',
      'server:36880*',
      'server:1149',
      'server:1071',
      'server:102',
      'client:1026',
    ]);
    expect(rows[0]?.gapMs).toBeUndefined();
    expect(rows[1]?.gapMs).toBe(110);
  });

  it('ranks likely, possible, ruled out, no evidence; by score within', () => {
    expect(rankCauses(a?.causes ?? []).map((c) => c.id)).toEqual(['server-denied', 'rdp-proxy', 'nla-credentials', 'cert-expired', 'credssp-oracle', 'licensing']);
  });
});

describe('event codes', () => {
  it('decodes 1026 Value, 4625 Status and LSM 40 Reason from the decode tables', () => {
    expect(describeEventCodes({ channel: 'Microsoft-Windows-TerminalServices-RDPClient/Operational', provider: 'x', id: 1026, values: { Value: '2308' } })[0]).toMatch(/^Value=2308 → 0x904: AtClientWinsockFDCLOSE/);
    expect(describeEventCodes({ channel: 'Security', provider: 'Microsoft-Windows-Security-Auditing', id: 4625, values: { Status: '0xc000015b' } })[0]).toContain('STATUS_LOGON_TYPE_NOT_GRANTED');
    expect(describeEventCodes({ channel: 'Microsoft-Windows-TerminalServices-LocalSessionManager/Operational', provider: 'x', id: 40, values: { Reason: '5' } })[0]).toMatch(/\(unconfirmed\)$/);
    expect(describeEventCodes({ channel: 'Microsoft-Windows-TerminalServices-RDPClient/Operational', provider: 'x', id: 1026, values: { Value: '2567000' } })[0]).toContain('undocumented code');
    expect(describeEventCodes({ channel: 'System', provider: 'Schannel', id: 36880, values: { Protocol: 'TLS 1.2' } })).toEqual([]);
  });
});

describe('export', () => {
  it('never overwrites and keeps file names safe whatever the attempt id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rdpdoctor-export-'));
    try {
      const doc = caseDoc();
      const a = { ...(doc.attempts[2] as NonNullable<(typeof doc.attempts)[2]>), id: '../../etc/\u001b[2Jpasswd' };
      const zone = resolveZone(undefined);
      const p1 = exportAttempt(doc, a, 'text', dir, zone);
      const p2 = exportAttempt(doc, a, 'text', dir, zone);
      expect(p1).not.toBe(p2);
      expect(readdirSync(dir).sort()).toEqual(['rdpdoctor-attempt-_.._etc_2Jpasswd-2.txt', 'rdpdoctor-attempt-_.._etc_2Jpasswd.txt']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('theme', () => {
  it('honours NO_COLOR (any non-empty value) and keeps colours otherwise', () => {
    expect(makeTheme({ NO_COLOR: '1' }).tone('fail')).toBeUndefined();
    expect(makeTheme({ NO_COLOR: '1' }).color).toBe(false);
    expect(makeTheme({ NO_COLOR: '' }).tone('fail')).toBe('red');
    expect(makeTheme({}).tone('ok')).toBe('green');
    expect(makeTheme({}, true).tone('ok')).toBeUndefined();
  });
});

describe('text on huge and indented values', () => {
  it('wraps and truncates a megabyte-long value quickly', () => {
    const big = 'A'.repeat(1_000_000);
    const t0 = performance.now();
    const lines = wrap(big, 80);
    expect(lines).toHaveLength(12_500);
    expect(lines.every((l) => l.length === 80)).toBe(true);
    expect(truncate(big, 10)).toBe('AAAAAAAAA…');
    expect(performance.now() - t0).toBeLessThan(5_000);
  });

  it('keeps the indentation of a paragraph on its first line', () => {
    expect(wrap('    <Data Name="Value">2308</Data>', 20)).toEqual(['    <Data', 'Name="Value">2308</D', 'ata>']);
  });
});

describe('codes sort', () => {
  it('orders codes numerically, unknown first', () => {
    const doc = caseDoc();
    const rows = buildRows(doc);
    expect(query(rows, q({ sort: 'codes' })).map((r) => r.codes)).toEqual(['—', '—', '0x204/?', '0x904/?', '0x904/0x7']);
  });
});
