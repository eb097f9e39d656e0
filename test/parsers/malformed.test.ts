// A folder of damaged inputs next to good ones: every damaged file yields a clear issue naming the
// file and its line or offset, the good files still read, and memory stays bounded.
import { closeSync, copyFileSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverInputs } from '../../src/ingest/discover.js';
import { formatIssue, type ParseIssue } from '../../src/model/issue.js';
import { collect, FIXTURES } from './support/collect.js';

const dir = mkdtempSync(join(tmpdir(), 'rdpdoctor-bad-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('damaged inputs among good ones', () => {
  it('reports each damage precisely and keeps reading', async () => {
    copyFileSync(join(FIXTURES, 'saved-server.xml'), join(dir, 'a-good.xml'));
    copyFileSync(join(FIXTURES, 'ps51-client.json'), join(dir, 'b-good.json'));
    writeFileSync(join(dir, 'c-empty.xml'), '');
    writeFileSync(join(dir, 'd-truncated.json'), '[{"Id":1026,"ProviderName":"X","LogName":"L","TimeCreated":"/Date(1710421509501)/","Properties":[{"Value":1');
    writeFileSync(join(dir, 'e-broken.csv'), 'Level,Date and Time,Source,Event ID,Task Category\r\nError,3/14/2024 9:05:07 AM,LsaSrv,6041,None,"no end\r\n');
    writeFileSync(join(dir, 'f-laughs.xml'), '<?xml version="1.0"?><!DOCTYPE Event [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]><Event>&b;</Event>');
    // An RDCMan log with a 100 MB line between two good lines, written in 1 MiB blocks.
    const fd = openSync(join(dir, 'g-RDCMan-huge.log'), 'w');
    writeSync(fd, '2024-03-14T09:05:06  RDCMan v2.93 build 1\r\n2024-03-14T09:05:06  OnConnecting srv01\r\n2024-03-14T09:05:07  ');
    const block = Buffer.alloc(1 << 20, 0x7a);
    for (let i = 0; i < 100; i++) writeSync(fd, block);
    writeSync(fd, '\r\n2024-03-14T09:05:09  OnDisconnected srv01: discReason=2308 extendedDisconnectReason=exDiscReasonServerDeniedConnection\r\n');
    closeSync(fd);

    const d = await discoverInputs([dir]);
    expect(d.skipped.map((s) => [s.name.slice(dir.length + 1), s.code])).toEqual([['c-empty.xml', 'empty']]);
    const issues: ParseIssue[] = [];
    const events: Record<string, number> = {};
    let peak = 0;
    const base = process.memoryUsage().heapUsed;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    for (const i of d.inputs) {
      const r = await collect(i.reader, i.source, { sourceTz: 'UTC' });
      issues.push(...r.issues);
      events[i.source.name.slice(dir.length + 1)] = r.events.length;
    }
    clearInterval(timer);
    expect(events).toEqual({ 'a-good.xml': 4, 'b-good.json': 2, 'd-truncated.json': 0, 'e-broken.csv': 0, 'f-laughs.xml': 0, 'g-RDCMan-huge.log': 2 });
    expect(issues.map((i) => [i.file.slice(dir.length + 1), i.code, i.line ?? i.offset])).toEqual([
      ['d-truncated.json', 'json.truncated', 1],
      ['e-broken.csv', 'csv.malformed', 2],
      ['f-laughs.xml', 'xml.entity-refused', 21],
      ['g-RDCMan-huge.log', 'text.line-too-long', 3],
    ]);
    for (const i of issues) expect(formatIssue(i)).toMatch(new RegExp(`^${dir}/[a-z]-[\\w.-]+ (@0x[0-9a-f]+ )?(\\(line \\d+\\))?:? ?`));
    expect(peak - base).toBeLessThan(64 * 1024 * 1024);
  });
});

describe('read errors mid-stream', () => {
  it('every text reader turns a failing byte stream into an io.read-failed issue', async () => {
    const { Readable } = await import('node:stream');
    const { allReaders } = await import('../../src/parsers/registry.js');
    await import('../../src/parsers/all.js');
    const { readFileSync } = await import('node:fs');
    const files: Record<string, string> = {
      'event-xml': 'saved-server.xml', 'ps-json': 'ps7-server.json', 'ps-csv': 'ps-server.csv', 'evt-csv': 'evtviewer-client.csv',
      'evt-text': 'evtviewer-server.txt', rdp: 'mstsc-srv01.rdp', rdg: 'servers.rdg', 'rdcman-log': 'RDCMan-202403140904.log',
    };
    for (const reader of allReaders().filter((r) => r.format in files)) {
      const bytes = readFileSync(join(FIXTURES, files[reader.format]!));
      const half = bytes.subarray(0, Math.floor(bytes.length / 2));
      const src = {
        name: `broken.${reader.format}`,
        size: bytes.length,
        open: () => {
          let sent = false;
          return new Readable({
            read() {
              if (sent) this.destroy(new Error('disk went away'));
              else {
                sent = true;
                this.push(half);
              }
            },
          });
        },
      };
      const r = await collect(reader, src, { sourceTz: 'UTC' });
      expect(r.issues.map((i) => i.code), reader.format).toContain('io.read-failed');
      expect(r.issues.find((i) => i.code === 'io.read-failed')!.message, reader.format).toContain('disk went away');
    }
  });
});
