// Incremental JSON splitter for `ConvertTo-Json` output: one top-level object, a top-level array of
// objects, or objects one after another (JSON Lines). Each object's text is cut out and parsed on
// its own, so a large export never sits in memory; objects above the size cap are reported.
import type { ParseIssue } from '../model/issue.js';
import { byteLength, type TextEncoding } from './textInput.js';

export const MAX_OBJECT_CHARS = 16 * 1024 * 1024;

export type JsonPiece = { kind: 'object'; text: string; index: number; offset: number } | { kind: 'issue'; issue: ParseIssue; counts: boolean };

export class JsonObjectSplitter {
  private depth = 0;
  private inString = false;
  private escape = false;
  private parts: string[] = [];
  private partChars = 0;
  private skipping = false;
  private objStart = -1;
  private index = 0;
  private objOffset = 0;
  private bytes: number;
  private sawTop = false;
  private stray = false;

  constructor(
    private readonly file: string,
    private readonly enc: TextEncoding,
    dataStart: number,
    private readonly maxChars = MAX_OBJECT_CHARS,
  ) {
    this.bytes = dataStart;
  }

  get count(): number {
    return this.index;
  }

  push(text: string): JsonPiece[] {
    const out: JsonPiece[] = [];
    let mark = 0;
    let markBytes = this.bytes;
    const offsetAt = (i: number): number => {
      markBytes += byteLength(text.slice(mark, i), this.enc);
      mark = i;
      return markBytes;
    };
    // An object in progress continues from the start of this chunk.
    let segStart = this.depth > 0 && this.objStart >= 0 ? 0 : -1;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === 0x5c) this.escape = true;
        else if (c === 0x22) this.inString = false;
        continue;
      }
      if (c === 0x22) {
        this.inString = true;
        if (this.depth === 0) this.strayAt(out, c, offsetAt(i));
      } else if (c === 0x7b /* { */) {
        if (this.objectDepth() === this.depth) {
          this.index++;
          this.objStart = i;
          segStart = i;
          this.objOffset = offsetAt(i);
          this.parts = [];
          this.partChars = 0;
          this.skipping = false;
        }
        this.depth++;
        this.sawTop = true;
      } else if (c === 0x5b /* [ */) {
        if (!this.sawTop && this.depth === 0) this.arrayTop = true;
        this.depth++;
        this.sawTop = true;
      } else if (c === 0x7d || c === 0x5d) {
        this.depth--;
        if (this.depth < 0) this.depth = 0;
        if (c === 0x7d && this.depth === this.objectDepth() && this.objStart >= 0) {
          if (!this.skipping) {
            this.parts.push(text.slice(Math.max(segStart, 0), i + 1));
            const whole = this.parts.join('');
            if (whole.length > this.maxChars) out.push(this.tooLarge());
            else out.push({ kind: 'object', text: whole, index: this.index, offset: this.objOffset });
          }
          this.parts = [];
          this.partChars = 0;
          this.objStart = -1;
          segStart = -1;
        }
      } else if (this.depth === 0 && c > 0x20 && c !== 0x2c && c !== 0xfeff) {
        this.strayAt(out, c, offsetAt(i));
      }
    }
    if (this.objStart >= 0 && segStart >= 0 && !this.skipping) {
      const seg = text.slice(segStart);
      this.parts.push(seg);
      this.partChars += seg.length;
      if (this.partChars > this.maxChars) {
        this.skipping = true;
        this.parts = [];
        out.push(this.tooLarge());
      }
    }
    this.bytes = markBytes + byteLength(text.slice(mark), this.enc);
    return out;
  }

  end(): JsonPiece[] {
    if (this.objStart >= 0) {
      this.objStart = -1;
      return [{ kind: 'issue', counts: true, issue: { severity: 'error', code: 'json.truncated', message: `object ${this.index} is not closed: the input ends inside it`, file: this.file, offset: this.objOffset } }];
    }
    return [];
  }

  /** Text outside any object is reported once per file. */
  private strayAt(out: JsonPiece[], c: number, offset: number): void {
    if (this.stray) return;
    this.stray = true;
    out.push({ kind: 'issue', counts: false, issue: { severity: 'error', code: 'json.unexpected', message: `unexpected "${String.fromCharCode(c)}" outside any object: not ConvertTo-Json output`, file: this.file, offset } });
  }

  private tooLarge(): JsonPiece {
    return { kind: 'issue', counts: true, issue: { severity: 'error', code: 'json.object-too-large', message: `object ${this.index} is larger than ${this.maxChars} characters; skipped`, file: this.file, offset: this.objOffset } };
  }

  private arrayTop = false;
  /** Depth at which event objects start: inside the top-level array, or at the top. */
  private objectDepth(): number {
    return this.arrayTop ? 1 : 0;
  }
}
