// On a terminal, analyze opens the TUI (lazy-loaded) and, once it is closed, still ends with the
// counts on stderr. Driven through tmux, which gives the process a real pseudo-terminal.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliBuilt } from '../report/cli.js';
import { writeScenario } from '../report/scenario.js';
import { repoRoot } from '../report/validate.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
if (!hasTmux) {
  console.warn('analyze-tty: tmux not found; skipping the terminal test');
  if (process.env.CI === 'true') throw new Error('tmux is required in CI (apt-get install tmux)');
}

const session = `rdpdoctor-analyze-${process.pid}`;
const tmux = (...args: string[]): string => spawnSync('tmux', args, { encoding: 'utf8' }).stdout;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitFor(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const end = Date.now() + timeoutMs;
  let screen = '';
  while (Date.now() < end) {
    screen = tmux('capture-pane', '-t', session, '-p');
    if (pattern.test(screen)) return screen;
    await sleep(200);
  }
  throw new Error(`timed out waiting for ${pattern}; screen:\n${screen}`);
}

describe.skipIf(!hasTmux)('analyze on a terminal', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'rdpdoctor-tty-'));
  writeScenario(root);
  afterAll(() => {
    spawnSync('tmux', ['kill-session', '-t', session]);
    rmSync(root, { recursive: true, force: true });
  });

  it('opens the TUI, and prints the counts after it is closed', async () => {
    expect(cliBuilt()).toBe(true);
    const bin = path.join(repoRoot, 'bin/rdpdoctor.js');
    const cmd = `cd '${root}' && env -u CI NO_COLOR=1 '${process.execPath}' '${bin}' analyze client server --ext 7; echo "EXIT=$?"; sleep 60`;
    expect(spawnSync('tmux', ['new-session', '-d', '-s', session, '-x', '160', '-y', '40', cmd]).status).toBe(0);
    const ui = await waitFor(/server-denied/);
    expect(ui).toMatch(/0x904\/0x7/);
    tmux('send-keys', '-t', session, 'q');
    const after = await waitFor(/EXIT=\d+/);
    expect(after).toContain('EXIT=0');
    expect(after).toMatch(/rdpdoctor: files: 3 seen, 3 read, 0 skipped/);
    expect(after).toMatch(/rdpdoctor: events stored: 11; attempts built: 3/);
  });
});
