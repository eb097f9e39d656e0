import { describe, expect, it } from 'vitest';
import { explainCode } from '../../src/rules/explain.js';
import { runFixtures } from '../../src/rules/fixtures.js';
import { loadCatalog } from '../../src/rules/index.js';
import { describeExt, lookup, parseExtended } from '../../src/rules/codes.js';

const catalog = loadCatalog();

describe('catalogue fixtures (rules test)', () => {
  const results = runFixtures(catalog);
  it('every rule has at least one fixture', () => {
    const withFixtures = new Set(results.filter((r) => r.description !== 'no fixtures').map((r) => r.rule));
    expect(catalog.rules.filter((r) => !withFixtures.has(r.id)).map((r) => r.id)).toEqual([]);
  });
  for (const r of results) {
    it(`${r.rule}: ${r.description}`, () => {
      expect(r.failures).toEqual([]);
    });
  }
});

describe('decode tables', () => {
  it('knows 0x904 and extended 0x7, and marks unconfirmed entries', () => {
    expect(lookup('disc', 0x904)?.name).toBe('AtClientWinsockFDCLOSE');
    expect(describeExt(7)?.name).toBe('exDiscReasonServerDeniedConnection');
    expect(lookup('disc', 0xb08)?.unconfirmed).toBe(true);
    expect(lookup('lsm', 5)?.unconfirmed).toBe(true);
    expect(describeExt(0x1234)?.name).toBe('exDiscReasonProtocolRange');
    expect(parseExtended('exDiscReasonServerDeniedConnection')).toBe(7);
    expect(parseExtended('0x9')).toBe(9);
  });

  it('explain: 0x904/0x7 fits server-denied and excludes firewall, DNS and TLS causes', () => {
    const ex = explainCode(0x904, 7, catalog);
    expect(ex.entry?.name).toBe('AtClientWinsockFDCLOSE');
    expect(ex.fits.map((f) => f.cause)).toEqual(['rdp-proxy-refused', 'server-denied']);
    expect(ex.excludes.map((f) => f.cause)).toEqual(expect.arrayContaining(['firewall-blocked', 'dns-resolution', 'tls-mismatch', 'nla-credentials']));
  });

  it('explain: 0x204 fits a blocked port; an NTSTATUS is found in its own table', () => {
    expect(explainCode(516, undefined, catalog).fits.map((f) => f.cause)).toContain('firewall-blocked');
    const st = explainCode(0xc000015b, undefined, catalog);
    expect(st.table).toBe('ntstatus');
    expect(st.fits).toEqual([]);
    expect(explainCode(0xa08, undefined, catalog).entry).toBeUndefined();
  });
});
