// Demonstration, not part of any suite: the remote-path contract run against the naive mapping
// that Linux-only code tends to have (path.join / path.relative). On Linux its "native paths"
// cases pass, so the bug is invisible there; under Windows Node they fail with backslashes.
//   Linux:   npx mocha scripts/windows/demo/naive-remote-path.spec.js --grep "native paths"
//   Windows: node scripts/windows/run-windows-tests.mjs scripts/windows/demo/naive-remote-path.spec.js
// (needs out/ built: npx tsc -p tsconfig.test.json)
const path = require('node:path');
const { describeRemotePathContract } = require('../../../out/test/unit/windows/remotePathContract.js');

describeRemotePathContract('naive remote paths (path.join)', {
  toRemotePath: (localRoot, localFile, remoteRoot) => {
    const rel = path.relative(localRoot, localFile);
    return rel.startsWith('..') ? undefined : path.join(remoteRoot, rel);
  },
  s3Key: (prefix, relativePath) => path.join(prefix, relativePath),
});
