// Static consistency of package.json's contributions and the command registration table.
// (The runtime check — registered vs contributed — runs inside the real editor.)
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { COMMAND_IDS } from '../../src/commands/ids';

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const commands: Array<{ command: string; title: string; category: string }> = pkg.contributes.commands;
const ids = new Set(commands.map((c) => c.command));

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) sourceFiles(full, out);
    else if (e.name.endsWith('.ts')) out.push(full);
  }
  return out;
}

describe('package.json', () => {
  it('every npm script that runs a file of this repository names one that exists', () => {
    const scripts = pkg.scripts as Record<string, string>;
    let checked = 0;
    for (const [name, line] of Object.entries(scripts)) {
      for (const m of line.matchAll(/\bnode\s+((?:\.\/)?[\w./-]+\.(?:m?js|cjs))/g)) {
        checked++;
        assert.ok(fs.existsSync(path.join(root, m[1])), `npm run ${name}: ${m[1]} does not exist`);
      }
    }
    assert.ok(checked >= 5, `only ${checked} scripts checked: the pattern no longer matches package.json`);
  });

  it('has no * or start-up activation', () => {
    for (const ev of pkg.activationEvents ?? []) assert.doesNotMatch(ev, /^\*$|onStartupFinished/);
  });
  it('allows VS Code 1.100 and types no newer than its floor', () => {
    assert.match(pkg.engines.vscode, /^\^1\.(9\d|100)\./);
    const floor = pkg.engines.vscode.replace('^', '');
    const types = pkg.devDependencies['@types/vscode'].replace(/[\^~]/, '');
    assert.ok(types.localeCompare(floor, undefined, { numeric: true }) <= 0, `@types/vscode ${types} is newer than ${floor}`);
  });
  it('gives every command a title and the Ferry category, and ids of the form ferry.<area>.<verb>', () => {
    for (const c of commands) {
      assert.ok(c.title, c.command);
      assert.ok(c.category, c.command);
      assert.match(c.command, /^ferry(\.[a-z][a-zA-Z0-9]*)+$/);
    }
  });
  it('menus, keybindings and welcome buttons only name contributed commands', () => {
    const menus = Object.values(pkg.contributes.menus ?? {}).flat() as Array<{ command?: string }>;
    for (const m of menus) if (m.command) assert.ok(ids.has(m.command), `menu names unknown ${m.command}`);
    for (const k of pkg.contributes.keybindings ?? []) assert.ok(ids.has(k.command), `keybinding names unknown ${k.command}`);
    for (const w of pkg.contributes.viewsWelcome ?? []) {
      for (const m of String(w.contents).matchAll(/command:([\w.]+)/g)) assert.ok(ids.has(m[1]), `welcome names unknown ${m[1]}`);
    }
  });
  it('lists every contributed command in the typed id list (src/commands/ids.ts), and nothing else', () => {
    assert.deepEqual([...COMMAND_IDS].sort(), [...ids].sort());
  });
  it('defines each contributed command in exactly one module of src/commands, one command per module', () => {
    const definedIn = new Map<string, string[]>();
    const crowded: string[] = [];
    for (const file of sourceFiles(path.join(root, 'src', 'commands'))) {
      const found = [...fs.readFileSync(file, 'utf8').matchAll(/\bid:\s*'(ferry\.[\w.]+)'/g)].map((m) => m[1]);
      if (found.length > 1) crowded.push(`${path.relative(root, file)}: ${found.join(', ')}`);
      for (const id of found) definedIn.set(id, [...(definedIn.get(id) ?? []), path.relative(root, file)]);
    }
    assert.deepEqual(crowded, [], 'modules that define more than one command');
    for (const id of ids) assert.equal(definedIn.get(id)?.length, 1, `${id} is defined in ${JSON.stringify(definedIn.get(id) ?? [])}`);
    for (const id of definedIn.keys()) assert.ok(ids.has(id), `${id} is defined in ${definedIn.get(id)} but not contributed`);
  });
  it('contributes the Ferry container and its views, each with welcome content', () => {
    assert.equal(pkg.contributes.viewsContainers.activitybar[0].id, 'ferry');
    const views = pkg.contributes.views.ferry.map((v: { id: string }) => v.id);
    assert.deepEqual(views, [
      'ferry.s3',
      'ferry.databricks.clusters',
      'ferry.databricks.warehouses',
      'ferry.databricks.jobs',
      'ferry.catalog',
      'ferry.athena',
      'ferry.databricks.session',
      'ferry.mlflow',
    ]);
    for (const v of views)
      assert.ok(
        pkg.contributes.viewsWelcome.some((w: { view: string }) => w.view === v),
        `${v} has no welcome`,
      );
  });
});

describe('editor test runner', () => {
  it('knows the extension-host suite by its real title (a --grep that leaves it out leaves it out of the editor)', () => {
    const root = path.resolve(__dirname, '..', '..', '..');
    const runner = fs.readFileSync(path.join(root, 'scripts', 'editor', 'run-editor-tests.mjs'), 'utf8');
    const title = /HOST_SUITE_TITLE = '([^']+)'/.exec(runner)?.[1];
    const suite = fs.readFileSync(path.join(root, 'test', 'editor', 'ui', '00-host-suite.test.ts'), 'utf8');
    const describeTitle = /describe\('([^']+)'/.exec(suite)?.[1];
    const itTitle = /it\('([^']+)'/.exec(suite)?.[1];
    assert.equal(title, `${describeTitle} ${itTitle}`);
  });
});
