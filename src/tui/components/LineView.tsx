// A scrolling window over pre-built lines: only the visible slice is rendered.
import { Box } from 'ink';
import type { Line } from '../lines.js';
import { LineText } from './SegText.js';

export interface LineViewProps {
  lines: readonly Line[];
  top: number;
  height: number;
  /** Index of the highlighted line, or -1 for a pane that only scrolls. */
  cursor: number;
}

export function LineView({ lines, top, height, cursor }: LineViewProps) {
  const visible = lines.slice(top, top + height);
  return (
    <Box flexDirection="column" height={height} overflow="hidden">
      {visible.map((l, i) => (
        <LineText key={l.key} line={l} selected={top + i === cursor} gutter={cursor >= 0} />
      ))}
    </Box>
  );
}

/** Keeps `cursor` inside the window [top, top + height). */
export function clampTop(top: number, cursor: number, height: number, total: number): number {
  let t = Math.min(top, Math.max(0, total - height));
  if (cursor >= 0) {
    if (cursor < t) t = cursor;
    if (cursor >= t + height) t = cursor - height + 1;
  }
  return Math.max(0, t);
}
