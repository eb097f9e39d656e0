// The entry point as the CLI calls it: takes the alternate screen, quits on q or Ctrl+C, gives the
// screen back, and refuses a bad zone before drawing anything.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { runTui } from '../../src/tui/index.js';
import { caseDoc } from './fixtures/caseDoc.js';

class FakeStdout extends EventEmitter {
  isTTY = true;
  columns = 100;
  rows = 30;
  chunks: string[] = [];
  write = (s: string, cb?: () => void): boolean => {
    this.chunks.push(s);
    cb?.();
    return true;
  };
}

class FakeStdin extends EventEmitter {
  isTTY = true;
  private pending: string[] = [];
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read = (): string | null => this.pending.shift() ?? null;
  type(s: string): void {
    this.pending.push(s);
    this.emit('readable');
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function session(keys: string[]) {
  const stdout = new FakeStdout();
  const stdin = new FakeStdin();
  const stderr = new FakeStdout();
  const done = runTui(caseDoc(), {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    tz: 'UTC',
  });
  await sleep(100);
  for (const k of keys) {
    stdin.type(k);
    await sleep(30);
  }
  await Promise.race([done, sleep(5000).then(() => Promise.reject(new Error('runTui did not return')))]);
  return stdout.chunks.join('');
}

describe('runTui', () => {
  it('draws on the alternate screen and gives the screen back when q is pressed', async () => {
    const out = await session(['\u001b[B', 'q']);
    expect(out.startsWith('\u001b[?1049h')).toBe(true);
    expect(out.endsWith('\u001b[?1049l')).toBe(true);
    expect(out).toContain('5 attempts: 3 failed');
  });

  it('quits on Ctrl+C too', async () => {
    const out = await session(['\u0003']);
    expect(out.endsWith('\u001b[?1049l')).toBe(true);
  });

  it('refuses an unknown zone before touching the screen', async () => {
    const stdout = new FakeStdout();
    await expect(runTui(caseDoc(), { stdout: stdout as unknown as NodeJS.WriteStream, tz: 'Nowhere/Land' })).rejects.toThrow(/Nowhere\/Land/);
    expect(stdout.chunks).toEqual([]);
  });
});
