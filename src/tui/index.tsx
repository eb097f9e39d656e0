// Entry of the terminal UI, loaded lazily by the CLI (`analyze` on a TTY, `rdpdoctor tui`), so
// nothing else in the tool pays for React and ink.
import { constants } from 'node:os';
import { render } from 'ink';
import type { AnalysisDocument } from '../model/report.js';
import { App } from './components/App.js';
import { resolveZone } from './format.js';
import type { TuiOptions } from './options.js';
import { makeTheme, ThemeContext } from './theme.js';

export type { TuiEvent, TuiOptions } from './options.js';

const ALT_SCREEN_ON = '\u001b[?1049h\u001b[H';
const ALT_SCREEN_OFF = '\u001b[?1049l';
const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];

/** Runs the UI over `doc` until the user quits (q, Ctrl+C). Restores the screen on the way out. */
export async function runTui(doc: AnalysisDocument, opts: TuiOptions = {}): Promise<void> {
  resolveZone(opts.tz); // a bad --tz fails before the screen is taken over
  const stdout = opts.stdout ?? process.stdout;
  const alt = opts.alternateScreen ?? stdout.isTTY === true;
  let restored = !alt;
  const restore = (): void => {
    if (restored) return;
    restored = true;
    stdout.write(ALT_SCREEN_OFF);
  };
  if (alt) {
    stdout.write(ALT_SCREEN_ON);
    process.once('exit', restore);
  }
  const theme = makeTheme(process.env, opts.noColor);
  try {
    const instance = render(
      <ThemeContext.Provider value={theme}>
        <App doc={doc} opts={opts} />
      </ThemeContext.Provider>,
      { stdout, stdin: opts.stdin ?? process.stdin, stderr: opts.stderr ?? process.stderr, exitOnCtrlC: true, patchConsole: false },
    );
    // A signal from outside (kill, a closed terminal) must not leave the terminal on the alternate
    // screen and in raw mode: give both back and end normally (callers' cleanup runs, the case file
    // is closed) with the status a death by that signal reports, 128 + its number.
    const onSignal = (sig: NodeJS.Signals): void => {
      for (const s of SIGNALS) process.off(s, onSignal);
      instance.unmount();
      restore();
      process.exitCode = 128 + (constants.signals[sig] ?? 0);
    };
    for (const s of SIGNALS) process.once(s, onSignal);
    try {
      await instance.waitUntilExit();
    } finally {
      for (const s of SIGNALS) process.off(s, onSignal);
    }
  } finally {
    restore();
    process.off('exit', restore);
  }
}
