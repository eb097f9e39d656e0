// The real CLI in a real terminal: tmux runs `rdpdoctor tui`, keys are sent, and the screen is read
// back after each step. Runs against a case built from samples/ with `analyze --db`, and against the
// hand-made fixture document (hidden --doc) for exact assertions. Needs tmux and a build (dist/).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { caseDoc } from './fixtures/caseDoc.js';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(repoRoot, 'bin/rdpdoctor.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const hasBuild = existsSync(join(repoRoot, 'dist/cli/main.js'));
const sample = join(repoRoot, 'samples/server-denied');
const ci = process.env.CI === 'true';

if (!hasTmux || !hasBuild) {
  const why = !hasTmux ? 'tmux is not installed' : 'dist/ is not built (npm run build)';
  if (ci) throw new Error(`tui end-to-end test cannot run in CI: ${why}`);
  console.warn(`skipping the tui end-to-end test: ${why}`);
}

// A private tmux server: nothing here touches the user's own sessions.
const socket = `rdpdoctor-e2e-${process.pid}`;
const work = mkdtempSync(join(tmpdir(), 'rdpdoctor-e2e-'));
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });

afterAll(() => {
  if (hasTmux) tmux('kill-server');
  rmSync(work, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class Screen {
  constructor(readonly name: string) {}

  capture(): string {
    return tmux('capture-pane', '-p', '-t', this.name).stdout;
  }

  /** Waits until the screen shows `what` (polling: startup and redraw times vary on shared machines). */
  async waitFor(what: string | RegExp, timeoutMs = 20_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let last = '';
    while (Date.now() < end) {
      last = this.capture();
      if (typeof what === 'string' ? last.includes(what) : what.test(last)) return last;
      await sleep(100);
    }
    throw new Error(`screen never showed ${String(what)}; last screen:\n${last}`);
  }

  /** Presses Down until the screen shows `what` (at most 60 times). */
  async scrollUntil(what: RegExp): Promise<string> {
    for (let i = 0; i < 60; i++) {
      const s = this.capture();
      if (what.test(s)) return s;
      this.keys('Down');
      await sleep(150);
    }
    throw new Error(`scrolling never showed ${String(what)}; last screen:\n${this.capture()}`);
  }

  keys(...keys: string[]): void {
    const r = tmux('send-keys', '-t', this.name, ...keys);
    if (r.status !== 0) throw new Error(`tmux send-keys failed: ${r.stderr}`);
  }

  /** Types literal text (each character as its own key). */
  type(text: string): void {
    const r = tmux('send-keys', '-t', this.name, '-l', text);
    if (r.status !== 0) throw new Error(`tmux send-keys failed: ${r.stderr}`);
  }
}

/**
 * Starts `rdpdoctor <args>` in a 100x30 tmux window. The shell prints a marker first; the process id
 * lands in `<name>.pid`, the exit status in `<name>.exit`, and the terminal mode after exit in
 * `<name>.stty`.
 */
function start(name: string, args: string[]): { screen: Screen; exitFile: string; pidFile: string } {
  const exitFile = join(work, `${name}.exit`);
  const pidFile = join(work, `${name}.pid`);
  const quoted = args.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  // CI is unset for the child: ink only animates when it believes it is not in CI.
  // \$\$ reaches the inner shell unexpanded, so the pid is the one that exec()s node.
  const run = `echo \\$\\$ > '${pidFile}'; exec env -u CI NO_COLOR=1 node '${bin}' ${quoted} 2>'${join(work, `${name}.err`)}'`;
  const cmd = `cd '${repoRoot}' && echo SHELL-BEFORE-TUI && sh -c "${run}"; echo $? > '${join(work, `${name}.rc`)}'; stty -a > '${join(work, `${name}.stty`)}'; cat '${join(work, `${name}.rc`)}' > '${exitFile}'; sleep 30`;
  const r = tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30', cmd);
  if (r.status !== 0) throw new Error(`tmux new-session failed: ${r.stderr}`);
  return { screen: new Screen(name), exitFile, pidFile };
}

async function exitStatus(exitFile: string): Promise<number> {
  const end = Date.now() + 15_000;
  while (Date.now() < end) {
    if (existsSync(exitFile)) {
      const t = readFileSync(exitFile, 'utf8').trim();
      if (t) return Number(t);
    }
    await sleep(100);
  }
  throw new Error('the tui did not exit within 15 s');
}

describe.skipIf(!hasTmux || !hasBuild)('rdpdoctor tui in tmux', () => {
  it('on a case built from samples/server-denied: list, detail, event, search, quit', async () => {
    if (!existsSync(sample)) {
      if (ci) throw new Error('samples/server-denied is missing');
      console.warn('skipping the samples case: samples/server-denied is missing');
      return;
    }
    const db = join(work, 'case.db');
    const an = spawnSync(process.execPath, [bin, 'analyze', sample, '--db', db, '--text', '--quiet'], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(an.status, an.stderr).toBe(0);

    const { screen, exitFile } = start('samples', ['tui', '--db', db]);
    let s = await screen.waitFor(/\d+ attempts: \d+ failed/);
    expect(s).toContain('RDS01.corp.example');
    expect(s).toMatch(/showing (\d+) of \1/);
    expect(s).toContain('0x904');

    screen.keys('Down', 'Enter');
    s = await screen.waitFor('Timeline');
    expect(s).toMatch(/rdpdoctor › attempt att-/);
    expect(s).toMatch(/client .*│server RDS01\.corp\.example/);

    screen.keys('Tab', 'Enter');
    s = await screen.waitFor('› event ');
    s = await screen.scrollUntil(/Position +chunk \d+ record \d+/);
    screen.keys('End');
    s = await screen.waitFor('Raw XML');
    // The case keeps no raw XML: the record was read again from its evtx file and indented.
    expect(s).toMatch(/^ {2}<\/Event>/m);

    screen.keys('Escape');
    await screen.waitFor('Tab next event');
    screen.keys('BSpace');
    await screen.waitFor('Enter open');

    screen.keys('/');
    await screen.waitFor('type to search');
    screen.type('alice');
    s = await screen.waitFor(/\/alice.*match/);
    screen.keys('Enter');
    s = await screen.waitFor('search: "alice"');
    expect(s).toMatch(/showing \d+ of \d+/);
    for (const row of s.split('\n').filter((l) => /^[› ] \d{2}-\d{2} /.test(l))) expect(row.toLowerCase()).toMatch(/alice|s-1-5-/);
    screen.keys('Escape');
    await screen.waitFor('search and filters cleared');

    screen.keys('q');
    expect(await exitStatus(exitFile)).toBe(0);
    expect(readFileSync(join(work, 'samples.err'), 'utf8')).not.toMatch(/internal error|Error:/);
  });

  it('on the fixture document: exact screens at each step, export, help, clean exit', async () => {
    const docPath = join(work, 'doc.json');
    writeFileSync(docPath, JSON.stringify(caseDoc()));
    const { screen, exitFile } = start('fixture', ['tui', '--doc', docPath, '--export-dir', work]);
    let s = await screen.waitFor('5 attempts: 3 failed');
    expect(s).toContain('SRV01 server skew +2.3s');
    expect(s).toContain('EVIL\\x1b[2J');
    expect(s).toContain('showing 5 of 5');

    screen.keys('Down', 'Down', 'Enter');
    s = await screen.waitFor('rdpdoctor › attempt a-0003');
    expect(s).toMatch(/14:03:20\.110 +\+0\.110s │ +│RdpCoreTS 131/);

    screen.keys('e', 'j');
    s = await screen.waitFor('exported json to');
    expect(JSON.parse(readFileSync(join(work, 'rdpdoctor-attempt-a-0003.json'), 'utf8')).attempt.id).toBe('a-0003');

    screen.keys('Escape');
    await screen.waitFor('showing 5 of 5');
    screen.keys('/');
    screen.type('10.0.0.99');
    await screen.waitFor('/10.0.0.99');
    screen.keys('Enter');
    s = await screen.waitFor('showing 1 of 5');
    expect(s).toContain('FAIL 0x904/?');

    screen.keys('Escape');
    await screen.waitFor('showing 5 of 5');
    screen.keys('?');
    await screen.waitFor('Keys');
    screen.keys('x');
    await screen.waitFor('showing 5 of 5');

    screen.keys('q');
    expect(await exitStatus(exitFile)).toBe(0);
    // The alternate screen was left: the shell's screen is back, the UI is gone, the tty is cooked again.
    s = screen.capture();
    expect(s).toContain('SHELL-BEFORE-TUI');
    expect(s).not.toContain('showing 5 of 5');
    expect(readFileSync(join(work, 'fixture.stty'), 'utf8')).toMatch(/(^|\s)icanon(\s|$)/m);
  });

  it('gives the terminal back when killed with SIGTERM', async () => {
    const docPath = join(work, 'doc-term.json');
    writeFileSync(docPath, JSON.stringify(caseDoc()));
    const { screen, exitFile, pidFile } = start('sigterm', ['tui', '--doc', docPath]);
    await screen.waitFor('5 attempts: 3 failed');
    // The pid is the one this test started (the shell exec'd node), never a process found by name.
    process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGTERM');
    expect(await exitStatus(exitFile)).toBe(143);
    const s = screen.capture();
    expect(s).toContain('SHELL-BEFORE-TUI');
    expect(s).not.toContain('showing 5 of 5');
    expect(readFileSync(join(work, 'sigterm.stty'), 'utf8')).toMatch(/(^|\s)icanon(\s|$)/m);
  });
});
