// Debian's independent EVTX tools (libevtx-utils evtxexport/evtxinfo, python3-evtx): whether they
// exist, and their output parsed just enough to compare with what we wrote. Missing tools skip the
// tests with a visible message, except in CI where they must be installed (.ci/run does).
import { spawnSync } from 'node:child_process';

/** Runs a harmless probe (`-h` by default); the tool is usable when it starts and exits 0. */
export function toolAvailable(cmd: string, args: string[] = ['-h']): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore', timeout: 30_000 });
  return !r.error && r.status === 0;
}

/** True when the tool can be used; false (with a warning) when it is missing outside CI. */
export function requireTool(cmd: string, what: string, args?: string[]): boolean {
  if (toolAvailable(cmd, args)) return true;
  if (process.env.CI === 'true') throw new Error(`${cmd} is required in CI (${what}); install libevtx-utils / python3-evtx`);
  console.warn(`${what}: ${cmd} not found, skipping (install libevtx-utils / python3-evtx)`);
  return false;
}

export function run(cmd: string, args: string[]): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  return { stdout: r.stdout ?? '', stderr: r.stderr ?? '', status: r.status };
}

export interface ExportedRecord {
  provider: string;
  providerGuid?: string;
  eventSourceName?: string;
  eventId: number;
  qualifiers?: number;
  /** Absent in old (Windows 7) classic records. */
  version?: number;
  level: number;
  task: number;
  /** Absent in legacy records. */
  opcode?: number;
  keywords: string;
  /** SystemTime normalised to Windows' 7 fractional digits (evtxexport prints 9). */
  time: string;
  recordId: number;
  activityId?: string;
  processId?: number;
  threadId?: number;
  channel: string;
  computer: string;
  userId?: string;
  /** Data values in document order: `[name or '', value]`; UserData leaves by element name. */
  data: Array<[string, string]>;
  payload: 'EventData' | 'UserData' | 'none';
}

function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
}

const nineDigits = (s: string): string => s.replace(/(\.\d{7})00Z$/, '$1Z');

function attr(xml: string, el: string, name: string): string | undefined {
  const m = new RegExp(`<${el}\\b[^>]*\\s${name}="([^"]*)"`).exec(xml);
  return m ? unescapeXml(m[1]!) : undefined;
}

function text(xml: string, el: string): string | undefined {
  const m = new RegExp(`<${el}\\b[^>]*>([^<]*)</${el}>`).exec(xml);
  return m ? unescapeXml(m[1]!) : undefined;
}

/** Splits `evtxexport -f xml` output into records (enough for the shapes our writer produces). */
export function parseEvtxexportXml(out: string): ExportedRecord[] {
  const parts = out.split('<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">').slice(1);
  return parts.map((p) => {
    const sys = p.slice(0, p.indexOf('</System>'));
    const rest = p.slice(p.indexOf('</System>'));
    const data: Array<[string, string]> = [];
    let payload: ExportedRecord['payload'] = 'none';
    if (rest.includes('<EventData')) {
      payload = 'EventData';
      for (const m of rest.matchAll(/<(Data|Binary)(?: Name="([^"]*)")?(?:\/>|>([^<]*)<\/\1>)/g)) {
        data.push([m[1] === 'Binary' ? 'Binary' : unescapeXml(m[2] ?? ''), nineDigits(unescapeXml(m[3] ?? ''))]);
      }
    } else if (rest.includes('<UserData>')) {
      payload = 'UserData';
      const inner = rest.slice(rest.indexOf('<UserData>') + 10, rest.indexOf('</UserData>'));
      const body = inner.slice(inner.indexOf('>') + 1, inner.lastIndexOf('</'));
      for (const m of body.matchAll(/<([A-Za-z_][\w.-]*)(?:\/>|>([^<]*)<\/\1>)/g)) data.push([m[1]!, nineDigits(unescapeXml(m[2] ?? ''))]);
    }
    const num = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
    return {
      provider: attr(sys, 'Provider', 'Name') ?? '',
      providerGuid: attr(sys, 'Provider', 'Guid'),
      eventSourceName: attr(sys, 'Provider', 'EventSourceName'),
      eventId: Number(text(sys, 'EventID')),
      qualifiers: num(attr(sys, 'EventID', 'Qualifiers')),
      version: num(text(sys, 'Version')),
      level: Number(text(sys, 'Level')),
      task: Number(text(sys, 'Task')),
      opcode: num(text(sys, 'Opcode')),
      keywords: text(sys, 'Keywords') ?? '',
      time: nineDigits(attr(sys, 'TimeCreated', 'SystemTime') ?? ''),
      recordId: Number(text(sys, 'EventRecordID')),
      activityId: attr(sys, 'Correlation', 'ActivityID'),
      processId: num(attr(sys, 'Execution', 'ProcessID')),
      threadId: num(attr(sys, 'Execution', 'ThreadID')),
      channel: text(sys, 'Channel') ?? '',
      computer: text(sys, 'Computer') ?? '',
      userId: attr(sys, 'Security', 'UserID'),
      data,
      payload,
    };
  });
}
