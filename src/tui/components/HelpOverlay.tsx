// `?`: every key, for the screen the user is on and the others.
import { Box, Text } from 'ink';
import { useTheme } from '../theme.js';

const KEYS: [string, string][] = [
  ['↑ ↓  k j', 'move (list rows; detail lines)'],
  ['PgUp PgDn  g G', 'page up / down, first / last'],
  ['Enter', 'open the attempt, or the event under the cursor'],
  ['Tab  n / N', 'detail: next / previous line that points at an event'],
  ['Esc  Backspace', 'back (and clear a search in the list)'],
  ['/', 'search attempts (host, user, target, IP, code, cause); Enter keeps, Esc cancels'],
  ['f', 'filter by outcome, host or cause'],
  ['s  S', 'cycle the sort field / reverse the order'],
  ['e', 'export the current attempt as JSON or text'],
  ['w', 'case: hosts and skew, findings, inputs and their errors'],
  ['?', 'this help (any key closes it)'],
  ['q  Ctrl+C', 'quit'],
];

export function HelpOverlay({ width, height }: { width: number; height: number }) {
  const theme = useTheme();
  const kw = 16;
  return (
    <Box flexDirection="column" height={height} width={width} borderStyle="round" borderColor={theme.tone('accent')} paddingX={1} overflow="hidden">
      <Text bold color={theme.tone('accent')}>
        Keys
      </Text>
      {KEYS.map(([k, d]) => (
        <Text key={k} wrap="truncate-end">
          <Text bold>{k.padEnd(kw)}</Text>
          <Text>{d}</Text>
        </Text>
      ))}
      <Text color={theme.tone('muted')} wrap="truncate-end">
        Times: --tz zone (default UTC), offset always shown. Colours off with NO_COLOR. No mouse.
      </Text>
    </Box>
  );
}
