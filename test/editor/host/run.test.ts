// Run on cluster inside the real editor, against the sandbox's Databricks stand-in (profile
// "sandbox"): the notebook kernel runs cells with all their outputs, and a cell of a .py file runs
// with its inline summary.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as vscode from 'vscode';
import { DEFAULT_CLUSTER_SEEDS } from '../../../sandbox/databricks/clusters';

const EXTENSION_ID = 'ferry-dev.ferry';
const RUNNING = DEFAULT_CLUSTER_SEEDS[0].cluster_id;

async function until<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Progress of the notebook test, for diagnosing a hang from outside the editor. */
function trace(line: string): void {
  if (process.env.FERRY_RUN_TRACE) fs.appendFileSync(process.env.FERRY_RUN_TRACE, `${new Date().toISOString()} ${line}\n`);
}

/** Fails with `what` instead of hanging when a step never settles (a picker waiting for a user). */
async function step<T>(what: string, p: Thenable<T>, ms = 15_000): Promise<T> {
  trace(`start ${what}`);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms`)), ms)));
  try {
    const v = await Promise.race([Promise.resolve(p), timeout]);
    trace(`done ${what}`);
    return v;
  } finally {
    clearTimeout(timer);
  }
}

function mimes(cell: vscode.NotebookCell): string[] {
  return cell.outputs.flatMap((o) => o.items.map((i) => i.mime));
}

function itemText(cell: vscode.NotebookCell, mime: string): string {
  return cell.outputs
    .flatMap((o) => o.items)
    .filter((i) => i.mime === mime)
    .map((i) => new TextDecoder().decode(i.data))
    .join('\n');
}

describe('run on cluster (extension host)', function () {
  this.timeout(120_000);

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    await vscode.commands.executeCommand('ferry.databricks.setDefaultCluster', RUNNING, vscode.workspace.workspaceFolders![0].uri);
  });

  it('the notebook kernel runs cells in one session and shows every output of each cell', async () => {
    const data = new vscode.NotebookData([
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'import pandas as pd\nprint("hello from the kernel")\ndf = pd.DataFrame({"a": [1, 2], "b": ["<x>", "y"]})\ndisplay(df)\nshared = 7', 'python'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.show()\nprint("shared is", shared)\nraise ValueError("boom")', 'python'),
    ]);
    const nb = await step('openNotebookDocument', vscode.workspace.openNotebookDocument('ferry-databricks-source', data));
    await step('showNotebookDocument', vscode.window.showNotebookDocument(nb));
    const selected = await step('notebook.selectKernel', vscode.commands.executeCommand('notebook.selectKernel', { id: 'ferry.databricks.kernel.source', extension: EXTENSION_ID }));
    assert.equal(selected, true, 'the Databricks kernel was selected');
    void vscode.commands.executeCommand('notebook.execute').then(() => trace('notebook.execute returned'), (e: unknown) => trace(`notebook.execute failed: ${String(e)}`));
    const ticker = setInterval(() => trace(`cells: ${JSON.stringify(nb.getCells().map((c) => [c.executionSummary?.success, c.outputs.length]))}`), 2000);
    await until('both cells to finish', () => (nb.cellAt(0).executionSummary?.success !== undefined && nb.cellAt(1).executionSummary?.success !== undefined ? true : undefined), 45_000).catch((err: Error) => {
      throw new Error(`${err.message}: ${JSON.stringify(nb.getCells().map((c) => ({ summary: c.executionSummary, outputs: c.outputs.map((o) => o.items.map((i) => `${i.mime}: ${new TextDecoder().decode(i.data).slice(0, 200)}`)) })))}`);
    }).finally(() => clearInterval(ticker));
    trace('cells finished');
    const [c1, c2] = [nb.cellAt(0), nb.cellAt(1)];
    assert.equal(c1.executionSummary?.success, true, JSON.stringify(c1.outputs));
    assert.match(itemText(c1, 'application/vnd.code.notebook.stdout'), /hello from the kernel/);
    const html = itemText(c1, 'text/html');
    assert.match(html, /<th>a<\/th>/);
    assert.match(html, /&lt;x&gt;/, 'cell values are escaped');
    assert.equal(c1.outputs.length, 2, 'the print and the table, not only the last');
    assert.equal(c2.executionSummary?.success, false);
    assert.deepEqual(mimes(c2), ['image/png', 'application/vnd.code.notebook.stdout', 'application/vnd.code.notebook.error']);
    assert.match(itemText(c2, 'application/vnd.code.notebook.stdout'), /shared is 7/, 'state carried over from the first cell');
    assert.match(itemText(c2, 'application/vnd.code.notebook.error'), /boom/);
    // Revert first: closing a dirty untitled notebook would ask to save and wait for a user.
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('Run Cell runs a cell by index and the cell at the cursor in one session, with Run Cell lenses above the cells', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'python', content: '# %% first\nvalue = 20\n\n# %% second\nprint(value * 2)\n' });
    const ed = await vscode.window.showTextDocument(doc);
    ed.selection = new vscode.Selection(4, 0, 4, 0);
    const outcome = (await vscode.commands.executeCommand('ferry.databricks.runCell', doc.uri, 0)) as { state: string } | undefined;
    assert.equal(outcome?.state, 'succeeded');
    const second = (await vscode.commands.executeCommand('ferry.databricks.runCell')) as { state: string; outputs: Array<{ kind: string; text?: string }> } | undefined;
    assert.equal(second?.state, 'succeeded');
    assert.equal(second?.outputs[0]?.text, '40');
    const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri)) as vscode.CodeLens[];
    assert.ok(lenses.some((l) => l.command?.command === 'ferry.databricks.runCell'), 'a Run Cell lens above the cells');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
