// Streams an input as its 4 KiB file header and then 64 KiB chunks, so memory stays bounded
// whatever the file size. Files on disk are read with positioned reads; other inputs (zip
// members) through their stream.
import { open } from 'node:fs/promises';
import type { InputSource } from '../types.js';
import { FILE_HEADER_SIZE } from './fileHeader.js';
import { CHUNK_SIZE } from './stringTable.js';

export interface Block {
  /** -1 for the file header, else the chunk index. */
  index: number;
  offset: number;
  /** A fresh buffer (callers may hand it to a worker). Shorter than 64 KiB only at a truncated end. */
  buf: Buffer;
}

export async function* blocks(input: InputSource): AsyncGenerator<Block> {
  if (input.path) {
    const fh = await open(input.path, 'r');
    try {
      const head = Buffer.allocUnsafe(FILE_HEADER_SIZE);
      const { bytesRead } = await fh.read(head, 0, FILE_HEADER_SIZE, 0);
      yield { index: -1, offset: 0, buf: head.subarray(0, bytesRead) };
      if (bytesRead < FILE_HEADER_SIZE) return;
      for (let i = 0, off = FILE_HEADER_SIZE; ; i++, off += CHUNK_SIZE) {
        const buf = Buffer.allocUnsafe(CHUNK_SIZE);
        let n = 0;
        while (n < CHUNK_SIZE) {
          const r = await fh.read(buf, n, CHUNK_SIZE - n, off + n);
          if (r.bytesRead === 0) break;
          n += r.bytesRead;
        }
        if (n === 0) return;
        yield { index: i, offset: off, buf: n < CHUNK_SIZE ? buf.subarray(0, n) : buf };
        if (n < CHUNK_SIZE) return;
      }
    } finally {
      await fh.close();
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
