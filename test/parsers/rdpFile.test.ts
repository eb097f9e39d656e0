import { describe, expect, it } from 'vitest';
import { KEY_SETTINGS, rdpFileReader, sniffRdp } from '../../src/parsers/rdpFile.js';
import { collect, fixture, fixtureBytes, memorySource, utf16 } from './support/collect.js';

describe('.rdp reader', () => {
  it('reads an mstsc file into one rdp-file context with every setting and the target', async () => {
    const r = await collect(rdpFileReader, fixture('mstsc-srv01.rdp'), {});
    expect(r.issues).toEqual([]);
    expect(r.contexts).toHaveLength(1);
    const c = r.contexts[0]!;
    expect(c).toMatchObject({ kind: 'rdp-file', target: 'srv01.contoso.local', source: { format: 'rdp', fidelity: 'context', file: 'inputs/mstsc-srv01.rdp' } });
    for (const k of KEY_SETTINGS.filter((k) => !['alternate full address', 'domain', 'loadbalanceinfo'].includes(k))) expect(c.settings, k).toHaveProperty([k]);
    expect(c.settings).toMatchObject({ 'gatewayusagemethod': '2', 'authentication level': '2', 'alternate shell': '', 'username': 'CONTOSO\\alice' });
    expect(c.settings['password 51']).toBe('(redacted)');
    await expect(JSON.stringify(r.contexts, null, 2)).toMatchFileSnapshot('../fixtures/inputs/golden/mstsc-srv01.rdp.golden.json');
  });

  it('reads the UTF-16LE-with-BOM form mstsc saves identically', async () => {
    const text = fixtureBytes('mstsc-srv01.rdp').toString('utf8');
    const bytes = utf16(text);
    expect(sniffRdp(bytes)).toBe(true);
    const a = await collect(rdpFileReader, memorySource('a.rdp', text), {});
    const b = await collect(rdpFileReader, memorySource('a.rdp', bytes, 5), {});
    expect(b.contexts).toEqual(a.contexts);
  });

  it('reports lines that are not settings and a missing full address', async () => {
    const r = await collect(rdpFileReader, memorySource('x.rdp', 'screen mode id:i:2\r\nthis is junk\r\nusername:s:bob\r\n'), {});
    expect(r.issues.map((i) => [i.code, i.line])).toEqual([
      ['rdp.bad-line', 2],
      ['rdp.no-target', undefined],
    ]);
    expect(r.contexts[0]!.target).toBeUndefined();
  });

  it('does not claim other text formats', () => {
    expect(sniffRdp(fixtureBytes('RDCMan-202403140904.log'))).toBe(false);
    expect(sniffRdp(fixtureBytes('evtviewer-client.csv'))).toBe(false);
    expect(sniffRdp(Buffer.from('hello world\nthis: is prose\n'))).toBe(false);
  });
});
