import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  { ignores: ['dist/', 'dist-test/', 'node_modules/', 'src/lib/ipc/bindings.ts'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    // Only the IPC layer talks to Tauri; everything else uses the typed client. The test fake installs
    // itself as the IPC back end (mockIPC), so the testing folder may import Tauri's mocks.
    files: ['src/**/*.ts', 'src/**/*.svelte'],
    ignores: ['src/lib/ipc/**', 'src/lib/testing/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['@tauri-apps/*'], message: 'Import from $lib/ipc instead.' }] },
      ],
    },
  },
);
