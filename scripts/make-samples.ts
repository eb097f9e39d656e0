// Regenerates samples/: for every scenario in scripts/scenarios, one folder with client/ and
// server/ (and gateway/) logs as .evtx files written by our EVTX writer, the exports (.rdp, .rdg,
// RDCMan log), expected.json and a README. Same bytes on every run (no clock, no randomness).
// Usage: npx tsx scripts/make-samples.ts [outDir]   (default: samples/ next to this script)
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeEvtx, isoToFiletime, type EvtxEventSpec } from '../test/support/evtx-writer/index.js';
import { pick } from './scenarios/lib/ids.js';
import type { Scenario, Side } from './scenarios/lib/model.js';
import { SCENARIOS } from './scenarios/index.js';

/** Windows' export file name for a channel: `/` becomes `%4`. */
export function channelFileName(channel: string): string {
  return `${channel.replace(/\//g, '%4')}.evtx`;
}

/** A plausible first record id for a host's channel log (busy logs have large ids). */
function recordBase(scenario: string, host: string, channel: string): number {
  if (channel === 'Security') return pick(180000, 260000, scenario, host, channel);
  if (channel === 'System' || channel === 'Application') return pick(9000, 40000, scenario, host, channel);
  return pick(300, 9000, scenario, host, channel);
}

export interface WrittenFile {
  path: string;
  records: number;
}

function hostFolders(s: Scenario): Map<Side, Set<string>> {
  const m = new Map<Side, Set<string>>();
  const add = (side: Side, host: string): void => {
    if (!m.has(side)) m.set(side, new Set());
    m.get(side)!.add(host);
  };
  for (const e of s.events) add(e.side, e.spec.computer);
  for (const f of s.exports) add(f.side, f.host);
  return m;
}

function folderFor(folders: Map<Side, Set<string>>, side: Side, host: string): string {
  // One host per side: `client/`; several (mixed-day): `client/WS-ALICE/`.
  return (folders.get(side)?.size ?? 0) > 1 ? join(side, host.split('.')[0]!) : side;
}

function byTime(a: EvtxEventSpec, b: EvtxEventSpec): number {
  const d = isoToFiletime(a.time) - isoToFiletime(b.time);
  return d === 0n ? 0 : d < 0n ? -1 : 1;
}

/** One .evtx file of a scenario: its path inside the scenario folder and its events in file order. */
export interface PlannedFile {
  path: string;
  host: string;
  channel: string;
  firstRecordId: number;
  events: EvtxEventSpec[];
}

/** How a scenario's events split into channel files (sorted by path; events by time, stable). */
export function planFiles(s: Scenario): PlannedFile[] {
  const folders = hostFolders(s);
  const files = new Map<string, PlannedFile>();
  for (const e of s.events) {
    const path = join(folderFor(folders, e.side, e.spec.computer), channelFileName(e.spec.channel));
    const f = files.get(path) ?? { path, host: e.spec.computer, channel: e.spec.channel, firstRecordId: 0, events: [] };
    if (f.host !== e.spec.computer) throw new Error(`${s.id}: ${path} would mix hosts ${f.host} and ${e.spec.computer}`);
    f.events.push(e.spec);
    files.set(path, f);
  }
  return [...files.values()]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => ({ ...f, firstRecordId: recordBase(s.id, f.host, f.channel), events: [...f.events].sort(byTime) }));
}

/** The export files of a scenario with their paths inside the scenario folder. */
export function planExports(s: Scenario): Array<{ path: string; content: string | Buffer }> {
  const folders = hostFolders(s);
  return [...s.exports]
    .map((x) => ({ path: join(folderFor(folders, x.side, x.host), x.name), content: x.content }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Writes one scenario folder; returns the files written (relative paths) with record counts. */
export function writeScenario(s: Scenario, outDir: string): WrittenFile[] {
  const dir = join(outDir, s.id);
  rmSync(dir, { recursive: true, force: true });
  const written: WrittenFile[] = [];
  for (const f of planFiles(s)) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), writeEvtx(f.events, { firstRecordId: f.firstRecordId }));
    written.push({ path: f.path, records: f.events.length });
  }
  for (const x of planExports(s)) {
    mkdirSync(dirname(join(dir, x.path)), { recursive: true });
    writeFileSync(join(dir, x.path), x.content);
    written.push({ path: x.path, records: 0 });
  }
  writeFileSync(join(dir, 'expected.json'), `${JSON.stringify(s.expected, null, 2)}\n`);
  writeFileSync(join(dir, 'README.md'), scenarioReadme(s, written));
  return written;
}

function scenarioReadme(s: Scenario, files: WrittenFile[]): string {
  const lines = [
    `# ${s.id}`,
    '',
    `${s.summary} Synthetic sample written by \`scripts/make-samples.ts\` (scenario \`scripts/scenarios/${s.id}.ts\`).`,
    '',
    '## What happened',
    '',
    s.story,
    '',
    '## Evidence',
    '',
    ...s.evidence.map((e) => `- ${e}`),
    '',
    '## Expected diagnosis',
    '',
    '| client | target | start (client clock) | outcome | root cause | discReason | extended |',
    '|---|---|---|---|---|---|---|',
    ...s.expected.attempts.map(
      (a) =>
        `| ${a.client} | ${a.target} | ${a.start} | ${a.outcome} | ${a.rootCause} | ${a.disconnectReason ?? ''} | ${a.extendedReason ?? ''} |`,
    ),
    '',
    s.expected.notes,
    '',
  ];
  const hex = (n: number): string => `0x${n.toString(16)}`;
  if (s.expected.sourceTz) lines.push(`Text exports (RDCMan logs) carry local time, UTC${s.expected.sourceTz}: analyze with \`--source-tz ${s.expected.sourceTz}\`.`, '');
  const uc = s.expected.userCodes;
  if (uc) {
    const args = [uc.disconnectReason !== undefined ? `--code ${hex(uc.disconnectReason)}` : '', uc.extendedReason !== undefined ? `--ext ${hex(uc.extendedReason)}` : ''].filter(Boolean);
    lines.push(`The user read the codes from the error dialog: \`${args.join(' ')}\`.`, '');
  }
  if (s.unconfirmed.length) {
    lines.push('## Unconfirmed', '', 'This sample relies on facts the knowledge base marks UNCONFIRMED:', '', ...s.unconfirmed.map((u) => `- ${u}`), '');
  }
  lines.push('## Files', '', ...files.map((f) => `- \`${f.path}\`${f.records ? ` (${f.records} records)` : ''}`), '');
  return lines.join('\n');
}

function main(): void {
  const here = dirname(fileURLToPath(import.meta.url));
  const outDir = resolve(process.argv[2] ?? join(here, '..', 'samples'));
  mkdirSync(outDir, { recursive: true });
  const ids = new Set(SCENARIOS.map((s) => s.id));
  // Remove scenario folders that no longer exist (only folders this script made: they hold expected.json).
  for (const name of readdirSync(outDir)) {
    if (!ids.has(name) && existsSync(join(outDir, name, 'expected.json'))) rmSync(join(outDir, name), { recursive: true, force: true });
  }
  let total = 0;
  for (const s of SCENARIOS) {
    const files = writeScenario(s, outDir);
    total += files.length;
  }
  process.stderr.write(`make-samples: ${SCENARIOS.length} scenarios, ${total} files in ${outDir}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
