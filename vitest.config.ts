import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Two cores in CI: forks keep native modules (better-sqlite3) isolated per file.
    pool: 'forks',
  },
});
