// Turns the paths a user gives into InputSources: files as they are, folders walked recursively
// in a stable order. Nothing is skipped silently: every path that is not an input is reported.
import { createReadStream, openSync, readSync, closeSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { InputSource } from '../parsers/types.js';

export interface Skipped {
  name: string;
  reason: string;
}

export interface Discovery {
  inputs: InputSource[];
  skipped: Skipped[];
}

export const SNIFF_BYTES = 65536;

export function fileSource(path: string, size: number): InputSource {
  return { name: path, size, path, open: () => createReadStream(path, { highWaterMark: 1 << 20 }) };
}

/** Reads up to SNIFF_BYTES from the start of a file. */
export function readHead(path: string): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const n = readSync(fd, buf, 0, SNIFF_BYTES, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Expands paths into input sources (folders recursively, sorted by name for determinism). */
export function discover(paths: string[]): Discovery {
  const out: Discovery = { inputs: [], skipped: [] };
  const visit = (p: string): void => {
    let st;
    try {
      st = statSync(p);
    } catch (err) {
      out.skipped.push({ name: p, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return;
    }
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = readdirSync(p).sort();
      } catch (err) {
        out.skipped.push({ name: p, reason: `cannot list folder: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
        return;
      }
      for (const n of names) visit(join(p, n));
    } else if (st.isFile()) {
      out.inputs.push(fileSource(p, st.size));
    } else {
      out.skipped.push({ name: p, reason: 'not a regular file' });
    }
  };
  for (const p of paths) visit(p);
  return out;
}
