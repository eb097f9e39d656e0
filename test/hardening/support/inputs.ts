// Hostile inputs, generated in code (the big ones stream-written to a temp folder and deleted by
// the caller), plus one good input to put beside each so the run is seen to go on.
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const NS = 'http://schemas.microsoft.com/win/2004/08/events/event';

/** One well-formed Event XML record; `data` is inserted raw into EventData. */
export function eventXml(opts: { id?: number; computer?: string; data?: string; record?: number } = {}): string {
  return (
    `<Event xmlns="${NS}"><System><Provider Name="Microsoft-Windows-TerminalServices-ClientActiveXCore" Guid="{28AA95BB-D444-4719-A36F-40462168127E}"/>` +
    `<EventID>${opts.id ?? 1026}</EventID><Version>0</Version><Level>4</Level><Task>101</Task><Opcode>11</Opcode><Keywords>0x4000000000000000</Keywords>` +
    `<TimeCreated SystemTime="2023-07-14T14:06:33.6543161Z"/><EventRecordID>${opts.record ?? 1643}</EventRecordID><Correlation/><Execution ProcessID="11136" ThreadID="3624"/>` +
    `<Channel>Microsoft-Windows-TerminalServices-RDPClient/Operational</Channel><Computer>${opts.computer ?? 'GOODPC'}</Computer><Security/></System>` +
    `<EventData>${opts.data ?? '<Data Name="Name">Disconnect Reason</Data><Data Name="Value">2308</Data><Data Name="CustomLevel">Info</Data>'}</EventData></Event>`
  );
}

/** The good neighbour: two events from host GOODPC. */
export function writeGood(dir: string, name = 'good.xml'): string {
  const p = join(dir, name);
  writeFileSync(p, `<Events>${eventXml({ id: 1024, record: 1 })}${eventXml({ record: 2 })}</Events>\r\n`);
  return p;
}

/** Writes head, then `total` bytes of `fill` (in 8 MiB blocks), then tail. */
export function streamWrite(path: string, head: string, fill: number, total: number, tail = ''): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, Buffer.from(head, 'utf8'));
    const block = Buffer.alloc(8 << 20, fill);
    for (let left = total; left > 0; left -= block.length) writeSync(fd, block, 0, Math.min(left, block.length));
    if (tail) writeSync(fd, Buffer.from(tail, 'utf8'));
  } finally {
    closeSync(fd);
  }
}

export function billionLaughs(): string {
  const ents = ['<!ENTITY lol "lol">'];
  for (let i = 1; i <= 9; i++) ents.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
  return `<?xml version="1.0"?>\n<!DOCTYPE Events [\n${ents.join('\n')}\n]>\n<Events>${eventXml({ computer: '&lol9;' })}</Events>\n`;
}

export function externalEntity(): string {
  return `<?xml version="1.0"?>\n<!DOCTYPE Event [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n${eventXml({ computer: '&xxe;', data: '<Data Name="Value">&xxe;</Data>' })}\n`;
}

export function parameterEntity(): string {
  return `<?xml version="1.0"?>\n<!DOCTYPE Events [<!ENTITY % ext SYSTEM "file:///etc/passwd"> %ext;]>\n<Events>${eventXml()}</Events>\n`;
}

export function deepXml(depth: number): string {
  return `<Events>${eventXml({ data: `${'<a>'.repeat(depth)}x${'</a>'.repeat(depth)}` })}</Events>\n`;
}

export function unclosedXml(depth: number): string {
  return `<Events>${'<Event>'.repeat(depth)}\n`;
}

export function deepJson(depth: number): string {
  return `[${'{"Id":1024,"Properties":['.repeat(depth)}${']}'.repeat(depth)}]`;
}

/** UTF-16LE with BOM, with a lone high surrogate in Data and a lone low surrogate in Computer. */
export function loneSurrogatesXml(): Buffer {
  const text = `<Events>${eventXml({ computer: 'SURR\uDC00PC', data: '<Data Name="Value">A\uD800B</Data>' })}</Events>\r\n`;
  // Buffer's utf16le encoder writes lone surrogates as they are, which is what a broken writer does.
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
}

export const CSV_HEADER = 'Level,Date and Time,Source,Event ID,Task Category\r\n';
