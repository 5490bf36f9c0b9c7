// The result viewer through the extension's API, inside the real editor: panel policy (one panel
// per source, with a history), export through the host to a given path, cancel, and revival.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import * as vscode from 'vscode';
import type { ResultPresenter } from '../../../src/results/model';
import { sampleTable } from '../../../src/results/sample';

async function presenter(): Promise<ResultPresenter> {
  const ext = vscode.extensions.getExtension<{ results: ResultPresenter }>('ferry-dev.ferry');
  assert.ok(ext);
  const api = await ext.activate();
  assert.ok(api.results, 'FerryApi.results is missing');
  return api.results;
}

function resultTabs(labelPart: string): vscode.Tab[] {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('ferry.results') && t.label.includes(labelPart));
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
      outputs: [
        {
          kind: 'table',
          columns: [
            { name: 'id', type: 'integer' },
            { name: 'note, "quoted"', type: 'string' },
          ],
          rows: [
            [1, null],
            [2, ''],
            [3, 'a,b'],
          ],
        },
      ],
    });
    await settle();
    const csv = path.join(tmp, 'out.csv');
    const json = path.join(tmp, 'out.json');
    await vscode.commands.executeCommand('ferry.results.export', 'csv', csv, 'host-test:export');
    await vscode.commands.executeCommand('ferry.results.export', 'json', json, 'host-test:export');
    assert.equal(fs.readFileSync(csv, 'utf8'), '\ufeffid,"note, ""quoted"""\r\n1,\r\n2,\r\n3,"a,b"\r\n');
    assert.deepEqual(JSON.parse(fs.readFileSync(json, 'utf8')), [
      { id: 1, 'note, "quoted"': null },
      { id: 2, 'note, "quoted"': '' },
      { id: 3, 'note, "quoted"': 'a,b' },
    ]);
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

  it('charts a paged 100,000-row result from one read of its source, not a request per sampled row', async () => {
    const results = await presenter();
    let calls = 0;
    const source = {
      rowCount: () => 100_000,
      getRows: async (start: number, count: number) => {
        calls++;
        return Array.from({ length: Math.max(0, Math.min(count, 100_000 - start)) }, (_, i) => [start + i, (start + i) % 7]);
      },
    };
    results.show({
      source: 'host-test:chart',
      title: 'host-chart',
      outputs: [
        {
          kind: 'table',
          columns: [
            { name: 'n', type: 'integer' },
            { name: 'm', type: 'integer' },
          ],
          rows: source,
        },
      ],
    });
    await settle();
    // The panel's message handler, as the webview's Chart button reaches it.
    const manager = results as unknown as {
      activePanel(source: string): { session: { latestTableId(): string | undefined }; handle(m: unknown): Promise<void> } | undefined;
    };
    const panel = manager.activePanel('host-test:chart');
    const outputId = panel?.session.latestTableId();
    assert.ok(panel && outputId);
    const before = calls;
    const started = Date.now();
    await panel.handle({ type: 'chartData', requestId: 1, outputId, limit: 20_000 });
    console.log(`chart data for 100,000 paged rows: ${calls - before} getRows call(s), ${Date.now() - started} ms`);
    assert.ok(calls - before <= 1, `the chart asked the source ${calls - before} times`);
  });

  it('sorts 1,000,000 × 20 rows on the worker while the host keeps answering, and exports them in that order', async function () {
    this.timeout(300_000);
    const results = await presenter();
    results.show({ source: 'host-test:million', title: 'host-million', outputs: [sampleTable(1_000_000, 20)] });
    await settle();
    type Panel = {
      session: { latestTableId(): string | undefined; table(id: string): { ready: Promise<void>; busy?: string } | undefined };
      handle(m: unknown): Promise<void>;
    };
    const panel = (results as unknown as { activePanel(source: string): Panel | undefined }).activePanel('host-test:million');
    const outputId = panel?.session.latestTableId();
    assert.ok(panel && outputId);
    await panel.session.table(outputId)?.ready;
    // The extension host's own event loop, ticking while the sort runs.
    let worst = 0;
    let last = Date.now();
    const timer = setInterval(() => {
      worst = Math.max(worst, Date.now() - last);
      last = Date.now();
    }, 5);
    const started = Date.now();
    await panel.handle({ type: 'sort', outputId, sort: { column: 2, direction: 'desc' } });
    clearInterval(timer);
    console.log(`sorted 1,000,000 rows in the extension host in ${Date.now() - started} ms; the longest gap between 5 ms ticks meanwhile: ${worst} ms`);
    assert.equal(panel.session.table(outputId)?.busy, undefined);
    const csv = path.join(tmp, 'million.csv');
    await vscode.commands.executeCommand('ferry.results.export', 'csv', csv, 'host-test:million');
    const lines = readline.createInterface({ input: fs.createReadStream(csv, 'utf8'), crlfDelay: Infinity });
    let n = 0;
    let prev = Infinity;
    let nulls = 0;
    for await (const line of lines) {
      if (n++ === 0) {
        assert.match(line, /^\ufeffid,city,amount,active,day,note,metric_6/);
        continue;
      }
      const amount = line.split(',')[2];
      if (amount === '') nulls++;
      else {
        assert.equal(nulls, 0, `a value after an empty (NULL) amount at line ${n}`);
        assert.ok(Number(amount) <= prev, `line ${n}: ${amount} after ${prev}`);
        prev = Number(amount);
      }
    }
    assert.equal(n, 1_000_001, 'the header and every row');
    assert.equal(nulls, Math.ceil(1_000_000 / 97), 'NULL amounts last');
    fs.rmSync(csv, { force: true });
    await vscode.window.tabGroups.close(resultTabs('host-million'));
  });

  it('the sample command shows a result from its arguments', async () => {
    await vscode.commands.executeCommand('ferry.results.showSample', 2_000, 5);
    // The tab takes its title once the panel is up: wait for it (a loaded machine needs more than 500 ms).
    for (let i = 0; i < 40 && resultTabs('Sample 2,000 × 5').length === 0; i++) await settle(250);
    assert.ok(resultTabs('Sample 2,000 × 5').length >= 1);
    await vscode.window.tabGroups.close(resultTabs('Sample 2,000 × 5'));
  });
});
