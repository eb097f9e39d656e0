// A stream that fails part-way (a damaged zip member, an I/O error) is damage like any other: the
// records before it are kept, the failure is one issue with its offset, and nothing is thrown.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { evtxReader } from '../../../src/parsers/evtx/reader.js';
import type { ReadItem } from '../../../src/parsers/types.js';
import { sampleEvtx } from './fixtures.js';

function failingAfter(bytes: Buffer, cut: number): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(bytes.subarray(0, cut));
      } else this.destroy(Object.assign(new Error('invalid stored block lengths'), { code: 'Z_DATA_ERROR' }));
    },
  });
}

async function readAll(bytes: Buffer, cut: number, workers: number): Promise<{ items: ReadItem[]; read: number }> {
  const it = evtxReader.read({ name: 'logs.zip!/System.evtx', size: bytes.length, open: () => failingAfter(bytes, cut) }, { workers });
  const items: ReadItem[] = [];
  for (;;) {
    const r = await it.next();
    if (r.done) return { items, read: r.value.read };
    items.push(...r.value);
  }
}

describe('evtx input that fails while being read', () => {
  const file = sampleEvtx(600); // several chunks
  const whole = 4096 + 65536 * 2; // header and two whole chunks arrive, then the stream fails

  for (const workers of [1, 2]) {
    it(`keeps the records before the failure and reports it once, with its offset (workers=${workers})`, async () => {
      expect(file.length).toBeGreaterThan(whole + 65536);
      const { items, read } = await readAll(file, whole, workers);
      const events = items.filter((i) => i.kind === 'event');
      const issues = items.flatMap((i) => (i.kind === 'issue' ? [i.issue] : []));
      expect(events.length).toBe(read);
      expect(read).toBeGreaterThan(0);
      const failure = issues.filter((i) => i.code === 'evtx.read-error');
      expect(failure).toHaveLength(1);
      expect(failure[0]).toMatchObject({ severity: 'error', file: 'logs.zip!/System.evtx', offset: whole, chunk: 2 });
      expect(failure[0]!.message).toContain('Z_DATA_ERROR');
    });
  }

  it('names the failure when not even the file header could be read', async () => {
    const { items, read } = await readAll(file, 100, 1);
    expect(read).toBe(0);
    const issues = items.flatMap((i) => (i.kind === 'issue' ? [i.issue] : []));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'evtx.bad-file-header', offset: 0 });
    expect(issues[0]!.message).toMatch(/cannot read the file: invalid stored block lengths/);
  });
});
