// stdout carries data only; everything else goes to stderr.
import { writeSync } from 'node:fs';

/** Writes data to stdout synchronously, so large outputs keep their order and a closed pipe ends quietly. */
export function writeOut(text: string): void {
  writeOutBytes(Buffer.from(text, 'utf8'));
}

/** writeOut for text already encoded as UTF-8. */
export function writeOutBytes(bytes: Uint8Array): void {
  let buf = bytes;
  while (buf.length > 0) {
    try {
      buf = buf.subarray(writeSync(1, buf));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') process.exit(0);
      if (code !== 'EAGAIN') throw err;
      // Non-blocking pipe is full: retry the rest.
    }
  }
}

export function logErr(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}
