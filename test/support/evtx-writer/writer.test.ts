// Unit tests of the EVTX writer: checksums, headers, record framing, BinXML names and templates,
// chunk spill, value encodings (checked against bytes seen in real Windows records), errors, and
// the Event XML rendering of the same specs.
import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { nameHash } from './binxml.js';
import { crc32, isoToFiletime, writeEventXml, writeEvtx, type EvtxEventSpec } from './index.js';
import { guidBytes, sidBytes, filetimeToIso } from './values.js';

const CHUNK = 65536;

function spec(i: number, extra: Partial<EvtxEventSpec> = {}): EvtxEventSpec {
  return {
    provider: { name: 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS', guid: '{1139C61B-B549-4251-8ED3-27250A1EDEC8}' },
    eventId: 131,
    level: 4,
    task: 4,
    opcode: 15,
    keywords: '0x4000000000000000',
    time: `2026-03-02T08:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.1234567Z`,
    activityId: '{F4205BAC-1B01-40FC-AEEF-3C971C730000}',
    processId: 1136,
    threadId: 4000 + i,
    channel: 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational',
    computer: 'RDS01.corp.example',
    userId: 'S-1-5-20',
    payload: { kind: 'EventData', fields: [{ name: 'ConnType', value: 'TCP' }, { name: 'ClientIP', value: `192.0.2.${i % 250}:${50000 + i}` }] },
    ...extra,
  };
}

interface Rec {
  offset: number;
  size: number;
  id: number;
  filetime: bigint;
}

/** Walks the records of one chunk by their framing, checking magic and the size copy. */
function records(chunk: Buffer): Rec[] {
  const free = chunk.readUInt32LE(48);
  const out: Rec[] = [];
  for (let off = 512; off < free; ) {
    expect(chunk.readUInt32LE(off)).toBe(0x00002a2a);
    const size = chunk.readUInt32LE(off + 4);
    expect(size % 8).toBe(0);
    expect(chunk.readUInt32LE(off + size - 4)).toBe(size);
    out.push({ offset: off, size, id: Number(chunk.readBigUInt64LE(off + 8)), filetime: chunk.readBigUInt64LE(off + 16) });
    off += size;
  }
  return out;
}

function chunks(file: Buffer): Buffer[] {
  const n = file.readUInt16LE(42);
  return Array.from({ length: n }, (_, i) => file.subarray(4096 + i * CHUNK, 4096 + (i + 1) * CHUNK));
}

describe('crc32', () => {
  it('matches the standard check value and zlib', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const b = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) & 0xff));
    expect(crc32(b.subarray(0, 1234), b.subarray(1234))).toBe(crc32(b));
    const z = (zlib as unknown as { crc32?: (d: Uint8Array) => number }).crc32;
    if (z) expect(crc32(b)).toBe(z(b));
  });
});

describe('encodings match real Windows records', () => {
  it('name hash (values from the string table of a real RCM chunk)', () => {
    expect(nameHash('EventData')).toBe(0x8244);
    expect(nameHash('Param1')).toBe(0x5304);
    expect(nameHash('Channel')).toBe(0x6183);
    expect(nameHash('ProcessID')).toBe(0xd70a);
    expect(nameHash('Version')).toBe(0x0918);
  });

  it('GUID, SID and FILETIME bytes', () => {
    expect(guidBytes('{F4205BAC-1B01-40FC-AEEF-3C971C730000}').toString('hex')).toBe('ac5b20f4011bfc40aeef3c971c730000');
    expect(sidBytes('S-1-5-20').toString('hex')).toBe('010100000000000514000000');
    expect(sidBytes('S-1-5-21-3623811015-3361044348-30300820-1104')).toHaveLength(28);
    expect(isoToFiletime('2021-02-12T12:34:25.606423Z')).toBe(0x01d7013b65f666e6n);
    expect(filetimeToIso(0x01d7013b65f666e6n)).toBe('2021-02-12T12:34:25.6064230Z');
  });
});

describe('file and chunk structure', () => {
  const events = Array.from({ length: 40 }, (_, i) => spec(i));
  const file = writeEvtx(events, { firstRecordId: 500 });

  it('file header: magic, version 3.1, counters, clean flags, CRC32 of the first 120 bytes', () => {
    expect(file.subarray(0, 8).toString('latin1')).toBe('ElfFile\0');
    expect(file.readBigUInt64LE(8)).toBe(0n);
    expect(file.readBigUInt64LE(16)).toBe(0n);
    expect(file.readBigUInt64LE(24)).toBe(540n);
    expect(file.readUInt32LE(32)).toBe(128);
    expect([file.readUInt16LE(36), file.readUInt16LE(38)]).toEqual([1, 3]);
    expect(file.readUInt16LE(40)).toBe(4096);
    expect(file.readUInt16LE(42)).toBe(1);
    expect(file.readUInt32LE(120)).toBe(0);
    expect(file.readUInt32LE(124)).toBe(crc32(file.subarray(0, 120)));
    expect(file.length).toBe(4096 + CHUNK);
    expect(file.subarray(128, 4096).every((b) => b === 0)).toBe(true);
  });

  it('chunk header: record range, offsets, both checksums; zero slack after the records', () => {
    const c = chunks(file)[0]!;
    expect(c.subarray(0, 8).toString('latin1')).toBe('ElfChnk\0');
    expect([c.readBigUInt64LE(8), c.readBigUInt64LE(16), c.readBigUInt64LE(24), c.readBigUInt64LE(32)]).toEqual([500n, 539n, 500n, 539n]);
    expect(c.readUInt32LE(40)).toBe(128);
    const recs = records(c);
    expect(recs.map((r) => r.id)).toEqual(events.map((_, i) => 500 + i));
    expect(recs.map((r) => r.filetime)).toEqual(events.map((e) => isoToFiletime(e.time)));
    const last = recs[recs.length - 1]!;
    expect(c.readUInt32LE(44)).toBe(last.offset);
    const free = c.readUInt32LE(48);
    expect(free).toBe(last.offset + last.size);
    expect(c.readUInt32LE(52)).toBe(crc32(c.subarray(512, free)));
    expect(c.readUInt32LE(124)).toBe(crc32(c.subarray(0, 120), c.subarray(128, 512)));
    expect(c.subarray(free).every((b) => b === 0)).toBe(true);
  });

  it('string table: every bucket chain holds names whose hash selects that bucket', () => {
    const c = chunks(file)[0]!;
    const names: string[] = [];
    for (let b = 0; b < 64; b++) {
      for (let off = c.readUInt32LE(128 + 4 * b); off; off = c.readUInt32LE(off)) {
        const hash = c.readUInt16LE(off + 4);
        const name = c.subarray(off + 8, off + 8 + 2 * c.readUInt16LE(off + 6)).toString('utf16le');
        expect(nameHash(name)).toBe(hash);
        expect(hash % 64).toBe(b);
        names.push(name);
      }
    }
    expect(names.sort()).toEqual(
      ['Channel', 'Computer', 'Correlation', 'Data', 'Event', 'EventData', 'EventID', 'EventRecordID', 'Execution', 'Guid', 'Keywords', 'Level', 'Name', 'Opcode', 'ProcessID', 'Provider', 'Qualifiers', 'RelatedActivityID', 'Security', 'System', 'SystemTime', 'Task', 'ThreadID', 'TimeCreated', 'UserID', 'Version', 'ActivityID', 'xmlns'].sort(),
    );
  });

  it('templates: defined inline by the first record, referenced by the next ones', () => {
    const c = chunks(file)[0]!;
    const [r1, r2] = records(c);
    const ti = (r: Rec): number => r.offset + 24 + 4; // after the record header and fragment header
    expect(c[ti(r1!)]).toBe(0x0c);
    const def1 = c.readUInt32LE(ti(r1!) + 6);
    expect(def1).toBe(ti(r1!) + 10); // inline: the definition follows the offset field
    expect(c.readUInt32LE(ti(r2!) + 6)).toBe(def1); // reference to the first record's definition
    const defs: number[] = [];
    for (let b = 0; b < 32; b++) {
      for (let off = c.readUInt32LE(384 + 4 * b); off; off = c.readUInt32LE(off)) {
        expect(c.readUInt32LE(off + 4) % 32).toBe(b); // bucket by template id (first GUID dword)
        defs.push(off);
      }
    }
    expect(defs).toContain(def1);
    expect(defs).toHaveLength(2); // System template + the nested EventData template
    expect(c.readUInt32LE(ti(r1!) + 2)).toBe(c.readUInt32LE(def1 + 4)); // instance id = definition GUID's first dword
  });
});

describe('chunk spill', () => {
  it('starts a new chunk when one is full, with fresh inline definitions and valid checksums', () => {
    const big = 'x'.repeat(900);
    const events = Array.from({ length: 300 }, (_, i) => spec(i, { payload: { kind: 'EventData', fields: [{ name: 'Pad', value: `${big}${i}` }] } }));
    const file = writeEvtx(events);
    const cs = chunks(file);
    expect(cs.length).toBeGreaterThan(3);
    expect(file.length).toBe(4096 + cs.length * CHUNK);
    expect(file.readUInt16LE(42)).toBe(cs.length);
    expect(file.readBigUInt64LE(16)).toBe(BigInt(cs.length - 1));
    const ids = cs.flatMap((c) => {
      expect(c.readUInt32LE(124)).toBe(crc32(c.subarray(0, 120), c.subarray(128, 512)));
      expect(c.readUInt32LE(52)).toBe(crc32(c.subarray(512, c.readUInt32LE(48))));
      const recs = records(c);
      const ti = recs[0]!.offset + 28;
      expect(c.readUInt32LE(ti + 6)).toBe(ti + 10);
      expect(Number(c.readBigUInt64LE(24))).toBe(recs[0]!.id);
      expect(Number(c.readBigUInt64LE(32))).toBe(recs[recs.length - 1]!.id);
      return recs.map((r) => r.id);
    });
    expect(ids).toEqual(events.map((_, i) => i + 1));
  });
});

describe('errors name the event', () => {
  it('refuses non-increasing record ids, bad values and records larger than a chunk', () => {
    expect(() => writeEvtx([spec(0, { recordId: 5 }), spec(1, { recordId: 5 })])).toThrow(/event 1: record id 5 does not increase/);
    expect(() => writeEvtx([spec(0, { activityId: 'not-a-guid' })])).toThrow(/not a GUID/);
    expect(() => writeEvtx([spec(0, { time: '2026-03-02 08:00:00' })])).toThrow(/not an ISO UTC time/);
    expect(() => writeEvtx([spec(0, { userId: 'S-1-x' })])).toThrow(/not a SID/);
    expect(() => writeEvtx([spec(0), spec(1, { eventId: 70000 })])).toThrow(/^event 1 \(record 2, Microsoft-Windows-RemoteDesktopServices-RdpCoreTS\/Operational 70000\): uint16 value out of range/);
    const badName = { kind: 'UserData' as const, element: 'EventXML', xmlns: 'Event_NS', fields: [{ name: 'not a name', value: 'x' }] };
    expect(() => writeEvtx([spec(0, { payload: badName })])).toThrow(/UserData field "not a name" is not an XML element name/);
    const huge = { kind: 'EventData' as const, fields: [{ name: 'Blob', value: { type: 'binary' as const, value: Buffer.alloc(65000) } }] };
    expect(() => writeEvtx([spec(0, { payload: huge })])).toThrow(/record 1 .* cannot fit in an empty chunk|more than a descriptor can hold/);
  });

  it('refuses substitution values a descriptor cannot size', () => {
    const long = spec(0, { payload: { kind: 'EventData', fields: [{ name: 'Long', value: 'y'.repeat(40000) }] } });
    expect(() => writeEvtx([long])).toThrow(/substitution value 0 is 80000 bytes/);
  });

  it('keeps record-id gaps (a cleared or filtered log) in records and headers', () => {
    const f = writeEvtx([spec(0, { recordId: 10 }), spec(1, { recordId: 11 }), spec(2, { recordId: 40 })]);
    const c = chunks(f)[0]!;
    expect(records(c).map((r) => r.id)).toEqual([10, 11, 40]);
    expect([c.readBigUInt64LE(24), c.readBigUInt64LE(32)]).toEqual([10n, 40n]);
    expect(f.readBigUInt64LE(24)).toBe(41n);
  });

  it('writes an empty log as a header and one empty chunk', () => {
    const f = writeEvtx([]);
    expect(f.length).toBe(4096 + CHUNK);
    expect(f.readUInt16LE(42)).toBe(1);
    expect(f.readBigUInt64LE(24)).toBe(1n);
    const c = chunks(f)[0]!;
    expect(c.readUInt32LE(48)).toBe(512);
    expect(records(c)).toEqual([]);
    expect(c.readUInt32LE(124)).toBe(crc32(c.subarray(0, 120), c.subarray(128, 512)));
  });
});

describe('writeEventXml', () => {
  it('renders the same events as Event XML, values the Windows way, text escaped', () => {
    const e = spec(3, {
      qualifiers: 16384,
      payload: {
        kind: 'EventData',
        fields: [
          { name: 'Status', value: { type: 'hex32', value: 0xc000006d } },
          { name: 'Logon', value: { type: 'hex64', value: 0x3e7 } },
          { name: 'Msg', value: 'a < b & "c"' },
          { name: 'Lines', value: 'one\r\ntwo' },
        ],
      },
    });
    const xml = writeEventXml([e, spec(4, { payload: { kind: 'UserData', element: 'EventXML', xmlns: 'Event_NS', fields: [{ name: 'Param1', value: 'alice' }] } })], { firstRecordId: 7 });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<Events>\n<Event xmlns="http://schemas.microsoft.com/win/2004/08/events/event">')).toBe(true);
    expect(xml).toContain('<EventID Qualifiers="16384">131</EventID>');
    expect(xml).toContain('<TimeCreated SystemTime="2026-03-02T08:00:03.1234567Z"/><EventRecordID>7</EventRecordID>');
    expect(xml).toContain('<Correlation ActivityID="{F4205BAC-1B01-40FC-AEEF-3C971C730000}"/>');
    expect(xml).toContain('<Data Name="Status">0xc000006d</Data><Data Name="Logon">0x3e7</Data><Data Name="Msg">a &lt; b &amp; &quot;c&quot;</Data><Data Name="Lines">one&#xD;\ntwo</Data>');
    expect(xml).toContain('<EventRecordID>8</EventRecordID>');
    expect(xml).toContain('<UserData><EventXML xmlns="Event_NS"><Param1>alice</Param1></EventXML></UserData>');
    expect(xml.trimEnd().endsWith('</Events>')).toBe(true);
    const bare = writeEventXml([spec(0)], { root: false });
    expect(bare.startsWith('<Event ')).toBe(true);
  });

  it('renders classic sources (EventSourceName, literal GUID, Qualifiers, unnamed Data, Binary) and payload-less events', () => {
    const classic = spec(0, {
      provider: { name: 'LsaSrv', guid: '{199fe037-2b82-40a9-82ac-e1d46c792b99}', eventSourceName: 'LsaSrv' },
      eventId: 6041,
      qualifiers: 0,
      activityId: undefined,
      userId: undefined,
      channel: 'System',
      keywords: '0x0080000000000000',
      payload: { kind: 'EventData', fields: [{ value: 'TERMSRV/RDS01' }, { value: '4' }], binary: 'deadbeef' },
    });
    const none = spec(1, { payload: undefined });
    const xml = writeEventXml([classic, none], { root: false });
    expect(xml).toContain('<Provider Name="LsaSrv" Guid="{199fe037-2b82-40a9-82ac-e1d46c792b99}" EventSourceName="LsaSrv"/><EventID Qualifiers="0">6041</EventID>');
    expect(xml).toContain('<Keywords>0x4000000000000000</Keywords>');
    expect(xml).toContain('<Keywords>0x80000000000000</Keywords>'); // unpadded, as Windows renders it
    expect(xml).toContain('<Correlation/>');
    expect(xml).toContain('<Security/></System><EventData><Data>TERMSRV/RDS01</Data><Data>4</Data><Binary>DEADBEEF</Binary></EventData></Event>');
    expect(xml.split('\n')[1]).toMatch(/<Security UserID="S-1-5-20"\/><\/System><\/Event>$/);
  });
});
