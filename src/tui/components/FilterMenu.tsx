// `f`: pick a filter (outcome, host, cause). Choosing one of a kind replaces the previous of that kind.
import { Box, Text } from 'ink';
import type { FilterOption } from '../listModel.js';
import { fit } from '../text.js';
import { useTheme } from '../theme.js';
import { clampTop } from './LineView.js';

export function FilterMenu({ options, cursor, width, height }: { options: readonly FilterOption[]; cursor: number; width: number; height: number }) {
  const theme = useTheme();
  const inner = Math.max(10, height - 3);
  const top = clampTop(0, cursor, inner, options.length + 1);
  const items = [{ label: 'clear all filters', count: -1 }, ...options];
  return (
    <Box flexDirection="column" height={height} width={width} borderStyle="round" borderColor={theme.tone('accent')} paddingX={1} overflow="hidden">
      <Text bold color={theme.tone('accent')}>
        Filter (Enter applies, Esc closes)
      </Text>
      {items.slice(top, top + inner).map((o, i) => (
        <Text key={`${top + i}`} inverse={top + i === cursor} wrap="truncate-end">
          {fit(o.label, Math.max(10, width - 14))}
          {o.count >= 0 ? ` ${String(o.count).padStart(6)}` : ''}
        </Text>
      ))}
    </Box>
  );
}
