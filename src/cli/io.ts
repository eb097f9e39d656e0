// stdout carries data only; everything else goes to stderr.
import { writeAll } from '../parsers/fdWrite.js';

/** Writes data to stdout synchronously, so large outputs keep their order and a closed pipe ends quietly. */
export function writeOut(text: string): void {
  writeOutBytes(Buffer.from(text, 'utf8'));
}

/** writeOut for text already encoded as UTF-8. */
export function writeOutBytes(bytes: Uint8Array): void {
  if (!writeAll(1, bytes)) process.exit(0);
}

export function logErr(text: string): void {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
}
