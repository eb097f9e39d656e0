// Streams an input as its 4 KiB file header and then 64 KiB chunks, so memory stays bounded
// whatever the file size. Files on disk are read with positioned reads; other inputs (zip
// members) through their stream.
import { closeSync, openSync, readSync } from 'node:fs';
import type { InputSource } from '../types.js';
import { FILE_HEADER_SIZE } from './fileHeader.js';
import { CHUNK_SIZE } from './stringTable.js';

export interface Block {
  /** -1 for the file header, else the chunk index. */
  index: number;
  offset: number;
  /** Chunk bytes (a view; not reused after the consumer moves on). Shorter than 64 KiB only at a truncated end. */
  buf: Buffer;
}

const BATCH = 16 * CHUNK_SIZE;

function readFully(fd: number, buf: Buffer, pos: number): number {
  let n = 0;
  while (n < buf.length) {
    const r = readSync(fd, buf, n, buf.length - n, pos + n);
    if (r === 0) break;
    n += r;
  }
  return n;
}

export async function* blocks(input: InputSource): AsyncGenerator<Block> {
  if (input.path) {
    // Positioned synchronous reads in 1 MiB batches: from the page cache this is far cheaper than
    // one async round trip per chunk, and memory stays at one batch.
    const fd = openSync(input.path, 'r');
    try {
      const head = Buffer.allocUnsafe(FILE_HEADER_SIZE);
      const got = readFully(fd, head, 0);
      yield { index: -1, offset: 0, buf: head.subarray(0, got) };
      if (got < FILE_HEADER_SIZE) return;
      let index = 0;
      for (let off = FILE_HEADER_SIZE; ; off += BATCH) {
        const batch = Buffer.allocUnsafe(BATCH);
        const n = readFully(fd, batch, off);
        for (let p = 0; p < n; p += CHUNK_SIZE) {
          const end = Math.min(n, p + CHUNK_SIZE);
          yield { index: index++, offset: off + p, buf: batch.subarray(p, end) };
        }
        if (n < BATCH) return;
      }
    } finally {
      closeSync(fd);
    }
  }
  // Stream: cut the byte stream at the same boundaries.
  let pending: Buffer[] = [];
  let have = 0;
  let index = -1;
  let offset = 0;
  const want = (): number => (index === -1 ? FILE_HEADER_SIZE : CHUNK_SIZE);
  for await (const piece of input.open() as AsyncIterable<Buffer>) {
    pending.push(piece);
    have += piece.length;
    while (have >= want()) {
      const all = pending.length === 1 ? pending[0]! : Buffer.concat(pending, have);
      const n = want();
      yield { index, offset, buf: Buffer.from(all.subarray(0, n)) };
      const rest = all.subarray(n);
      pending = rest.length ? [rest] : [];
      have = rest.length;
      offset += n;
      index++;
    }
  }
  if (have > 0) yield { index, offset, buf: Buffer.concat(pending, have) };
}
