// Incremental splitter: cuts a decoded text stream into <Event>…</Event> elements so a 2 GB export
// is parsed one element at a time. Memory is bounded by the maximum element size; anything larger
// is reported and skipped while scanning continues. Inside an element only the newest text (plus a
// short tail) is searched for the end tag, so a huge element costs one pass, not one per chunk.
// DOCTYPE/ENTITY declarations end the input: entity expansion is refused, never attempted.
import type { ParseIssue } from '../../model/issue.js';
import { byteLength, type TextEncoding } from '../textInput.js';

export const MAX_ELEMENT_CHARS = 16 * 1024 * 1024;

export type Piece =
  | { kind: 'element'; text: string; index: number; offset: number }
  | { kind: 'issue'; issue: ParseIssue; index?: number };

const START = /<([A-Za-z_][\w.-]*:)?Event(?=[\s>/])/;
const DECL = /<!(DOCTYPE|ENTITY)/;
/** Longest text that can hold a partial start tag, end tag or declaration when a chunk ends. */
const KEEP = 64;

type Mode = 'outside' | 'inside' | 'skipping' | 'refused';

export class EventSplitter {
  /** Outside an element: unscanned text. */
  private buf = '';
  /** Byte offset of the next unconsumed character (buf[0] outside, tail[0] inside). */
  private offset: number;
  private mode: Mode = 'outside';
  private endRe = /<\/Event\s*>/g;
  /** Inside an element: text already searched (kept unless skipping) and the unsearched tail. */
  private parts: string[] = [];
  private partsLen = 0;
  private tail = '';
  private startTagSeen = false;
  private index = 0;
  private elemOffset = 0;

  constructor(
    private readonly file: string,
    private readonly enc: TextEncoding,
    dataStart: number,
    private readonly maxChars = MAX_ELEMENT_CHARS,
  ) {
    this.offset = dataStart;
  }

  /** Elements seen so far (complete, skipped or truncated). */
  get count(): number {
    return this.index;
  }

  get refused(): boolean {
    return this.mode === 'refused';
  }

  push(text: string): Piece[] {
    const out: Piece[] = [];
    let pending = text;
    while (pending !== '' || (this.mode === 'outside' && this.buf !== '' && START.test(this.buf))) {
      if (this.mode === 'refused') break;
      if (this.mode === 'outside') {
        this.buf += pending;
        pending = '';
        const rest = this.scanOutside(out);
        if (rest === undefined) break;
        pending = rest;
      } else {
        pending = this.feedInside(pending, out);
      }
    }
    return out;
  }

  end(): Piece[] {
    const out = this.push('');
    if (this.mode === 'inside' || this.mode === 'skipping') {
      out.push({
        kind: 'issue',
        index: this.index,
        issue: { severity: 'error', code: 'xml.truncated', message: `element ${this.index} is not closed: the input ends inside <Event>`, file: this.file, offset: this.elemOffset },
      });
    }
    this.buf = '';
    this.parts = [];
    this.tail = '';
    return out;
  }

  /** Finds the next <Event start in buf; returns the text from the start tag on, or undefined. */
  private scanOutside(out: Piece[]): string | undefined {
    const m = START.exec(this.buf);
    // Only the text before the next start tag can hold a declaration (keeps the scan linear).
    const declAt = (m ? this.buf.slice(0, m.index) : this.buf).search(DECL);
    if (declAt >= 0) {
      this.refuse(out, this.offset + byteLength(this.buf.slice(0, declAt), this.enc));
      return undefined;
    }
    if (!m) {
      this.buf = this.consume(this.buf, Math.max(0, this.buf.length - KEEP));
      return undefined;
    }
    const rest = this.consume(this.buf, m.index);
    this.buf = '';
    this.index++;
    this.elemOffset = this.offset;
    this.endRe = new RegExp(`</${(m[1] ?? '').replace('.', '\\.')}Event\\s*>`, 'g');
    this.parts = [];
    this.partsLen = 0;
    this.tail = '';
    this.startTagSeen = false;
    this.mode = 'inside';
    return rest;
  }

  /** Consumes element text; returns what follows the element (or '' when more is needed). */
  private feedInside(text: string, out: Piece[]): string {
    const window = this.tail + text;
    let endAt = -1;
    if (!this.startTagSeen && this.partsLen === 0) {
      const gt = window.indexOf('>');
      if (gt > 0) {
        this.startTagSeen = true;
        if (window[gt - 1] === '/') endAt = gt + 1; // self-closing <Event/>
      }
    }
    if (endAt < 0) {
      this.endRe.lastIndex = 0;
      const m = this.endRe.exec(window);
      if (m) endAt = m.index + m[0].length;
    }
    if (endAt >= 0) {
      const last = window.slice(0, endAt);
      if (this.mode === 'inside') {
        const elementText = this.parts.join('') + last;
        this.parts = [];
        const declAt = elementText.search(DECL);
        if (declAt >= 0) {
          this.refuse(out, this.elemOffset + byteLength(elementText.slice(0, declAt), this.enc));
          return '';
        }
        out.push({ kind: 'element', text: elementText, index: this.index, offset: this.elemOffset });
      }
      this.offset += byteLength(last, this.enc);
      this.tail = '';
      this.mode = 'outside';
      return window.slice(endAt);
    }
    // Not closed yet: keep a tail that may hold a split end tag.
    let cut = Math.max(0, window.length - KEEP);
    const c = window.charCodeAt(cut - 1);
    if (cut > 0 && c >= 0xd800 && c <= 0xdbff) cut--;
    const done = window.slice(0, cut);
    this.offset += byteLength(done, this.enc);
    this.tail = window.slice(cut);
    if (this.mode === 'inside') {
      this.parts.push(done);
      this.partsLen += done.length;
      if (this.partsLen + this.tail.length > this.maxChars) {
        this.parts = [];
        this.partsLen = 0;
        this.mode = 'skipping';
        out.push({
          kind: 'issue',
          index: this.index,
          issue: { severity: 'error', code: 'xml.element-too-large', message: `element ${this.index} is larger than ${this.maxChars} characters; skipped`, file: this.file, offset: this.elemOffset },
        });
      }
    }
    return '';
  }

  private refuse(out: Piece[], offset: number): void {
    out.push({
      kind: 'issue',
      issue: {
        severity: 'error',
        code: 'xml.entity-refused',
        message: 'DOCTYPE/ENTITY declarations are refused (entity expansion is never performed); the rest of the file is not read',
        file: this.file,
        offset,
      },
    });
    this.mode = 'refused';
    this.buf = '';
    this.parts = [];
    this.tail = '';
  }

  /** Drops s[0..n) (never splitting a surrogate pair), advances the offset, returns the rest. */
  private consume(s: string, n: number): string {
    const c = s.charCodeAt(n - 1);
    if (n > 0 && c >= 0xd800 && c <= 0xdbff) n--;
    if (n <= 0) return s;
    this.offset += byteLength(s.slice(0, n), this.enc);
    return s.slice(n);
  }
}
