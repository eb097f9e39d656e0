// `rdpdoctor tui` argument and input errors, run through the built CLI without a terminal (the
// interactive path is covered by the tmux end-to-end test).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { caseDoc } from './fixtures/caseDoc.js';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const built = existsSync(join(repoRoot, 'dist/cli/commands/tui.js'));
if (!built) {
  if (process.env.CI === 'true') throw new Error('dist/ is not built: run npm run build before the tests');
  console.warn('skipping the tui command tests: dist/ is not built (npm run build)');
}
const work = mkdtempSync(join(tmpdir(), 'rdpdoctor-tui-cmd-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (...args: string[]) => spawnSync(process.execPath, [join(repoRoot, 'bin/rdpdoctor.js'), 'tui', ...args], { encoding: 'utf8', cwd: work });

describe.skipIf(!built)('rdpdoctor tui (no terminal)', () => {
  it('asks for --db when nothing is given (exit 2)', () => {
    const r = run();
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('tui needs --db <case file>');
    expect(r.stdout).toBe('');
  });

  it('refuses to run on a pipe, after the input was read fine (exit 2)', () => {
    const doc = join(work, 'doc.json');
    writeFileSync(doc, JSON.stringify(caseDoc()));
    const r = run('--doc', doc);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('tui needs a terminal');
    expect(r.stdout).toBe('');
  });

  it('names the file and the position of a broken --doc (exit 3)', () => {
    const bad = join(work, 'bad.json');
    writeFileSync(bad, '{"schemaVersion": "1.0.0", "attempts": [}');
    const r = run('--doc', bad);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain(`${bad}: not JSON at line 1 column 41 (offset 40):`);
  });

  it('says which keys a JSON file lacks to be a document (exit 3)', () => {
    const other = join(work, 'other.json');
    writeFileSync(other, JSON.stringify({ schemaVersion: '1.0.0', attempts: [] }));
    const r = run('--doc', other);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('missing hosts, findings, inputs, summary');
  });

  it('rejects a bad --tz and a missing --export-dir as usage errors (exit 2)', () => {
    expect(run('--db', 'x.db', '--tz', 'Mars/Olympus').status).toBe(2);
    const r = run('--db', 'x.db', '--export-dir', join(work, 'nope'));
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not a folder');
  });

  it('reports a case file that does not exist without a stack trace', () => {
    const r = run('--db', join(work, 'missing.db'));
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('missing.db');
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});

describe('jsonErrorOffset', () => {
  it('points at the first character that breaks the syntax', async () => {
    const { jsonErrorOffset } = await import('../../src/cli/commands/tui.js');
    expect(jsonErrorOffset('{"a": [}')).toBe(7);
    expect(jsonErrorOffset('{"a" 1}')).toBe(5);
    expect(jsonErrorOffset('{"a": 1,}')).toBe(8);
    expect(jsonErrorOffset('[1, 2')).toBe(5);
    expect(jsonErrorOffset('{} x')).toBe(3);
    expect(jsonErrorOffset('["a\u0001"]')).toBe(1);
    expect(jsonErrorOffset('[tru]')).toBe(1);
    // A million open brackets: no recursion, the error is at the end.
    expect(jsonErrorOffset('['.repeat(1_000_000))).toBe(1_000_000);
  });
});
