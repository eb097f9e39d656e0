// Real RDP logs from the shared corpus (MANIFEST.md category a), read with our evtx reader: they
// must correlate into sensible sessions, and nothing may be called a failure without a failure event.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import '../../src/parsers/all.js';
import { buildAttempts } from '../../src/correlate/index.js';
import { fileSource, readHead } from '../../src/ingest/discover.js';
import type { Attempt } from '../../src/model/analysis.js';
import type { StoredEvent } from '../../src/model/stages.js';
import { readerFor } from '../../src/parsers/registry.js';
import { diagnose, loadCatalog } from '../../src/rules/index.js';

const repoRoot = resolve(import.meta.dirname, '../..');
const corpus = resolve(repoRoot, '../shared/corpus');
const present = existsSync(corpus);
if (!present) {
  if (process.env.CI === 'true') throw new Error(`corpus folder ${corpus} is missing (required when CI=true)`);
  console.warn(`corpus tests skipped: ${corpus} not found`);
}

async function read(files: string[]): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (const f of files) {
    const p = join(corpus, f);
    const reader = readerFor(readHead(p), p);
    if (!reader) throw new Error(`${p}: no reader recognises it`);
    const it = reader.read(fileSource(p, statSync(p).size), {});
    for (;;) {
      const r = await it.next();
      if (r.done) break;
      for (const item of r.value) if (item.kind === 'event') events.push({ ...item.event, rowId: events.length + 1 });
    }
  }
  return events;
}

/** Events that prove a connection failed on the server (RdpCoreTS 97/139/140/146/147/149, Security 4625). */
const FAILURE = new Set(['rdpcorets:97', 'rdpcorets:139', 'rdpcorets:140', 'rdpcorets:146', 'rdpcorets:147', 'rdpcorets:149', 'security:4625']);
const kind = (a: Attempt): string[] => a.events.map((e) => `${/RdpCoreTS/i.test(e.channel) ? 'rdpcorets' : e.channel.toLowerCase()}:${e.id}`);

function noFalseFailure(attempts: Attempt[]): void {
  for (const a of attempts) {
    if (a.outcome === 'failed') expect(kind(a).some((k) => FAILURE.has(k)), `${a.start} ${kind(a).join(',')}`).toBe(true);
    if (a.preconnect) expect(a.outcome).not.toBe('failed');
  }
}

describe.skipIf(!present)('corpus: real RDP logs correlate into sensible sessions', () => {
  const catalog = present ? loadCatalog() : undefined;

  it('Velociraptor RDPAuth (LSM, RCM, Security, System of one DC): one RDP session from 192.168.38.1', async () => {
    const events = await read(['vraptor__RDPAuth_LocalSessionManager.evtx', 'vraptor__RDPAuth_RemoteConnectionManager.evtx', 'vraptor__RDPAuth_Security.evtx', 'vraptor__RDPAuth_System.evtx']);
    const { attempts, hosts } = buildAttempts(events, []);
    expect(attempts).toHaveLength(1);
    const a = attempts[0]!;
    expect(a.outcome).toBe('succeeded');
    expect(a.server?.host).toBe('dc.windomain.local');
    expect(a.client?.ip).toBe('192.168.38.1');
    // NLA (4624 type 3 + 1149), then the session logon (4624 type 10) and the reconnect to session 1 (LSM 25).
    expect(kind(a)).toEqual(expect.arrayContaining(['microsoft-windows-terminalservices-remoteconnectionmanager/operational:1149', 'security:4624', 'microsoft-windows-terminalservices-localsessionmanager/operational:25']));
    expect(a.events.filter((e) => e.id === 4624).map((e) => e.values.LogonType)).toEqual(['3', '10', '10']);
    expect(diagnose(a, catalog!).rootCause).toBe('none');
    expect(hosts.map((h) => `${h.name}:${h.roles.join('+')}`)).toEqual(['dc.windomain.local:server']);
  });

  it('omerbenamram RdpCoreTS + RCM (internet-facing host under password guessing): every failure is a wrong password', async () => {
    const events = await read(['oevtx__2-vss_0-Microsoft-Windows-RemoteDesktopServices-RdpCoreTS%4Operational.evtx', 'oevtx__2-vss_0-Microsoft-Windows-TerminalServices-RemoteConnectionManager%4Operational.evtx']);
    const { attempts } = buildAttempts(events, []);
    noFalseFailure(attempts);
    const failed = attempts.filter((a) => a.outcome === 'failed');
    expect(failed.length).toBeGreaterThan(100);
    expect(failed.every((a) => kind(a).includes('rdpcorets:140'))).toBe(true);
    const causes = new Set(failed.map((a) => diagnose(a, catalog!).rootCause));
    expect([...causes]).toEqual(['nla-credentials']);
    // Each connection keeps its own client address (some damaged records of this file carry no IPString).
    const ips = failed.flatMap((a) => a.events.filter((e) => e.id === 140 && e.values.IPString).map((e) => [e.values.IPString, a.client?.ip]));
    expect(ips.length).toBeGreaterThan(100);
    expect(ips.filter(([seen, client]) => seen !== client)).toEqual([]);
  });

  it('sbousseaden BlueKeep scan (RdpCoreTS): sessions with graphics succeed, short probes are not failures', async () => {
    const events = await read(['esas__rdpcorets_148_mst120_bluekeep_rpdscan_full.evtx']);
    const { attempts } = buildAttempts(events, []);
    noFalseFailure(attempts);
    expect(attempts.filter((a) => a.outcome === 'failed')).toEqual([]);
    const withGraphics = attempts.filter((a) => kind(a).includes('rdpcorets:68'));
    expect(withGraphics.length).toBeGreaterThan(0);
    expect(withGraphics.every((a) => a.outcome === 'succeeded')).toBe(true);
    // The UDP side channel (131 UDP) is part of its TCP connection, not an attempt of its own.
    expect(attempts.every((a) => a.events.filter((e) => e.id === 131).length === 0 || a.events.find((e) => e.id === 131)!.values.ConnType === 'TCP')).toBe(true);
    expect(attempts.some((a) => a.preconnect)).toBe(true);
  });

  it('sbousseaden RDP tunnelling (RCM 1149 + Security): authentications without failures', async () => {
    const events = await read(['esas__DE_RDP_Tunneling_TerminalServices-RemoteConnectionManagerOperational_1149.evtx', 'esas__DE_RDP_Tunnel_5156.evtx']);
    const { attempts } = buildAttempts(events, []);
    expect(attempts.length).toBeGreaterThan(0);
    noFalseFailure(attempts);
    expect(attempts.filter((a) => a.outcome === 'failed')).toEqual([]);
    expect(attempts.every((a) => a.events.some((e) => e.id === 1149 || e.id === 4624))).toBe(true);
  });

  it('Security-only logs: type-10 logons become sessions, never failures', async () => {
    const events = await read(['oevtx__Security_with_size_t.evtx', 'e2m__ID4688,4778,4779 RDP hijack direct.evtx', 'e2m__ID4625-failed login with denied access due to account restriction.evtx']);
    const { attempts } = buildAttempts(events, []);
    noFalseFailure(attempts);
    expect(attempts.every((a) => a.outcome === 'succeeded' && a.events.some((e) => e.id === 4624 && ['10', '7'].includes(e.values.LogonType ?? '')))).toBe(true);
  });
});
