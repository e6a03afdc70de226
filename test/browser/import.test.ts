/**
 * Importing from the dashboard in Chromium: an admin opens the Import view, chooses the Disqus
 * format and the project's Disqus fixture, uploads it and sees the report (9 comments imported, in
 * their states, the skipped ones with their reasons), can download it, and finds the run in the
 * site's past imports; a larger generated export shows its live progress (the file read, comments
 * written) before its report. A moderator has no Import view.
 *
 * Screenshots: /tmp/parley-import.png (the report) and /tmp/parley-import-progress.png (a run
 * under way), or in PARLEY_SCREENSHOT_DIR.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { generateDisqus } from '../../bench/import.ts';
import { buildAdmin } from '../../scripts/build-web.ts';
import { hashPassword } from '../../src/credentials/passwords.ts';
import { ADMIN_ASSETS } from '../../src/server/admin-page.ts';
import type { Role } from '../../src/store/schema.ts';
import { insertUser } from '../../src/store/users.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchChromium } from '../helpers/browser.ts';
import { freePort } from '../helpers/process.ts';

const skip = browserSkipReason();
const PASSWORD = 'a long enough password';
const FIXTURE = path.resolve(import.meta.dirname, '../import/fixtures/disqus/export.xml');
const screenshots = process.env.PARLEY_SCREENSHOT_DIR ?? os.tmpdir();
const ADMIN = 'import.admin@example.com';
const MODERATOR = 'import.moderator@example.com';

describe('importing from the dashboard in Chromium', { skip }, () => {
  let parley: TestApp;
  let browser: Browser;
  let url: string;
  let dir: string;

  before(async () => {
    if (Object.values(ADMIN_ASSETS).some((asset) => !fs.existsSync(asset.file))) {
      await buildAdmin();
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-import-browser-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    parley = await createTestApp('sqlite', { PUBLIC_URL: url });
    await parley.app.listen({ port, host: '127.0.0.1' });
    const passwordHash = await hashPassword(PASSWORD);
    const account = async (email: string, role: Role) => {
      const user = await insertUser(parley.store.db, {
        email,
        displayName: role === 'admin' ? 'Desk Editor' : 'Night Moderator',
        passwordHash,
        role,
      });
      assert.ok(user, email);
    };
    await account(ADMIN, 'admin');
    await account(MODERATOR, 'moderator');
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await parley?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  async function open(email: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${url}/admin`);
    await page.locator('input[name="email"]').fill(email);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Views' }).waitFor();
    return { page, problems };
  }

  const importView = (page: Page) =>
    page.getByRole('navigation', { name: 'Views' }).getByRole('link', { name: 'Import' }).click();

  async function upload(page: Page, file: string): Promise<void> {
    await page.getByLabel('Format').selectOption('disqus');
    await page.getByLabel('File', { exact: true }).setInputFiles(file);
    await page.getByRole('button', { name: 'Upload and import' }).click();
  }

  it('uploads a Disqus export and shows, keeps and offers its report', async () => {
    const { page, problems } = await open(ADMIN);
    await importView(page);
    await page.getByRole('heading', { name: 'Import', level: 1 }).waitFor();
    assert.match(await page.getByLabel('Format').locator('option:checked').innerText(), /^disqus$/);
    await page.getByText('Disqus XML export').waitFor();
    await upload(page, FIXTURE);

    const imported = page.locator('[data-count="imported"] .count-number');
    await imported.waitFor({ timeout: 15_000 });
    assert.equal(await imported.innerText(), '9');
    const counts = async (name: string) =>
      page.locator(`[data-count="${name}"] .count-number`).innerText();
    assert.deepEqual(
      [await counts('approved'), await counts('pending'), await counts('rejected')],
      ['6', '1', '1'],
    );
    assert.equal(await counts('tombstones'), '1');
    await page
      .getByRole('status')
      .filter({ hasText: 'The import of export.xml is done: 9 comments imported.' })
      .waitFor();
    const skipped = page.getByRole('table', { name: /Skipped, by reason/ });
    assert.match(await skipped.innerText(), /Orphans[\s\S]*answers/);

    // The report as a file: a link to what the server's report route answered.
    const link = page.getByRole('link', { name: 'Download report' });
    await link.waitFor();
    const href = (await link.getAttribute('href')) ?? '';
    assert.match(href, /^blob:http:\/\/127\.0\.0\.1:\d+\//);
    const runId = await page.evaluate(() =>
      document.querySelector('a[download]')?.getAttribute('download'),
    );
    assert.match(runId ?? '', /^parley-import-[0-9A-Z]{26}\.json$/);
    // The whole view (it scrolls inside the window), before anything scrolls it.
    await page.setViewportSize({ width: 1280, height: 1180 });
    await page.screenshot({ path: path.join(screenshots, 'parley-import.png') });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert.equal(download.suggestedFilename(), runId);
    const downloaded = JSON.parse(fs.readFileSync((await download.path()) ?? '', 'utf8'));
    assert.equal(downloaded.comments.imported, 9);
    assert.equal(downloaded.state, 'done');

    // The site's past imports: the run, done, with what it imported.
    const runs = page.getByRole('table', { name: /Imports into this site/ });
    const row = runs.locator('tbody tr').first();
    assert.match(await row.innerText(), /export\.xml[\s\S]*disqus[\s\S]*Done\s+9\s+0\s+5/);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('shows a larger import’s live progress, then its report, and opens past runs', async () => {
    const file = path.join(dir, 'large-disqus.xml');
    await generateDisqus(file, 20_000, 200, () => undefined);
    const { page, problems } = await open(ADMIN);
    await importView(page);
    await upload(page, file);
    const bar = page.getByRole('progressbar', { name: 'Reading the file' });
    await bar.waitFor({ timeout: 15_000 });
    await page.getByText(/comments written/).waitFor();
    await page.screenshot({ path: path.join(screenshots, 'parley-import-progress.png') });
    const imported = page.locator('[data-count="imported"] .count-number');
    await imported.waitFor({ timeout: 60_000 });
    assert.ok(Number((await imported.innerText()).replace(/,/g, '')) > 15_000);

    // Two runs now; the first opens again.
    const runs = page.getByRole('table', { name: /Imports into this site/ });
    assert.equal(await runs.locator('tbody tr').count(), 2);
    await runs.getByRole('button', { name: 'export.xml' }).click();
    await page.getByRole('heading', { name: /Import of export\.xml/ }).waitFor();
    assert.equal(await imported.innerText(), '9');
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('is not offered to moderators', async () => {
    const { page } = await open(MODERATOR);
    const nav = page.getByRole('navigation', { name: 'Views' });
    await nav.getByRole('link', { name: 'Settings' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Import' }).count(), 0);
    await page.goto(`${url}/admin/imports`);
    await page.getByText('Only administrators import comments.').waitFor();
    await page.close();
  });
});
