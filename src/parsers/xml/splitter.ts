// Incremental splitter: cuts a decoded text stream into <Event>…</Event> elements so a 2 GB export
// is parsed one element at a time. Memory is bounded by the maximum element size; anything larger
// is reported and skipped while scanning continues. DOCTYPE/ENTITY declarations end the input:
// entity expansion is refused outright, never attempted.
import type { ParseIssue } from '../../model/issue.js';
import { byteLength, type TextEncoding } from '../textInput.js';

export const MAX_ELEMENT_CHARS = 16 * 1024 * 1024;

export type Piece =
  | { kind: 'element'; text: string; index: number; offset: number }
  | { kind: 'issue'; issue: ParseIssue; index?: number };

const START = /<([A-Za-z_][\w.-]*:)?Event(?=[\s>/])/;
const DECL = /<!(DOCTYPE|ENTITY)/;
/** Longest text that can hold a partial start tag or declaration when a chunk ends. */
const KEEP = 64;

type Mode = 'outside' | 'inside' | 'skipping' | 'refused';

export class EventSplitter {
  private buf = '';
  /** Byte offset of buf[0] in the input. */
  private bufOffset: number;
  private mode: Mode = 'outside';
  private endTag = '';
  private searchFrom = 0;
  private index = 0;
  private elemOffset = 0;
  private startTagSeen = false;

  constructor(
    private readonly file: string,
    private readonly enc: TextEncoding,
    dataStart: number,
    private readonly maxChars = MAX_ELEMENT_CHARS,
  ) {
    this.bufOffset = dataStart;
  }

  /** Elements seen so far (complete, skipped or truncated). */
  get count(): number {
    return this.index;
  }

  get refused(): boolean {
    return this.mode === 'refused';
  }

  push(text: string): Piece[] {
    if (this.mode === 'refused') return [];
    this.buf += text;
    const out: Piece[] = [];
    for (;;) {
      if (this.mode === 'outside') {
        if (!this.scanOutside(out)) break;
      } else if (this.mode === 'inside' || this.mode === 'skipping') {
        if (!this.scanInside(out)) break;
      } else break;
    }
    return out;
  }

  end(): Piece[] {
    const out = this.push('');
    if (this.mode === 'inside' || this.mode === 'skipping') {
      out.push({
        kind: 'issue',
        index: this.index,
        issue: {
          severity: 'error',
          code: 'xml.truncated',
          message: `element ${this.index} is not closed: the input ends inside <Event>`,
          file: this.file,
          offset: this.elemOffset,
        },
      });
    }
    this.buf = '';
    return out;
  }

  /** Looks for the next <Event start; returns false when more text is needed. */
  private scanOutside(out: Piece[]): boolean {
    const m = START.exec(this.buf);
    const declAt = this.buf.search(DECL);
    if (declAt >= 0 && (!m || declAt < m.index)) {
      this.refuse(out, declAt);
      return false;
    }
    if (!m) {
      this.discard(Math.max(0, this.buf.length - KEEP));
      return false;
    }
    this.discard(m.index);
    this.index++;
    this.elemOffset = this.bufOffset;
    this.endTag = `</${m[1] ?? ''}Event`;
    this.searchFrom = 0;
    this.startTagSeen = false;
    this.mode = 'inside';
    return true;
  }

  private scanInside(out: Piece[]): boolean {
    const endRe = new RegExp(`${escapeRe(this.endTag)}\\s*>`, 'g');
    endRe.lastIndex = this.searchFrom;
    let m = endRe.exec(this.buf);
    // A self-closing <Event/> ends at its own start tag.
    if (this.mode === 'inside' && !this.startTagSeen) {
      const gt = this.buf.indexOf('>');
      if (gt > 0) {
        this.startTagSeen = true;
        if (this.buf[gt - 1] === '/' && !(m && m.index < gt)) return this.finishElement(out, gt + 1);
      }
    }
    if (m) return this.finishElement(out, m.index + m[0].length);
    if (this.mode === 'inside' && this.buf.length > this.maxChars) {
      out.push({
        kind: 'issue',
        index: this.index,
        issue: {
          severity: 'error',
          code: 'xml.element-too-large',
          message: `element ${this.index} is larger than ${this.maxChars} characters; skipped`,
          file: this.file,
          offset: this.elemOffset,
        },
      });
      this.mode = 'skipping';
    }
    if (this.mode === 'skipping') {
      this.discard(Math.max(0, this.buf.length - KEEP));
      this.searchFrom = 0;
    } else {
      this.searchFrom = Math.max(0, this.buf.length - this.endTag.length - KEEP);
    }
    return false;
  }

  private finishElement(out: Piece[], endAt: number): boolean {
    if (this.mode === 'inside') {
      const text = this.buf.slice(0, endAt);
      const declAt = text.search(DECL);
      if (declAt >= 0) {
        this.refuse(out, declAt);
        return false;
      }
      out.push({ kind: 'element', text, index: this.index, offset: this.elemOffset });
    }
    this.discard(endAt);
    this.mode = 'outside';
    return true;
  }

  private refuse(out: Piece[], at: number): void {
    const offset = this.bufOffset + byteLength(this.buf.slice(0, at), this.enc);
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
  }

  /** Drops buf[0..n) and advances the byte offset, never splitting a surrogate pair. */
  private discard(n: number): void {
    if (n <= 0) return;
    const c = this.buf.charCodeAt(n - 1);
    if (c >= 0xd800 && c <= 0xdbff) n--;
    if (n <= 0) return;
    this.bufOffset += byteLength(this.buf.slice(0, n), this.enc);
    this.buf = this.buf.slice(n);
  }
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
