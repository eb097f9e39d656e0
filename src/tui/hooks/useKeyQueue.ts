// Key delivery that never acts on stale state. Several keys can arrive in one read (typing ahead, a
// paste, tmux send-keys); each must see the state the previous one produced. A key is handled at
// once when the previous one has been rendered; otherwise it waits in a queue drained one key per
// commit, always by the handler of the latest render.
import { useInput, type Key } from 'ink';
import { useCallback, useLayoutEffect, useRef, useState } from 'react';

export type KeyHandler = (input: string, key: Key) => void;

const NO_KEY: Key = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, shift: false, tab: false, backspace: false, delete: false, meta: false,
  super: false, hyper: false, capsLock: false, numLock: false,
};

/** The key one character of a burst stands for (what ink would report had it come alone). */
export function keyOf(c: string): Key {
  return { ...NO_KEY, tab: c === '\t', return: c === '\r' || c === '\n', delete: c === '\u007f', backspace: c === '\b', shift: /^[A-Z]$/.test(c) };
}

/** Subscribes `handler` (re-created each render) to the keyboard with the guarantees above. */
export function useKeyQueue(handler: KeyHandler): void {
  const latest = useRef<KeyHandler>(handler);
  latest.current = handler;
  const queue = useRef<[string, Key][]>([]);
  const awaitingCommit = useRef(false);
  const [, setTick] = useState(0);
  const drain = useCallback(() => {
    const next = queue.current.shift();
    if (!next) return;
    awaitingCommit.current = true;
    latest.current(next[0], next[1]);
    if (queue.current.length) setTick((t) => t + 1);
  }, []);
  const enqueue = useCallback(
    (input: string, key: Key) => {
      // ink hands over a burst without escape sequences as one string.
      const chars = [...input];
      if (chars.length > 1) for (const c of chars) queue.current.push([c, keyOf(c)]);
      // A line feed is Enter too: keys typed before the terminal switched to raw mode arrive cooked (CR → LF).
      else if (input === '\n') queue.current.push([input, keyOf(input)]);
      else queue.current.push([input, key]);
      if (awaitingCommit.current) setTick((t) => t + 1);
      else drain();
    },
    [drain],
  );
  useInput(enqueue);
  // Runs synchronously after every commit: `latest` now holds that render's handler.
  useLayoutEffect(() => {
    awaitingCommit.current = false;
    drain();
  });
}
