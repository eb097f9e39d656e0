// The virtualized attempts list: a column header plus exactly `height` rows cut from the
// sorted/filtered result.
import { Box, Text } from 'ink';
import type { Zone } from 'luxon';
import { memo, useMemo } from 'react';
import type { RowModel } from '../listModel.js';
import { useTheme } from '../theme.js';
import { AttemptRow, columnsFor, headerText } from './AttemptRow.js';

export interface AttemptListProps {
  rows: readonly RowModel[];
  cursor: number;
  top: number;
  height: number;
  width: number;
  zone: Zone;
  emptyText: string;
}

export const AttemptList = memo(function AttemptList({ rows, cursor, top, height, width, zone, emptyText }: AttemptListProps) {
  const theme = useTheme();
  const cols = useMemo(() => columnsFor(width), [width]);
  const visible = rows.slice(top, top + height);
  return (
    <Box flexDirection="column" height={height + 1} overflow="hidden">
      <Text color={theme.tone('muted')} bold wrap="truncate-end">
        {headerText(cols)}
      </Text>
      {visible.length === 0 ? <Text color={theme.tone('warn')}>{`  ${emptyText}`}</Text> : null}
      {visible.map((r, i) => (
        <AttemptRow key={r.index} row={r} selected={top + i === cursor} cols={cols} zone={zone} />
      ))}
    </Box>
  );
});
