// Semantic colour tokens: components ask for a meaning (fail, ok, muted…), never a raw colour, so
// NO_COLOR and monochrome terminals change one table instead of every component.
import { createContext, useContext } from 'react';

export type Tone = 'ok' | 'fail' | 'warn' | 'muted' | 'accent' | 'info' | 'client' | 'server' | 'text';

export interface Theme {
  /** False when NO_COLOR is set: components must then rely on inverse/bold/markers alone. */
  color: boolean;
  tone(t: Tone | undefined): string | undefined;
}

const PALETTE: Record<Tone, string | undefined> = {
  ok: 'green',
  fail: 'red',
  warn: 'yellow',
  muted: 'gray',
  accent: 'cyan',
  info: 'blue',
  client: 'magenta',
  server: 'cyan',
  text: undefined,
};

/** NO_COLOR (https://no-color.org): any non-empty value turns colour off. */
export function makeTheme(env: NodeJS.ProcessEnv = process.env, forceNoColor = false): Theme {
  const color = !forceNoColor && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
  return { color, tone: (t) => (color && t ? PALETTE[t] : undefined) };
}

export const ThemeContext = createContext<Theme>(makeTheme({}));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
