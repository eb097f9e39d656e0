// Text decoding must not depend on how a stream is cut into chunks: the encoding is detected from
// the same window (512 bytes, or the whole input when shorter) however the bytes arrive.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { decodeHead, decodeInput } from '../../src/parsers/textInput.js';
import type { InputSource } from '../../src/parsers/types.js';

function source(pieces: Buffer[]): InputSource {
  return { name: 'x.rdp', size: pieces.reduce((n, p) => n + p.length, 0), open: () => Readable.from(pieces, { objectMode: true }) };
}

async function decode(pieces: Buffer[]): Promise<{ text: string; encodings: string[] }> {
  let text = '';
  const encodings = new Set<string>();
  for await (const c of decodeInput(source(pieces))) {
    text += c.text;
    encodings.add(c.encoding);
  }
  return { text, encodings: [...encodings] };
}

describe('decodeInput', () => {
  // The first 4 bytes look like UTF-16BE (NUL, 'f', NUL, 'u'); the first 512 say otherwise.
  const bytes = Buffer.concat([Buffer.from([0x00, 0x66, 0x00, 0x75]), Buffer.from('ll address:s:srv01\r\n'.repeat(20), 'utf16le')]);

  it('gives the same text and encoding whatever the chunk boundaries', async () => {
    const whole = await decode([bytes]);
    for (const cuts of [[3, 2], [1, 1, 1, 1], [4], [5, 100], [511], [512], [513]]) {
      const pieces: Buffer[] = [];
      let at = 0;
      for (const n of cuts) {
        pieces.push(bytes.subarray(at, at + n));
        at += n;
      }
      pieces.push(bytes.subarray(at));
      expect(await decode(pieces), `cuts ${cuts.join('/')}`).toEqual(whole);
    }
    expect(whole.encodings).toEqual(['utf-8']);
  });

  it('still sees a BOM, and decodes an input shorter than the window', async () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('full address:s:a\r\n', 'utf16le')]);
    expect(await decode([le.subarray(0, 1), le.subarray(1, 3), le.subarray(3)])).toEqual({ text: 'full address:s:a\r\n', encodings: ['utf-16le'] });
    expect(await decode([Buffer.from('ab')])).toEqual({ text: 'ab', encodings: ['utf-8'] });
  });
});

describe('decodeHead', () => {
  it('decodes each head by its own encoding, also when asked again (every sniff asks)', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('<Events>', 'utf16le')]);
    const utf8 = Buffer.from('\ufeff<Events>é', 'utf8');
    const same = Buffer.from('<Events>é', 'utf8');
    for (let round = 0; round < 2; round++) {
      expect(decodeHead(utf16)).toBe('<Events>');
      expect(decodeHead(utf8)).toBe('<Events>é');
      expect(decodeHead(same)).toBe('<Events>é');
      expect(decodeHead(Buffer.from('other', 'utf8'))).toBe('other');
    }
  });
});
