// Meanings of the two dialog codes for the document, from the rules' decode tables. What the
// knowledge base marks UNCONFIRMED says so; a code no table knows is called undocumented, not guessed.
import type { Codes } from '../model/analysis.js';
import { describeExt, lookup } from '../rules/codes.js';
import type { CodeDescriber } from './document.js';

const text = (e: { name: string; meaning: string; unconfirmed?: boolean } | undefined): string =>
  e ? `${e.name}: ${e.meaning}${e.unconfirmed ? ' (unconfirmed)' : ''}` : 'undocumented code';

export const describeCodes: CodeDescriber = (c: Codes) => ({
  ...(c.disconnectReason !== undefined ? { meaning: text(lookup('disc', c.disconnectReason)) } : {}),
  ...(c.extendedReason !== undefined ? { extendedMeaning: text(describeExt(c.extendedReason)) } : {}),
});
