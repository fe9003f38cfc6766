import js from '@eslint/js';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const noElectron = {
  paths: [{ name: 'electron', message: 'Only src/main/shell and src/main/index.ts may import electron: the core runs under plain Node.' }],
  patterns: [{ group: ['electron/*'], message: 'Only src/main/shell and src/main/index.ts may import electron.' }],
};

const noNode = {
  ...noElectron,
  patterns: [...noElectron.patterns, { group: ['node:*', 'better-sqlite3', '**/main/**'], message: 'The renderer and the contract run in a browser: no Node modules, no core imports.' }],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'build/', 'test-results/', 'native/', 'clients/', 'examples/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['src/main/core/**/*.ts', 'src/main/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', noElectron], 'no-console': 'error' },
  },
  {
    files: ['src/common/**/*.ts', 'src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', noNode] },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'warn' },
  },
  {
    // The CLI's job is to print.
    files: ['src/main/cli/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
