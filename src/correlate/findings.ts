// Findings about the evidence that correlation sees: targets no server of the case matches, host
// pairs whose logs do not overlap in time, and large clock skews.
import type { Finding } from '../model/analysis.js';
import type { ClientGroup } from './client.js';
import type { Coverage } from './coverage.js';
import type { HostDirectory, MatchKind } from './join.js';
import type { ServerConn } from './server.js';
import { cmp, splitHostPort, stableId } from './util.js';

export interface Draft {
  client?: ClientGroup;
  conn?: ServerConn;
  serverHost?: string;
  match: MatchKind;
}

export function findings(drafts: Draft[], dir: HostDirectory, coverage: Coverage, names: Map<string, string>, skew: Map<string, number>): Finding[] {
  const out: Finding[] = [];
  const unmatched = new Map<string, number>();
  const pairs = new Set<string>();
  for (const dr of drafts) {
    if (!dr.client) continue;
    if (dr.match === 'none' && dr.client.target && dir.servers.length) {
      const t = splitHostPort(dr.client.target).addr;
      unmatched.set(t, (unmatched.get(t) ?? 0) + 1);
    }
    if (dr.serverHost && dr.serverHost !== dr.client.host) pairs.add(`${dr.client.host}\u0000${dr.serverHost}`);
  }
  for (const [t, n] of [...unmatched].sort()) {
    out.push({
      id: stableId('find', 'unmatched-target', t),
      kind: 'other',
      severity: 'info',
      message: `${n} attempt(s) to "${t}": no server in this case matches that target; add that server's logs to see its side`,
      details: { target: t, attempts: n },
    });
  }
  for (const p of [...pairs].sort()) {
    const [c, s] = p.split('\u0000') as [string, string];
    const rc = coverage.range(c);
    const rs = coverage.range(s);
    const sc = skew.get(c) ?? 0;
    const ss = skew.get(s) ?? 0;
    if (rc && rs && (rc[1] - sc < rs[0] - ss || rs[1] - ss < rc[0] - sc)) {
      out.push({
        id: stableId('find', 'no-overlap', c, s),
        kind: 'no-overlap',
        severity: 'warning',
        message: `the logs of ${names.get(c) ?? c} and ${names.get(s) ?? s} do not overlap in time; their attempts cannot be joined`,
        host: names.get(s) ?? s,
        details: { client: names.get(c) ?? c, server: names.get(s) ?? s },
      });
    }
  }
  for (const [h, ms] of [...skew].sort((x, y) => cmp(x[0], y[0]))) {
    if (Math.abs(ms) >= 60_000) {
      out.push({
        id: stableId('find', 'skew', h),
        kind: 'other',
        severity: 'warning',
        message: `the clock of ${names.get(h) ?? h} differs from the reference by ${Math.round(ms / 1000)} s; times were corrected`,
        host: names.get(h) ?? h,
        details: { skewMs: Math.round(ms) },
      });
    }
  }
  return out;
}
