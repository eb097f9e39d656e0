import { describe, expect, it } from 'vitest';
import { type ProgressStream, StderrProgress, progressWanted } from '../../src/cli/progress.js';

function fakeStream(isTTY = true): ProgressStream & { out: string[] } {
  const out: string[] = [];
  return { isTTY, columns: 100, out, write: (t: string) => out.push(t) };
}

describe('analyze progress line', () => {
  it('is wanted only on a terminal, outside CI, and not on a dumb terminal', () => {
    expect(progressWanted(fakeStream(true), {})).toBe(true);
    expect(progressWanted(fakeStream(false), {})).toBe(false);
    expect(progressWanted(fakeStream(true), { CI: 'true' })).toBe(false);
    expect(progressWanted(fakeStream(true), { TERM: 'dumb' })).toBe(false);
  });

  it('draws bytes, percent and ETA on one rewritten line, at most every 100 ms, and clears it', () => {
    let t = 0;
    const s = fakeStream();
    const p = new StderrProgress(s, () => t);
    const base = { totalBytes: 4 * 1024 * 1024, filesDone: 0, filesTotal: 2, eventsStored: 10, current: 'srv/\u001b[2JSystem.evtx' };
    t = 1000;
    p.update({ ...base, doneBytes: 1024 * 1024 });
    t = 1050; // throttled
    p.update({ ...base, doneBytes: 2 * 1024 * 1024 });
    t = 2000;
    p.update({ ...base, doneBytes: 4 * 1024 * 1024, filesDone: 2 });
    expect(s.out).toHaveLength(2);
    expect(s.out[0]).toMatch(/^\r25% {2}1\.0 MiB \/ 4\.0 MiB {2}file 1\/2 {2}10 events stored {2}ETA 3s {2}srv\/\\x1b\[2JSystem\.evtx\u001b\[K$/);
    expect(s.out[1]).toMatch(/^\r100% /);
    p.clear();
    expect(s.out[2]).toBe('\r\u001b[K');
    p.clear();
    expect(s.out).toHaveLength(3);
  });
});

describe('analysis phase line', () => {
  it('draws free text on the rewritten line, sanitized, throttled, and clears it', () => {
    let t = 0;
    const s = fakeStream();
    const p = new StderrProgress(s, () => t);
    p.phase('analyzing 1223645 events  0s');
    t = 50; // throttled
    p.phase('analyzing 1223645 events  0s');
    t = 600;
    p.phase('analyzing \u001b[2J events  1s');
    expect(s.out).toEqual(['\ranalyzing 1223645 events  0s\u001b[K', '\ranalyzing \\x1b[2J events  1s\u001b[K']);
    p.clear();
    expect(s.out[2]).toBe('\r\u001b[K');
  });
});
