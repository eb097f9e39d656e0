import { describe, expect, it } from 'vitest';
import { hasUnsafe, sanitizeBlock, sanitizeInline, wellFormed } from '../../src/report/sanitize.js';

describe('terminal sanitizer', () => {
  it('shows ESC sequences, OSC 52, BEL, DEL and C1 controls escaped', () => {
    expect(sanitizeInline('a\u001b[2Jb')).toBe('a\\x1b[2Jb');
    expect(sanitizeInline('\u001b]52;c;ZXZpbA==\u0007')).toBe('\\x1b]52;c;ZXZpbA==\\x07');
    expect(sanitizeInline('x\u009b31my\u0085z\u007f')).toBe('x\\x9b31my\\x85z\\x7f');
    expect(sanitizeInline('nul\u0000')).toBe('nul\\x00');
  });

  it('neutralises bidi overrides, isolates and line separators', () => {
    expect(sanitizeInline('invoice\u202efdp.exe')).toBe('invoice\\u202efdp.exe');
    expect(sanitizeInline('\u2066a\u2069\u200f\u061c')).toBe('\\u2066a\\u2069\\u200f\\u061c');
    expect(sanitizeInline('a\u2028b')).toBe('a\\u2028b');
  });

  it('inline escapes newlines and tabs; block keeps them', () => {
    expect(sanitizeInline('a\nb\tc\rd')).toBe('a\\nb\\tc\\rd');
    expect(sanitizeBlock('a\nb\tc\rd\u001b')).toBe('a\nb\tc\\rd\\x1b');
  });

  it('leaves ordinary text alone, including non-Latin scripts and emoji', () => {
    const ok = 'C:\\Users\\Ålice — 服务器 🖥️ ok';
    expect(sanitizeInline(ok)).toBe(ok);
    expect(hasUnsafe(ok)).toBe(false);
    expect(hasUnsafe('x\u001b')).toBe(true);
    expect(hasUnsafe('x\u001b')).toBe(true); // stateless across calls
  });

  it('shows lone surrogates escaped and repairs them for JSON', () => {
    expect(sanitizeInline('a\ud800b')).toBe('a\\ud800b');
    expect(wellFormed('a\ud800b\udc00')).toEqual({ text: 'a\ufffdb\ufffd', repaired: true });
    expect(wellFormed('pair \ud83d\ude00')).toEqual({ text: 'pair \ud83d\ude00', repaired: false });
  });
});
