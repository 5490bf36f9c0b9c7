// Loaded by mocha (--require) inside the Windows run, before any test: prints what the tests run
// on, so that the log shows it is Windows Node and not Linux Node that ran them. The runner checks
// this line.
const os = require('node:os');
const path = require('node:path');
process.stdout.write(`windows-probe: platform=${process.platform} node=${process.version} arch=${process.arch} sep=${path.sep} eol=${JSON.stringify(os.EOL)} tmpdir=${os.tmpdir()} homedir=${os.homedir()} cwd=${process.cwd()}\n`);
