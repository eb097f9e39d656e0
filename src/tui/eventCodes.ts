// Decoded meanings of the coded fields of one event (1026 Value, 4625 Status, Schannel alerts…),
// from the rules' decode tables. A coded field whose value no table knows is called undocumented.
import { lookup, type CodeEntry, type TableId } from '../rules/codes.js';
import { hex } from './format.js';

interface FieldRule {
  /** Matches provider or channel. */
  source: RegExp;
  ids: number[];
  fields: string[];
  table: TableId;
}

const RULES: FieldRule[] = [
  { source: /ClientActiveXCore|RDPClient/i, ids: [1026], fields: ['Value'], table: 'disc' },
  { source: /Schannel/i, ids: [36887, 36888], fields: ['AlertDesc', 'AlertDescription'], table: 'tls' },
  { source: /Schannel/i, ids: [36870, 36871], fields: ['ErrorState', 'ErrorStatus'], table: 'schannel' },
  { source: /Security-Auditing|^Security$/i, ids: [4625], fields: ['Status', 'SubStatus'], table: 'ntstatus' },
  { source: /LocalSessionManager/i, ids: [40], fields: ['Reason', 'ReasonCode'], table: 'lsm' },
  { source: /RdpCoreTS/i, ids: [103], fields: ['ReasonCode'], table: 'rdpcorets' },
  { source: /RdpCoreTS/i, ids: [142, 143, 226], fields: ['ErrorCode', 'Error', 'ErrorCodeValue'], table: 'win32' },
];

function parseCode(v: string): number | undefined {
  const t = v.trim();
  if (/^0x[0-9a-f]{1,8}$/i.test(t)) return Number.parseInt(t.slice(2), 16);
  if (/^-?\d{1,10}$/.test(t)) return Number(t) >>> 0;
  return undefined;
}

function entryText(e: CodeEntry | undefined): string {
  if (!e) return 'undocumented code';
  return `${e.name}: ${e.meaning}${e.unconfirmed ? ' (unconfirmed)' : ''}`;
}

export function describeEventCodes(ev: { channel: string; provider: string; id: number; values: Record<string, string> }): string[] {
  const out: string[] = [];
  for (const r of RULES) {
    if (!r.ids.includes(ev.id) || !(r.source.test(ev.provider) || r.source.test(ev.channel))) continue;
    for (const f of r.fields) {
      const raw = ev.values[f];
      if (raw === undefined) continue;
      const n = parseCode(raw);
      if (n === undefined) continue;
      out.push(`${f}=${raw} → ${hex(n)}: ${entryText(lookup(r.table, n))}`);
    }
  }
  return out;
}
