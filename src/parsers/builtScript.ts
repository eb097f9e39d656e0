// Worker threads load compiled JS: a module's sibling as built in dist/, also when the caller runs
// from src/ (vitest, tsx), where the sibling is TypeScript a Worker cannot load.
import { sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The path of `rel` (a `.js` name) beside the module at `metaUrl`, in dist/ when that module is in src/. */
export function builtScript(metaUrl: string, rel: string): string {
  const path = fileURLToPath(new URL(rel, metaUrl));
  if (fileURLToPath(metaUrl).endsWith('.js')) return path;
  const at = path.lastIndexOf(`${sep}src${sep}`);
  return `${path.slice(0, at)}${sep}dist${sep}${path.slice(at + 5)}`;
}
