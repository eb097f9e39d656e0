// mstsc .rdp files: `name:type:value` lines (UTF-16LE with BOM as mstsc saves them, or UTF-8) →
// one ContextRecord 'rdp-file'. Every setting is kept under its name as written (lower-cased, since
// mstsc matches names case-insensitively); the saved password blob is redacted.
import type { ContextRecord } from '../model/event.js';
import { decodeHead, readFailed, readLines } from './textInput.js';
import { emptyStats, type InputSource, type ReadItem, type ReadOptions, type Reader, type ReadStream } from './types.js';

const SETTING = /^([A-Za-z][A-Za-z0-9 _.:-]*?):([sib]):(.*)$/;
const REDACT = new Set(['password 51', 'password']);
const MAX_SETTINGS = 10_000;

/** The settings that matter for diagnosis (rdp-kb §5d); README documents them. */
export const KEY_SETTINGS = [
  'full address', 'server port', 'alternate full address', 'username', 'domain', 'authentication level',
  'enablecredsspsupport', 'negotiate security layer', 'gatewayhostname', 'gatewayusagemethod',
  'gatewaycredentialssource', 'gatewayprofileusagemethod', 'promptcredentialonce', 'prompt for credentials',
  'use redirection server name', 'loadbalanceinfo',
] as const;

export function sniffRdp(head: Buffer): boolean {
  const lines = decodeHead(head)
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, 8);
  if (lines.length === 0) return false;
  const ok = lines.filter((l) => SETTING.test(l)).length;
  return SETTING.test(lines[0]!) && ok >= Math.min(2, lines.length) && ok >= lines.length - 1;
}

async function* readRdp(input: InputSource, _opts: ReadOptions): ReadStream {
  const stats = emptyStats();
  const items: ReadItem[] = [];
  const settings: Record<string, string> = {};
  let count = 0;
  try {
    for await (const it of readLines(input, 64 * 1024)) {
      if (it.kind === 'issue') {
        items.push(it);
        continue;
      }
      const text = it.line.text.trim();
      if (text === '') continue;
      const m = SETTING.exec(text);
      if (!m) {
        items.push({ kind: 'issue', issue: { severity: 'warning', code: 'rdp.bad-line', message: 'not a name:type:value setting; ignored', file: input.name, line: it.line.line, offset: it.line.offset } });
        stats.skipped++;
        stats.skippedBy['rdp.bad-line'] = (stats.skippedBy['rdp.bad-line'] ?? 0) + 1;
        continue;
      }
      if (++count > MAX_SETTINGS) {
        items.push({ kind: 'issue', issue: { severity: 'error', code: 'rdp.too-many-settings', message: `more than ${MAX_SETTINGS} settings; the rest is ignored`, file: input.name, line: it.line.line } });
        break;
      }
      const name = m[1]!.trim().toLowerCase();
      settings[name] = REDACT.has(name) ? '(redacted)' : m[3]!;
    }
  } catch (err) {
    items.push({ kind: 'issue', issue: readFailed(input.name, err) });
  }
  if (count > 0) {
    const ctx: ContextRecord = { kind: 'rdp-file', settings, source: { file: input.name, format: 'rdp', position: 'file', fidelity: 'context' } };
    const target = settings['full address'];
    if (target !== undefined) ctx.target = target;
    else items.push({ kind: 'issue', issue: { severity: 'warning', code: 'rdp.no-target', message: 'no "full address" setting: the target is unknown', file: input.name } });
    items.push({ kind: 'context', context: ctx });
    stats.read++;
  } else {
    items.push({ kind: 'issue', issue: { severity: 'error', code: 'rdp.empty', message: 'no settings found', file: input.name } });
  }
  yield items;
  return stats;
}

export const rdpFileReader: Reader = {
  format: 'rdp',
  sniff: (head) => sniffRdp(head),
  read: (input, opts) => readRdp(input, opts),
};
