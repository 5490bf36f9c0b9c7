// The PII guard through the real panel inside the editor: what the panel posts to the webview for
// a window (masked, until the column is revealed), export of masked and real values, and the
// `ferry.pii.guard` setting switched off for the workspace.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ResultPresenter } from '../../../src/results/model';

interface Panel {
  session: {
    latestTableId(): string | undefined;
    view(): { runs: Array<{ outputs: Array<{ id: string; kind: string; columns?: Array<{ name: string; pii?: { masked: boolean } }> }> }> };
  };
  handle(m: unknown): Promise<void>;
  post(m: unknown): void;
}

async function presenter(): Promise<ResultPresenter & { activePanel(source: string): Panel | undefined }> {
  const ext = vscode.extensions.getExtension<{ results: ResultPresenter }>('ferry-dev.ferry');
  assert.ok(ext);
  return (await ext.activate()).results as ResultPresenter & { activePanel(source: string): Panel | undefined };
}

const settle = (ms = 400) => new Promise((r) => setTimeout(r, ms));
const REAL = ['ada@example.com', 'grace@example.org', '4242424242424242', '5555 5555 5555 4444'];

function people(title: string) {
  return {
    source: 'host-test:pii',
    title,
    outputs: [
      {
        kind: 'table' as const,
        columns: [
          { name: 'id', type: 'integer' as const },
          { name: 'email', type: 'string' as const },
          { name: 'paid_with', type: 'string' as const },
        ],
        rows: [
          [1, 'ada@example.com', '4242424242424242'],
          [2, 'grace@example.org', '5555 5555 5555 4444'],
        ],
      },
    ],
  };
}

describe('PII guard (extension host)', function () {
  this.timeout(60_000);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-pii-host-'));
  after(async () => {
    await vscode.workspace.getConfiguration('ferry').update('pii.guard', undefined, vscode.ConfigurationTarget.Workspace);
    const tabs = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label.includes('host-pii'));
    await vscode.window.tabGroups.close(tabs);
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('posts a masked window to the webview, and the real values once the column is revealed', async () => {
    const results = await presenter();
    results.show(people('host-pii window'));
    await settle();
    const panel = results.activePanel('host-test:pii');
    const outputId = panel?.session.latestTableId();
    assert.ok(panel && outputId);
    const posted: string[] = [];
    const post = panel.post.bind(panel);
    panel.post = (m: unknown) => {
      posted.push(JSON.stringify(m));
      post(m);
    };
    try {
      await panel.handle({ type: 'getRows', requestId: 1, outputId, start: 0, count: 256 });
      assert.equal(posted.length, 1);
      for (const real of REAL) assert.ok(!posted[0].includes(real), `${real} reached the webview masked: ${posted[0]}`);
      assert.ok(posted[0].includes('a***@e***.com') && posted[0].includes('**** **** **** 4242'), posted[0]);
      await panel.handle({ type: 'revealColumn', outputId, column: 1, reveal: true });
      await panel.handle({ type: 'getRows', requestId: 2, outputId, start: 0, count: 256 });
      const after = posted[posted.length - 1];
      assert.ok(after.includes('ada@example.com') && after.includes('grace@example.org'), after);
      assert.ok(!after.includes('4242424242424242'), 'the card column stays masked');
    } finally {
      panel.post = post;
    }
  });

  it('exports masked or real values as asked', async () => {
    const results = await presenter();
    results.show(people('host-pii export'));
    await settle();
    const masked = path.join(tmp, 'masked.csv');
    const real = path.join(tmp, 'real.csv');
    await vscode.commands.executeCommand('ferry.results.export', 'csv', masked, 'host-test:pii', 'masked');
    await vscode.commands.executeCommand('ferry.results.export', 'csv', real, 'host-test:pii', 'real');
    assert.equal(fs.readFileSync(masked, 'utf8'), '\ufeffid,email,paid_with\r\n1,a***@e***.com,**** **** **** 4242\r\n2,g***@e***.org,**** **** **** 4444\r\n');
    assert.equal(
      fs.readFileSync(real, 'utf8'),
      '\ufeffid,email,paid_with\r\n1,ada@example.com,4242424242424242\r\n2,grace@example.org,5555 5555 5555 4444\r\n',
    );
  });

  it('shows real values when ferry.pii.guard is off for the workspace, and masks again when it is back on', async () => {
    const results = await presenter();
    results.show(people('host-pii setting'));
    await settle();
    const panel = results.activePanel('host-test:pii');
    const outputId = panel?.session.latestTableId();
    assert.ok(panel && outputId);
    const email = () => panel.session.view().runs.at(-1)?.outputs[0].columns?.[1];
    assert.equal(email()?.pii?.masked, true);
    const out = path.join(tmp, 'off.csv');
    await vscode.workspace.getConfiguration('ferry').update('pii.guard', false, vscode.ConfigurationTarget.Workspace);
    try {
      for (let i = 0; i < 20 && email()?.pii; i++) await settle(100);
      assert.equal(email()?.pii, undefined, 'no column is marked with the guard off');
      // Asked for masked values, with the guard off there is nothing to mask.
      await vscode.commands.executeCommand('ferry.results.export', 'csv', out, 'host-test:pii', 'masked');
      assert.match(fs.readFileSync(out, 'utf8'), /ada@example\.com/);
    } finally {
      await vscode.workspace.getConfiguration('ferry').update('pii.guard', undefined, vscode.ConfigurationTarget.Workspace);
    }
    for (let i = 0; i < 20 && !email()?.pii; i++) await settle(100);
    assert.equal(email()?.pii?.masked, true);
  });
});
