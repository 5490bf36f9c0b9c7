// No code in src/ assumes a Unix shell or Unix-only locations: Ferry runs on Windows, where there is
// no /bin/sh, no /tmp and no HOME. The sources are read with the TypeScript parser (not a text
// search), so a regex's .exec() or a '/tmp' inside a comment is not mistaken for one. A child
// process, where one is needed, is started without a shell, so that its arguments arrive as given
// on every OS: checked for real with this OS's Node.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

// Compiled to out/test/unit/windows/; the sources are read from the repository.
const SRC = path.resolve(__dirname, '..', '..', '..', '..', 'src');
const CHILD_PROCESS = new Set(['child_process', 'node:child_process']);
const SHELL_FUNCTIONS = new Set(['exec', 'execSync']);
const UNIX_PATH = /^\/(tmp|usr|bin|etc|var|home|root)(\/|$)/;

function sources(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) sources(p, out);
    else if (e.name.endsWith('.ts') && !e.name.endsWith('.d.ts')) out.push(p);
  }
  return out;
}

/** Findings for one source file: "file:line: why". */
function unixAssumptions(fileName: string, text: string): string[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true);
  const found: string[] = [];
  const at = (node: ts.Node, why: string) =>
    found.push(`${fileName}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${why}: ${node.getText().slice(0, 80)}`);
  const shellFns = new Set<string>(); // local names bound to exec/execSync
  const modules = new Set<string>(); // local names bound to the whole module
  let importsChildProcess = false;
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !CHILD_PROCESS.has(st.moduleSpecifier.text)) continue;
    importsChildProcess = true;
    const clause = st.importClause;
    if (clause?.name) modules.add(clause.name.text);
    const nb = clause?.namedBindings;
    if (nb && ts.isNamespaceImport(nb)) modules.add(nb.name.text);
    if (nb && ts.isNamedImports(nb)) for (const el of nb.elements) if (SHELL_FUNCTIONS.has((el.propertyName ?? el.name).text)) shellFns.add(el.name.text);
  }
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (ts.isIdentifier(callee) && shellFns.has(callee.text)) at(node, 'child_process.exec runs its command through a shell');
      if (
        ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.expression) &&
        modules.has(callee.expression.text) &&
        SHELL_FUNCTIONS.has(callee.name.text)
      )
        at(node, 'child_process.exec runs its command through a shell');
    }
    if (importsChildProcess && ts.isPropertyAssignment(node) && node.name.getText() === 'shell' && node.initializer.kind !== ts.SyntaxKind.FalseKeyword)
      at(node, 'a child process run through a shell');
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) && UNIX_PATH.test(node.text))
      at(node, 'a Unix-only absolute path (use os.tmpdir(), os.homedir() or a setting)');
    if (ts.isPropertyAccessExpression(node) && node.name.text === 'HOME' && node.expression.getText() === 'process.env') {
      let top: ts.Node = node;
      while (top.parent && ts.isBinaryExpression(top.parent)) top = top.parent;
      if (!/USERPROFILE|homedir/.test(top.getText())) at(node, '$HOME alone (Windows has %USERPROFILE%; use os.homedir())');
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

describe('no Unix shell or Unix-only paths in src/', () => {
  it('the scan finds each kind of mistake in a sample (so a clean result below means something)', () => {
    const sample = [
      "import { exec as run, spawn } from 'node:child_process';",
      "import * as cp from 'child_process';",
      "run('ls -la');",
      "cp.execSync('rm -rf x');",
      "spawn('python', ['x.py'], { shell: true });",
      "const t = '/tmp/ferry';",
      'const h = process.env.HOME;',
      'const ok1 = /x/.exec("y"); const ok2 = process.env.HOME || process.env.USERPROFILE; // /tmp/in-a-comment',
      "spawn('python', ['x.py'], { shell: false });",
    ].join('\n');
    const found = unixAssumptions('sample.ts', sample).map((f) => Number(/:(\d+):/.exec(f)?.[1]));
    assert.deepEqual(found, [3, 4, 5, 6, 7]);
  });

  it('no source starts a shell, names /tmp, /usr or /bin/sh, or reads $HOME alone', () => {
    const files = sources(SRC);
    assert.ok(files.length > 20, `only ${files.length} sources under ${SRC}`);
    const found = files.flatMap((f) => unixAssumptions(path.relative(SRC, f).split(path.sep).join('/'), fs.readFileSync(f, 'utf8')));
    assert.deepEqual(found, []);
  });

  it('a child started without a shell gets its arguments as given: spaces, quotes, %VAR%, $VAR, & | < >', () => {
    const args = ['a b', 'é "quoted" 数据', '%PATH%', '$HOME', 'x&y|z<w>v', 'C:\\Program Files\\x\\', ''];
    const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(JSON.stringify(process.argv.slice(1)))', ...args], {
      encoding: 'utf8',
      shell: false,
      timeout: 30_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), args);
  });
});
