// Output safety end to end: event data (and file names) carrying ESC[2J, OSC 52, SGR, BEL, C1
// controls (CSI/OSC/ST/NEL as U+009B…), BS, CR and DEL must never reach the terminal raw. The
// text report neutralises them; JSON outputs escape C0 (JSON does) and must keep the data exact;
// every output is valid UTF-8, and invalid input bytes are replaced and flagged.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeEvtx, type EvtxEventSpec } from '../support/evtx-writer/index.js';
import { CHANNEL, HOSTILE, PROVIDER, writeHostileEvtx } from './support/hostile.js';
import { eventXml } from './support/inputs.js';

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const BIN = join(REPO, 'bin/rdpdoctor.js');
const haveCli = existsSync(join(REPO, 'dist/cli/commands/analyze.js')) && existsSync(join(REPO, 'dist/cli/commands/dump.js'));


// Terminal-controlling code points: C0 but newline and tab, DEL, C1.
const TERMINAL_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
// In JSON, C0 is escaped by the format itself; what remains raw is DEL and C1.
const RAW_IN_JSON = /[\u007f-\u009f]/;

let dir: string;
let evilName: string;

function run(args: string[]): { code: number | null; stdout: Buffer; stderr: Buffer } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, CI: 'true', NO_COLOR: '1' }, maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function utf8(buf: Buffer, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new Error(`${what} is not valid UTF-8`);
  }
}

/** Where a control character first shows, for a readable failure. */
function firstControl(text: string, re: RegExp): string {
  const m = re.exec(text);
  if (!m) return '';
  return `U+${m[0].charCodeAt(0).toString(16).padStart(4, '0')} at ${m.index}: ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 20))}`;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rdpdoctor-output-'));
  const inputs = join(dir, 'in');
  mkdirSync(inputs);
  // Lone surrogates (a broken UTF-16 writer): JSON output must stay valid UTF-8 and flag the event.
  const broken: EvtxEventSpec[] = [
    { provider: PROVIDER, eventId: 1024, time: '2024-05-02T09:00:00.0000000Z', channel: CHANNEL, computer: 'SURROGATEPC', payload: { kind: 'EventData', fields: [{ name: 'Name', value: 'Server' }, { name: 'Value', value: 'srv\uD800x\uDC00y' }, { name: 'CustomLevel', value: 'Info' }] } },
    { provider: PROVIDER, eventId: 1026, time: '2024-05-02T09:00:01.0000000Z', channel: CHANNEL, computer: 'SURROGATEPC', payload: { kind: 'EventData', fields: [{ name: 'Name', value: 'Disconnect Reason' }, { name: 'Value', value: '2308' }, { name: 'CustomLevel', value: 'Info' }] } },
  ];
  writeFileSync(join(inputs, 'surrogates.evtx'), writeEvtx(broken));
  // The file name is hostile too: it is printed in issues, progress and provenance.
  evilName = writeHostileEvtx(inputs);
  // Event XML with raw ESC/C1 in text and bytes that are not UTF-8 at all.
  const xml = Buffer.concat([
    Buffer.from(`<Events>${eventXml({ computer: 'XMLHOST', data: `<Data Name="Name">Server</Data><Data Name="Value">x\u009b2J\x1b]52;c;SEVMTE8=\x07y` }).replace(/<\/EventData>.*$/, '')}`),
    Buffer.from([0xff, 0xc0, 0x80, 0xed, 0xa0, 0x80]),
    Buffer.from(`</Data></EventData></Event></Events>\r\n`),
  ]);
  writeFileSync(join(inputs, 'export.xml'), xml);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!haveCli)('output safety (analyze, dump)', () => {
  it('analyze --text: no control sequence from event data or file names reaches stdout or stderr', () => {
    const r = run(['analyze', '--text', 'in']);
    expect(r.code, r.stderr.toString()).toBe(0);
    const out = utf8(r.stdout, 'analyze --text stdout');
    const err = utf8(r.stderr, 'analyze --text stderr');
    expect(out).toMatch(/PWNED/); // the data is shown, neutralised
    expect(firstControl(out, TERMINAL_CONTROL), 'stdout').toBe('');
    expect(firstControl(err, TERMINAL_CONTROL), 'stderr').toBe('');
  });

  it('dump (JSONL): valid UTF-8, C0 escaped by JSON, values kept exactly, stderr neutralised', () => {
    const r = run(['dump', 'in']);
    expect(r.code, r.stderr.toString()).toBe(0);
    const out = utf8(r.stdout, 'dump stdout');
    expect(firstControl(out, /[\u0000-\u0009\u000b-\u001f]/), 'raw C0 in JSONL').toBe('');
    const events = out.trim().split('\n').map((l) => JSON.parse(l) as { computer: string; data: Record<string, string>; source: { file: string } });
    const evtx = events.filter((e) => e.source.file.includes(evilName));
    expect(evtx).toHaveLength(2);
    expect(evtx[0]!.computer).toBe(`CLIENT${HOSTILE}01`);
    expect(evtx[0]!.data.Value).toBe(`srv${HOSTILE}.corp`);
    expect(evtx[0]!.source.file).toContain(evilName);
    expect(firstControl(utf8(r.stderr, 'dump stderr'), TERMINAL_CONTROL), 'stderr').toBe('');
  });

  it('dump: invalid UTF-8 in a text export is replaced (U+FFFD) and flagged on stderr', () => {
    const r = run(['dump', 'in/export.xml']);
    const out = utf8(r.stdout, 'dump stdout');
    const ev = JSON.parse(out.trim().split('\n')[0]!) as { data: Record<string, string> };
    expect(ev.data.Value).toContain('\uFFFD');
    expect(r.stderr.toString()).toMatch(/export\.xml.*(encoding|U\+FFFD|replaced)/);
  });

  it('analyze --json: valid UTF-8 JSON, the hostile values kept exactly', () => {
    const r = run(['analyze', '--json', 'in']);
    expect(r.code, r.stderr.toString()).toBe(0);
    const doc = JSON.parse(utf8(r.stdout, 'analyze --json stdout')) as { hosts: { name: string }[]; attempts: { target?: string }[] };
    expect(doc.hosts.map((h) => h.name)).toContain(`CLIENT${HOSTILE}01`);
    expect(doc.attempts.some((a) => a.target === `srv${HOSTILE}.corp`)).toBe(true);
    expect(firstControl(r.stdout.toString('utf8'), /[\u0000-\u0009\u000b-\u001f]/), 'raw C0').toBe('');
  });

  it('analyze --json: lone surrogates are replaced in valid UTF-8 and the event is flagged textRepaired', () => {
    const r = run(['analyze', '--json', 'in']);
    const text = utf8(r.stdout, 'analyze --json stdout');
    expect(text).not.toMatch(/\\ud[89a-f][0-9a-f]{2}/i);
    const doc = JSON.parse(text) as { attempts: { client?: { host: string }; target?: string; events: { textRepaired?: boolean; host: string }[] }[] };
    const a = doc.attempts.find((x) => x.client?.host === 'SURROGATEPC');
    expect(a, 'attempt from the evtx with lone surrogates').toBeDefined();
    expect(a!.target).toBe('srv\uFFFDx\uFFFDy');
    expect(a!.events.some((e) => e.textRepaired === true)).toBe(true);
  });

  // JSON allows raw U+007F–U+009F, but `dump` and `--json` are often printed straight to a
  // terminal, and terminals that honour C1 in UTF-8 (xterm) act on U+009B as CSI: they must be
  // escaped (`\u009b`); the JSON stays equivalent.
  it('dump (JSONL) escapes DEL and C1 controls', () => {
    const out = run(['dump', 'in']).stdout.toString('utf8');
    expect(out).toMatch(/PWNED/);
    expect(firstControl(out, RAW_IN_JSON)).toBe('');
  });

  it('analyze --json escapes DEL and C1 controls', () => {
    const out = run(['analyze', '--json', 'in']).stdout.toString('utf8');
    expect(out).toMatch(/PWNED/);
    expect(firstControl(out, RAW_IN_JSON)).toBe('');
  });

  // A raw CR in event data would become LF in any XML reader (the value changes) and on a terminal
  // it returns the cursor (line spoofing): it is written `&#xD;`.
  it('dump --format xml writes no raw CR or C1', () => {
    const out = run(['dump', '--format', 'xml', 'in']).stdout.toString('utf8');
    expect(out).toMatch(/PWNED/);
    expect(firstControl(out.replace(/\r\n/g, '\n'), TERMINAL_CONTROL)).toBe('');
  });

  it('dump --format xml: no raw ESC or BEL (they are character references)', () => {
    const r = run(['dump', '--format', 'xml', 'in']);
    const out = utf8(r.stdout, 'dump xml stdout');
    expect(out).not.toMatch(/[\u001b\u0007\u0008]/);
    expect(out).toMatch(/&#x1B;\[2J/i);
  });
});
