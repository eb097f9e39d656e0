import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');

/** The CLI from source in a child process: stdout, stderr and exit status as a user sees them. */
function cli(args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', "import('./src/cli/main.ts').then((m) => m.main(process.argv))", 'rdpdoctor', ...args], {
    cwd: repo,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

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
