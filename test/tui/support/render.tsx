// Renders the UI with ink-testing-library at a chosen terminal size: the fake stdout is resized
// after mount (as a real terminal would be), which also exercises the resize handling.
import { render } from 'ink-testing-library';
import type { AnalysisDocument } from '../../../src/model/report.js';
import { App } from '../../../src/tui/components/App.js';
import type { TuiOptions } from '../../../src/tui/options.js';
import { makeTheme, ThemeContext } from '../../../src/tui/theme.js';

export const KEY = {
  up: '\u001b[A',
  down: '\u001b[B',
  pageDown: '\u001b[6~',
  enter: '\r',
  escape: '\u001b',
  backspace: '\u007f',
  tab: '\t',
};

export const tick = (ms = 15): Promise<void> => new Promise((r) => setTimeout(r, ms));
const immediate = (): Promise<void> => new Promise((r) => setImmediate(r));

export type Rendered = ReturnType<typeof render> & {
  press(...keys: string[]): Promise<void>;
  resize(columns: number, rows: number): Promise<void>;
  frame(): string;
};

export async function renderApp(doc: AnalysisDocument, opts: TuiOptions = {}, size = { columns: 80, rows: 24 }, color = false): Promise<Rendered> {
  const inst = render(
    <ThemeContext.Provider value={makeTheme({}, !color)}>
      <App doc={doc} opts={{ tz: 'UTC', ...opts }} />
    </ThemeContext.Provider>,
  );
  const r = inst as Rendered;
  r.resize = async (columns, rows) => {
    Object.defineProperty(inst.stdout, 'columns', { value: columns, configurable: true });
    Object.defineProperty(inst.stdout, 'rows', { value: rows, configurable: true });
    inst.stdout.emit('resize');
    await tick();
  };
  r.press = async (...keys) => {
    for (const k of keys) {
      inst.stdin.write(k);
      // ink delivers a lone ESC from a setImmediate; yielding to the check phase first keeps a late
      // timer (busy machine) from running the next step before that key was handled.
      await immediate();
      await immediate();
      await tick();
    }
  };
  r.frame = () => inst.lastFrame() ?? '';
  await r.resize(size.columns, size.rows);
  return r;
}

/** Removes SGR colour/style sequences (ink's own), leaving anything else visible to assertions. */
export function stripSgr(s: string): string {
  return s.replace(/\u001b\[[0-9;]*m/g, '');
}

/** Every line of a frame fits the terminal width (in columns, SGR excluded). */
export function maxLineWidth(frame: string): number {
  return Math.max(...stripSgr(frame).split('\n').map((l) => [...l].length));
}
