// Shorthand events for rule fixtures and tests: `{ host, ch, id, t, act, data }` → StoredEvent.
// Channel and provider aliases are the ones rules use; `t` is seconds after the fixture's base time.
import { CHANNEL_ALIASES, PROVIDER_ALIASES, CH, PROV } from '../correlate/channels.js';
import type { StoredEvent } from '../model/stages.js';

export interface ShortEvent {
  host: string;
  ch: string;
  id: number;
  /** Seconds after `base`. */
  t?: number;
  /** Absolute ISO time (instead of t). */
  time?: string;
  provider?: string;
  /** Any string; it becomes a braced upper-case GUID-like ActivityID. */
  act?: string;
  user?: string;
  record?: number;
  data?: Record<string, string | number>;
}

const DEFAULT_PROVIDER: Record<string, string> = {
  [CH.rdpClient]: PROV.clientActiveX,
  [CH.rdpCoreTs]: PROV.rdpCoreTs,
  [CH.rdpCoreTsAdmin]: PROV.rdpCoreTs,
  [CH.rcm]: PROV.rcm,
  [CH.rcmAdmin]: PROV.rcm,
  [CH.lsm]: PROV.lsm,
  [CH.security]: PROV.security,
  [CH.dnsClient]: PROV.dnsClient,
  [CH.ntlm]: PROV.ntlm,
  [CH.capi2]: PROV.capi2,
  [CH.gateway]: PROV.gateway,
  [CH.licensing]: PROV.licensing,
  [CH.rdcman]: PROV.rdcman,
};

/** A stable GUID-shaped ActivityID from any label. */
export function activityGuid(label: string): string {
  let h = 2166136261;
  const hex: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const ch of `${round}:${label}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    hex.push(h.toString(16).padStart(8, '0'));
  }
  const s = hex.join('').toUpperCase();
  return `{${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}}`;
}

function isoFrom(baseMs: number, t: number): string {
  const ms = baseMs + Math.round(t * 1000);
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$10000Z');
}

/** Builds StoredEvents; throws with the item index when an item is malformed. */
export function synthEvents(items: ShortEvent[], base = '2024-05-01T10:00:00Z', file = 'synthetic'): StoredEvent[] {
  const baseMs = Date.parse(base);
  if (!Number.isFinite(baseMs)) throw new Error(`${file}: base time "${base}" is not an ISO time`);
  return items.map((it, i) => {
    if (!it || typeof it.host !== 'string' || typeof it.ch !== 'string' || !Number.isInteger(it.id)) {
      throw new Error(`${file}: event ${i}: needs host, ch and an integer id`);
    }
    const channel = CHANNEL_ALIASES[it.ch] ?? it.ch;
    const provider = it.provider ? (PROVIDER_ALIASES[it.provider] ?? it.provider) : DEFAULT_PROVIDER[channel];
    if (!provider) throw new Error(`${file}: event ${i}: channel ${channel} needs an explicit provider`);
    const time = it.time ?? isoFrom(baseMs, it.t ?? 0);
    if (!Number.isFinite(Date.parse(time))) throw new Error(`${file}: event ${i}: bad time "${time}"`);
    const data: Record<string, string> = {};
    for (const [k, v] of Object.entries(it.data ?? {})) data[k] = String(v);
    const ev: StoredEvent = {
      rowId: i + 1,
      time,
      provider,
      eventId: it.id,
      channel,
      computer: it.host,
      data,
      recordId: it.record ?? i + 1,
      source: { file, format: 'evtx', position: `event ${i}`, fidelity: 'full' },
    };
    if (it.act) ev.activityId = activityGuid(it.act);
    if (it.user) ev.userId = it.user;
    return ev;
  });
}
