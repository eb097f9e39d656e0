// The scenario catalogue is complete and self-consistent: one folder per cause id (plus the three
// extra scenarios), expected.json agrees with the events and exports it describes, and the events
// follow the shapes and timings of rdp-kb (§2, §3) that the diagnosis relies on.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalGuid, isoToFiletime, renderValue, type EvtxEventSpec } from '../support/evtx-writer/index.js';
import { planExports, planFiles } from '../../scripts/make-samples.js';
import { CAUSE_IDS, SCENARIOS } from '../../scripts/scenarios/index.js';
import type { Expected } from '../../scripts/scenarios/lib/model.js';

const repo = resolve(import.meta.dirname, '../..');
const samplesDir = join(repo, 'samples');
const EXTRA = ['healthy-baseline', 'clock-skew', 'mixed-day'];
const EXT_NAMES: Record<number, string> = {
  5: 'exDiscReasonReplacedByOtherConnection',
  7: 'exDiscReasonServerDeniedConnection',
  9: 'exDiscReasonServerInsufficientPrivileges',
  257: 'exDiscReasonLicenseNoLicenseServer',
};
const CLIENT_CHANNEL = 'Microsoft-Windows-TerminalServices-RDPClient/Operational';
const CORE_CHANNEL = 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational';

const ms = (a: string, b: string): number => Number(isoToFiletime(b) - isoToFiletime(a)) / 10000;
const field = (e: EvtxEventSpec, name: string): string | undefined => {
  const f = e.payload?.fields.find((x) => x.name === name);
  return f ? renderValue(f.value) : undefined;
};
const readExpected = (id: string): Expected => JSON.parse(readFileSync(join(samplesDir, id, 'expected.json'), 'utf8')) as Expected;

describe('scenario catalogue', () => {
  it('has one folder per cause id plus healthy-baseline, clock-skew and mixed-day, and nothing else', () => {
    const ids = SCENARIOS.map((s) => s.id).sort();
    expect(ids).toEqual([...CAUSE_IDS, ...EXTRA].sort());
    const folders = readdirSync(samplesDir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    expect(folders).toEqual(ids);
  });

  it.each(CAUSE_IDS.map((c) => [c]))('%s: its own folder diagnoses a failed attempt with that cause', (cause) => {
    const exp = readExpected(cause);
    expect(exp.scenario).toBe(cause);
    expect(exp.attempts.some((a) => a.outcome === 'failed' && a.rootCause === cause)).toBe(true);
  });

  it('healthy-baseline has only successes; mixed-day mixes several causes and successes', () => {
    expect(readExpected('healthy-baseline').attempts.every((a) => a.outcome === 'succeeded' && a.rootCause === 'none')).toBe(true);
    const mixed = readExpected('mixed-day').attempts;
    expect(new Set(mixed.map((a) => a.client)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(mixed.filter((a) => a.outcome === 'failed').map((a) => a.rootCause)).size).toBeGreaterThanOrEqual(3);
    expect(mixed.some((a) => a.outcome === 'succeeded')).toBe(true);
  });
});

describe.each(SCENARIOS.map((s) => [s.id, s] as const))('%s', (id, s) => {
  const dir = join(samplesDir, id);
  const exp = readExpected(id);
  const events = s.events.map((e) => e.spec);
  const clientEvents = events.filter((e) => e.channel === CLIENT_CHANNEL);

  it('expected.json is the scenario\'s expectation, well formed', () => {
    expect(exp).toEqual(s.expected);
    expect(exp.attempts.length).toBeGreaterThan(0);
    expect(exp.notes.length).toBeGreaterThan(0);
    for (const a of exp.attempts) {
      expect(Object.keys(a).every((k) => ['client', 'target', 'start', 'outcome', 'rootCause', 'disconnectReason', 'extendedReason'].includes(k))).toBe(true);
      expect(['failed', 'succeeded']).toContain(a.outcome);
      expect([...CAUSE_IDS, 'none', 'unknown']).toContain(a.rootCause);
      expect(a.outcome === 'succeeded').toBe(a.rootCause === 'none');
      if (a.disconnectReason !== undefined) expect(Number.isInteger(a.disconnectReason)).toBe(true);
    }
  });

  it('has client/ and server/ logs, a README naming every file, and notes on UNCONFIRMED facts', () => {
    expect(existsSync(join(dir, 'client'))).toBe(true);
    expect(existsSync(join(dir, 'server'))).toBe(true);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    for (const f of [...planFiles(s), ...planExports(s)]) expect(readme).toContain(`\`${f.path}\``);
    if (s.unconfirmed.length) expect(readme).toMatch(/## Unconfirmed/);
  });

  it('every attempt matches its client 1024 (time, target) and, where given, its 1026 Value', () => {
    for (const a of exp.attempts) {
      const start = clientEvents.find((e) => e.eventId === 1024 && e.computer === a.client && isoToFiletime(e.time) === isoToFiletime(a.start));
      expect(start, `${a.client} 1024 at ${a.start}`).toBeDefined();
      expect(field(start!, 'Value')).toBe(a.target);
      const end = clientEvents.find((e) => e.eventId === 1026 && e.activityId === start!.activityId);
      if (a.disconnectReason !== undefined) expect(end && field(end, 'Value')).toBe(String(a.disconnectReason));
      else expect(end).toBeUndefined();
      if (a.outcome === 'succeeded') expect(clientEvents.some((e) => e.eventId === 1027 && e.activityId === start!.activityId)).toBe(true);
      else if (a.rootCause !== 'network-drop' && a.rootCause !== 'session-replaced') {
        expect(clientEvents.some((e) => e.eventId === 1027 && e.activityId === start!.activityId)).toBe(false);
      }
    }
  });

  it('states the local zone of text exports and the user-reported codes in machine-readable form', () => {
    const hasRdcmanLog = planExports(s).some((x) => /RDCMan-\d{12}\.log$/.test(x.path));
    expect(exp.sourceTz !== undefined).toBe(hasRdcmanLog);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    if (exp.sourceTz) expect(readme).toContain(`UTC${exp.sourceTz}`);
    const uc = exp.userCodes;
    if (uc?.disconnectReason !== undefined) expect(exp.notes).toContain(`--code 0x${uc.disconnectReason.toString(16)}`);
    if (uc?.extendedReason !== undefined) expect(exp.notes).toContain(`--ext 0x${uc.extendedReason.toString(16)}`);
    if (!uc) expect(exp.notes).not.toMatch(/--code|--ext/);
  });

  it('an extended code is expected only where an RDCMan log carries it', () => {
    const logs = planExports(s).filter((x) => /RDCMan-\d{12}\.log$/.test(x.path)).map((x) => String(x.content));
    for (const a of exp.attempts.filter((x) => x.extendedReason !== undefined)) {
      const name = EXT_NAMES[a.extendedReason!];
      expect(name, `ext ${a.extendedReason}`).toBeDefined();
      const line = `OnDisconnected ${a.target}: discReason=${a.disconnectReason} extendedDisconnectReason=${name}`;
      expect(logs.some((l) => l.includes(line)), line).toBe(true);
    }
  });

  it('never shares an ActivityID between hosts, and server 98 follows its TCP 131 within a second', () => {
    const owner = new Map<string, string>();
    for (const e of events) {
      if (!e.activityId) continue;
      const g = canonicalGuid(e.activityId);
      expect(owner.get(g) ?? e.computer, g).toBe(e.computer);
      owner.set(g, e.computer);
    }
    const core = events.filter((e) => e.channel === CORE_CHANNEL);
    for (const e of core.filter((x) => x.eventId === 98)) {
      const tcp = core.find((x) => x.eventId === 131 && x.activityId === e.activityId && field(x, 'ConnType') === 'TCP');
      expect(tcp).toBeDefined();
      expect(ms(tcp!.time, e.time)).toBeGreaterThan(0);
      expect(ms(tcp!.time, e.time)).toBeLessThan(1000);
    }
  });

  it('uses only documentation IP ranges (or loopback) in data values', () => {
    for (const e of events) {
      for (const f of e.payload?.fields ?? []) {
        for (const ip of renderValue(f.value).match(/\b\d{1,3}(?:\.\d{1,3}){3}\b/g) ?? []) {
          expect(ip, `${id} ${e.channel} ${e.eventId} ${f.name}`).toMatch(/^(192\.0\.2|198\.51\.100|203\.0\.113)\.\d+$|^127\.0\.0\.1$/);
        }
      }
    }
  });
});

describe('failure timings follow rdp-kb §3', () => {
  it('server-denied: client 1024 → 1026 Value=2308 within seconds, and the server refusal lies in between', () => {
    const s = SCENARIOS.find((x) => x.id === 'server-denied')!;
    const ev = s.events.map((e) => e.spec);
    for (const a of s.expected.attempts.filter((x) => x.outcome === 'failed')) {
      const start = ev.find((e) => e.eventId === 1024 && isoToFiletime(e.time) === isoToFiletime(a.start))!;
      const end = ev.find((e) => e.eventId === 1026 && e.activityId === start.activityId)!;
      expect(ms(start.time, end.time)).toBeLessThan(5000);
      const refusal = ev.find((e) => e.eventId === 1071 && ms(start.time, e.time) > 0 && ms(e.time, end.time) > 0);
      expect(refusal?.channel).toBe('System');
    }
  });
});

describe('README samples section', () => {
  it('lists every scenario with its causes and key events', () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('<!-- section:samples -->'), readme.indexOf('<!-- /section:samples -->'));
    for (const s of SCENARIOS) {
      const row = section.split('\n').find((l) => l.startsWith(`| [\`${s.id}\`]`));
      expect(row, s.id).toBeDefined();
      for (const c of s.causes) expect(row).toContain(`\`${c}\``);
      for (const k of s.keyEvents) expect(row).toContain(k.replace(/\|/g, '\\|'));
    }
  });
});
