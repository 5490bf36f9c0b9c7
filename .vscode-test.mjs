// The extension-host suite under @vscode/test-electron, for machines that can download VS Code
// (contributors' desktops, the GitHub Actions matrix on Windows and macOS). Same tests as the
// code-server run: out/test/editor/host/**/*.test.js. Run with `npm run test:electron` after
// `npm run build && npm run compile-tests`.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const root = path.dirname(fileURLToPath(import.meta.url));

try {
  await runTests({
    version: process.env.FERRY_VSCODE_VERSION || '1.100.3',
    extensionDevelopmentPath: root,
    extensionTestsPath: path.join(root, 'out', 'test', 'editor', 'electron', 'index.js'),
    launchArgs: [path.join(root, 'test', 'editor', 'fixtures', 'workspace'), '--disable-workspace-trust', '--disable-extensions'],
  });
} catch (err) {
  console.error('Extension-host tests failed:', err);
  process.exit(1);
}
