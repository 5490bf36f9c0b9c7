// Lint rules: strict TypeScript, no console outside tests and scripts, and the architectural
// line from design.md: the service layers never import the editor API.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const serviceLayers = ['src/core/**/*.ts', 'src/aws/**/*.ts', 'src/databricks/**/*.ts', 'src/run/service/**/*.ts', 'sandbox/**/*.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '**/*.js', '*.mjs', 'bench/**/*.mjs', 'test/**/*.mjs', 'sandbox/**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    files: serviceLayers,
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'Service layers run in plain Node: pass what they need through constructors.' }] }],
    },
  },
  {
    // Ferry's own service layers never reach into the editor side by path either.
    files: serviceLayers.filter((g) => g.startsWith('src/')),
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'vscode', message: 'Service layers run in plain Node: pass what they need through constructors.' }],
          patterns: [
            {
              group: ['**/views/**', '**/editor/**', '**/wiring/**', '**/commands/**', '**/extension'],
              message: 'Service layers never import the editor side (views, editor, wiring, commands): pass what they need through constructors.',
            },
          ],
        },
      ],
    },
  },
  {
    // Every toast and quick pick goes through the one redaction (src/editor/messages.ts).
    files: ['src/**/*.ts'],
    ignores: ['src/editor/messageGuard.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'MemberExpression[property.name=/^(showInformationMessage|showWarningMessage|showErrorMessage|showQuickPick)$/]', message: 'Use ui.info / ui.warn / ui.error / ui.pick from src/editor/messages.ts: they redact secrets first.' },
      ],
    },
  },
  {
    // Type-aware rules: a promise nobody awaits loses its error (and the user's message with it).
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'sandbox/**/*.ts'],
    languageOptions: { parserOptions: { project: ['./tsconfig.test.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['webviews/**/*.ts'],
    languageOptions: { parserOptions: { project: ['./webviews/tsconfig.json'], tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // The scripts (test runner, bench, packaging, sandbox launcher) are plain Node ES modules.
    files: ['scripts/**/*.mjs', '.vscode-test.mjs'],
    languageOptions: {
      sourceType: 'module',
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', fetch: 'readonly', __dirname: 'readonly' },
    },
    rules: { 'no-console': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'sandbox/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
