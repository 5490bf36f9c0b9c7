import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { Editor, launchEditor } from '../harness';
import { editor } from './setup';

function findFiles(dir: string, name: RegExp, out: string[] = []): string[] {
  if (!fs.existsSync(dir)) return out;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'extensions') findFiles(full, name, out);
    else if (name.test(entry.name)) out.push(full);
  }
  return out;
}

describe('foundation: Ferry in the workbench', function () {
  this.timeout(120_000);

  it('shows the Ferry container with its views and their welcome content to a new user', async function () {
    this.timeout(180_000);
    // A fresh editor with no credentials anywhere: its own empty home, no AWS or Databricks files.
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-newuser-'));
    const workspace = path.join(home, 'project');
    fs.mkdirSync(workspace);
    const env = {
      HOME: home,
      USERPROFILE: home,
      AWS_CONFIG_FILE: path.join(home, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(home, 'no-aws-credentials'),
      DATABRICKS_CONFIG_FILE: path.join(home, 'no-databrickscfg'),
      DATABRICKS_HOST: '',
      DATABRICKS_TOKEN: '',
      AWS_ACCESS_KEY_ID: '',
      AWS_SECRET_ACCESS_KEY: '',
      AWS_PROFILE: '',
    };
    let fresh: Editor | undefined;
    try {
      fresh = await launchEditor({ workspace, env });
      await fresh.openFerry();
      const page = fresh.page;
      for (const title of ['S3', 'Clusters', 'SQL Warehouses', 'Jobs', 'Catalog', 'Athena']) {
        const header = page.locator('.sidebar .pane-header', { hasText: new RegExp(`^\\s*${title}`, 'i') }).first();
        await header.waitFor({ timeout: 30_000 });
        if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
      }
      const welcome = page.locator('.sidebar .welcome-view-content');
      await welcome.first().waitFor({ timeout: 30_000 });
      await page.waitForTimeout(1500);
      const texts = await welcome.allInnerTexts();
      const all = texts.join('\n');
      console.log(`    welcome panes: ${texts.length}`);
      // Clusters and Jobs show their welcome; S3 and Athena show either their welcome or a node that
      // says how to connect ("Choose a profile / sign in…").
      assert.ok(texts.length >= 2, `only ${texts.length} views show welcome content`);
      assert.match(all, /Databricks/);
      assert.match(all, /SQL warehouses of your Databricks workspace/, 'the SQL Warehouses view (collapsed at first) shows its welcome once expanded');
      assert.match(all, /Browse Unity Catalog/, 'the Catalog view (collapsed at first) shows its welcome once expanded');
      for (const view of ['S3', 'Athena']) {
        const rows = (await fresh.treeRows(view)).join(' | ');
        const welcomes = all.includes(view);
        console.log(`    ${view}: ${welcomes ? 'welcome content' : `rows: ${rows}`}`);
        assert.ok(welcomes || /profile|sign in|credentials/i.test(rows), `${view} shows neither welcome content nor a way to connect: ${rows}`);
      }
      const buttons = await page.locator('.sidebar .welcome-view-content .monaco-button').count();
      console.log(`    welcome buttons: ${buttons}`);
      assert.ok(buttons >= 3, 'welcome content offers no buttons');
      const file = await fresh.screenshot('foundation-activity-bar-and-views');
      console.log(`    screenshot: ${file}`);
    } finally {
      await fresh?.stop();
    }
  });

  it('lists Ferry commands in the command palette', async () => {
    const ed = editor();
    const page = ed.page;
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.fill('>Ferry: Show Log');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor({ timeout: 15_000 });
    const labels = await rows.allInnerTexts();
    console.log(`    palette rows for "Ferry: Show Log": ${labels.length}`);
    assert.ok(
      labels.some((l) => /Ferry: Show Log/.test(l)),
      `no "Ferry: Show Log" in ${labels.join(' | ')}`,
    );
    await ed.screenshot('foundation-command-palette');
    await page.keyboard.press('Escape');
  });

  it('logs its activation with the duration', async () => {
    const ed = editor();
    await ed.openFerry(); // opening a Ferry view is what activates it
    const deadline = Date.now() + 30_000;
    let line: string | undefined;
    while (!line && Date.now() < deadline) {
      for (const file of findFiles(path.join(ed.userDataDir, 'logs'), /Ferry\.log$/)) {
        line = fs
          .readFileSync(file, 'utf8')
          .split('\n')
          .find((l) => /activated in [\d.]+ ms/.test(l));
        if (line) break;
      }
      if (!line) await ed.page.waitForTimeout(500);
    }
    assert.ok(line, 'no activation line in the Ferry log');
    console.log(`    log: ${line.trim()}`);
  });
});
