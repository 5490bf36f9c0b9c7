// The PII guard in the real editor (code-server + Chromium): a result with e-mail addresses and
// card numbers shows them masked, the webview's whole DOM (and every message it was sent) holds
// no real value until the user chooses Reveal on a column, and does after; a text output has its
// own Reveal; Export asks masked or real. And Upload to S3 of a CSV with personal data warns, names
// the columns, and sends nothing unless the user goes on.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Frame, Locator, Page } from 'playwright-core';
import { editor, services, workspaceDir } from './setup';
import { columnValues } from './viewer';

interface El {
  textContent: string | null;
  outerHTML: string;
  style: { display: string };
  dataset: Record<string, string | undefined>;
  querySelector(selector: string): El | null;
  querySelectorAll(selector: string): ArrayLike<El>;
}
declare const document: { documentElement: El; body: El; querySelector(s: string): El | null; querySelectorAll(s: string): ArrayLike<El> };
declare const window: { addEventListener(type: string, fn: (e: { data: unknown }) => void): void };

const CARDS = ['4242424242424242', '5555 5555 5555 4444', '378282246310005', '6011-1111-1111-1117'];
const ROWS = Array.from({ length: 24 }, (_, i) => [
  i + 1,
  `person${i + 1}.name@example${i % 2 ? '.org' : '.com'}`,
  CARDS[i % CARDS.length],
  ['Lisbon', 'Porto', 'Oslo'][i % 3],
]);
const REAL = [...ROWS.map((r) => r[1] as string), ...CARDS];

async function until(frame: Frame, fn: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  await frame.waitForFunction(fn, undefined, { timeout: timeoutMs, polling: 100 }).catch((err: Error) => {
    throw new Error(`${what}: ${err.message.split('\n')[0]}`);
  });
}

async function viewerFrame(title: string): Promise<Frame> {
  return editor().webviewFrame(async (f) => {
    const titled = await f.evaluate(
      (t) => (document.querySelector('#ferry-results .run-title, #ferry-results .run-select option:checked')?.textContent ?? '').includes(t),
      title,
    );
    const fresh = await f.evaluate(() => !document.querySelector('.grid-viewport[data-test-used]'));
    return titled && fresh && (await (await f.frameElement()).boundingBox()) !== null;
  }, 60_000);
}

/** Everything the webview's document holds: markup, attributes and text, hidden parts included. */
async function wholeDom(frame: Frame): Promise<string> {
  return frame.evaluate(() => `${document.documentElement.outerHTML}\n${document.documentElement.textContent ?? ''}`);
}

async function messagesSeen(frame: Frame): Promise<string[]> {
  return frame.evaluate(() => (window as unknown as { __ferryMessages?: string[] }).__ferryMessages ?? []);
}

async function answerSaveDialog(page: Page, target: string, proposed: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: 15_000 });
  // The simple dialog fills in its proposal a moment after it opens: typing before that appends to it.
  for (let i = 0; i < 50 && !(await input.inputValue().catch(() => '')).endsWith(proposed); i++) await page.waitForTimeout(100);
  await input.fill(target);
  for (let i = 0; i < 20 && (await input.inputValue().catch(() => '')) !== target; i++) {
    await page.waitForTimeout(150);
    await input.fill(target);
  }
  await page.waitForTimeout(300);
  await input.press('Enter');
  const deadline = Date.now() + 30_000;
  while (!fs.existsSync(target) && Date.now() < deadline) {
    await page.waitForTimeout(500);
    if (!fs.existsSync(target) && (await input.isVisible().catch(() => false))) await input.press('Enter').catch(() => undefined);
  }
}

function dialog(page: Page): Locator {
  return page.locator('.monaco-dialog-box').first();
}

async function pressDialogButton(page: Page, label: string): Promise<void> {
  await dialog(page).locator('.dialog-buttons .monaco-button', { hasText: label }).first().click();
  await dialog(page).waitFor({ state: 'hidden', timeout: 10_000 });
}

describe('PII guard in the editor', function () {
  this.timeout(240_000);
  // Every result panel opens beside the active group: close what these tests opened, so the suites
  // after them get the editor's full width.
  afterEach(async () => {
    const page = editor().page;
    await page.keyboard.press('Escape');
    await editor()
      .runCommand('View: Close All Editor Groups')
      .catch(() => undefined);
    const box = dialog(page);
    if (await box.isVisible().catch(() => false)) await pressDialogButton(page, "Don't Save").catch(() => undefined);
  });

  it('masks e-mails and card numbers on the host: no real value in the webview until Reveal, then the revealed column only', async () => {
    const ed = editor();
    const page = ed.page;
    const file = path.join(workspaceDir, `pii-result-${Date.now().toString(36)}.json`);
    const result = {
      title: 'PII people',
      outputs: [
        {
          kind: 'table',
          columns: [
            { name: 'id', type: 'integer' },
            { name: 'contact', type: 'string' },
            { name: 'paid_with', type: 'string' },
            { name: 'city', type: 'string' },
          ],
          rows: ROWS,
        },
        { kind: 'text', text: `receipt sent to ${ROWS[0][1]} for card ${CARDS[0]}\n` },
      ],
    };
    fs.writeFileSync(file, JSON.stringify(result));
    // First in a run of this file alone, the workbench may still be registering the extension's
    // commands: its container in the activity bar says it is there.
    await ed.openFerry();
    await ed.openFile(file);
    await ed.runCommand('Ferry: Open File in Result Viewer').catch(async (err: Error) => {
      // The palette opened while the editor was still settling: say so, and ask once more (the command never ran).
      console.log(`    palette had no "Open File in Result Viewer" (${err.message.split('\n')[0]}); screenshot ${await ed.screenshot('pii-palette-missing')}`);
      await ed.openFile(file);
      await ed.runCommand('Ferry: Open File in Result Viewer');
    });
    const frame = await viewerFrame('PII people');
    await frame.evaluate(() => {
      for (const g of Array.from(document.querySelectorAll('.grid-viewport'))) g.dataset.testUsed = '1';
      // Every message the host posts from now on, as the webview receives it.
      const w = window as unknown as { __ferryMessages: string[] };
      w.__ferryMessages = [];
      window.addEventListener('message', (e) => w.__ferryMessages.push(JSON.stringify(e.data)));
    });
    await ed.page.waitForTimeout(0);
    await until(
      frame,
      () =>
        document.querySelectorAll('.grid-row.data').length >= 6 &&
        document.querySelectorAll('.grid-cell.pending').length === 0 &&
        !!document.querySelector('.grid-row.header .pii-action'),
      'masked rows with a Reveal in the header',
    ).catch(async (err) => {
      const stats = await frame.evaluate(() => ({
        rows: document.querySelectorAll('.grid-row.data').length,
        pending: document.querySelectorAll('.grid-cell.pending').length,
        actions: document.querySelectorAll('.pii-action').length,
        header: document.querySelector('.grid-row.header')?.textContent,
      }));
      console.log(`    grid: ${JSON.stringify(stats)}; screenshot ${await ed.screenshot('pii-masked-failed')}`);
      throw err;
    });

    const contacts = await columnValues(frame, 1);
    const cards = await columnValues(frame, 2);
    console.log(`    shown masked: ${contacts.slice(0, 2).join(', ')} · ${cards.slice(0, 4).join(', ')}`);
    assert.ok(contacts.length >= 6 && contacts.every((c) => /^p\*\*\*@e\*\*\*\.(com|org)$/.test(c)), contacts.join(' | '));
    assert.deepEqual(cards.slice(0, 4), ['**** **** **** 4242', '**** **** **** 4444', '**** **** ***0 005', '****-****-****-1117']);
    assert.deepEqual((await columnValues(frame, 0)).slice(0, 3), ['1', '2', '3'], 'other columns as they are');
    const text = await frame.locator('.text-output pre.text').first().textContent();
    assert.equal(text, 'receipt sent to p***@e***.com for card **** **** **** 4242\n');
    assert.match((await frame.locator('.text-output .pii-note').first().textContent()) ?? '', /Personal data masked in this output \(2 values/);
    assert.match((await frame.locator('.table-output .pii-summary').first().textContent()) ?? '', /masked in 2 columns \(contact, paid_with\)/);

    // Sort (header click) so that fresh windows arrive while the spy listens.
    await frame.locator('.grid-row.header .grid-cell[data-col="0"]').click();
    await until(frame, () => !!document.querySelector('.sort-mark') && document.querySelectorAll('.grid-cell.pending').length === 0, 'the sorted rows');
    let dom = await wholeDom(frame);
    let seen = await messagesSeen(frame);
    console.log(
      `    before Reveal: DOM ${dom.length} characters, ${seen.length} messages received (${seen.filter((m) => m.includes('"type":"rows"')).length} windows)`,
    );
    assert.ok(
      seen.some((m) => m.includes('"type":"rows"')),
      'the spy saw windows of rows',
    );
    for (const real of REAL) {
      assert.ok(!dom.includes(real), `the DOM holds ${real} before Reveal`);
      assert.ok(!seen.some((m) => m.includes(real)), `a message carried ${real} before Reveal`);
    }
    await ed.screenshot('pii-masked');

    // Reveal the contact column: its real values arrive; the cards stay masked.
    await frame.locator('.grid-row.header .grid-cell[data-col="1"] .pii-action').click();
    await until(
      frame,
      () =>
        Array.from(document.querySelectorAll('.grid-row.data .grid-cell[data-col="1"]')).some((c) => /^person\d+\.name@/.test(c.textContent ?? '')) &&
        document.querySelectorAll('.grid-cell.pending').length === 0,
      'the revealed column',
    );
    const revealed = await columnValues(frame, 1);
    assert.ok(
      revealed.every((c) => /^person\d+\.name@example\.(com|org)$/.test(c)),
      revealed.join(' | '),
    );
    assert.equal(await frame.locator('.grid-row.header .grid-cell[data-col="1"] .pii-action').textContent(), 'Mask');
    dom = await wholeDom(frame);
    seen = await messagesSeen(frame);
    assert.ok(dom.includes(ROWS[0][1] as string), 'after Reveal the DOM holds the real address');
    for (const card of CARDS) {
      assert.ok(!dom.includes(card), `the card ${card} is still masked in the DOM`);
      assert.ok(!seen.some((m) => m.includes(card)), `the card ${card} never reached the webview`);
    }

    // The text output's own Reveal.
    await frame.locator('.text-output .pii-action').first().click();
    await until(frame, () => (document.querySelector('.text-output pre.text')?.textContent ?? '').includes('4242424242424242'), 'the revealed text output');
    await ed.screenshot('pii-revealed');

    // Export asks masked or real; "masked" writes what the viewer shows (the revealed column in full).
    const target = path.join(workspaceDir, `pii-export-${Date.now().toString(36)}.csv`);
    await frame.locator('button.export-csv').first().click();
    await dialog(page).waitFor({ state: 'visible', timeout: 15_000 });
    const question = await dialog(page).innerText();
    console.log(`    export asks: ${question.split('\n')[0]}`);
    assert.match(question, /personal data in column "paid_with"/);
    await pressDialogButton(page, 'Export Masked Values');
    await answerSaveDialog(page, target, 'result.csv');
    if (!fs.existsSync(target)) {
      const value = await page
        .locator('.quick-input-widget input')
        .first()
        .inputValue()
        .catch(() => '(no input)');
      console.log(`    save dialog left with "${value}"; screenshot ${await ed.screenshot('pii-export-failed')}`);
    }
    const csv = fs.readFileSync(target, 'utf8');
    assert.match(csv, /person1\.name@example\.com,\*\*\*\* \*\*\*\* \*\*\*\* 4242/);
    for (const card of CARDS) assert.ok(!csv.includes(card), `the masked export holds ${card}`);
  });

  it('warns before uploading a CSV with personal data, names its columns, and uploads only when told to', async () => {
    const ed = editor();
    const page = ed.page;
    const s3 = services().s3;
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    const bucket = `ferry-pii-ui-${Date.now().toString(36)}`;
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    const name = `people-${Date.now().toString(36)}.csv`;
    const file = path.join(workspaceDir, 'data', name);
    fs.writeFileSync(file, 'id,email,card,city\n1,ada@example.com,4242 4242 4242 4242,Lisbon\n2,grace@example.org,5555555555554444,Porto\n');
    const exists = async () =>
      client.send(new HeadObjectCommand({ Bucket: bucket, Key: `in/${name}` })).then(
        () => true,
        () => false,
      );
    try {
      // Ferry: Upload to S3… from the palette: the (simple) open dialog, then the destination.
      const upload = async () => {
        await ed.runCommand('Ferry: Upload to S3');
        const input = page.locator('.quick-input-widget input').first();
        await input.waitFor({ state: 'visible', timeout: 15_000 });
        await page.waitForTimeout(300);
        await input.fill(file);
        await page.waitForTimeout(300);
        await input.press('Enter');
        const title = page.locator('.quick-input-widget .quick-input-title', { hasText: 'Upload to S3' }).first();
        for (let i = 0; i < 10 && !(await title.isVisible().catch(() => false)); i++) {
          // The simple dialog may still be listing the folder: accept again.
          await page.waitForTimeout(500);
          if (!(await title.isVisible().catch(() => false)) && (await input.isVisible().catch(() => false))) await input.press('Enter').catch(() => undefined);
        }
        await title.waitFor({ state: 'visible', timeout: 15_000 });
        await input.fill(`s3://${bucket}/in/`);
        await page.waitForTimeout(150);
        await input.press('Enter');
        await dialog(page).waitFor({ state: 'visible', timeout: 30_000 });
        return dialog(page).innerText();
      };

      const warning = await upload();
      console.log(`    upload warning: ${warning.replace(/\s+/g, ' ').slice(0, 200)}`);
      assert.match(warning, new RegExp(`${name.replace('.', '\\.')} looks like it holds personal data`));
      assert.match(warning, /"email" \(e-mail addresses\)/);
      assert.match(warning, /"card" \(card numbers\)/);
      assert.match(warning, new RegExp(`s3://${bucket}/in/`));
      await ed.screenshot('pii-upload-warning');
      await pressDialogButton(page, 'Cancel');
      await page.waitForTimeout(2000);
      assert.equal(await exists(), false, 'cancelled: nothing was uploaded');

      await upload();
      await pressDialogButton(page, 'Upload');
      const deadline = Date.now() + 30_000;
      while (!(await exists()) && Date.now() < deadline) await page.waitForTimeout(300);
      assert.equal(await exists(), true, 'uploaded once the user went on');
    } finally {
      client.destroy();
    }
  });

  it('sync on save asks once before pushing a data file with personal data, and pushes nothing after a no', async () => {
    const ed = editor();
    const page = ed.page;
    const cfgFile = services().env.DATABRICKS_CONFIG_FILE;
    const cfgText = fs.readFileSync(cfgFile, 'utf8');
    const host = /host\s*=\s*(\S+)/.exec(cfgText)?.[1];
    const token = /token\s*=\s*(\S+)/.exec(cfgText)?.[1];
    assert.ok(host && token, 'the sandbox profile');
    const headers = { authorization: `Bearer ${token}` };
    const me = (await (await fetch(`${host}/api/2.0/preview/scim/v2/Me`, { headers })).json()) as { userName: string };
    const name = `contacts-${Date.now().toString(36)}.csv`;
    const file = path.join(workspaceDir, 'data', name);
    fs.writeFileSync(file, 'id,email\n1,ada@example.com\n');
    const remote = `/Workspace/Users/${me.userName}/ferry/${path.basename(workspaceDir)}/data/${name}`;
    const pushed = async () => (await fetch(`${host}/api/2.0/workspace/get-status?${new URLSearchParams({ path: remote })}`, { headers })).status === 200;
    // The workspace's own settings file (the editor watches it): sync on save on for this folder.
    const settingsFile = path.join(workspaceDir, '.vscode', 'settings.json');
    const original = fs.existsSync(settingsFile) ? fs.readFileSync(settingsFile, 'utf8') : undefined;
    let current: Record<string, unknown> = {};
    try {
      current = original ? (JSON.parse(original) as Record<string, unknown>) : {};
    } catch {
      // A settings file with comments: start from an empty one (the original is put back after).
    }
    fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
    fs.writeFileSync(settingsFile, JSON.stringify({ ...current, 'ferry.databricks.syncOnSave': true }, null, 2));
    try {
      await page.waitForTimeout(2500);
      await ed.openFile(file);
      const save = async () => {
        await page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 15_000 });
        await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click();
        await page.keyboard.press('Control+End');
        await page.keyboard.type('2,bob@example.net\n');
        await page.keyboard.press('Control+S');
      };
      await save();
      await dialog(page)
        .waitFor({ state: 'visible', timeout: 30_000 })
        .catch(async (err) => {
          console.log(`    no question; screenshot ${await ed.screenshot('pii-sync-no-dialog')}`);
          throw err;
        });
      const question = await dialog(page).innerText();
      console.log(`    sync on save asks: ${question.replace(/\s+/g, ' ').slice(0, 160)}`);
      assert.match(question, new RegExp(`${name.replace('.', '\\.')} looks like it holds personal data\\. Push to /Workspace/`));
      assert.match(question, /"email" \(e-mail addresses\)/);
      await pressDialogButton(page, 'Cancel');
      await page.waitForTimeout(2000);
      assert.equal(await pushed(), false, 'declined: not pushed');
      // Saved again: no second question in this window, and still not pushed.
      await save();
      await page.waitForTimeout(3000);
      assert.equal(
        await dialog(page)
          .isVisible()
          .catch(() => false),
        false,
        'asked once per file',
      );
      assert.equal(await pushed(), false);
    } finally {
      if (original === undefined) fs.rmSync(settingsFile, { force: true });
      else fs.writeFileSync(settingsFile, original);
      await page.keyboard.press('Escape');
      await ed.runCommand('View: Revert File').catch(() => undefined);
    }
  });
});
