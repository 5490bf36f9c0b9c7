// A failed export leaves nothing half-written: the result's rows fail midway, and the target is
// neither created nor changed, and no temporary file is left beside it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ResultCell, ResultPresenter, RowSource } from '../../../src/results/model';

/** The panel manager behind FerryApi.results: the test calls the panel's export itself, since the command reports a failure in a toast instead of rejecting. */
interface PanelAccess {
  activePanel(source: string):
    | {
        session: { latestTableId(): string | undefined };
        exportTable(outputId: string, format: 'csv' | 'json', target: vscode.Uri): Promise<vscode.Uri | undefined>;
      }
    | undefined;
}

async function presenter(): Promise<ResultPresenter & PanelAccess> {
  const ext = vscode.extensions.getExtension<{ results: ResultPresenter & PanelAccess }>('ferry-dev.ferry');
  assert.ok(ext);
  return (await ext.activate()).results;
}

/** 20,000 rows that fail after the first 10,000 have been handed out, as a dropped S3 stream would. */
function failingSource(): RowSource {
  const row = (i: number): ResultCell[] => [i, `row ${i}`];
  return {
    rowCount: () => undefined,
    getRows: async (start, count) => Array.from({ length: Math.max(0, Math.min(count, 20_000 - start)) }, (_, i) => row(start + i)),
    async *allRows() {
      yield Array.from({ length: 10_000 }, (_, i) => row(i));
      await new Promise((r) => setTimeout(r, 50));
      throw new Error('the connection was reset while reading the result');
    },
  };
}

describe('export after a failure (extension host)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-export-atomic-'));
  after(async () => {
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label.includes('host-export-fails'));
    await vscode.window.tabGroups.close(tabs);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('leaves no file, and an existing file unchanged, when the rows fail midway', async () => {
    const results = await presenter();
    results.show({
      source: 'host-test:export-fails',
      title: 'host-export-fails',
      outputs: [
        {
          kind: 'table',
          columns: [
            { name: 'id', type: 'integer' },
            { name: 'text', type: 'string' },
          ],
          rows: failingSource(),
        },
      ],
    });
    await new Promise((r) => setTimeout(r, 500));
    const panel = results.activePanel('host-test:export-fails');
    const outputId = panel?.session.latestTableId();
    assert.ok(panel && outputId, 'the result panel and its table');
    for (const format of ['csv', 'json'] as const) {
      const fresh = path.join(tmp, `new.${format}`);
      await assert.rejects(panel.exportTable(outputId, format, vscode.Uri.file(fresh)), /connection was reset/);
      assert.ok(!fs.existsSync(fresh), `a truncated ${format} export was left at the target`);
      const existing = path.join(tmp, `old.${format}`);
      fs.writeFileSync(existing, 'the previous export\n');
      await assert.rejects(panel.exportTable(outputId, format, vscode.Uri.file(existing)), /connection was reset/);
      assert.equal(fs.readFileSync(existing, 'utf8'), 'the previous export\n', `the previous ${format} file was overwritten by a failed export`);
    }
    assert.deepEqual(fs.readdirSync(tmp).sort(), ['old.csv', 'old.json'], 'temporary files were left behind');
  });
});
