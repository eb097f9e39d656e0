import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { caseDoc, caseEvents } from './fixtures/caseDoc.js';
import { KEY, maxLineWidth, renderApp, stripSgr, tick } from './support/render.js';

afterEach(() => cleanup());

const events = caseEvents();
const getEvent = (id: number) => events.get(id);

/** The frame with wrapped lines joined, for prose that may wrap at narrow widths. */
const flat = (f: string): string => stripSgr(f).replace(/\s*\n\s*/g, ' ');

/** Rows of the list (lines that start with the cursor mark or two spaces and a date). */
function listRows(frame: string): string[] {
  return stripSgr(frame)
    .split('\n')
    .filter((l) => /^[› ] (\d{2}-\d{2}|\d{4}-\d{2}-\d{2}) \d{2}:/.test(l));
}

describe.each([80, 140])('at %i columns', (columns) => {
  it('list: header with hosts, skew, input counts, findings; one row per attempt', async () => {
    const r = await renderApp(caseDoc(), {}, { columns, rows: 24 });
    const f = r.frame();
    expect(f).toContain('5 attempts: 3 failed');
    expect(f).toMatch(/SRV01 server skew \+2\.3s/);
    expect(f).toContain('3 files, 2 read, 1 skipped');
    expect(f).toContain('2 findings (1 warning');
    expect(f).toContain('showing 5 of 5');
    const rows = listRows(f);
    expect(rows).toHaveLength(5);
    expect(rows[2]).toMatch(/14:03:20 ?\+00:00 CL01 → srv01\.co.*FAIL/i);
    expect(rows[2]).toContain('0x904/0x7');
    expect(rows[2]).toContain('server-denied');
    expect(rows[2]).toMatch(columns >= 110 ? /medium/ : / M$/);
    expect(rows[0]).toMatch(/pre/);
    expect(maxLineWidth(f)).toBeLessThanOrEqual(columns);
    expect(f.split('\n').length).toBeLessThanOrEqual(23);
  });

  it('attempt detail: two-lane skew-corrected timeline with gaps, ranked causes, remediation', async () => {
    const r = await renderApp(caseDoc(), { getEvent }, { columns, rows: 70 });
    await r.press(KEY.down, KEY.down, KEY.enter);
    const f = stripSgr(r.frame());
    expect(f).toContain('attempt a-0003');
    expect(f).toMatch(/Timeline \(UTC\+00:00, corrected for SRV01 skew \+2\.3s/);
    // Server 131 was logged at 14:03:22.410 with a +2.3 s clock: it shows at 14:03:20.110.
    const row131 = f.split('\n').find((l) => l.includes('RdpCoreTS 131'));
    expect(row131).toMatch(/14:03:20\.110 +\+0\.110s │ +│RdpCoreTS 131/);
    const row1024 = f.split('\n').find((l) => l.includes('RDPClient 1024'));
    expect(row1024).toMatch(/│RDPClient 1024 Value=srv01.*│ *$/);
    expect(f).toMatch(/· Schannel 36880/);
    const order = ['LIKELY', 'possible', 'ruled out'].map((w) => f.indexOf(w));
    expect(order.every((x, i) => x >= 0 && (i === 0 || x > (order[i - 1] ?? 0)))).toBe(true);
    expect(f).toMatch(/server-denied +score 9 +unconfirmed/);
    expect(f).toContain('[unconfirmed]');
    expect(f).toContain('Remediation');
    expect(f).toContain('chglogon /query');
    // Ruled-out causes cite the event that rules them out.
    const nla = f.slice(f.indexOf('nla-credentials'));
    expect(nla).toMatch(/−5 RCM 1149: network-level authentication succeeded/);
    expect(nla).toMatch(/↳ 14:03:21\.350 SRV01 RCM 1149/);
    expect(f).toContain('No evidence for: credssp-oracle, licensing');
    expect(maxLineWidth(r.frame())).toBeLessThanOrEqual(columns);
  });

  it('event detail: all fields, data, decoded codes, provenance and raw XML', async () => {
    const r = await renderApp(caseDoc(), { getEvent }, { columns, rows: 60 });
    await r.press(KEY.down, KEY.down, KEY.enter);
    // Tab walks the lines that point at events; the 7th is the client's 1026.
    await r.press(...Array<string>(7).fill(KEY.tab));
    expect(r.frame()).toMatch(/› +14:03:21\.430 +\+0\.010s │RDPClient 1026/);
    await r.press(KEY.enter);
    const f = stripSgr(r.frame());
    expect(f).toContain('› event 1026 (CL01)');
    expect(f).toMatch(/Activity ID +\{6E3B1A52-35B1-4C40-9D8C-2A1D35F0A001\}/);
    expect(f).toMatch(/User ID +S-1-5-21-/);
    expect(f).toMatch(/Value +2308/);
    expect(flat(f)).toContain('Value=2308 → 0x904: AtClientWinsockFDCLOSE: socket closed');
    expect(f).toContain('RDP ClientActiveX has been disconnected (Reason= 2308)');
    expect(f).toMatch(/Position +chunk 2 record 612 @0x21a40/);
    expect(f).toContain('Raw XML');
    expect(flat(f)).toContain('<Data Name="Value">2308</Data>');
    await r.press(KEY.escape);
    expect(stripSgr(r.frame())).toContain('rdpdoctor › attempt a-0003');
    await r.press(KEY.backspace);
    expect(listRows(r.frame())).toHaveLength(5);
  });

  it('help overlay lists the keys and closes on any key', async () => {
    const r = await renderApp(caseDoc(), {}, { columns, rows: 24 });
    await r.press('?');
    const f = r.frame();
    for (const k of ['Enter', 'Esc  Backspace', '/', 'f', 's  S', 'e', 'q  Ctrl+C']) expect(f).toContain(k);
    expect(f).toContain('export the current attempt as JSON or text');
    expect(maxLineWidth(f)).toBeLessThanOrEqual(columns);
    await r.press('x');
    expect(r.frame()).toContain('showing 5 of 5');
  });
});

describe('list interactions', () => {
  it('search narrows the list live, Enter keeps it, Esc in the list clears it', async () => {
    const r = await renderApp(caseDoc());
    await r.press('/', '1', '0', '.', '0', '.', '0', '.', '9', '9');
    expect(r.frame()).toContain('/10.0.0.99');
    expect(listRows(r.frame())).toHaveLength(1);
    await r.press(KEY.enter);
    expect(r.frame()).toContain('search: "10.0.0.99"');
    expect(r.frame()).toContain('showing 1 of 5');
    await r.press(KEY.escape);
    expect(r.frame()).toContain('showing 5 of 5');
  });

  it('Esc while typing a search restores the previous one; Backspace edits', async () => {
    const r = await renderApp(caseDoc());
    await r.press('/', 'z', 'z', 'z');
    expect(r.frame()).toContain('no attempt matches');
    await r.press(KEY.backspace, KEY.backspace, KEY.backspace);
    expect(listRows(r.frame())).toHaveLength(5);
    await r.press('q', KEY.escape);
    expect(r.frame()).toContain('showing 5 of 5');
  });

  it('filter menu: by outcome, host and cause, combined; clear all', async () => {
    const r = await renderApp(caseDoc(), {}, { columns: 100, rows: 30 });
    await r.press('f');
    const menu = r.frame();
    expect(menu).toMatch(/outcome: failed +3/);
    expect(menu).toMatch(/host: srv01 +3/);
    expect(menu).toMatch(/cause: server-denied +1/);
    const lines = stripSgr(menu).split('\n').filter((l) => /^│/.test(l));
    const idx = lines.findIndex((l) => l.includes('outcome: failed'));
    const first = lines.findIndex((l) => l.includes('clear all filters'));
    await r.press(...Array<string>(idx - first).fill(KEY.down), KEY.enter);
    expect(r.frame()).toContain('filter: outcome=failed');
    expect(listRows(r.frame())).toHaveLength(3);
    await r.press('f');
    const lines2 = stripSgr(r.frame()).split('\n').filter((l) => /^│/.test(l));
    const hostIdx = lines2.findIndex((l) => l.includes('host: srv01'));
    await r.press(...Array<string>(hostIdx - first).fill(KEY.down), KEY.enter);
    expect(r.frame()).toContain('filter: outcome=failed host=srv01');
    expect(listRows(r.frame())).toHaveLength(1);
    await r.press('f', KEY.enter);
    expect(r.frame()).toContain('showing 5 of 5');
  });

  it('s cycles the sort field and S reverses; ties keep a stable order', async () => {
    const r = await renderApp(caseDoc());
    await r.press('s');
    expect(r.frame()).toContain('sort: outcome ↑');
    const rows = listRows(r.frame());
    expect(rows.slice(0, 3).every((l) => l.includes('FAIL'))).toBe(true);
    // Failed rows tie on outcome and fall back to start time.
    expect(rows[0]).toContain('14:03:20');
    await r.press('S');
    expect(r.frame()).toContain('sort: outcome ↓');
    expect(listRows(r.frame())[0]).toContain('13:58:10');
  });

  it('unknown verdict shows what to collect next; a pre-connect is labelled as not a failure', async () => {
    const r = await renderApp(caseDoc(), {}, { columns: 100, rows: 40 });
    await r.press(KEY.down, KEY.down, KEY.down, KEY.enter);
    const f = r.frame();
    expect(f).toContain('attempt a-0004');
    expect(f).toMatch(/server NO/);
    expect(f).toContain('Collect next (the verdict is unknown');
    expect(f).toContain('passed as --ext');
    await r.press(KEY.escape, 'g', KEY.enter);
    expect(r.frame()).toContain('pre-connect');
    expect(r.frame()).toContain("mstsc's short first connection");
  });

  it('e exports the current attempt as JSON or text into exportDir and says where', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rdpdoctor-tui-'));
    try {
      const r = await renderApp(caseDoc(), { exportDir: dir }, { columns: 200, rows: 24 });
      await r.press(KEY.down, KEY.down, 'e');
      expect(r.frame()).toContain('export attempt a-0003 as (j)son or (t)ext?');
      await r.press('j');
      const jsonPath = join(dir, 'rdpdoctor-attempt-a-0003.json');
      expect(r.frame()).toContain(`exported json to ${jsonPath}`);
      const parsed = JSON.parse(readFileSync(jsonPath, 'utf8')) as { attempt: { id: string; rootCause: string }; schemaVersion: string };
      expect(parsed.attempt.id).toBe('a-0003');
      expect(parsed.attempt.rootCause).toBe('server-denied');
      expect(parsed.schemaVersion).toBe('1.0.0');
      await r.press(KEY.enter, 'e', 't');
      const text = readFileSync(join(dir, 'rdpdoctor-attempt-a-0003.txt'), 'utf8');
      expect(text).toContain('Timeline');
      expect(text).toContain('chglogon /query');
      // A second JSON export does not overwrite the first.
      await r.press('e', 'j');
      expect(readdirSync(dir).sort()).toEqual(['rdpdoctor-attempt-a-0003-2.json', 'rdpdoctor-attempt-a-0003.json', 'rdpdoctor-attempt-a-0003.txt']);
      await r.press('e', 'x');
      expect(r.frame()).toContain('export cancelled');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a failed export says why in the status line', async () => {
    const r = await renderApp(caseDoc(), { exportDir: '/nonexistent/rdpdoctor' }, { columns: 120, rows: 24 });
    await r.press('e', 'j');
    expect(r.frame()).toMatch(/export failed: .*ENOENT/);
  });

  it('adapts to resizing: wider columns on a wider terminal, more rows on a taller one', async () => {
    const r = await renderApp(caseDoc(), {}, { columns: 80, rows: 24 });
    expect(r.frame()).toContain('03-05 13:58:10+00:00');
    await r.resize(140, 30);
    expect(r.frame()).toContain('2024-03-05 13:58:10 +00:00');
    expect(maxLineWidth(r.frame())).toBeLessThanOrEqual(140);
    expect(r.frame().split('\n').length).toBe(29);
    await r.resize(60, 16);
    expect(maxLineWidth(r.frame())).toBeLessThanOrEqual(60);
    expect(r.frame().split('\n').length).toBe(15);
    await r.resize(50, 12);
    expect(flat(r.frame())).toMatch(/^rdpdoctor needs at least 60×16, this terminal is 50×12/);
    expect(maxLineWidth(r.frame())).toBeLessThanOrEqual(50);
    await r.resize(80, 24);
    expect(listRows(r.frame())).toHaveLength(5);
  });

  it('a case without attempts says why, and Enter or e do nothing harmful', async () => {
    const doc = caseDoc();
    doc.attempts = [];
    doc.summary.attempts = { total: 0, failed: 0, succeeded: 0, unknown: 0 };
    doc.summary.noAttemptsReason = 'no RDPClient/Operational log from a client and no RdpCoreTS log from a server';
    const r = await renderApp(doc, { exportDir: '/nonexistent' }, { columns: 120, rows: 24 });
    await r.press(KEY.enter, 'e', KEY.down, 'f', KEY.enter, '/', 'x', KEY.enter);
    const f = r.frame();
    expect(f).toContain('0 attempts');
    expect(f).toContain('search: "x" · showing 0 of 0');
    expect(f).toContain('no RDPClient/Operational log from a client');
    expect(f).not.toMatch(/export (attempt|failed)/);
    await r.press(KEY.escape);
    expect(r.frame()).toContain('showing 0 of 0');
  });

  it('w shows the case pane: hosts, findings, inputs with their errors', async () => {
    const r = await renderApp(caseDoc(), {}, { columns: 120, rows: 40 });
    await r.press('w');
    const f = r.frame();
    expect(f).toContain('rdpdoctor › case');
    expect(f).toContain('Records 7040–7049 are missing');
    expect(flat(f)).toContain('@0x31200 (chunk 3, record 7050): bad record magic');
    expect(f).toContain('(not an event log)');
    await r.press(KEY.escape);
    expect(r.frame()).toContain('showing 5 of 5');
  });

  it('an event without the case file shows its reference and says how to see the rest', async () => {
    const r = await renderApp(caseDoc(), {}, { columns: 120, rows: 50 });
    await r.press(KEY.down, KEY.down, KEY.enter, KEY.tab, KEY.enter);
    const f = r.frame();
    expect(f).toContain('event 1024 (CL01)');
    expect(f).toContain('Values (from the attempt reference)');
    expect(f).toContain('rdpdoctor tui --db case.db');
  });
});

describe('key bursts', () => {
  it('handles several keys arriving in one read, each on the state the previous one left', async () => {
    const r = await renderApp(caseDoc(), {}, { columns: 100, rows: 30 });
    r.stdin.write('jj\r');
    await tick(50);
    expect(r.frame()).toContain('rdpdoctor › attempt a-0003');
    r.stdin.write('\t\t\t\t\t\t\t\r');
    await tick(50);
    expect(r.frame()).toContain('› event 1026 (CL01)');
    await r.press(KEY.escape, KEY.escape);
    r.stdin.write('/10.0.0.99\r');
    await tick(50);
    expect(r.frame()).toContain('showing 1 of 5');
  });

  it('takes a line feed as Enter (keys typed before raw mode arrive cooked)', async () => {
    const r = await renderApp(caseDoc());
    await r.press(KEY.down, '\n');
    expect(r.frame()).toContain('rdpdoctor › attempt a-0002');
  });
});
