import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCliFromSource } from '../support/cli.js';


const cli = runCliFromSource;

describe('rdpdoctor rules', () => {
  it('list shows every cause with unconfirmed ones marked', () => {
    const r = cli(['rules', 'list']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(20);
    expect(lines.find((l) => l.startsWith('pending-reboot'))).toContain('[unconfirmed]');
    expect(lines.find((l) => l.startsWith('server-denied'))).not.toContain('[unconfirmed]');
  });

  it('test runs every fixture of the bundled catalogue and passes', () => {
    const r = cli(['rules', 'test']);
    expect(r.status).toBe(0);
    expect(r.stdout).not.toContain('FAIL');
    expect(r.stderr).toMatch(/rdpdoctor: (\d+)\/\1 fixtures passed/);
  });

  it('lint names the file and the reason of a bad rule and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rdpdoctor-lint-'));
    writeFileSync(
      join(dir, 'broken.yaml'),
      'id: broken\ntitle: Broken\nneeds: [{ channel: rdpclent }]\nsupports: [{ when: { codes: { disconnectReason: 0x904 } }, weight: 1, says: x }]\nrefutes: []\nremediation: [x]\nreferences: [y]\n',
    );
    const r = cli(['rules', 'lint', dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`${join(dir, 'broken.yaml')}: needs[0].channel: unknown channel alias "rdpclent"`);
  });
});
