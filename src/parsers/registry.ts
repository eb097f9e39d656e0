// Every reader the tool knows. Discovery asks each, in order, whether it recognises an input's
// first bytes; the first that does reads it. Order matters only where sniffs could overlap:
// binary formats first, then structured text, then the loosest text formats.
import type { Reader } from './types.js';

const readers: Reader[] = [];

export function registerReader(r: Reader): void {
  if (!readers.some((x) => x.format === r.format)) readers.push(r);
}

export function allReaders(): readonly Reader[] {
  return readers;
}

/** Picks the reader for an input by content. Returns undefined when nothing recognises it. */
export function readerFor(head: Buffer, name: string): Reader | undefined {
  return readers.find((r) => r.sniff(head, name));
}
