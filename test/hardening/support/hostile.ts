// The hostile event data shared by the output-safety tests: every kind of terminal control a
// log field could smuggle, in an .evtx written by the project's EVTX writer.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeEvtx, type EvtxEventSpec } from '../../support/evtx-writer/index.js';

/** ESC[2J (clear), OSC 52 (clipboard write) ended by BEL, SGR, C1 CSI/OSC/ST/NEL, BS, CR, DEL. */
export const HOSTILE = '\x1b[2J\x1b]52;c;SEVMTE8=\x07\x1b[31;1mPWNED\x1b[0m\u009b2J\u009d52;c;SEVMTE8=\u009c\u0085\x08\r\x7f';

/** Byte sequences that must never reach a terminal raw (UTF-8 forms of the controls above). */
export const RAW_SEQUENCES = ['\x1b[2J\x1b]52', '\x1b]52;c;SEVMTE8=', '\x1b[31;1mPWNED', '\u009b2J', '\u009d52;c;', '\x08\r\x7f'].map((s) => Buffer.from(s, 'utf8'));

export const CHANNEL = 'Microsoft-Windows-TerminalServices-RDPClient/Operational';
export const PROVIDER = { name: 'Microsoft-Windows-TerminalServices-ClientActiveXCore', guid: '{28AA95BB-D444-4719-A36F-40462168127E}' };

/** A failed attempt (1024 then 1026 = 0x904) whose host, target and field name carry HOSTILE. */
export function hostileEvents(): EvtxEventSpec[] {
  return [
    { provider: PROVIDER, eventId: 1024, time: '2024-05-01T14:00:00.0000000Z', channel: CHANNEL, computer: `CLIENT${HOSTILE}01`, payload: { kind: 'EventData', fields: [{ name: 'Name', value: 'Server' }, { name: 'Value', value: `srv${HOSTILE}.corp` }, { name: 'CustomLevel', value: 'Info' }] } },
    { provider: PROVIDER, eventId: 1026, time: '2024-05-01T14:00:02.0000000Z', channel: CHANNEL, computer: `CLIENT${HOSTILE}01`, payload: { kind: 'EventData', fields: [{ name: 'Name', value: `Disconnect Reason${HOSTILE}` }, { name: 'Value', value: '2308' }, { name: 'CustomLevel', value: 'Info' }] } },
  ];
}

/** Writes the hostile evtx under a hostile file name; returns the name. */
export function writeHostileEvtx(dir: string): string {
  const name = `client${HOSTILE}.evtx`;
  writeFileSync(join(dir, name), writeEvtx(hostileEvents()));
  return name;
}
