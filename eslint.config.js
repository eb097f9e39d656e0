import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const UI_ONLY = { group: ['ink', 'ink/*', 'react', 'react/*', 'ink-*'], message: 'ink/React belong in src/tui only (load it lazily from src/cli).' };

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'samples/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setImmediate: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    // The core stays headless: only src/tui may touch ink or React.
    files: ['src/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [UI_ONLY] }],
    },
  },
  {
    // Stages below the CLI never reach up into it (arrows point down the pipeline).
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/tui/**', 'src/cli/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [UI_ONLY, { group: ['**/cli/*', '**/tui/*'], message: 'core stages must not import src/cli or src/tui' }] }],
    },
  },
);
