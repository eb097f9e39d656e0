// Every command explains itself: --help has usage and examples, and --version answers.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../support/cli.js';

const COMMANDS = ['analyze', 'dump', 'ingest', 'events', 'attempts', 'show', 'explain', 'rules', 'tui'];

function built(args: string[]): { stdout: string; status: number | null } {
  const r = spawnSync(process.execPath, ['bin/rdpdoctor.js', ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
  return { stdout: r.stdout, status: r.status };
}

describe('help and version', () => {
  for (const c of COMMANDS) {
    it(`${c} --help shows usage and examples that use the command`, () => {
      const r = built([c, '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`Usage: rdpdoctor ${c}`);
      expect(r.stdout).toMatch(/Examples?:/);
      expect(r.stdout).toContain(`rdpdoctor ${c} `);
    });
  }

  it('--version prints the package version', () => {
    const r = built(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
