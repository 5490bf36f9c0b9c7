// The S3 explorer in the real editor, on the sandbox's S3 stand-in: buckets listed, a prefix expanded,
// "Load more…" fetching the next page, and a CSV object opened as a table in the result viewer.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Frame, Locator, Page } from 'playwright-core';
import { editor, services, workspaceDir } from './setup';
import { waitForGridText } from './viewer';

declare const document: {
  querySelector(s: string): { textContent: string | null } | null;
  querySelectorAll(s: string): ArrayLike<{ textContent: string | null }>;
};

const BUCKET = `ferry-ui-s3-${Date.now().toString(36)}`;
const MANY = 1005; // one more page than the default page size of 1,000

function s3Pane(page: Page): Locator {
  return page.locator('.sidebar .pane', { has: page.locator('.pane-header', { hasText: /^\s*S3\b/i }) }).first();
}

function row(page: Page, text: string | RegExp): Locator {
  return s3Pane(page).locator('.monaco-list-row', { hasText: text }).first();
}

/**
 * The extension-host suite runs in the same editor at the same time and may leave a modal dialog up
 * that blocks clicks; note it and close it.
 */
async function dismissModal(page: Page): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box').first();
  if (await dialog.isVisible().catch(() => false)) {
    console.log(`    (closing a modal dialog left by another test: ${(await dialog.innerText()).split('\n')[0]})`);
    await page.keyboard.press('Escape');
    await page.waitForTimeout(300);
  }
}

async function expand(r: Locator): Promise<void> {
  await r.waitFor({ timeout: 30_000 });
  if ((await r.getAttribute('aria-expanded')) === 'false') await r.click();
}

describe('S3 explorer in the editor', function () {
  this.timeout(180_000);

  before(async function () {
    this.timeout(120_000);
    const s3 = services().s3;
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    await client.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'data/scores.csv', Body: 'name,score\nada,91\ngrace,88\nlinus,75\n' }));
    await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'notes with space #1.txt', Body: 'hello' }));
    const keys = Array.from({ length: MANY }, (_, i) => `many/k${String(i).padStart(4, '0')}.txt`);
    let next = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        while (next < keys.length) await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: keys[next++], Body: 'x' }));
      }),
    );
    client.destroy();
  });

  it('lists the buckets from the stand-in and shows the active profile in the status bar', async () => {
    const ed = editor();
    const page = ed.page;
    await ed.openFerry();
    const header = page.locator('.sidebar .pane-header', { hasText: /^\s*S3/i }).first();
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
    await ed.runCommand('Ferry: Refresh S3');
    // Start from the buckets alone: an earlier test may have expanded the demo bucket, whose rows
    // would push this test's bucket out of the (virtualized) view.
    await ed.collapseAll('S3');
    // Give the S3 tree the sidebar's height: fold the other Ferry views (their tests unfold them
    // again). With five views sharing the sidebar, the rows of an expanded bucket fall below the
    // S3 view's (virtualized) viewport otherwise.
    for (const title of ['Clusters', 'SQL Warehouses', 'Jobs', 'Athena', 'Session']) {
      const other = page.locator('.sidebar .pane-header', { hasText: new RegExp(`^\\s*${title}\\b`, 'i') }).first();
      if ((await other.getAttribute('aria-expanded').catch(() => null)) === 'true') await other.click();
    }
    await row(page, BUCKET).waitFor({ timeout: 30_000 });
    const rows = await ed.treeRows('S3');
    console.log(`    S3 rows: ${rows.join(' | ')}`);
    assert.ok(
      rows.some((r) => r.includes('ferry-athena-results')),
      'the sandbox bucket is listed',
    );
    const status = await page.locator('.statusbar-item', { hasText: 'ferry-sandbox' }).first().innerText({ timeout: 10_000 });
    assert.match(status, /ferry-sandbox/);
  });

  it('expands a bucket and a prefix, with hostile names, sizes and folders', async () => {
    const page = editor().page;
    await expand(row(page, BUCKET));
    await row(page, 'notes with space #1.txt').waitFor({ timeout: 30_000 });
    assert.match(await row(page, 'notes with space #1.txt').innerText(), /5 B/);
    await expand(row(page, /^data\//));
    await row(page, 'scores.csv').waitFor({ timeout: 30_000 });
  });

  it('"Load more…" fetches the next page of a 1,005-key prefix once', async () => {
    const ed = editor();
    const page = ed.page;
    // The extension-host suite runs in this editor at the same time and switches the AWS profile
    // once; the tree then rebuilds from scratch (by design), so an attempt may have to start over.
    for (let attempt = 1; ; attempt++) {
      try {
        await dismissModal(page);
        // From a fresh listing each time: a failed attempt (or a mocha retry) leaves many/ with its
        // second page loaded and the list scrolled to its end, and collapsing keeps the pages.
        await ed.runCommand('Ferry: Refresh S3');
        await ed.collapseAll('S3');
        await expand(row(page, BUCKET));
        await expand(row(page, /^many\//));
        await row(page, 'k0000.txt').waitFor({ timeout: 60_000 });
        // The tree is virtual: go to its last row with the keyboard.
        await row(page, 'k0000.txt').focus();
        await page.keyboard.press('End');
        const more = row(page, 'Load more…');
        await more.waitFor({ timeout: 15_000 });
        assert.equal(await row(page, 'k1004.txt').count(), 0, 'the second page is not there before Load more…');
        await dismissModal(page);
        await more.dblclick();
        await page.waitForTimeout(1000);
        console.log(`    rows after Load more…: ${(await ed.treeRows('S3')).slice(-6).join(' | ')}`);
        const deadline = Date.now() + 15_000;
        while (
          !(await row(page, 'k1004.txt')
            .isVisible()
            .catch(() => false))
        ) {
          if (Date.now() > deadline) throw new Error(`k1004.txt never showed; last rows: ${(await ed.treeRows('S3')).slice(-4).join(' | ')}`);
          await dismissModal(page);
          await row(page, /k\d{4}\.txt/)
            .last()
            .focus()
            .catch(() => undefined);
          await page.keyboard.press('End');
          await page.waitForTimeout(500);
        }
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
        console.log(`    attempt ${attempt}: ${(err as Error).message.split('\n')[0]}; the tree was rebuilt meanwhile, starting over`);
      }
    }
    await ed.screenshot('s3-load-more');
    assert.equal(await row(page, 'Load more…').count(), 0, 'no Load more… after the last page');
  });

  it('shows an error node naming the bucket and the action when S3 denies a listing', async () => {
    const ed = editor();
    const page = ed.page;
    const denied = `${BUCKET}-denied`;
    const s3 = services().s3;
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    await client.send(new CreateBucketCommand({ Bucket: denied }));
    client.destroy();
    // S3 answers this bucket's listings with 403 AccessDenied (fault injection on the stand-in).
    const res = await fetch(`${s3.endpoint}/__admin/faults`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${s3.adminToken}` },
      body: JSON.stringify({ operation: 'ListObjectsV2', bucket: denied, status: 403, code: 'AccessDenied', count: 0 }),
    });
    assert.equal(res.status, 200);
    try {
      await dismissModal(page);
      await ed.runCommand('Ferry: Refresh S3');
      await ed.collapseAll('S3');
      await expand(row(page, new RegExp(`^${denied}`)));
      const error = row(page, /Access Denied/);
      await error.waitFor({ timeout: 30_000 });
      const text = await error.innerText();
      console.log(`    error node: ${text}`);
      assert.match(text, new RegExp(`Error: Access Denied \\(s3:ListBucket on ${denied}\\)`));
      await ed.screenshot('s3-access-denied');
    } finally {
      await fetch(`${s3.endpoint}/__admin/faults`, { method: 'DELETE', headers: { Authorization: `Bearer ${s3.adminToken}` } });
      await ed.collapseAll('S3').catch(() => undefined);
    }
  });

  it('uploads a file dropped on a bucket (an editor tab dragged onto the S3 view)', async () => {
    const ed = editor();
    const page = ed.page;
    const name = `dropped-${Date.now().toString(36)}.txt`;
    const file = path.join(workspaceDir, name);
    fs.writeFileSync(file, 'dropped on the S3 view\n');
    await dismissModal(page);
    // Open the file as a user does (Quick Open with its path), so that it has a tab to drag.
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input').first();
    await input.waitFor({ state: 'visible', timeout: 15_000 });
    await input.fill(file);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
    await input.press('Enter');
    const tab = page.locator('.tabs-container .tab', { hasText: name }).first();
    await tab.waitFor({ timeout: 15_000 });
    await ed.openFerry();
    await ed.collapseAll('S3');
    // The row reads "<bucket><region>" (S3 names each bucket's region in a paged ListBuckets); the
    // lookahead keeps out the "-denied" bucket of the test before.
    const target = row(page, new RegExp(`^${BUCKET}(?!-denied)`));
    await target.waitFor({ timeout: 30_000 }).catch(async (err: Error) => {
      await ed.screenshot('s3-drop-no-bucket');
      throw new Error(`no row for ${BUCKET} in S3: ${(await ed.treeRows('S3')).join(' | ')} (${err.message.split('\n')[0]})`);
    });
    await tab.dragTo(target);
    const s3 = services().s3;
    const client = new S3Client({
      region: 'us-east-1',
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    try {
      const deadline = Date.now() + 30_000;
      let body: string | undefined;
      while (body === undefined) {
        body = await client
          .send(new GetObjectCommand({ Bucket: BUCKET, Key: name }))
          .then((r) => r.Body?.transformToString())
          .catch(() => undefined);
        if (body === undefined) {
          if (Date.now() > deadline) {
            await ed.screenshot('s3-drop-failed');
            throw new Error(`s3://${BUCKET}/${name} did not appear after the drop`);
          }
          await page.waitForTimeout(500);
        }
      }
      assert.equal(body, 'dropped on the S3 view\n');
    } finally {
      client.destroy();
    }
    await ed.screenshot('s3-drop-uploaded');
    await page.keyboard.press('Escape');
  });

  it('opens a CSV object as a table in the result viewer', async () => {
    const ed = editor();
    const page = ed.page;
    await dismissModal(page);
    // Focus, not click: after "Load more…" the list is scrolled and its header covers the first row.
    await s3Pane(page).locator('.monaco-list-row').first().focus();
    await page.keyboard.press('Home');
    const many = row(page, /^many\//);
    if ((await many.count()) && (await many.getAttribute('aria-expanded')) === 'true') await many.click();
    const isScores = async (f: Frame) =>
      f.evaluate(() => {
        const title = document.querySelector('#ferry-results .run-title, #ferry-results .run-select option:checked');
        return !!title && (title.textContent ?? '').includes('scores.csv');
      });
    let frame: Frame | undefined;
    for (let attempt = 1; !frame; attempt++) {
      await dismissModal(page);
      await s3Pane(page).locator('.monaco-list-row').first().focus();
      await page.keyboard.press('Home');
      await expand(row(page, BUCKET));
      await expand(row(page, /^data\//));
      await row(page, 'scores.csv').click();
      try {
        frame = await ed.webviewFrame(isScores, 20_000);
      } catch (err) {
        await ed.screenshot(`s3-open-table-attempt-${attempt}`);
        if (attempt >= 3) throw err;
      }
    }
    await waitForGridText(frame, 3, 'g***');
    const text = await frame.locator('body').innerText();
    for (const expected of ['name', 'score', '88', '75']) assert.ok(text.includes(expected), `"${expected}" not in the viewer`);
    // The PII guard (on by default): a column called "name" holds people's names, masked in the preview.
    for (const masked of ['a***', 'g***', 'l***']) assert.ok(text.includes(masked), `"${masked}" not in the viewer`);
    for (const real of ['ada', 'grace', 'linus']) assert.ok(!text.includes(real), `the preview shows the name "${real}" unmasked`);
    await ed.screenshot('s3-object-as-table');
    await page.keyboard.press('Escape');
  });
});
