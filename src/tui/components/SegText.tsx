// Draws one pre-fitted line of segments in theme colours.
import { Text } from 'ink';
import { memo } from 'react';
import type { Line } from '../lines.js';
import { useTheme } from '../theme.js';

/** `gutter` adds a two-column cursor mark, so the selection shows without colour or inverse video. */
export const LineText = memo(function LineText({ line, selected, gutter = false }: { line: Line; selected: boolean; gutter?: boolean }) {
  const theme = useTheme();
  return (
    <Text inverse={selected} wrap="truncate-end">
      {gutter ? (selected ? '› ' : '  ') : null}
      {line.segs.length === 0 && !gutter ? ' ' : null}
      {line.segs.map((s, i) => (
        <Text key={i} color={selected ? undefined : theme.tone(s.tone)} bold={s.bold}>
          {s.text}
        </Text>
      ))}
    </Text>
  );
});
