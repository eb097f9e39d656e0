// Deliberately faulty readers for testing the fuzz harness itself: each fault the watchdog must
// catch is triggered by a marker in the input. They follow src/parsers/types.ts.
const TIME = '2023-07-14T14:06:33.6543161Z';

function text(input) {
  return new Promise((resolve, reject) => {
    const parts = [];
    const s = input.open();
    s.on('data', (d) => parts.push(d));
    s.on('end', () => resolve(Buffer.concat(parts).toString('latin1')));
    s.on('error', reject);
  });
}

export const readers = [
  {
    format: 'evt-text',
    sniff: (head) => head.toString('latin1').startsWith('TOY'),
    async *read(input) {
      let body;
      try {
        body = await text(input);
      } catch (err) {
        // I/O failures are issues, as the contract wants (the fuzzer injects them).
        yield [{ kind: 'issue', issue: { severity: 'error', code: 'toy.io', message: err.message, file: input.name } }];
        return { read: 0, recovered: 0, skipped: 0, filtered: 0, skippedBy: {} };
      }
      if (body.includes('CRASH')) throw new TypeError(`toy reader met CRASH at ${body.indexOf('CRASH')}`);
      if (body.includes('HANG')) for (;;);
      if (body.includes('STALL')) await new Promise(() => {});
      if (body.includes('BOOM')) {
        const hold = [];
        // 8 MiB per step: the heap limit is met long before the time limit.
        for (;;) hold.push(new Array(1 << 20).fill(hold.length));
      }
      if (body.includes('ASYNC')) setTimeout(() => { throw new Error('toy reader async failure'); }, 0);
      if (body.includes('SNIFF')) throw new Error('never reached: the sniff throws first');
      const lines = body.split('\n').filter((l) => l.trim());
      const batch = lines.map((l, i) => ({
        kind: 'event',
        event: { time: l.includes('BADTIME') ? 'yesterday' : TIME, provider: 'Toy', eventId: i, channel: 'Toy', computer: 'HOST', data: { line: l.includes('RANDOM') ? String(Math.random()) : l }, source: { file: input.name, format: 'evt-text', position: `line ${i + 1}`, fidelity: 'message-only' } },
      }));
      yield batch;
      if (body.includes('ASYNC')) await new Promise((r) => setTimeout(r, 50));
      return { read: batch.length, recovered: 0, skipped: 0, filtered: 0, skippedBy: {} };
    },
  },
  {
    format: 'rdp',
    sniff: (head) => {
      if (head.toString('latin1').includes('SNIFF')) throw new RangeError('toy sniff failure');
      return false;
    },
    async *read(input) {
      yield [{ kind: 'issue', issue: { severity: 'warning', code: 'toy.nothing', message: 'nothing here', file: input.name } }];
      return { read: 0, recovered: 0, skipped: 0, filtered: 0, skippedBy: {} };
    },
  },
];
