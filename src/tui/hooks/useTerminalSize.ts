// Terminal dimensions that follow resizes: the layout is recomputed from these on every change.
import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export interface TermSize {
  columns: number;
  rows: number;
}

/** Below this the UI would be unreadable: the app asks for a larger terminal instead of drawing. */
export const MIN_SIZE: TermSize = { columns: 60, rows: 16 };

export function useTerminalSize(): TermSize {
  const { stdout } = useStdout();
  const read = (): TermSize => ({
    columns: stdout.columns || 80,
    rows: stdout.rows || 24,
  });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = (): void => {
      const next = read();
      setSize((prev) => (prev.columns === next.columns && prev.rows === next.rows ? prev : next));
    };
    stdout.on('resize', onResize);
    onResize();
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
