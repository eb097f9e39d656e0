// The first record of several corpus files, as JSON (NormalizedEvent) and as Event XML, pinned by
// snapshots: any change in rendering shows up in review.
import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fileSource } from '../../../src/ingest/discover.js';
import { evtxXml } from '../../../src/parsers/evtx/xmlStream.js';
import { xmlRecords } from '../../../src/parsers/evtx/xml.js';
import { corpusFile, corpusPresenceTest, haveCorpus, readSource } from './corpus.js';

const FILES = [
  'vraptor__RDPAuth_RemoteConnectionManager.evtx', // UserData (RCM)
  'vraptor__RDPAuth_LocalSessionManager.evtx', // UserData (LSM)
  'oevtx__security.evtx', // Security EventData
  'pyevtx__system.evtx', // classic source with Binary
  'e2m__ID1149-RDP success logins to multiple hosts.evtx', // value-text tokens
  'esas__DE_sysmon-3-rdp-tun.evtx', // Sysmon
  'oevtx__2-system-Microsoft-Windows-LiveId%4Operational.evtx', // embedded BinXML
];

/** The input named by its corpus file name, so snapshots do not depend on where the corpus is. */
function source(name: string) {
  const p = corpusFile(name);
  return { ...fileSource(p, statSync(p).size), name };
}

// Outside the skipped block, so a missing corpus fails in CI instead of skipping quietly.
corpusPresenceTest();

describe.skipIf(!haveCorpus)('evtx first-record snapshots', () => {
  it.each(FILES)('%s as JSON', async (name) => {
    const r = await readSource(source(name));
    expect(r.events[0]).toMatchSnapshot();
  });
  it.each(FILES)('%s as Event XML', async (name) => {
    const it = evtxXml(source(name), {});
    let first: string | undefined;
    for (;;) {
      const b = await it.next();
      if (b.done || first !== undefined) break;
      first = xmlRecords(b.value)[0];
    }
    expect(first).toMatchSnapshot();
  });
});
