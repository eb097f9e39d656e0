// Turns the paths a user gives into InputSources: files as they are, folders walked recursively
// in a stable order. Nothing is skipped silently: every path that is not an input is reported.
// discoverInputs() goes further: it opens zip archives in place and picks each input's reader by
// content (the registry asks every reader to sniff the first bytes).
import { createReadStream, openSync, readSync, closeSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readerFor } from '../parsers/registry.js';
import type { InputSource, Reader } from '../parsers/types.js';
import { DEFAULT_ZIP_LIMITS, expandZip, isZipHead, type SkipCode, type ZipLimits } from './zip.js';

export interface Skipped {
  name: string;
  reason: string;
  /** Stable reason code (`empty`, `unknown-format`, `unsafe-name`, `zip-bomb`…), set by discoverInputs. */
  code?: SkipCode;
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
  const seenDirs = new Set<string>();
  const visit = (p: string): void => {
    let st;
    try {
      st = statSync(p);
    } catch (err) {
      out.skipped.push({ name: p, reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      return;
    }
    if (st.isDirectory()) {
      // A symlink back up the tree would make the walk endless.
      const real = realpathSync(p);
      if (seenDirs.has(real)) {
        out.skipped.push({ name: p, reason: 'folder already visited (symbolic link loop)', code: 'not-a-file' });
        return;
      }
      seenDirs.add(real);
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

/** An input with the reader that recognised its content. */
export interface SniffedInput {
  source: InputSource;
  reader: Reader;
}

export interface SniffedDiscovery {
  inputs: SniffedInput[];
  skipped: Skipped[];
}

export interface DiscoverOptions {
  zip?: Partial<ZipLimits>;
}

/**
 * Expands paths into inputs with their readers: folders recursively, zip archives (and zips in
 * zips) in place, formats by content. Every file not understood is listed in `skipped` with a
 * reason. Order is deterministic: walk order, archive members by name.
 */
export async function discoverInputs(paths: string[], opts: DiscoverOptions = {}): Promise<SniffedDiscovery> {
  await import('../parsers/all.js');
  const limits: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...opts.zip };
  const walked = discover(paths);
  const out: SniffedDiscovery = { inputs: [], skipped: walked.skipped.map((s) => ({ ...s, code: s.code ?? (s.reason === 'not a regular file' ? ('not-a-file' as const) : ('unreadable' as const)) })) };
  const classify = (source: InputSource, head: Buffer): void => {
    const reader = readerFor(head, source.name);
    if (reader) out.inputs.push({ source, reader });
    else out.skipped.push({ name: source.name, code: 'unknown-format', reason: 'unknown format (content matches no reader)' });
  };
  for (const file of walked.inputs) {
    if (file.size === 0) {
      out.skipped.push({ name: file.name, code: 'empty', reason: 'empty file' });
      continue;
    }
    let head: Buffer;
    try {
      head = readHead(file.path!);
    } catch (err) {
      out.skipped.push({ name: file.name, code: 'unreadable', reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}` });
      continue;
    }
    if (!isZipHead(head)) {
      classify(file, head);
      continue;
    }
    const z = await expandZip({ path: file.path! }, file.name, limits, 0, SNIFF_BYTES);
    out.skipped.push(...z.skipped);
    for (const member of z.members) classify(member.source, member.head);
  }
  return out;
}
