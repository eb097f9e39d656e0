// Zip archives read in place (yauzl, lazy entries, streamed members; nothing is extracted to disk).
// Every member becomes an InputSource named `archive.zip!/inner/path`; nested zips are expanded to a
// bounded depth (they must be buffered, within a size cap). Unsafe names (`..`, absolute paths),
// oversized members and suspicious compression ratios are listed as skipped, and reading goes on.
import { PassThrough, type Readable } from 'node:stream';
import type { Entry, ZipFile } from 'yauzl';
import type { InputSource } from '../parsers/types.js';

export interface ZipLimits {
  /** Nested archives deeper than this are skipped (1 = a zip inside the given zip). */
  maxDepth: number;
  /** Largest declared uncompressed size of one member. */
  maxEntryBytes: number;
  /** Largest sum of declared uncompressed sizes over one archive. */
  maxTotalBytes: number;
  /** Uncompressed/compressed above this (for members over 1 MiB) looks like a zip bomb. */
  maxRatio: number;
  /** Largest nested zip that may be buffered in memory. */
  maxNestedZipBytes: number;
  maxEntries: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxDepth: 3,
  maxEntryBytes: 8 * 1024 ** 3,
  maxTotalBytes: 32 * 1024 ** 3,
  maxRatio: 200,
  maxNestedZipBytes: 256 * 1024 ** 2,
  maxEntries: 100_000,
};

export type SkipCode = 'empty' | 'unknown-format' | 'unreadable' | 'unsafe-name' | 'too-large' | 'zip-bomb' | 'zip-depth' | 'zip-error' | 'not-a-file';

export interface ZipMember {
  source: InputSource;
  /** The member's first bytes, for content sniffing. */
  head: Buffer;
}

export interface ZipSkip {
  name: string;
  code: SkipCode;
  reason: string;
}

/** How to (re)open the archive: from disk, or from a buffered nested zip. */
export type ZipOrigin = { path: string } | { buffer: Buffer };

export function isZipHead(head: Buffer): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && ((head[2] === 3 && head[3] === 4) || (head[2] === 5 && head[3] === 6));
}

/** yauzl, loaded with the first archive: most runs open none. */
let yauzl: typeof import('yauzl') | undefined;

async function openZip(origin: ZipOrigin): Promise<ZipFile> {
  yauzl ??= (await import('yauzl')).default;
  const lib = yauzl;
  return new Promise((resolve, reject) => {
    const cb = (err: Error | null, zf?: ZipFile): void => (err || !zf ? reject(err ?? new Error('cannot open zip')) : resolve(zf));
    // decodeStrings false: yauzl would abort the whole archive on one unsafe name; we check names ourselves.
    if ('path' in origin) lib.open(origin.path, { lazyEntries: true, autoClose: false, decodeStrings: false }, cb);
    else lib.fromBuffer(origin.buffer, { lazyEntries: true, decodeStrings: false }, cb);
  });
}

function entryName(e: Entry): string {
  const raw = e.fileName as unknown as Buffer;
  // Entries exist only once an archive was opened, so yauzl is loaded here.
  return yauzl!.getFileNameLowLevel(e.generalPurposeBitFlag, raw, e.extraFields, false);
}

/** Lists the archive's entries (sorted by name), closing it afterwards. */
async function listEntries(origin: ZipOrigin, limit: number): Promise<{ entries: { name: string; entry: Entry }[]; truncated: boolean }> {
  const zf = await openZip(origin);
  const entries: { name: string; entry: Entry }[] = [];
  let truncated = false;
  try {
    await new Promise<void>((resolve, reject) => {
      zf.on('entry', (e: Entry) => {
        if (entries.length >= limit) {
          truncated = true;
          resolve();
          return;
        }
        entries.push({ name: entryName(e), entry: e });
        zf.readEntry();
      });
      zf.on('end', () => resolve());
      zf.on('error', reject);
      zf.readEntry();
    });
  } finally {
    zf.close();
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { entries, truncated };
}

/** A fresh stream over one member; the archive is reopened per stream and closed when it ends. */
function memberStream(origin: ZipOrigin, entry: Entry): Readable {
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  openZip(origin).then(
    (zf) => {
      zf.openReadStream(entry, (err, rs) => {
        if (err || !rs) {
          zf.close();
          out.destroy(err ?? new Error('cannot open member'));
          return;
        }
        rs.on('error', (e) => {
          zf.close();
          out.destroy(e);
        });
        rs.on('end', () => zf.close());
        out.on('close', () => {
          rs.destroy();
          zf.close();
        });
        rs.pipe(out);
      });
    },
    (err: Error) => out.destroy(err),
  );
  return out;
}

/** Reads up to `n` bytes from the start of a stream, then stops it. */
export async function readStreamHead(stream: Readable, n: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  let got = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      parts.push(chunk);
      got += chunk.length;
      if (got >= n) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).subarray(0, n);
}

async function readAll(stream: Readable, cap: number): Promise<Buffer | undefined> {
  const parts: Buffer[] = [];
  let got = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    got += chunk.length;
    if (got > cap) {
      stream.destroy();
      return undefined;
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

export function unsafeReason(name: string): string | undefined {
  if (name.includes('\0')) return 'NUL in the entry name';
  if (/^[a-zA-Z]:/.test(name) || name.startsWith('/')) return `absolute entry name "${name}"`;
  if (name.split('/').includes('..')) return `entry name escapes the archive ("${name}")`;
  return undefined;
}

/**
 * Expands an archive into member sources and skips. Members that are zips themselves are expanded
 * recursively up to `limits.maxDepth`. `display` is the archive's own display name.
 */
export async function expandZip(
  origin: ZipOrigin,
  display: string,
  limits: ZipLimits = DEFAULT_ZIP_LIMITS,
  depth = 0,
  sniffBytes = 65536,
): Promise<{ members: ZipMember[]; skipped: ZipSkip[] }> {
  const members: ZipMember[] = [];
  const skipped: ZipSkip[] = [];
  let listing;
  try {
    listing = await listEntries(origin, limits.maxEntries);
  } catch (err) {
    skipped.push({ name: display, code: 'zip-error', reason: `unreadable zip: ${(err as Error).message}` });
    return { members, skipped };
  }
  if (listing.truncated) skipped.push({ name: display, code: 'too-large', reason: `more than ${limits.maxEntries} entries; the rest is not read` });
  let total = 0;
  for (const { name, entry } of listing.entries) {
    if (name.endsWith('/')) continue; // folder entry
    const memberName = `${display}!/${name}`;
    const unsafe = unsafeReason(name);
    if (unsafe) {
      skipped.push({ name: memberName, code: 'unsafe-name', reason: unsafe });
      continue;
    }
    const size = entry.uncompressedSize;
    if (size === 0) {
      skipped.push({ name: memberName, code: 'empty', reason: 'empty file' });
      continue;
    }
    if (entry.isEncrypted()) {
      skipped.push({ name: memberName, code: 'unreadable', reason: 'encrypted member' });
      continue;
    }
    if (size > limits.maxEntryBytes) {
      skipped.push({ name: memberName, code: 'too-large', reason: `declared size ${size} bytes exceeds ${limits.maxEntryBytes}` });
      continue;
    }
    const ratio = size / Math.max(1, entry.compressedSize);
    if (size > 1024 * 1024 && ratio > limits.maxRatio) {
      skipped.push({ name: memberName, code: 'zip-bomb', reason: `compression ratio ${Math.round(ratio)}:1 exceeds ${limits.maxRatio}:1 (zip bomb?)` });
      continue;
    }
    total += size;
    if (total > limits.maxTotalBytes) {
      skipped.push({ name: memberName, code: 'too-large', reason: `archive total exceeds ${limits.maxTotalBytes} bytes` });
      continue;
    }
    const source: InputSource = { name: memberName, size, open: () => memberStream(origin, entry) };
    let head: Buffer;
    try {
      head = await readStreamHead(source.open(), sniffBytes);
    } catch (err) {
      skipped.push({ name: memberName, code: 'unreadable', reason: `cannot read member: ${(err as Error).message}` });
      continue;
    }
    if (!isZipHead(head)) {
      members.push({ source, head });
      continue;
    }
    if (depth + 1 > limits.maxDepth) {
      skipped.push({ name: memberName, code: 'zip-depth', reason: `zip nested deeper than ${limits.maxDepth} levels` });
      continue;
    }
    if (size > limits.maxNestedZipBytes) {
      skipped.push({ name: memberName, code: 'too-large', reason: `nested zip of ${size} bytes exceeds ${limits.maxNestedZipBytes} (extract it first)` });
      continue;
    }
    let buffer: Buffer | undefined;
    try {
      buffer = await readAll(source.open(), limits.maxNestedZipBytes);
    } catch (err) {
      skipped.push({ name: memberName, code: 'unreadable', reason: `cannot read nested zip: ${(err as Error).message}` });
      continue;
    }
    if (!buffer) {
      skipped.push({ name: memberName, code: 'too-large', reason: `nested zip exceeds ${limits.maxNestedZipBytes} bytes` });
      continue;
    }
    const inner = await expandZip({ buffer }, memberName, limits, depth + 1, sniffBytes);
    members.push(...inner.members);
    skipped.push(...inner.skipped);
  }
  return { members, skipped };
}
