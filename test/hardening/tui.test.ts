// Output safety in the terminal UI: the real `rdpdoctor tui` in tmux over a case whose host, target
// and field names carry terminal controls. tmux pipe-pane records every byte the UI writes; none of
// the hostile sequences may appear raw (ink's own escape codes are different bytes), while the
// neutralised data must be on screen.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RAW_SEQUENCES, writeHostileEvtx } from './support/hostile.js';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BIN = join(REPO, 'bin/rdpdoctor.js');
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const hasCli = existsSync(join(REPO, 'dist/cli/commands/tui.js'));
if (!hasTmux) {
  if (process.env.CI === 'true') throw new Error('hardening/tui: tmux is required when CI=true');
  console.warn('hardening/tui: tmux not installed; TUI output-safety check skipped');
}

// A private tmux server, so nothing touches the user's sessions.
const socket = `rdpdoctor-hardening-${process.pid}`;
const work = mkdtempSync(join(tmpdir(), 'rdpdoctor-tui-hostile-'));
const tmux = (...args: string[]) => spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

afterAll(() => {
  if (hasTmux) tmux('kill-server');
  rmSync(work, { recursive: true, force: true });
});

async function waitFor(test: (screen: string) => boolean, what: string, ms = 20_000): Promise<string> {
  const end = Date.now() + ms;
  let last = '';
  while (Date.now() < end) {
    last = tmux('capture-pane', '-p', '-t', 'ui').stdout;
    if (test(last)) return last;
    await sleep(150);
  }
  throw new Error(`screen never showed ${what}; last screen:\n${last}`);
}

describe.skipIf(!hasTmux || !hasCli)('tui output safety (tmux, raw bytes)', () => {
  it('hostile host, target and field names are shown neutralised; no raw control sequence is written', async () => {
    const inputs = join(work, 'in');
    mkdirSync(inputs);
    writeHostileEvtx(inputs);
    const db = join(work, 'case.db');
    const a = spawnSync(process.execPath, [BIN, 'analyze', '--db', db, '--text', inputs], { encoding: 'utf8', env: { ...process.env, CI: 'true' } });
    expect(a.status, a.stderr).toBe(0);

    const raw = join(work, 'raw.bin');
    // The short sleep lets pipe-pane attach before the UI draws its first frame.
    const cmd = `sleep 0.5; cd '${REPO}' && env -u CI NO_COLOR=1 node '${BIN}' tui --db '${db}' 2>'${join(work, 'err')}'; echo $? > '${join(work, 'exit')}'`;
    expect(tmux('new-session', '-d', '-s', 'ui', '-x', '160', '-y', '40', cmd).status).toBe(0);
    expect(tmux('pipe-pane', '-t', 'ui', `cat > '${raw}'`).status).toBe(0);

    const list = await waitFor((s) => /PWNED/.test(s), 'the attempt list');
    expect(list).toMatch(/CLIENT/);
    tmux('send-keys', '-t', 'ui', 'Enter');
    await waitFor((s) => /srv.*PWNED/.test(s) || /Disconnect Reason/.test(s), 'the attempt detail');
    tmux('send-keys', '-t', 'ui', 'q');
    await sleep(300);
    tmux('send-keys', '-t', 'ui', 'q');
    const end = Date.now() + 10_000;
    while (!existsSync(join(work, 'exit')) && Date.now() < end) await sleep(100);

    const bytes = readFileSync(raw);
    // The capture holds the drawn data (so the checks below look at real output).
    expect(bytes.indexOf(Buffer.from('PWNED'))).toBeGreaterThan(-1);
    for (const seq of RAW_SEQUENCES) {
      const at = bytes.indexOf(seq);
      expect(at, `raw ${JSON.stringify(seq.toString('utf8'))} written to the terminal at byte ${at}`).toBe(-1);
    }
    // No OSC at all: ink draws with CSI only, so any OSC (ESC ] or U+009D) came from data.
    expect(bytes.indexOf(Buffer.from('\x1b]'))).toBe(-1);
    expect(bytes.indexOf(Buffer.from('\u009d', 'utf8'))).toBe(-1);
  });
});
