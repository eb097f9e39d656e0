// Synchronous writes of whole byte runs to a file descriptor: dump's stdout from the main thread
// (cli/io.ts) and from the threads of its ring (evtx/jsonlRing.ts), which write their own text.
import { writeSync } from 'node:fs';

const SLEEP = new Int32Array(new SharedArrayBuffer(4));

/** Writes all of `bytes` to fd; false when the reader has gone (EPIPE). A full non-blocking pipe is waited out. */
export function writeAll(fd: number, bytes: Uint8Array): boolean {
  let buf = bytes;
  while (buf.length > 0) {
    try {
      buf = buf.subarray(writeSync(fd, buf));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') return false;
      if (code !== 'EAGAIN') throw err;
      Atomics.wait(SLEEP, 0, 0, 1);
    }
  }
  return true;
}
