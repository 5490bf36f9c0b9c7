import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
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

  it('shows the Ferry container with four views and their welcome content', async () => {
    const ed = editor();
    await ed.openFerry();
    const page = ed.page;
    for (const title of ['S3', 'Clusters', 'Jobs', 'Athena']) {
      const header = page.locator('.sidebar .pane-header', { hasText: new RegExp(`^\\s*${title}`, 'i') }).first();
      await header.waitFor({ timeout: 30_000 });
      if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    }
    const welcome = page.locator('.sidebar .welcome-view-content');
    await welcome.first().waitFor({ timeout: 30_000 });
    const texts = await welcome.allInnerTexts();
    const all = texts.join('\n');
    console.log(`    welcome panes: ${texts.length}`);
    assert.match(all, /S3/);
    assert.match(all, /Databricks/);
    assert.match(all, /Athena/);
    const file = await ed.screenshot('foundation-activity-bar-and-views');
    console.log(`    screenshot: ${file}`);
  });

  it('lists Ferry commands in the command palette', async () => {
    const ed = editor();
    const page = ed.page;
    await page.keyboard.press('Escape');
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.fill('>Ferry:');
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.first().waitFor({ timeout: 15_000 });
    const labels = await rows.allInnerTexts();
    console.log(`    palette rows for "Ferry:": ${labels.length}`);
    assert.ok(labels.some((l) => /Ferry: Show Log/.test(l)), `no "Ferry: Show Log" in ${labels.join(' | ')}`);
    await ed.screenshot('foundation-command-palette');
    await page.keyboard.press('Escape');
  });

  it('logs its activation with the duration', async () => {
    const ed = editor();
    const deadline = Date.now() + 30_000;
    let line: string | undefined;
    while (!line && Date.now() < deadline) {
      for (const file of findFiles(path.join(ed.userDataDir, 'logs'), /Ferry\.log$/)) {
        line = fs.readFileSync(file, 'utf8').split('\n').find((l) => /activated in [\d.]+ ms/.test(l));
        if (line) break;
      }
      if (!line) await ed.page.waitForTimeout(500);
    }
    assert.ok(line, 'no activation line in the Ferry log');
    console.log(`    log: ${line.trim()}`);
  });
});
