// `dump` on one archive that mixes every kind of input: each event keeps its provenance down to
// the zip member, a file that is no log is listed but does not fail the run.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipBuffer, writeZip } from '../../scripts/fuzz/zip.mjs';
import { sampleEvtx } from '../parsers/evtx/fixtures.js';

const repo = resolve(import.meta.dirname, '../..');
const inputs = join(repo, 'test/fixtures/inputs');
const evtx = join(repo, 'samples/server-denied/server/Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx');
/** The threads asked for, however small the input (by default dump uses one below 192 MiB of evtx). */
const threadsEnv = { ...process.env, RDPDOCTOR_PARALLEL_MIN_MB: '0' };

let dir: string;
let zip: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rdpdoctor-dump-mixed-'));
  zip = join(dir, 'collected.zip');
  const inner = zipBuffer([{ name: 'deep/saved-server.xml', data: readFileSync(join(inputs, 'saved-server.xml')) }]);
  writeZip(zip, [
    { name: 'server/RdpCoreTS.evtx', data: readFileSync(evtx) },
    { name: 'client/wevtutil-client.xml', data: readFileSync(join(inputs, 'wevtutil-client.xml')) },
    { name: 'server/ps7-server.json', data: readFileSync(join(inputs, 'ps7-server.json')) },
    { name: 'client/srv01.rdp', data: readFileSync(join(inputs, 'mstsc-srv01.rdp')) },
    { name: 'client/RDCMan-202403140904.log', data: readFileSync(join(inputs, 'RDCMan-202403140904.log')) },
    { name: 'notes.txt', data: Buffer.from('collected on Tuesday\n') },
    { name: 'nested.zip', data: inner },
  ]);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dump on a zip that mixes formats', () => {
  it('prints every event and context record with its provenance inside the archive', () => {
    const r = spawnSync(process.execPath, ['bin/rdpdoctor.js', 'dump', zip, '--source-tz', '+01:00'], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { source?: { file: string; format: string; position: string }; context?: { source: { file: string; format: string } } });
    const byFile = new Map<string, string>();
    for (const l of lines) {
      const src = l.source ?? l.context?.source;
      expect(src, JSON.stringify(l).slice(0, 200)).toBeDefined();
      byFile.set(src!.file, src!.format);
    }
    expect(Object.fromEntries([...byFile].sort())).toEqual({
      [`${zip}!/client/RDCMan-202403140904.log`]: 'rdcman-log',
      [`${zip}!/client/srv01.rdp`]: 'rdp',
      [`${zip}!/client/wevtutil-client.xml`]: 'event-xml',
      [`${zip}!/nested.zip!/deep/saved-server.xml`]: 'event-xml',
      [`${zip}!/server/RdpCoreTS.evtx`]: 'evtx',
      [`${zip}!/server/ps7-server.json`]: 'ps-json',
    });
    // The non-log member is named on stderr with its reason; it does not change the exit code.
    expect(r.stderr).toContain(`${zip}!/notes.txt: unknown format`);
  });

  it('gives the same output with worker threads, and exits when the workers are never given work', () => {
    const one = spawnSync(process.execPath, ['bin/rdpdoctor.js', 'dump', zip, '--source-tz', '+01:00'], { cwd: repo, encoding: 'utf8', timeout: 60_000 });
    const two = spawnSync(process.execPath, ['bin/rdpdoctor.js', 'dump', zip, '--source-tz', '+01:00', '--workers', '2'], { cwd: repo, encoding: 'utf8', timeout: 60_000, env: threadsEnv });
    expect(two.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    // Only an .rdp file: the workers start but get no chunk. They once kept the process alive.
    const rdp = spawnSync(process.execPath, ['bin/rdpdoctor.js', 'dump', join(inputs, 'mstsc-srv01.rdp'), '--workers', '2'], { cwd: repo, encoding: 'utf8', timeout: 20_000, env: threadsEnv });
    expect(rdp.error).toBeUndefined();
    expect(rdp.status).toBe(0);
    expect(rdp.stdout).toContain('"format":"rdp"');
  });

  it('with threads, keeps files on disk in order around other formats, and ends quietly when the reader goes', () => {
    // Files on disk take the ring (each thread writes its own batches): an .rdp file between two
    // evtx files must still come between them.
    const folder = join(dir, 'disk');
    mkdirSync(folder);
    writeFileSync(join(folder, 'a.evtx'), sampleEvtx(900)); // several read batches
    copyFileSync(join(inputs, 'mstsc-srv01.rdp'), join(folder, 'b.rdp'));
    copyFileSync(evtx, join(folder, 'c.evtx'));
    const run = (workers: string) => spawnSync(process.execPath, ['bin/rdpdoctor.js', 'dump', folder, '--workers', workers], { cwd: repo, encoding: 'utf8', timeout: 60_000, env: threadsEnv });
    const one = run('1');
    const two = run('2');
    const three = run('3');
    expect(one.status).toBe(0);
    expect(two.status).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    expect(three.stdout).toBe(one.stdout);
    const files = one.stdout.trim().split('\n').map((l) => { const o = JSON.parse(l) as { source?: { file: string }; context?: { source: { file: string } } }; return (o.source ?? o.context?.source)!.file; });
    const order = files.filter((f, i) => i === 0 || files[i - 1] !== f);
    expect(order).toEqual([join(folder, 'a.evtx'), join(folder, 'b.rdp'), join(folder, 'c.evtx')]);
    // A reader that stops early (head) ends the run with status 0 and nothing on stderr but summaries.
    const head = spawnSync('bash', ['-c', `"${process.execPath}" bin/rdpdoctor.js dump --workers 2 "${join(folder, 'a.evtx')}" | head -c 1000 >/dev/null; echo "\${PIPESTATUS[0]}"`], { cwd: repo, encoding: 'utf8', timeout: 60_000, env: threadsEnv });
    expect(head.stdout.trim()).toBe('0');
    expect(head.stderr).not.toMatch(/Error|EPIPE/);
  });
});

