// Text decoding shared by the text readers: BOM / NUL-pattern encoding detection, streaming decode
// with byte-offset bookkeeping, and a bounded line splitter (a 100 MB line never sits in memory).
import { TextDecoder } from 'node:util';
import type { ParseIssue } from '../model/issue.js';
import type { InputSource } from './types.js';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface EncodingGuess {
  encoding: TextEncoding;
  bomLength: number;
}

/** Bytes detectEncoding looks at. */
const DETECT_BYTES = 512;

/** BOM first; without one, `<\0` / `\0<` patterns reveal UTF-16 (Windows tools write it often). */
export function detectEncoding(head: Buffer): EncodingGuess {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  if (head.length >= 4) {
    let evenNul = 0;
    let oddNul = 0;
    const n = Math.min(head.length, DETECT_BYTES) & ~1;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) evenNul++;
      if (head[i + 1] === 0) oddNul++;
    }
    if (oddNul > n / 4 && evenNul === 0) return { encoding: 'utf-16le', bomLength: 0 };
    if (evenNul > n / 4 && oddNul === 0) return { encoding: 'utf-16be', bomLength: 0 };
  }
  return { encoding: 'utf-8', bomLength: 0 };
}

/** Heads decoded so far: every text reader's sniff decodes the same head (64 KiB of a binary file took 1–3 ms each time). */
const decodedHeads = new WeakMap<Buffer, string>();

/** Decodes the sniff head (BOM stripped) for content detection. */
export function decodeHead(head: Buffer): string {
  let text = decodedHeads.get(head);
  if (text === undefined) {
    const g = detectEncoding(head);
    text = new TextDecoder(g.encoding).decode(head.subarray(g.bomLength));
    decodedHeads.set(head, text);
  }
  return text;
}

/** Bytes a decoded string occupied in the source (exact for valid input). */
export function byteLength(text: string, enc: TextEncoding): number {
  return enc === 'utf-8' ? Buffer.byteLength(text, 'utf8') : text.length * 2;
}

export interface DecodedChunk {
  text: string;
  encoding: TextEncoding;
  /** Byte offset of the first data byte (after the BOM). */
  dataStart: number;
}

/** Streams an input as decoded text. Invalid sequences become U+FFFD (reported by the callers). */
export async function* decodeInput(input: InputSource): AsyncGenerator<DecodedChunk> {
  let decoder: TextDecoder | undefined;
  let guess: EncodingGuess | undefined;
  let pending: Buffer | undefined;
  for await (const raw of input.open() as AsyncIterable<Buffer | string>) {
    let buf = typeof raw === 'string' ? Buffer.from(raw) : raw;
    if (!decoder) {
      // Detect from the whole detection window (or the whole input, if shorter): how a stream
      // happens to be cut into chunks must not change the guess (it once did: a 3-byte first
      // chunk read as UTF-16BE what the first 512 bytes show to be neither).
      buf = pending ? Buffer.concat([pending, buf]) : buf;
      if (buf.length < DETECT_BYTES) {
        pending = buf;
        continue;
      }
      pending = undefined;
      guess = detectEncoding(buf);
      decoder = new TextDecoder(guess.encoding, { ignoreBOM: true });
      buf = buf.subarray(guess.bomLength);
    }
    const text = decoder.decode(buf, { stream: true });
    if (text) yield { text, encoding: guess!.encoding, dataStart: guess!.bomLength };
  }
  if (!decoder) {
    if (!pending || pending.length === 0) return;
    guess = detectEncoding(pending);
    decoder = new TextDecoder(guess.encoding, { ignoreBOM: true });
    const text = decoder.decode(pending.subarray(guess.bomLength));
    if (text) yield { text, encoding: guess.encoding, dataStart: guess.bomLength };
    return;
  }
  const tail = decoder.decode();
  if (tail) yield { text: tail, encoding: guess!.encoding, dataStart: guess!.bomLength };
}

export interface Line {
  text: string;
  /** 1-based line number. */
  line: number;
  /** Byte offset of the line start. */
  offset: number;
}

export type LineItem = { kind: 'line'; line: Line } | { kind: 'issue'; issue: ParseIssue };

export const MAX_LINE_CHARS = 1 << 20;

/**
 * Splits decoded text into lines (LF, CRLF). A line longer than `maxChars` is reported once and
 * dropped while the rest of the input is still read.
 */
export async function* readLines(input: InputSource, maxChars = MAX_LINE_CHARS): AsyncGenerator<LineItem> {
  let carry = '';
  let lineNo = 1;
  let offset = 0;
  let oversized = false;
  let oversizedStart = 0;
  let enc: TextEncoding = 'utf-8';
  let sawReplacement = false;
  for await (const chunk of decodeInput(input)) {
    if (lineNo === 1 && offset === 0) offset = chunk.dataStart;
    enc = chunk.encoding;
    let text = carry + chunk.text;
    carry = '';
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const raw = text.slice(start, nl);
      const len = byteLength(raw, enc) + byteLength('\n', enc);
      if (oversized) {
        oversized = false;
      } else {
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (!sawReplacement && line.includes('\uFFFD')) {
          sawReplacement = true;
          yield { kind: 'issue', issue: encodingIssue(input.name, lineNo, offset, enc) };
        }
        yield { kind: 'line', line: { text: line, line: lineNo, offset } };
      }
      offset += len;
      lineNo++;
      start = nl + 1;
    }
    text = text.slice(start);
    if (oversized) {
      offset += byteLength(text, enc);
    } else if (text.length > maxChars) {
      oversized = true;
      oversizedStart = offset;
      yield {
        kind: 'issue',
        issue: {
          severity: 'error',
          code: 'text.line-too-long',
          message: `line longer than ${maxChars} characters; skipped`,
          file: input.name,
          line: lineNo,
          offset: oversizedStart,
        },
      };
      offset += byteLength(text, enc);
    } else {
      carry = text;
    }
  }
  if (carry.length > 0 && !oversized) {
    const line = carry.endsWith('\r') ? carry.slice(0, -1) : carry;
    if (!sawReplacement && line.includes('\uFFFD')) yield { kind: 'issue', issue: encodingIssue(input.name, lineNo, offset, enc) };
    yield { kind: 'line', line: { text: line, line: lineNo, offset } };
  }
}

function encodingIssue(file: string, line: number, offset: number, enc: TextEncoding): ParseIssue {
  return {
    severity: 'warning',
    code: 'text.invalid-encoding',
    message: `bytes that are not valid ${enc} (replaced by U+FFFD); the file may mix encodings`,
    file,
    line,
    offset,
  };
}

/** The issue for an input whose byte stream failed (I/O error, broken zip member). */
export function readFailed(file: string, err: unknown): ParseIssue {
  return { severity: 'error', code: 'io.read-failed', message: `cannot read further: ${(err as Error)?.message ?? String(err)}`, file };
}
