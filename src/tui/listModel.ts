// The attempts list as data: one precomputed row per attempt, then sort, filter and search as pure
// functions, so the component only slices a window out of the result.
import type { Outcome } from '../model/analysis.js';
import type { AnalysisDocument, AttemptReport } from '../model/report.js';
import { formatCodes, toMillis } from './format.js';
import { hostName, inline } from './safe.js';

export interface RowModel {
  /** Index into doc.attempts. */
  index: number;
  id: string;
  startMs: number;
  start: string;
  client: string;
  target: string;
  user: string;
  /** The user without its domain, for narrow terminals. */
  userShort: string;
  outcome: Outcome;
  preconnect: boolean;
  codes: string;
  /** Numeric sort keys of the codes (−1 when unknown), so 0x1004 sorts after 0x904. */
  disc: number;
  ext: number;
  cause: string;
  confidence: string;
  /** Lower-cased text that `/` searches. */
  haystack: string;
  /** Lower-cased host names for the host filter. */
  hosts: string[];
}

export const SORT_FIELDS = ['time', 'outcome', 'client', 'target', 'user', 'codes', 'cause'] as const;
export type SortField = (typeof SORT_FIELDS)[number];

export interface ListFilter {
  outcome?: Outcome;
  host?: string;
  cause?: string;
}

export interface ListQuery {
  sort: SortField;
  descending: boolean;
  filter: ListFilter;
  search: string;
}

function topCause(a: AttemptReport): { cause: string; confidence: string } {
  const c = a.causes.find((x) => x.id === a.rootCause);
  return { cause: a.rootCause, confidence: c ? c.confidence : '' };
}

export function toRow(a: AttemptReport, index: number): RowModel {
  const client = a.client ? hostName(a.client.host) : '?';
  const target = inline(a.target ?? a.server?.host ?? '?');
  const user = inline(a.client?.user ?? '');
  const { cause, confidence } = topCause(a);
  const codes = formatCodes(a.codes);
  const titles = a.causes.filter((c) => c.verdict === 'likely' || c.verdict === 'possible').map((c) => c.title);
  const hostNames = [a.client?.host, a.server?.host, a.target].filter((h): h is string => !!h);
  const haystack = [a.id, client, target, user, a.client?.ip, a.server?.host, a.server?.ip, a.outcome, codes, cause, ...titles]
    .filter(Boolean)
    .join('\u0000')
    .toLowerCase();
  return {
    index,
    id: inline(a.id),
    startMs: toMillis(a.start),
    start: a.start,
    client,
    target,
    user,
    userShort: inline((a.client?.user ?? '').replace(/^.*\\/, '')),
    outcome: a.outcome,
    preconnect: a.preconnect,
    codes,
    disc: a.codes.disconnectReason ?? -1,
    ext: a.codes.extendedReason ?? -1,
    cause: inline(cause),
    confidence,
    haystack,
    hosts: [...new Set(hostNames.map((h) => h.toLowerCase()))],
  };
}

export function buildRows(doc: AnalysisDocument): RowModel[] {
  return doc.attempts.map(toRow);
}

const OUTCOME_ORDER: Record<Outcome, number> = { failed: 0, unknown: 1, succeeded: 2 };

function cmpStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function primary(field: SortField, a: RowModel, b: RowModel): number {
  switch (field) {
    case 'time':
      return (a.startMs || 0) - (b.startMs || 0);
    case 'outcome':
      return OUTCOME_ORDER[a.outcome] - OUTCOME_ORDER[b.outcome];
    case 'client':
      return cmpStr(a.client.toLowerCase(), b.client.toLowerCase());
    case 'target':
      return cmpStr(a.target.toLowerCase(), b.target.toLowerCase());
    case 'user':
      return cmpStr(a.user.toLowerCase(), b.user.toLowerCase());
    case 'codes':
      return a.disc - b.disc || a.ext - b.ext;
    case 'cause':
      return cmpStr(a.cause, b.cause);
  }
}

/** Sorted and filtered rows. Ties break on start time, then attempt id, so the order is stable. */
export function query(rows: readonly RowModel[], q: ListQuery): RowModel[] {
  const needle = q.search.trim().toLowerCase();
  const host = q.filter.host?.toLowerCase();
  const out = rows.filter(
    (r) =>
      (!q.filter.outcome || r.outcome === q.filter.outcome) &&
      (!host || r.hosts.includes(host)) &&
      (!q.filter.cause || r.cause === q.filter.cause) &&
      (!needle || r.haystack.includes(needle)),
  );
  const dir = q.descending ? -1 : 1;
  out.sort((a, b) => dir * primary(q.sort, a, b) || (a.startMs || 0) - (b.startMs || 0) || cmpStr(a.id, b.id) || a.index - b.index);
  return out;
}

export interface FilterOption {
  label: string;
  count: number;
  apply: ListFilter;
}

/** The choices the filter menu offers, with how many attempts each would keep (sorted by kind, then name). */
export function filterOptions(rows: readonly RowModel[]): FilterOption[] {
  const count = (key: (r: RowModel) => string[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const r of rows) for (const k of key(r)) m.set(k, (m.get(k) ?? 0) + 1);
    return m;
  };
  const sorted = (m: Map<string, number>): [string, number][] => [...m].sort((a, b) => cmpStr(a[0], b[0]));
  const opts: FilterOption[] = [];
  for (const [k, n] of sorted(count((r) => [r.outcome]))) opts.push({ label: `outcome: ${k}`, count: n, apply: { outcome: k as Outcome } });
  for (const [k, n] of sorted(count((r) => r.hosts))) opts.push({ label: `host: ${inline(k)}`, count: n, apply: { host: k } });
  for (const [k, n] of sorted(count((r) => [r.cause]))) opts.push({ label: `cause: ${k}`, count: n, apply: { cause: k } });
  return opts;
}

export function describeFilter(f: ListFilter): string {
  const parts: string[] = [];
  if (f.outcome) parts.push(`outcome=${f.outcome}`);
  if (f.host) parts.push(`host=${inline(f.host)}`);
  if (f.cause) parts.push(`cause=${f.cause}`);
  return parts.join(' ');
}
