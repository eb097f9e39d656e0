import { readFileSync } from 'node:fs';

let cached: string | undefined;
/** The package version, read once from package.json (dist/cli → ../../package.json). */
export function toolVersion(): string {
  if (cached === undefined) {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    cached = pkg.version;
  }
  return cached;
}
