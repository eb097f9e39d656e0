// RDCMan .rdg files → one ContextRecord 'rdg-server' per server, with RDCMan's inheritance resolved
// (server → enclosing groups → file): a settings group applies from the nearest node that has it
// with inherit other than "FromParent". Only explicit values are emitted (RDCMan defaults are not
// invented). Passwords are never copied. Credential profiles referenced by name are resolved.
import type { XMLParser } from 'fast-xml-parser';
import type { ContextRecord } from '../model/event.js';
import { decodeHead, decodeInput, readFailed } from './textInput.js';
import { emptyStats, type InputSource, type ReadItem, type ReadOptions, type Reader, type ReadStream } from './types.js';
import { unescapeXml } from './xml/event.js';
import { checkWellFormed } from './xml/wellFormed.js';

const MAX_RDG_CHARS = 32 * 1024 * 1024;
const SETTING_GROUPS = ['logonCredentials', 'connectionSettings', 'gatewaySettings', 'securitySettings'] as const;
const SECRET = /password/i;

type Node = Record<string, unknown>;

let parser: XMLParser | undefined;

const OPTIONS = {
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name: string) => name === 'group' || name === 'server' || name === 'credentialsProfile',
};

export function sniffRdg(head: Buffer): boolean {
  const t = decodeHead(head).replace(/<\?[\s\S]*?\?>|<!--[\s\S]*?-->/g, '').trimStart();
  return /^<RDCMan[\s>]/.test(t);
}

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return unescapeXml(v).trim();
  if (typeof v === 'object' && '#text' in (v as Node)) return unescapeXml(String((v as Node)['#text'])).trim();
  if (typeof v === 'object') return '';
  return String(v);
}

function asNode(v: unknown): Node | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Node) : undefined;
}

/** Leaf values of a settings group, without secrets: `{enabled: 'True', hostName: 'gw'}`. */
function leaves(group: Node): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(group)) {
    if (k.startsWith('@') || SECRET.test(k)) continue;
    const t = text(v);
    if (t !== undefined) out[k] = t;
    const attrs = asNode(v);
    if (attrs?.['@scope'] !== undefined) out[`${k}@scope`] = String(attrs['@scope']);
  }
  return out;
}

interface Scope {
  node: Node;
  parent?: Scope;
  path: string[];
}

function resolveGroup(scope: Scope | undefined, name: string): Record<string, string> | undefined {
  for (let s = scope; s; s = s.parent) {
    const g = asNode(s.node[name]);
    if (!g) continue;
    if (String(g['@inherit'] ?? 'None') === 'FromParent') continue;
    return leaves(g);
  }
  return undefined;
}

function nameOf(node: Node): { name?: string; displayName?: string; comment?: string } {
  // Schema 3 keeps names under <properties>; v2.2 files put them on the node itself.
  const p = asNode(node.properties) ?? node;
  return { name: text(p.name), displayName: text(p.displayName), comment: text(p.comment) };
}

async function* readRdg(input: InputSource, _opts: ReadOptions): ReadStream {
  // fast-xml-parser is loaded on first use (~25 ms), not at every start.
  parser ??= new (await import('fast-xml-parser')).XMLParser(OPTIONS);
  const stats = emptyStats();
  const items: ReadItem[] = [];
  let xml = '';
  try {
    for await (const chunk of decodeInput(input)) {
      xml += chunk.text;
      if (xml.length > MAX_RDG_CHARS) {
        items.push({ kind: 'issue', issue: { severity: 'error', code: 'rdg.too-large', message: `larger than ${MAX_RDG_CHARS} characters; not read`, file: input.name } });
        yield items;
        return stats;
      }
    }
  } catch (err) {
    items.push({ kind: 'issue', issue: readFailed(input.name, err) });
    yield items;
    return stats;
  }
  const decl = xml.search(/<!(DOCTYPE|ENTITY)/);
  if (decl >= 0) {
    items.push({ kind: 'issue', issue: { severity: 'error', code: 'xml.entity-refused', message: 'DOCTYPE/ENTITY declarations are refused (entity expansion is never performed); file not read', file: input.name, offset: Buffer.byteLength(xml.slice(0, decl)) } });
    yield items;
    return stats;
  }
  const bad = checkWellFormed(xml);
  if (bad) {
    items.push({ kind: 'issue', issue: { severity: 'error', code: 'rdg.malformed', message: `malformed XML: ${bad.error}`, file: input.name, line: xml.slice(0, bad.at).split('\n').length } });
    yield items;
    return stats;
  }
  let doc: Node;
  try {
    doc = parser.parse(xml) as Node;
  } catch (err) {
    items.push({ kind: 'issue', issue: { severity: 'error', code: 'rdg.malformed', message: `malformed XML: ${(err as Error).message}`, file: input.name } });
    yield items;
    return stats;
  }
  const root = asNode(doc.RDCMan);
  const file = asNode(root?.file);
  if (!root || !file) {
    items.push({ kind: 'issue', issue: { severity: 'error', code: 'rdg.no-file', message: 'no <RDCMan><file> element', file: input.name } });
    yield items;
    return stats;
  }
  const profiles = new Map<string, Record<string, string>>();
  const profList = asNode(file.credentialsProfiles)?.credentialsProfile;
  if (Array.isArray(profList)) {
    for (const p of profList as Node[]) {
      const l = leaves(p);
      if (l.profileName) profiles.set(l.profileName, l);
    }
  }

  let index = 0;
  const visit = (node: Node, scope: Scope): void => {
    for (const server of (node.server as Node[] | undefined) ?? []) {
      index++;
      const here: Scope = { node: server, parent: scope, path: scope.path };
      const n = nameOf(server);
      const settings: Record<string, string> = {};
      if (n.name) settings.name = n.name;
      if (n.displayName) settings.displayName = n.displayName;
      if (n.comment) settings.comment = n.comment;
      if (scope.path.length) settings.group = scope.path.join('/');
      for (const g of SETTING_GROUPS) {
        const vals = resolveGroup(here, g);
        if (!vals) continue;
        for (const [k, v] of Object.entries(vals)) settings[`${g}/${k}`] = v;
      }
      const prof = settings['logonCredentials/profileName'];
      const fromProfile = prof !== undefined ? profiles.get(prof) : undefined;
      if (fromProfile) {
        if (fromProfile.userName !== undefined && !settings['logonCredentials/userName']) settings['logonCredentials/userName'] = fromProfile.userName;
        if (fromProfile.domain !== undefined && !settings['logonCredentials/domain']) settings['logonCredentials/domain'] = fromProfile.domain;
      }
      const ctx: ContextRecord = { kind: 'rdg-server', settings, source: { file: input.name, format: 'rdg', position: `server ${index}`, fidelity: 'context' } };
      if (n.name) ctx.target = n.name;
      else items.push({ kind: 'issue', issue: { severity: 'warning', code: 'rdg.no-name', message: `server ${index} has no name`, file: input.name } });
      items.push({ kind: 'context', context: ctx });
      stats.read++;
    }
    for (const group of (node.group as Node[] | undefined) ?? []) {
      const gname = nameOf(group).name ?? '';
      visit(group, { node: group, parent: scope, path: [...scope.path, gname] });
    }
  };
  visit(file, { node: file, path: [] });
  if (index === 0) items.push({ kind: 'issue', issue: { severity: 'warning', code: 'rdg.no-servers', message: 'no <server> entries', file: input.name } });
  yield items;
  return stats;
}

export const rdcmanReader: Reader = {
  format: 'rdg',
  sniff: (head) => sniffRdg(head),
  read: (input, opts) => readRdg(input, opts),
};
