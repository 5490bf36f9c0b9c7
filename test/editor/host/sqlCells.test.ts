// SQL cells on a SQL warehouse inside the real editor: a notebook whose kernel has no cluster
// (a profile for the same stand-in under another host name, where no default cluster was chosen)
// runs its SQL cell and its `%sql` cell through the Statement Execution API on the chosen
// warehouse, with the rows in the cells, and no Python context is created on any cluster.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as vscode from 'vscode';
import { generateCustomers } from '../../../sandbox/demo/data';
import { DEFAULT_WAREHOUSE_SEEDS } from '../../../sandbox/databricks/warehouses';
import { sandboxProfile } from './sandboxProfile';

const EXTENSION_ID = 'ferry-dev.ferry';
const PROFILE = 'ferry-sql-cells';
const WAREHOUSE = DEFAULT_WAREHOUSE_SEEDS[0].id!;

async function until<T>(what: string, fn: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function html(cell: vscode.NotebookCell): string {
  return cell.outputs
    .flatMap((o) => o.items)
    .filter((i) => i.mime === 'text/html' || i.mime === 'application/vnd.code.notebook.error')
    .map((i) => new TextDecoder().decode(i.data))
    .join('\n')
    .replace(/\s+/g, '');
}

async function counts(host: string, token: string): Promise<Record<string, number>> {
  const res = await fetch(`${host}/__admin/requests`, { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { counts: Record<string, number> }).counts;
}

const sum = (c: Record<string, number>, part: string): number => Object.entries(c).reduce((n, [k, v]) => n + (k.includes(part) ? v : 0), 0);

describe('SQL cells on a SQL warehouse (extension host)', function () {
  this.timeout(120_000);
  const cfg = () => vscode.workspace.getConfiguration('ferry');
  let previousProfile: string | undefined;

  before(async () => {
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
    const { host, token } = sandboxProfile();
    const file = process.env.DATABRICKS_CONFIG_FILE!;
    // The same stand-in under another host name: a workspace where no default cluster was chosen.
    const other = host.replace('127.0.0.1', 'localhost');
    if (!fs.readFileSync(file, 'utf8').includes(`[${PROFILE}]`)) fs.appendFileSync(file, `\n[${PROFILE}]\nhost = ${other}\ntoken = ${token}\n`);
    previousProfile = cfg().get<string>('databricks.profile');
    await cfg().update('databricks.profile', PROFILE, vscode.ConfigurationTarget.Global);
    await cfg().update('databricks.sqlCellsWithoutCluster', 'warehouse', vscode.ConfigurationTarget.Global);
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(await vscode.commands.executeCommand('ferry.databricks.selectWarehouse', WAREHOUSE), WAREHOUSE);
  });

  after(async () => {
    await cfg().update('databricks.sqlCellsWithoutCluster', undefined, vscode.ConfigurationTarget.Global);
    await cfg().update('databricks.profile', previousProfile, vscode.ConfigurationTarget.Global);
  });

  it('runs a SQL cell and a %sql cell on the warehouse when the notebook has no cluster, and a failing one with its message', async () => {
    const { host, token } = sandboxProfile();
    const before = await counts(host, token);
    const data = new vscode.NotebookData([
      new vscode.NotebookCellData(
        vscode.NotebookCellKind.Code,
        'SELECT plan, count(*) AS n FROM workspace.ferry_demo.customers GROUP BY plan ORDER BY plan',
        'sql',
      ),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, '%sql\nSELECT event_id, kind FROM workspace.ferry_demo.events ORDER BY event_id', 'python'),
      new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'SELECT * FROM no_such_table', 'sql'),
    ]);
    const nb = await vscode.workspace.openNotebookDocument('ferry-databricks-source', data);
    await vscode.window.showNotebookDocument(nb);
    assert.equal(await vscode.commands.executeCommand('notebook.selectKernel', { id: 'ferry.databricks.kernel.source', extension: EXTENSION_ID }), true);
    void vscode.commands.executeCommand('notebook.execute');
    await until('the cells to finish', () => ([0, 1, 2].every((i) => nb.cellAt(i).executionSummary?.success !== undefined) ? true : undefined), 90_000);
    assert.equal(nb.cellAt(0).executionSummary?.success, true, html(nb.cellAt(0)));
    assert.equal(nb.cellAt(1).executionSummary?.success, true, html(nb.cellAt(1)));
    const pro = generateCustomers().filter((c) => c.plan === 'pro').length;
    assert.match(html(nb.cellAt(0)), new RegExp(`<td>pro</td><td>${pro}</td>`));
    const big = html(nb.cellAt(1));
    assert.match(big, /<td>0<\/td><td>view<\/td>/);
    assert.match(big, /first1,000of1,000,000rows/);
    assert.equal(nb.cellAt(2).executionSummary?.success, false, 'a failing statement fails its cell');
    assert.match(html(nb.cellAt(2)), /TABLE_OR_VIEW_NOT_FOUND/, 'with the warehouse message');
    const after = await counts(host, token);
    assert.equal(sum(after, 'POST /api/2.0/sql/statements') - sum(before, 'POST /api/2.0/sql/statements'), 3, 'one statement per cell');
    assert.equal(sum(after, '/api/1.2/contexts/create') - sum(before, '/api/1.2/contexts/create'), 0, 'no cluster context');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
