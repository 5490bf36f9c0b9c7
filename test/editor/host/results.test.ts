// The result viewer through the extension's API, inside the real editor: panel policy (one panel
// per source, with a history), export through the host to a given path, cancel, and revival.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ResultPresenter } from '../../../src/results/model';

async function presenter(): Promise<ResultPresenter> {
  const ext = vscode.extensions.getExtension<{ results: ResultPresenter }>('ferry-dev.ferry');
  assert.ok(ext);
  const api = await ext.activate();
  assert.ok(api.results, 'FerryApi.results is missing');
  return api.results;
}

function resultTabs(labelPart: string): vscode.Tab[] {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('ferry.results') && t.label.includes(labelPart));
}

async function settle(ms = 500): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

describe('results (extension host)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-results-host-'));
  after(async () => {
    await vscode.window.tabGroups.close(resultTabs('host-'));
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('shows runs of one source in one panel and another source in its own', async () => {
    const results = await presenter();
    const table = { kind: 'table' as const, columns: [{ name: 'n', type: 'integer' as const }], rows: [[1], [2]] };
    results.show({ source: 'host-test:a', title: 'host-a1', outputs: [table] });
    await settle();
    results.show({ source: 'host-test:a', title: 'host-a2', outputs: [table] });
    await settle();
    results.show({ source: 'host-test:b', title: 'host-b1', outputs: [table] });
    await settle();
    const tabs = resultTabs('host-');
    console.log(`result tabs: ${tabs.map((t) => t.label).join(' | ')}`);
    assert.equal(resultTabs('host-a').length, 1, 'the second run of a source reuses its panel');
    assert.ok(resultTabs('host-a2').length === 1, 'the panel is titled by its newest run');
    assert.equal(resultTabs('host-b1').length, 1);
  });

  it('exports the whole table as CSV and JSON to a given path, NULL apart from ""', async () => {
    const results = await presenter();
    results.show({
      source: 'host-test:export',
      title: 'host-export',
      outputs: [{ kind: 'table', columns: [{ name: 'id', type: 'integer' }, { name: 'note, "quoted"', type: 'string' }], rows: [[1, null], [2, ''], [3, 'a,b']] }],
    });
    await settle();
    const csv = path.join(tmp, 'out.csv');
    const json = path.join(tmp, 'out.json');
    await vscode.commands.executeCommand('ferry.results.export', 'csv', csv, 'host-test:export');
    await vscode.commands.executeCommand('ferry.results.export', 'json', json, 'host-test:export');
    assert.equal(fs.readFileSync(csv, 'utf8'), '\ufeffid,"note, ""quoted"""\r\n1,\r\n2,\r\n3,"a,b"\r\n');
    assert.deepEqual(JSON.parse(fs.readFileSync(json, 'utf8')), [{ id: 1, 'note, "quoted"': null }, { id: 2, 'note, "quoted"': '' }, { id: 3, 'note, "quoted"': 'a,b' }]);
  });

  it('streams its outputs in order and cancels a running result once', async () => {
    const results = await presenter();
    let cancelled = 0;
    const handle = results.show({ source: 'host-test:run', title: 'host-run', outputs: [{ kind: 'text', text: 'step 1' }], onCancel: () => cancelled++ });
    handle.append({ kind: 'text', text: '\u001b[32mstep 2\u001b[0m' });
    handle.setFacts([{ label: 'Duration', value: '1 s' }]);
    await settle();
    assert.equal(await vscode.commands.executeCommand('ferry.results.cancel', 'host-test:run'), true);
    handle.finish('cancelled');
    assert.equal(await vscode.commands.executeCommand('ferry.results.cancel', 'host-test:run'), false);
    assert.equal(cancelled, 1);
  });

  it('revives a panel after a reload (serializer) with a locked-down webview that says its data is gone', async () => {
    const results = (await presenter()) as unknown as vscode.WebviewPanelSerializer;
    assert.equal(typeof results.deserializeWebviewPanel, 'function', 'the presenter is the panel serializer');
    const panel = vscode.window.createWebviewPanel('ferry.results', 'Results: host-revived', vscode.ViewColumn.Beside, {});
    await results.deserializeWebviewPanel(panel, { source: 'host-test:revived', outputs: {} });
    const html = panel.webview.html;
    assert.match(html, /default-src 'none'/);
    assert.match(html, /script-src 'nonce-[A-Za-z0-9+/=]{24}'/);
    assert.doesNotMatch(html, /unsafe-eval|unsafe-inline/);
    const roots = (panel.webview.options.localResourceRoots ?? []).map((u) => u.path);
    assert.equal(roots.length, 1);
    assert.match(roots[0], /\/dist\/webviews$/);
    assert.equal(panel.webview.options.enableScripts, true);
    panel.dispose();
  });

  it('the sample command shows a result from its arguments', async () => {
    await vscode.commands.executeCommand('ferry.results.showSample', 2_000, 5);
    // The tab takes its title once the panel is up: wait for it (a loaded machine needs more than 500 ms).
    for (let i = 0; i < 40 && resultTabs('Sample 2,000 × 5').length === 0; i++) await settle(250);
    assert.ok(resultTabs('Sample 2,000 × 5').length >= 1);
    await vscode.window.tabGroups.close(resultTabs('Sample 2,000 × 5'));
  });
});
