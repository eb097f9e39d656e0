// Runs the built CLI (bin/rdpdoctor.js → dist/) in a child process, as users and pipelines do.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './validate.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const BIN = path.join(repoRoot, 'bin/rdpdoctor.js');

export function cliBuilt(): boolean {
  return existsSync(path.join(repoRoot, 'dist/cli/main.js'));
}

/** Runs `rdpdoctor …args` in `cwd` with a clean, non-TTY environment (no CI/NO_COLOR leaks). */
export function runCli(args: string[], cwd: string, env: Record<string, string> = {}): CliResult {
  if (!cliBuilt()) throw new Error('dist/ is missing: run `npm run build` before the CLI tests');
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8', TZ: 'UTC', ...env },
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
