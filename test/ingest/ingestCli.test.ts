// `rdpdoctor ingest` and `rdpdoctor events` in-process, wired the way src/cli/main.ts wires them
// (exit codes from FatalError/CommanderError); stdout (writeOut) and stderr are captured. Inputs
// are Event XML files written by the test.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Command, CommanderError } from 'commander';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ExitCode, FatalError } from '../../src/cli/exitCodes.js';
import type { StoredEvent } from '../../src/model/stages.js';
import { openCase } from '../../src/store/caseFile.js';
import { writeZip } from '../../scripts/fuzz/zip.mjs';
import { synthEvent } from './fakeReader.js';

const out: string[] = [];
const err: string[] = [];
vi.mock('../../src/cli/io.js', () => ({
  writeOut: (t: string) => void out.push(t),
  logErr: (t: string) => void err.push(t.endsWith('\n') ? t : `${t}\n`),
}));
const commands = {
  ingest: await import('../../src/cli/commands/ingest.js'),
  events: await import('../../src/cli/commands/events.js'),
};

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function cli(name: keyof typeof commands, ...args: string[]): Promise<Result> {
  out.length = 0;
  err.length = 0;
  const direct: string[] = [];
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (direct.push(String(chunk)), true));
  const program = new Command('rdpdoctor').exitOverride();
  program.addCommand(commands[name].build().exitOverride());
  let code: number = ExitCode.OK;
  try {
    await program.parseAsync(['node', 'rdpdoctor', name, ...args]);
  } catch (e) {
    if (e instanceof FatalError) {
      direct.push(`rdpdoctor: ${e.message}\n`);
      code = e.exitCode;
    } else if (e instanceof CommanderError) {
      code = e.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    } else throw e;
  } finally {
    spy.mockRestore();
  }
  return { code, stdout: out.join(''), stderr: err.join('') + direct.join('') };
}

interface XmlEvent {
  provider: string;
  id: number;
  time: string;
  channel: string;
  computer: string;
  record: number;
  data: Record<string, string>;
}

function eventXml(e: XmlEvent): string {
  const data = Object.entries(e.data)
    .map(([k, v]) => `    <Data Name="${k}">${v}</Data>`)
    .join('\n');
  return `<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">
  <System>
    <Provider Name="${e.provider}"/>
    <EventID>${e.id}</EventID>
    <Level>4</Level>
    <TimeCreated SystemTime="${e.time}"/>
    <EventRecordID>${e.record}</EventRecordID>
    <Channel>${e.channel}</Channel>
    <Computer>${e.computer}</Computer>
  </System>
  <EventData>
${data}
  </EventData>
</Event>`;
}

const RDPCLIENT = 'Microsoft-Windows-TerminalServices-RDPClient/Operational';
const AXC = 'Microsoft-Windows-TerminalServices-ClientActiveXCore';
const RDPCORE = 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational';

let dir: string;
let inputs: string;
let db: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rdpd-cli-'));
  inputs = join(dir, 'logs');
  mkdirSync(join(inputs, 'server'), { recursive: true });
  const client: XmlEvent[] = [
    { provider: AXC, id: 1024, time: '2024-03-14T13:05:05.1000000Z', channel: RDPCLIENT, computer: 'CLIENT01', record: 1, data: { Name: 'Server Name', Value: 'srv01' } },
    { provider: AXC, id: 1026, time: '2024-03-14T13:05:07.2000000Z', channel: RDPCLIENT, computer: 'CLIENT01', record: 2, data: { Name: 'Disconnect', Value: '2308' } },
    { provider: 'MsiInstaller', id: 11707, time: '2024-03-14T13:05:06.0000000Z', channel: 'Application', computer: 'CLIENT01', record: 3, data: { Product: 'x' } },
  ];
  const server: XmlEvent[] = [
    { provider: 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS', id: 131, time: '2024-03-14T13:05:06.4000000Z', channel: RDPCORE, computer: 'SRV01.contoso.local', record: 10, data: { ConnType: 'TCP', ClientIP: '10.0.0.15:50123' } },
    { provider: 'Microsoft-Windows-Security-Auditing', id: 4625, time: '2024-03-14T13:05:06.9000000Z', channel: 'Security', computer: 'SRV01.contoso.local', record: 11, data: { TargetUserName: 'bob', Status: '0xc000006d' } },
  ];
  writeFileSync(join(inputs, 'client.xml'), `<?xml version="1.0" encoding="UTF-8"?>\n<Events>\n${client.map(eventXml).join('\n')}\n</Events>\n`);
  writeFileSync(join(inputs, 'server', 'server.xml'), `<Events>\n${server.map(eventXml).join('\n')}\n</Events>\n`);
  writeFileSync(join(inputs, 'readme.bin'), Buffer.from([0, 1, 2, 3, 255]));
  db = join(dir, 'case.db');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

describe('rdpdoctor ingest', () => {
  it('ingests a folder, prints the per-channel counts on stderr and the summary as JSON on stdout', async () => {
    const r = await cli('ingest', inputs, '--db', db, '--json');
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { totals: Record<string, number>; channels: { channel: string; read: number; stored: number; filtered: number }[] };
    expect(s.totals).toMatchObject({ inputs: 2, ingested: 2, skipped: 1, stored: 4, filtered: 1, seen: 5 });
    expect(s.channels.find((c) => c.channel === 'Application')).toEqual({ channel: 'Application', read: 1, stored: 0, filtered: 1 });
    expect(r.stderr).toMatch(/^channel +read +stored +filtered$/m);
    expect(r.stderr).toMatch(/^Application +1 +0 +1$/m);
    expect(r.stderr).toMatch(/skipped +.*readme\.bin: format not recognised/);
    expect(r.stderr).toContain('inputs: 2 (2 ingested, 0 already in case, 1 skipped, 0 failed); records: 5 read, 4 stored, 1 filtered out');
  });

  it('a second run changes nothing and says so', async () => {
    const before = openCase(db, { readonly: true });
    const stats = before.stats();
    before.close();
    const r = await cli('ingest', inputs, '--db', db);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.match(/^already-in-case/gm)).toHaveLength(2);
    const after = openCase(db, { readonly: true });
    expect(after.stats()).toEqual(stats);
    after.close();
  });

  it('reads zip archives in place; members are sources of their own, known by content', async () => {
    const zip = join(dir, 'bundle.zip');
    writeZip(zip, [
      { name: 'client/client.xml', data: readFileSync(join(inputs, 'client.xml')) },
      { name: 'server/server.xml', data: readFileSync(join(inputs, 'server', 'server.xml')) },
    ]);
    const zdb = join(dir, 'zip.db');
    const r = await cli('ingest', zip, '--db', zdb, '--json');
    expect(r.code, r.stderr).toBe(0);
    const s = JSON.parse(r.stdout) as { inputs: { file: string; status: string }[] };
    expect(s.inputs.map((i) => [i.file, i.status])).toEqual([
      [`${zip}!/client/client.xml`, 'ingested'],
      [`${zip}!/server/server.xml`, 'ingested'],
    ]);
    // The same content as plain files is already in the case.
    const again = await cli('ingest', inputs, '--db', zdb);
    expect(again.stderr.match(/^already-in-case/gm)).toHaveLength(2);
    const ev = await cli('events', '--db', zdb, '--json', '--id', '131');
    expect((JSON.parse(ev.stdout) as StoredEvent).source.file).toBe(`${zip}!/server/server.xml`);
  });

  it('exits 3 when nothing could be read, 4 for a case from a newer rdpdoctor', async () => {
    const none = await cli('ingest', join(inputs, 'readme.bin'), '--db', join(dir, 'empty.db'));
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('no input could be read');
    const newer = join(dir, 'newer.db');
    openCase(newer).close();
    const raw = new Database(newer);
    raw.prepare(`UPDATE meta SET value = '3' WHERE key = 'schema_version'`).run();
    raw.close();
    const r = await cli('ingest', inputs, '--db', newer);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`case file ${newer}: was written by a newer rdpdoctor`);
  });

  it('rejects bad --workers and --source-tz', async () => {
    expect((await cli('ingest', inputs, '--db', db, '--workers', '0')).code).toBe(2);
    const tz = await cli('ingest', inputs, '--db', db, '--source-tz', 'Mars/Olympus');
    expect(tz.code).toBe(2);
    expect(tz.stderr).toContain('--source-tz: "Mars/Olympus"');
  });
});

describe('rdpdoctor events', () => {
  const rows = (stdout: string): string[] => stdout.trimEnd().split('\n').slice(1);

  it('lists stored events oldest first as a table', async () => {
    const r = await cli('events', '--db', db);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TIME +HOST +CHANNEL +ID +DETAILS$/);
    expect(rows(r.stdout).map((l) => l.split(/ {2,}/)[3])).toEqual(['1024', '131', '4625', '1026']);
    expect(lines[1]).toMatch(/^2024-03-14 13:05:05\.100 \+00:00 +CLIENT01 +TerminalServices-RDPClient\/Operational +1024 +Name=Server Name Value=srv01$/);
  });

  it('filters by channel, id, host, time range and text, and limits', async () => {
    const ids = async (...args: string[]): Promise<string[]> => {
      const r = await cli('events', '--db', db, ...args);
      expect(r.code, r.stderr).toBe(0);
      return rows(r.stdout).map((l) => l.split(/ {2,}/)[3]!);
    };
    expect(await ids('--channel', '*rdpclient*')).toEqual(['1024', '1026']);
    expect(await ids('--channel', 'security,' + RDPCORE)).toEqual(['131', '4625']);
    expect(await ids('--id', '1026,131')).toEqual(['131', '1026']);
    expect(await ids('--id', '1000-1030')).toEqual(['1024', '1026']);
    expect(await ids('--host', 'srv01')).toEqual(['131', '4625']);
    expect(await ids('--host', 'client01', '--host', 'SRV01.CONTOSO.LOCAL')).toEqual(['1024', '131', '4625', '1026']);
    expect(await ids('--since', '2024-03-14T13:05:06Z', '--until', '2024-03-14T13:05:06Z')).toEqual(['131', '4625']);
    expect(await ids('--since', '2024-03-14T14:05:06+01:00')).toEqual(['131', '4625', '1026']);
    expect(await ids('--since', '2024-03-14 14:05:06', '--tz', '+01:00')).toEqual(['131', '4625', '1026']);
    expect(await ids('--until', '2024-03-14')).toEqual(['1024', '131', '4625', '1026']);
    expect(await ids('--until', '2024-03-13')).toEqual([]);
    expect(await ids('--since', '2024-03-15')).toEqual([]);
    expect(await ids('--until', '2024-03-14T13:05:06.5Z')).toEqual(['1024', '131']);
    expect(await ids('--grep', 'C000006D')).toEqual(['4625']);
    expect(await ids('--grep', '10.0.0.15')).toEqual(['131']);
    expect(await ids('--limit', '2')).toEqual(['1024', '131']);
    const none = await cli('events', '--db', db, '--id', '9999');
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('no events match');
  });

  it('--json prints one StoredEvent per line', async () => {
    const r = await cli('events', '--db', db, '--json', '--host', 'srv01');
    expect(r.code, r.stderr).toBe(0);
    const events = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as StoredEvent);
    expect(events.map((e) => [e.eventId, e.computer, e.data.ClientIP ?? e.data.TargetUserName])).toEqual([
      [131, 'SRV01.contoso.local', '10.0.0.15:50123'],
      [4625, 'SRV01.contoso.local', 'bob'],
    ]);
    expect(events[0]!.rowId).toBeGreaterThan(0);
    expect(events[0]!.source).toMatchObject({ file: join(inputs, 'server', 'server.xml'), format: 'event-xml' });
  });

  it('shows times in --tz with their offset', async () => {
    const r = await cli('events', '--db', db, '--id', '1024', '--tz', 'Asia/Kolkata');
    expect(rows(r.stdout)[0]).toMatch(/^2024-03-14 18:35:05\.100 \+05:30 /);
  });

  it('escapes control and bidi characters from event data in the table', async () => {
    const path = join(dir, 'hostile.db');
    const cf = openCase(path);
    const e = synthEvent(0, 0, 'EVIL\u001b[2J', 'x');
    e.data = { Value: 'ding\u0007\u202eevil', Osc: '\u001b]52;c;Zm9v\u0007', Csi: '\u009b31m' };
    await cf.beginWrite();
    const id = cf.insertSource({ path: 'x\u001b[31m', sha256: 'x', size: 1, format: 'evt-text', filter: 'all' });
    cf.insertEvents(id, [e]);
    cf.finishSource(id, { hosts: [], counts: { read: 1, recovered: 0, skipped: 0, filtered: 0, stored: 1 }, errorCount: 0, errors: [] });
    cf.commit();
    cf.close();
    const r = await cli('events', '--db', path);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    expect(r.stdout).toContain('EVIL\\x1b[2J');
    expect(r.stdout).toContain('Value=ding\\x07\\u202eevil');
    // JSON output keeps the exact values, every control and bidi character written as an escape.
    const j = await cli('events', '--db', path, '--json');
    expect(j.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    const back = JSON.parse(j.stdout) as StoredEvent;
    expect(back.computer).toBe('EVIL\u001b[2J');
    expect(back.data).toEqual(e.data);
  });

  it('exits 4 for a missing case and 2 for bad filters', async () => {
    const missing = join(dir, 'nope.db');
    const r = await cli('events', '--db', missing);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(`case file ${missing}: does not exist`);
    expect((await cli('events', '--db', db, '--id', 'abc')).code).toBe(2);
    expect((await cli('events', '--db', db, '--since', 'soon')).code).toBe(2);
    expect((await cli('events', '--db', db, '--tz', 'Mars/Olympus')).code).toBe(2);
  });
});
