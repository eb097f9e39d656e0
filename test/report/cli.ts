// Runs the built CLI (bin/rdpdoctor.js → dist/) in a child process, as users and pipelines do.
import { execFile, spawnSync } from 'node:child_process';
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

/** Same as runCli, asynchronous, so independent runs can overlap (they spend much time waiting on I/O). */
export function runCliAsync(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliResult> {
  if (!cliBuilt()) throw new Error('dist/ is missing: run `npm run build` before the CLI tests');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8', TZ: 'UTC', ...env }, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Runs jobs with at most `limit` in flight; results in job order. */
export async function inParallel<T>(jobs: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await (jobs[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return out;
}
