// Golden files: outputs compared byte for byte with test/golden/<name>. UPDATE_GOLDEN=1 rewrites them
// (review the diff before committing). A missing golden file fails unless UPDATE_GOLDEN is set.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { repoRoot } from './validate.js';

export function expectGolden(name: string, actual: string): void {
  const file = path.join(repoRoot, 'test/golden', name);
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`${file}: golden file missing; run with UPDATE_GOLDEN=1 to create it`);
  expect(actual, `output differs from ${path.relative(repoRoot, file)} (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(file, 'utf8'));
}
