// 10,000 attempts: the list renders only the visible window, and moving the cursor re-renders
// the rows whose selection changed, not the window.
import { cleanup } from 'ink-testing-library';
import { afterEach, expect, it } from 'vitest';
import { rowRenders } from '../../src/tui/components/AttemptRow.js';
import { bigDoc } from './fixtures/bigDoc.js';
import { KEY, renderApp, stripSgr } from './support/render.js';

afterEach(() => cleanup());

it('renders a window of a 10,000-attempt list and stays cheap per key press', async () => {
  const doc = bigDoc(10_000);
  const started = performance.now();
  const r = await renderApp(doc, {}, { columns: 100, rows: 24 });
  const rowsOnScreen = (): string[] => stripSgr(r.frame()).split('\n').filter((l) => /b-\d{5}|^[› ] \d{2}-\d{2} /.test(l));
  const visible = rowsOnScreen().length;
  expect(visible).toBeGreaterThan(5);
  expect(visible).toBeLessThan(24);
  expect(r.frame()).toContain('showing 10000 of 10000');

  rowRenders.count = 0;
  const moves = 30;
  for (let i = 0; i < moves; i++) await r.press(KEY.down);
  // Each move re-renders the old and the new selected row, plus one newly exposed row once scrolling starts.
  expect(rowRenders.count).toBeLessThanOrEqual(moves * 3);
  expect(rowsOnScreen()).toHaveLength(visible);
  expect(stripSgr(r.frame())).toMatch(/^› 03-01 00:30:00\+00:00/m);

  rowRenders.count = 0;
  await r.press('G');
  expect(rowRenders.count).toBeLessThanOrEqual(visible);
  expect(stripSgr(r.frame())).toMatch(/^› 03-07 22:39:00\+00:00/m);

  await r.press('/', 'u', 's', 'e', 'r', '1', '9', '9', KEY.enter);
  expect(r.frame()).toContain('showing 50 of 10000');
  // Wall time is logged, not asserted: CI machines are shared; the render counts above are the contract.
  console.warn(`10,000-attempt list: ${Math.round(performance.now() - started)} ms for mount, 31 moves and a search`);
});
