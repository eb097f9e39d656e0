// One attempt in the list. Memoized: moving the cursor re-renders the two rows whose selection
// changed, not the window (and never the 10,000 rows that are not drawn).
import { Text } from 'ink';
import type { Zone } from 'luxon';
import { memo } from 'react';
import { formatStamp } from '../format.js';
import type { RowModel } from '../listModel.js';
import { fit } from '../text.js';
import { useTheme, type Tone } from '../theme.js';

export interface Columns {
  compact: boolean;
  time: number;
  route: number;
  user: number;
  outcome: number;
  codes: number;
  cause: number;
  conf: number;
}

export function columnsFor(width: number): Columns {
  const compact = width < 110;
  const c = { compact, time: compact ? 20 : 26, user: compact ? 7 : 18, outcome: compact ? 4 : 11, codes: compact ? 9 : 14, conf: compact ? 1 : 7 };
  // 2 for the cursor mark, 1 space after each of the six columns but the last.
  const rest = width - 2 - c.time - c.user - c.outcome - c.codes - 6;
  const cause = Math.max(12, Math.floor(rest * (compact ? 0.5 : 0.42)));
  return { ...c, route: Math.max(8, rest - cause), cause };
}

/** Counts row renders so tests can prove that only the visible window is drawn. */
export const rowRenders = { count: 0 };

const OUTCOME: Record<string, [string, string, Tone]> = {
  failed: ['FAIL', 'failed', 'fail'],
  succeeded: ['ok', 'succeeded', 'ok'],
  unknown: ['?', 'unknown', 'warn'],
  pre: ['pre', 'pre-connect', 'muted'],
};

const CONF: Record<string, [string, string]> = { high: ['H', 'high'], medium: ['M', 'medium'], low: ['L', 'low'] };

export function headerText(c: Columns): string {
  return `  ${fit('time', c.time)} ${fit('client → target', c.route)} ${fit('user', c.user)} ${fit(c.compact ? 'out' : 'outcome', c.outcome)} ${fit('codes', c.codes)} ${fit('cause', c.cause)}`;
}

export const AttemptRow = memo(function AttemptRow({ row, selected, cols, zone }: { row: RowModel; selected: boolean; cols: Columns; zone: Zone }) {
  rowRenders.count++;
  const theme = useTheme();
  const [short, long, tone] = OUTCOME[row.preconnect ? 'pre' : row.outcome] ?? ['?', '?', 'warn'];
  const conf = CONF[row.confidence];
  const confText = conf ? (cols.compact ? conf[0] : conf[1]) : '';
  const causeTone: Tone = row.cause === 'unknown' ? 'warn' : row.cause === 'none' ? 'muted' : 'text';
  return (
    <Text inverse={selected} wrap="truncate-end">
      <Text>{selected ? '› ' : '  '}</Text>
      <Text color={selected ? undefined : theme.tone('muted')}>{fit(formatStamp(row.start, zone, cols.compact), cols.time)} </Text>
      <Text>{fit(`${row.client} → ${row.target}`, cols.route)} </Text>
      <Text>{fit(cols.compact ? row.userShort : row.user, cols.user)} </Text>
      <Text color={selected ? undefined : theme.tone(tone)} bold={row.outcome === 'failed'}>
        {fit(cols.compact ? short : long, cols.outcome)}{' '}
      </Text>
      <Text>{fit(row.codes, cols.codes)} </Text>
      <Text color={selected ? undefined : theme.tone(causeTone)}>{fit(row.cause, cols.cause - cols.conf - 1)} </Text>
      <Text color={selected ? undefined : theme.tone('muted')}>{fit(confText, cols.conf)}</Text>
    </Text>
  );
});
