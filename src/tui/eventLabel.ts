// Short, recognisable names for events in narrow lanes: `RDPClient 1026 Value=2308`,
// `RCM 1149 Param3=10.0.0.5`. Full names stay in the event-detail pane.
import type { EventRef } from '../model/analysis.js';
import { inline } from './safe.js';

const ABBREV: [RegExp, string][] = [
  [/RemoteConnectionManager/i, 'RCM'],
  [/LocalSessionManager/i, 'LSM'],
  [/RdpCoreTS/i, 'RdpCoreTS'],
  [/RDPClient|ClientActiveXCore/i, 'RDPClient'],
  [/Security-Auditing|^Security$/i, 'Security'],
  [/Schannel/i, 'Schannel'],
  [/LsaSrv/i, 'LsaSrv'],
  [/DNS-Client/i, 'DNS-Client'],
  [/Gateway/i, 'Gateway'],
];

/** The component name of a channel/provider pair (`RCM`, `LSM`, `Schannel`), falling back to the channel's stem. */
export function shortSource(channel: string, provider: string): string {
  for (const [re, name] of ABBREV) if (re.test(provider) || re.test(channel)) return name;
  const stem = channel.replace(/^Microsoft-Windows-/, '').replace(/\/(Operational|Admin)$/, '');
  return inline(stem || provider);
}

export function valuesText(values: Record<string, string>): string {
  return Object.keys(values)
    .sort()
    .map((k) => `${inline(k)}=${inline(values[k])}`)
    .join(' ');
}

export function eventLabel(e: EventRef): string {
  const v = valuesText(e.values);
  return `${shortSource(e.channel, e.provider)} ${e.id}${v ? ` ${v}` : ''}`;
}

export function basename(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'), file.lastIndexOf('!'));
  return file.slice(i + 1);
}

/** `Security.evtx record 1234` or `export.csv line 17`. */
export function whereText(e: EventRef): string {
  return `${inline(basename(e.file))} ${inline(e.position)}`;
}
