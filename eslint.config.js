import js from '@eslint/js';
import tseslint from 'typescript-eslint';

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
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/tui/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['ink', 'ink/*', 'react', 'react/*', 'ink-*'], message: 'ink/React belong in src/tui only (load it lazily from src/cli).' }] }],
    },
  },
);
