// React and ink are loaded only by the commands that show the UI: `rdpdoctor --version` and every
// module statically reachable from the CLI entry must stay free of them.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Static `import … from` / `export … from` specifiers (dynamic import() is excluded on purpose). */
function staticImports(source: string): string[] {
  const out: string[] = [];
  const re = /^\s*(?:import|export)\s+(?:type\s+)?(?:[^'"()]*?\s+from\s+)?['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(re)) {
    const line = m[0];
    if (/^\s*import\s+type\s/.test(line) || /^\s*export\s+type\s/.test(line)) continue;
    out.push(m[1] as string);
  }
  return out;
}

/** Every module reachable by static imports from `entry`, plus the bare package names met. */
function graph(entry: string, toFile: (spec: string, from: string) => string | undefined): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length) {
    const f = todo.pop() as string;
    if (files.has(f)) continue;
    files.add(f);
    for (const spec of staticImports(readFileSync(f, 'utf8'))) {
      if (spec.startsWith('.')) {
        const next = toFile(spec, f);
        if (next) todo.push(next);
      } else if (!spec.startsWith('node:')) {
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] as string));
      }
    }
  }
  return { files, packages };
}

const built = existsSync(join(repoRoot, 'dist/cli/main.js')) && existsSync(join(repoRoot, 'dist/tui/index.js'));
if (!built) {
  if (process.env.CI === 'true') throw new Error('dist/ is not built: run npm run build before the tests');
  console.warn('skipping the run-time lazy-loading checks: dist/ is not built (npm run build)');
}

/** Runs node with a resolve hook that reports every ink/react module the process loads. */
function runWithLoadLog(args: string[]): SpawnSyncReturns<string> {
  const hook = `data:text/javascript,${encodeURIComponent(
    "export async function resolve(s, c, next) { const r = await next(s, c); if (/node_modules\\/(ink|react)\\//.test(r.url)) process.stderr.write('LOADED ' + r.url + '\\n'); return r; }",
  )}`;
  const register = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(hook)});`)}`;
  return spawnSync(process.execPath, ['--import', register, ...args], { encoding: 'utf8' });
}

describe('lazy loading of the UI', () => {
  it('src/cli/main.ts reaches no ink or react through static imports', () => {
    const g = graph(join(repoRoot, 'src/cli/main.ts'), (spec, from) => {
      const base = resolve(dirname(from), spec).replace(/\.js$/, '');
      return ['.ts', '.tsx'].map((x) => base + x).find(existsSync);
    });
    expect(g.files.size).toBeGreaterThan(1);
    expect([...g.packages].filter((p) => /^(ink|react)/.test(p))).toEqual([]);
    expect([...g.files].some((f) => f.includes('/src/tui/'))).toBe(false);
  });

  it.skipIf(!built)('dist/cli/main.js has no static path to ink or react, and --version does not load them', () => {
    const g = graph(join(repoRoot, 'dist/cli/main.js'), (spec, from) => {
      const p = resolve(dirname(from), spec);
      return existsSync(p) ? p : undefined;
    });
    expect([...g.packages].filter((p) => /^(ink|react)/.test(p))).toEqual([]);
    const r = runWithLoadLog([join(repoRoot, 'bin/rdpdoctor.js'), '--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(r.stderr).not.toContain('LOADED');
  });

  it.skipIf(!built)('the load log does see React when the UI module is imported (the check above can fail)', () => {
    const r = runWithLoadLog(['-e', `import(${JSON.stringify(join(repoRoot, 'dist/tui/index.js'))})`]);
    expect(r.stderr).toMatch(/LOADED .*node_modules\/(ink|react)\//);
  });
});
