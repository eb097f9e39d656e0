// Event data is attacker-controlled: no escape or control sequence from a log may reach the screen,
// in any pane, at any width.
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { caseDoc, caseEvents, HOSTILE } from './fixtures/caseDoc.js';
import { KEY, renderApp, stripSgr } from './support/render.js';

afterEach(() => cleanup());

const RAW = ['\u001b[2J', '\u001b]52', '\u0007', '\u009b', '\u0085', '\u202e'];

function assertClean(frame: string): void {
  for (const seq of RAW) expect(frame.includes(seq), `raw ${JSON.stringify(seq)} reached the frame`).toBe(false);
  // Once ink's own SGR styling is removed, nothing but newlines may be a control character.
  expect(stripSgr(frame)).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
}

describe.each([80, 140])('hostile event data at %i columns', (columns) => {
  it('is shown escaped in the list, the attempt detail, the event detail and the case pane', async () => {
    const events = caseEvents();
    const r = await renderApp(caseDoc(), { getEvent: (id) => events.get(id) }, { columns, rows: 50 }, true);
    const frames: string[] = [r.frame()];
    expect(stripSgr(r.frame())).toContain('EVIL\\x1b[2J');
    await r.press('G', KEY.enter);
    frames.push(r.frame());
    expect(stripSgr(r.frame())).toContain('bob\\x1b]52;c;ZWNobyBwd25lZA==\\x07');
    expect(stripSgr(r.frame())).toContain('srv\\x9b31mred\\x85x');
    await r.press(KEY.tab, KEY.tab, KEY.enter);
    frames.push(r.frame());
    expect(stripSgr(r.frame())).toContain('pay\\u202eload\\x07\\x1b[31m');
    await r.press(KEY.escape, KEY.escape, 'w');
    frames.push(r.frame());
    await r.press(KEY.escape, '/');
    // A pasted search with controls keeps only the printable part.
    await r.press(`EVIL${HOSTILE.host.slice(4)}`);
    frames.push(r.frame());
    for (const f of frames) assertClean(f);
  });
});
