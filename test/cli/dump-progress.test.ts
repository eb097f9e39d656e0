// dump's progress line: drawn on a terminal (stderr) when stdout goes to a file, never when stdout is
// a pipe (its reader may print to the same screen), and cleared before every other stderr line.
// Run under `script`, which gives the process a real pseudo-terminal.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sampleEvtx } from '../parsers/evtx/fixtures.js';

const repo = resolve(import.meta.dirname, '../..');
const hasScript = spawnSync('script', ['--version']).status === 0;
if (!hasScript) {
  console.warn('dump-progress: script (util-linux) not found; skipping the terminal test');
  if (process.env.CI === 'true') throw new Error('script (bsdutils) is required in CI');
}

const dir = mkdtempSync(join(tmpdir(), 'rdpdoctor-dump-progress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs a shell command on a pseudo-terminal; returns what reached the terminal. */
function onTerminal(cmd: string): string {
  const r = spawnSync('script', ['-qfec', cmd, '/dev/null'], { cwd: repo, encoding: 'utf8', timeout: 60_000, env: { ...process.env, CI: '', TERM: 'xterm' } });
  expect(r.status).toBe(0);
  return r.stdout;
}

describe.skipIf(!hasScript)('dump progress', () => {
  const input = join(dir, 'a.evtx');
  writeFileSync(input, sampleEvtx(900));
  const dump = `"${process.execPath}" bin/rdpdoctor.js dump "${input}"`;

  it('is drawn on the terminal when stdout goes to a file, then cleared for the summary', () => {
    const out = join(dir, 'out.jsonl');
    const screen = onTerminal(`${dump} > "${out}"`);
    // (The line is cut to the terminal's width, so the file name may not fit.)
    expect(screen).toMatch(/\r0% {2}0 B \/ [\d.]+ KiB {2}file 1\/1 {2}ETA \?[^\n]*\x1b\[K/);
    // The summary starts on a cleared line, and the data file holds only data.
    expect(screen).toMatch(/\r\x1b\[K\S*a\.evtx: 900 records read, 0 recovered, 0 skipped/);
    const lines = readFileSync(out, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(900);
    expect(() => lines.forEach((l) => JSON.parse(l))).not.toThrow();
  });

  it('is not drawn when stdout is a pipe, or the screen itself', () => {
    const piped = onTerminal(`${dump} | cat > /dev/null`);
    expect(piped).not.toContain('%  ');
    expect(piped).toContain('900 records read');
    const screen = onTerminal(`${dump} | head -c 0; ${dump} 2>&1 >/dev/tty | cat >/dev/null; ${dump} | tail -n 1 >/dev/null`);
    expect(screen).not.toContain('ETA');
  });
});
