import { describe, expect, it } from 'vitest';
import { runCliFromSource } from '../support/cli.js';


const cli = runCliFromSource;

describe('rdpdoctor explain', () => {
  it('explains 0x904 with extended 0x7 and lists fitting and excluded causes', () => {
    const r = cli(['explain', '0x904', '--ext', '7']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('0x904 (2308) AtClientWinsockFDCLOSE: socket closed');
    expect(r.stdout).toContain('0x7 (7) exDiscReasonServerDeniedConnection');
    const fits = r.stdout.slice(r.stdout.indexOf('Fits:'), r.stdout.indexOf('Excludes:'));
    expect(fits).toContain('server-denied:');
    expect(fits).not.toContain('firewall-blocked:');
    expect(r.stdout.slice(r.stdout.indexOf('Excludes:'))).toContain('firewall-blocked:');
  });

  it('takes decimal input, prints JSON, marks unconfirmed and undocumented codes', () => {
    const j = cli(['explain', '2824', '--json']);
    expect(j.status).toBe(0);
    const doc = JSON.parse(j.stdout) as { code: number; entry: { unconfirmed?: boolean; name: string } };
    expect(doc.code).toBe(0xb08);
    expect(doc.entry.unconfirmed).toBe(true);
    const u = cli(['explain', '0x1508']);
    expect(u.stdout).toContain('0x1508 (5384): undocumented');
  });

  it('rejects a non-number with a usage error on stderr and nothing on stdout', () => {
    const r = cli(['explain', 'banana']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('"banana" is not a code');
  });
});
