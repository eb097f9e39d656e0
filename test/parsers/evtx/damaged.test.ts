// Exact {ok, errors, recovered} counts for every damaged or dirty corpus file (category b in
// MANIFEST.md), named after the defect. ok = live records read, errors = error issues,
// recovered = records carved from chunk slack. A change in any count shows up here.
import { describe, expect, it } from 'vitest';
import { corpusFile, corpusPresenceTest, haveCorpus, readFile } from './corpus.js';

type Counts = { ok: number; errors: number; recovered: number };

const CASES: [string, string, Counts, Record<string, number>][] = [
  ['dirty header, corrupted chunk flags, slack records', 'dbc__wmi-event-filter-persistance.evtx', { ok: 901, errors: 0, recovered: 67 }, {}],
  ['value-text tokens (Defender 1116/1117)', 'e2m__ID1116-1117-Defender threat detected.evtx', { ok: 6, errors: 0, recovered: 0 }, {}],
  ['value-text tokens (Defender 1151)', 'e2m__ID1151-Defender health status.evtx', { ok: 455, errors: 0, recovered: 0 }, {}],
  ['value-text tokens (RDP 1149 from several hosts)', 'e2m__ID1149-RDP success logins to multiple hosts.evtx', { ok: 11, errors: 0, recovered: 0 }, {}],
  ['value-text tokens (PowerShell 800/4103)', 'e2m__ID800-4103-Interactive PipeShell over named pipe (server and client).evtx', { ok: 30, errors: 0, recovered: 14 }, {}],
  ['value-text tokens (PowerLurk)', 'e2m__ID800-4103-4104-WMI registration via PowerLurk.evtx', { ok: 10, errors: 0, recovered: 0 }, {}],
  ['value-text tokens (Security 4622)', 'e2m__ID4622-New SSP loaded in LSA (only legitim).evtx', { ok: 420, errors: 0, recovered: 0 }, {}],
  ['value-text tokens (print spooler)', 'e2m__ID800-4103-4104-Print spooler privilege escalation (CVE-2020-1048).evtx', { ok: 10, errors: 0, recovered: 0 }, {}],
  ['value-text tokens (firewall 2003/4950)', 'e2m__ID2003-4950-Firewall disabled.evtx', { ok: 6, errors: 0, recovered: 0 }, {}],
  ['value-text tokens (firewall via PowerShell)', 'e2m__ID800-4103-Firewall disabled.evtx', { ok: 10, errors: 0, recovered: 0 }, {}],
  ['python-evtx fails on CAPI2 70; slack records', 'e2m__ID70-CAPI-Private key accessed Mimikatz.evtx', { ok: 3, errors: 0, recovered: 159 }, {}],
  ['value-text tokens (RdpCoreTS 131)', 'e2m__ID131-RDP brutforce (no user info).evtx', { ok: 154, errors: 0, recovered: 0 }, {}],
  ['value-text tokens (Security 4799/4624)', 'e2m__ID4799-4624-Local admin group enumerated by SharpHound.evtx', { ok: 55, errors: 0, recovered: 19 }, {}],
  ['value-text tokens and an event without EventRecordID', 'e2m__ID5140-5145-Bloodhound-SharpHound enumeration via SMB.evtx', { ok: 91, errors: 0, recovered: 14 }, {}],
  ['value-text tokens (Security 4656)', 'e2m__ID4656-WS Management listener enumeration.evtx', { ok: 29, errors: 0, recovered: 0 }, {}],
  ['embedded BinXML markup in data (LiveId)', 'oevtx__2-system-Microsoft-Windows-LiveId%4Operational.evtx', { ok: 399, errors: 0, recovered: 3 }, {}],
  ['bad checksums and overwritten records (VSS copy of RdpCoreTS)', 'oevtx__2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx', { ok: 1951, errors: 26, recovered: 22 }, {"evtx.chunk-data-checksum":2,"evtx.bad-record":2,"evtx.bad-template":23,"evtx.bad-name":1}],
  ['bad checksums and a torn record (VSS copy of RCM)', 'oevtx__2-vss_0-Microsoft-Windows-TerminalServices-RemoteConnectionManager%4Operational.evtx', { ok: 1795, errors: 1, recovered: 246 }, {"evtx.chunk-data-checksum":2,"evtx.bad-binxml":1}],
  ['VSS copy of System with slack records', 'oevtx__2-vss_7-System.evtx', { ok: 1160, errors: 0, recovered: 25 }, {}],
  ['no crc32 (file and chunk checksums absent)', 'oevtx__Application_no_crc32.evtx', { ok: 17, errors: 0, recovered: 20 }, {"evtx.file-header-checksum":1,"evtx.chunk-header-checksum":1,"evtx.chunk-data-checksum":1}],
  ['CAPI2 from a shadow copy (evtxexport reads 89 of 459)', 'oevtx__E_ShadowCopy6_windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx', { ok: 459, errors: 0, recovered: 0 }, {}],
  ['CAPI2 (evtxexport reads 24 of 340)', 'oevtx__E_Windows_system32_winevt_logs_Microsoft-Windows-CAPI2%4Operational.evtx', { ok: 340, errors: 0, recovered: 0 }, {}],
  ['Shell-Core, corrupted flag, slack records', 'oevtx__E_Windows_system32_winevt_logs_Microsoft-Windows-Shell-Core%4Operational.evtx', { ok: 1146, errors: 0, recovered: 128 }, {}],
  ['value-text tokens (MSExchange via WEC, issue 201)', 'oevtx__MSExchange_Management_wec.evtx', { ok: 1, errors: 0, recovered: 0 }, {}],
  ['unfinished last record (no size copy, zero System values)', 'oevtx__Microsoft-Windows-HelloForBusiness%4Operational.evtx', { ok: 5, errors: 1, recovered: 0 }, {"evtx.chunk-data-checksum":1,"evtx.incomplete-record":1}],
  ['unfinished last record that still decodes', 'oevtx__Microsoft-Windows-LanguagePackSetup%4Operational.evtx', { ok: 17, errors: 0, recovered: 0 }, {"evtx.chunk-data-checksum":1,"evtx.record-size-copy":1}],
  ['irregular bool values', 'oevtx__sample-with-irregular-bool-values.evtx', { ok: 3028, errors: 0, recovered: 29 }, {}],
  ['zero data size event', 'oevtx__sample-with-zero-data-size-event.evtx', { ok: 449, errors: 1, recovered: 0 }, {"evtx.chunk-data-checksum":1,"evtx.bad-record":1}],
  ['bad chunk magic', 'oevtx__sample_with_a_bad_chunk_magic.evtx', { ok: 300, errors: 4, recovered: 50 }, {"evtx.chunk-data-checksum":3,"evtx.incomplete-record":1,"evtx.bad-chunk-magic":2,"evtx.record-size-copy":2,"evtx.bad-record":1}],
  ['dirty Security log', 'oevtx__security.evtx', { ok: 2261, errors: 0, recovered: 3 }, {}],
  ['bad string cache', 'oevtx__security_bad_string_cache.evtx', { ok: 2261, errors: 0, recovered: 3 }, {"evtx.chunk-header-checksum":1}],
  ['sysmon with 8 chunks of bad magic', 'oevtx__sysmon.evtx', { ok: 358, errors: 8, recovered: 0 }, {"evtx.bad-chunk-magic":8}],
  ['corrupted flag, System', 'oevtx__system.evtx', { ok: 1881, errors: 0, recovered: 0 }, {}],
  ['malformed dns log', 'pyevtx__dns_log_malformed.evtx', { ok: 5, errors: 0, recovered: 0 }, {}],
  ['python-evtx issue 43 (invalid UTF-16)', 'pyevtx__issue_43.evtx', { ok: 1730, errors: 0, recovered: 71 }, {}],
  ['dirty System log', 'pyevtx__system.evtx', { ok: 1601, errors: 0, recovered: 0 }, {}],
  ['python-evtx fails on CAPI2 70 (one record)', 'vevtx__Microsoft-Windows-CAPI2_Operational_EventID70.evtx', { ok: 1, errors: 0, recovered: 1 }, {}],
  ['corrupted Security log with slack', 'vevtx__Security.evtx', { ok: 739, errors: 0, recovered: 13 }, {}],
  ['dirty LocalSessionManager log with slack', 'vraptor__RDPAuth_LocalSessionManager.evtx', { ok: 17, errors: 0, recovered: 3 }, {}],
  ['dirty RemoteConnectionManager log', 'vraptor__RDPAuth_RemoteConnectionManager.evtx', { ok: 4, errors: 0, recovered: 0 }, {}],
  ['corrupted RDP Security log', 'vraptor__RDPAuth_Security.evtx', { ok: 789, errors: 0, recovered: 0 }, {}],
  ['corrupted RDP System log', 'vraptor__RDPAuth_System.evtx', { ok: 186, errors: 0, recovered: 0 }, {}],
  ['one live record and 77 in slack', 'vraptor__Security_1_record.evtx', { ok: 1, errors: 0, recovered: 77 }, {}],
];

// Outside the skipped block, so a missing corpus fails in CI instead of skipping quietly.
corpusPresenceTest();

describe.skipIf(!haveCorpus)('evtx damaged and dirty corpus files', () => {
  it.each(CASES)('%s (%s)', async (_defect, file, counts, codes) => {
    const r = await readFile(corpusFile(file));
    const ok = r.events.filter((e) => !e.source.recovered).length;
    const errors = r.issues.filter((i) => i.severity === 'error').length;
    expect({ ok, errors, recovered: r.stats.recovered }).toEqual(counts);
    const byCode: Record<string, number> = {};
    for (const i of r.issues) byCode[i.code] = (byCode[i.code] ?? 0) + 1;
    expect(byCode).toEqual(codes);
    // Stats agree with the items, and every issue names the file and a position.
    expect(r.stats.read).toBe(r.events.length);
    expect(r.stats.recovered).toBe(r.events.filter((e) => e.source.recovered).length);
    for (const i of r.issues) {
      expect(i.file).toBe(corpusFile(file));
      expect(i.offset).toBeTypeOf('number');
    }
  });

  it('takes the message of an event that carries RenderingInfo', async () => {
    const r = await readFile(corpusFile('oevtx__E_Windows_system32_winevt_logs_Microsoft-Windows-Shell-Core%4Operational.evtx'));
    const withMessage = r.events.filter((e) => e.message !== undefined);
    expect(withMessage.map((e) => e.recordId)).toEqual([161, 968]);
    expect(withMessage[0]!.message).toMatch(/^TraceLayoutSelectionData\n\nSelectionData: "Region Codes:US/);
  });
});
