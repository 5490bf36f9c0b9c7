import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import * as vscode from 'vscode';

const EXTENSION_ID = 'ferry-dev.ferry';

interface PackageJson {
  contributes: { commands: Array<{ command: string; title?: string; category?: string }> };
}

describe('foundation (extension host)', () => {
  it('activates and reports its activation time', async () => {
    const ext = vscode.extensions.getExtension<{ activationMs: number }>(EXTENSION_ID);
    assert.ok(ext, 'Ferry is not installed in this editor');
    const api = await ext.activate();
    assert.equal(typeof api.activationMs, 'number');
    assert.ok(api.activationMs >= 0);
    console.log(`activate() took ${api.activationMs.toFixed(1)} ms`);
  });

  it('registers every contributed command and contributes every registered one', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    const pkg = JSON.parse(fs.readFileSync(path.join(ext.extensionPath, 'package.json'), 'utf8')) as PackageJson;
    const contributed = new Set(pkg.contributes.commands.map((c) => c.command));
    for (const c of pkg.contributes.commands) {
      assert.ok(c.title && c.category, `${c.command} lacks a title or category`);
    }
    // VS Code derives commands such as `ferry.s3.focus` from each contributed view: not ours.
    const viewIds = Object.values((pkg as unknown as { contributes: { views: Record<string, Array<{ id: string }>> } }).contributes.views)
      .flat()
      .map((v) => v.id);
    const derived = (id: string) => viewIds.some((v) => id.startsWith(`${v}.`) && !contributed.has(id));
    const registered = new Set((await vscode.commands.getCommands(true)).filter((id) => id.startsWith('ferry.') && !derived(id)));
    const notRegistered = [...contributed].filter((id) => !registered.has(id));
    const notContributed = [...registered].filter((id) => !contributed.has(id));
    assert.deepEqual(notRegistered, [], 'contributed but not registered');
    assert.deepEqual(notContributed, [], 'registered but not contributed');
  });

  it('the Show Log command runs', async () => {
    await vscode.commands.executeCommand('ferry.showLog');
  });
});
