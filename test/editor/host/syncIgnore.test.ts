// Sync on save in the real editor, against the sandbox's Databricks stand-in: a saved file that
// .gitignore names (.env, secrets.json) is not pushed; a saved file next to it is.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { sandboxProfile } from './sandboxProfile';

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('sync on save and .gitignore (extension host)', function () {
  this.timeout(90_000);

  it('does not push a saved .env or secrets.json that .gitignore names, and pushes the file beside them', async () => {
    const { host, token } = sandboxProfile();
    const headers = { authorization: `Bearer ${token}` };
    const me = (await (await fetch(`${host}/api/2.0/preview/scim/v2/Me`, { headers })).json()) as { userName: string };
    const folder = vscode.workspace.workspaceFolders![0];
    const sub = `sync-ignore-${Date.now().toString(36)}`;
    const remote = (name: string) => `/Workspace/Users/${me.userName}/ferry/${folder.name}/${sub}/${name}`;
    const remoteText = async (name: string): Promise<string | undefined> => {
      const res = await fetch(`${host}/api/2.0/workspace/export?${new URLSearchParams({ path: remote(name), format: 'SOURCE' })}`, { headers });
      if (res.status === 404) return undefined;
      const body = (await res.json()) as { content?: string };
      return body.content === undefined ? undefined : Buffer.from(body.content, 'base64').toString('utf8');
    };
    const dir = vscode.Uri.joinPath(folder.uri, sub);
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, '.gitignore'), Buffer.from('.env\nsecrets.json\n'));
    const cfg = () => vscode.workspace.getConfiguration('ferry');
    await cfg().update('databricks.syncOnSave', true, vscode.ConfigurationTarget.Global);
    try {
      for (const [name, text] of [
        ['.env', 'DATABRICKS_TOKEN=dapi0000\n'],
        ['secrets.json', '{"password": "hunter2"}\n'],
        ['kept.py', 'print("kept")\n'],
      ]) {
        const uri = vscode.Uri.joinPath(dir, name);
        await vscode.workspace.fs.writeFile(uri, Buffer.from(''));
        const doc = await vscode.workspace.openTextDocument(uri);
        const ed = await vscode.window.showTextDocument(doc);
        await ed.edit((b) => b.insert(new vscode.Position(0, 0), text));
        assert.ok(await doc.save(), `saved ${name}`);
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      }
      await until('kept.py in the workspace', () => remoteText('kept.py'), 30_000);
      // The ignored files were saved first; give their pushes, if any, time to land.
      await new Promise((r) => setTimeout(r, 2000));
      assert.equal(await remoteText('.env'), undefined, 'a .gitignored .env was pushed on save');
      assert.equal(await remoteText('secrets.json'), undefined, 'a .gitignored secrets.json was pushed on save');
    } finally {
      await cfg().update('databricks.syncOnSave', undefined, vscode.ConfigurationTarget.Global);
      await vscode.workspace.fs.delete(dir, { recursive: true }).then(undefined, () => undefined);
    }
  });
});
