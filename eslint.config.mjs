// Lint rules: strict TypeScript, no console outside tests and scripts, and the architectural
// line from design.md: the service layers never import the editor API.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const serviceLayers = ['src/core/**/*.ts', 'src/aws/**/*.ts', 'src/databricks/**/*.ts', 'src/run/service/**/*.ts', 'sandbox/**/*.ts'];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '**/*.js', '**/*.mjs'] },
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
    files: ['test/**/*.ts', 'bench/**/*.ts', 'sandbox/**/*.ts'],
    rules: { 'no-console': 'off' },
  },
);
