/**
 * Sites and the audit log in the dashboard, in Chromium: an admin creates a site (a bad origin is
 * refused with the server's message beside the field), adds an origin, sets the branding and sees
 * the preview follow (logo, accent colour) before saving, and the public brand follows the save;
 * the audit log shows entries in words (who, what, whose comment, why) with hostile comment text
 * rendered as text; a moderator has no Sites entry and no sites page.
 *
 * Screenshots go to artefacts/ (not committed), or to PARLEY_SCREENSHOT_DIR.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildAdmin } from '../../scripts/build-web.ts';
import { hashPassword } from '../../src/credentials/passwords.ts';
import { ADMIN_ASSETS } from '../../src/server/admin-page.ts';
import { insertUser } from '../../src/store/users.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchChromium } from '../helpers/browser.ts';
import { freePort } from '../helpers/process.ts';

const skip = browserSkipReason();
const PASSWORD = 'a long enough password';
const ROOT = path.resolve(import.meta.dirname, '../..');
const screenshots = process.env.PARLEY_SCREENSHOT_DIR ?? path.join(ROOT, 'artefacts');
const HOSTILE = '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script> & co';

describe('sites and the audit log in the dashboard (Chromium)', { skip }, () => {
  let parley: TestApp;
  let browser: Browser;
  let url: string;
  let adminToken: string;
  let createdId: string;
  const accounts = { admin: 'sites.admin@example.com', moderator: 'sites.mod@example.com' };

  const api = async (method: string, route: string, token?: string, body?: unknown) => {
    const response = await fetch(`${url}/api/v1${route}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(token && { authorization: `Bearer ${token}` }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
    return { status: response.status, json: (await response.json()) as Record<string, any> };
  };

  before(async () => {
    if (Object.values(ADMIN_ASSETS).some((asset) => !fs.existsSync(asset.file))) {
      await buildAdmin();
    }
    fs.mkdirSync(screenshots, { recursive: true });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    parley = await createTestApp('sqlite', { PUBLIC_URL: url, PARLEY_WRITE_RATE_LIMIT: '1000' });
    await parley.app.listen({ port, host: '127.0.0.1' });
    const passwordHash = await hashPassword(PASSWORD);
    await insertUser(parley.store.db, {
      email: accounts.admin,
      displayName: 'Desk Editor',
      passwordHash,
      role: 'admin',
    });
    await insertUser(parley.store.db, {
      email: accounts.moderator,
      displayName: 'Night Moderator',
      passwordHash,
      role: 'moderator',
    });
    adminToken = (
      await api('POST', '/auth/login', undefined, {
        email: accounts.admin,
        password: PASSWORD,
      })
    ).json.token;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await parley?.close();
  });

  async function signedIn(
    email: string,
  ): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${url}/admin`);
    await page.locator('input[name="email"]').fill(email);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Views' }).waitFor();
    return { context, page, problems };
  }

  const navLink = (page: Page, name: string) =>
    page
      .getByRole('navigation', { name: 'Views' })
      .locator('a', { hasText: new RegExp(`^${name}$`) });

  it('creates a site, adds an origin, sets branding with a live preview', async () => {
    const { context, page, problems } = await signedIn(accounts.admin);
    assert.equal(await navLink(page, 'Sites').count(), 1, 'admins have a Sites entry');
    await page.goto(`${url}/admin/sites`);
    await page.getByRole('heading', { name: 'Sites', level: 1 }).waitFor();

    // A bad origin: the server's message, beside the origin field.
    const form = page.locator('form[aria-labelledby="new-site-title"]');
    await form.locator('input[name="name"]').fill('The Harbour Gazette');
    await form.locator('input[name="origin"]').fill('https://www.harbour.example/news');
    await form.getByRole('button', { name: 'Create site' }).click();
    const originError = page.locator('#new-site-origin-error');
    await originError.waitFor();
    assert.match((await originError.textContent()) ?? '', /is not an origin/);
    assert.equal(await form.locator('input[name="origin"]').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.locator('#new-site-name-error').count(), 0);

    await form.locator('input[name="origin"]').fill('https://www.harbour.example');
    await form.getByRole('button', { name: 'Create site' }).click();
    await page.getByRole('heading', { name: 'The Harbour Gazette', level: 2 }).waitFor();
    const sites = (await api('GET', '/sites', adminToken)).json.sites as {
      id: string;
      name: string;
      allowedOrigins: string[];
    }[];
    const created = sites.find((site) => site.name === 'The Harbour Gazette');
    assert.ok(created, 'the site was created');
    createdId = created.id;
    assert.deepEqual(created.allowedOrigins, ['https://www.harbour.example']);

    // Add an origin: a bad one first, then a good one.
    const addOrigin = page.locator('section[aria-labelledby="site-origins-title"] form');
    await addOrigin.locator('input[name="origin"]').fill('ftp://files.harbour.example');
    await addOrigin.getByRole('button', { name: 'Add' }).click();
    await page.locator('#site-origin-error').waitFor();
    assert.match((await page.locator('#site-origin-error').textContent()) ?? '', /not an origin/);
    await addOrigin.locator('input[name="origin"]').fill('https://m.harbour.example');
    await addOrigin.getByRole('button', { name: 'Add' }).click();
    await page.locator('.origin-list code', { hasText: 'https://m.harbour.example' }).waitFor();
    assert.equal(await page.locator('#site-origin-error').count(), 0);
    const stored = (await api('GET', `/sites/${createdId}`, adminToken)).json.site;
    assert.deepEqual(stored.allowedOrigins, [
      'https://www.harbour.example',
      'https://m.harbour.example',
    ]);

    // The sign-in methods are one link away, for this site.
    const signIn = page.getByRole('link', { name: 'change the sign-in methods' });
    assert.equal(await signIn.getAttribute('href'), `/admin/signin?site=${createdId}`);

    // Branding: the preview follows the fields before anything is saved.
    const branding = page.locator('section[aria-labelledby="site-branding-title"]');
    await branding.locator('input[name="logoUrl"]').waitFor();
    const preview = page.locator('[data-testid="brand-preview"]');
    assert.equal(await preview.locator('img').count(), 0, 'no logo yet');
    await branding.locator('input[name="logoUrl"]').fill('https://www.harbour.example/logo.png');
    await branding.locator('input[name="accentColor"]').fill('#aa3300');
    await branding.locator('input[name="guidelinesUrl"]').fill('https://www.harbour.example/rules');
    await branding.locator('input[name="senderName"]').fill('Harbour desk');
    assert.equal(
      await preview.locator('img').getAttribute('src'),
      'https://www.harbour.example/logo.png',
    );
    const buttonColour = await preview
      .locator('.brand-preview-button')
      .evaluate((element) => getComputedStyle(element).backgroundColor);
    assert.equal(buttonColour, 'rgb(170, 51, 0)');
    await page.screenshot({ path: path.join(screenshots, 'admin-sites.png'), fullPage: true });

    // A logo that is not https: the server's message beside the logo field; nothing saved.
    await branding.locator('input[name="logoUrl"]').fill('http://www.harbour.example/logo.png');
    assert.equal(await preview.locator('img').count(), 0, 'only https logos are previewed');
    await branding.getByRole('button', { name: 'Save branding' }).click();
    await page.locator('#branding-logoUrl-error').waitFor();
    assert.match((await page.locator('#branding-logoUrl-error').textContent()) ?? '', /https/);
    assert.equal((await api('GET', `/sites/${createdId}/brand`)).json.logoUrl, null);

    await branding.locator('input[name="logoUrl"]').fill('https://www.harbour.example/logo.png');
    await branding.getByRole('button', { name: 'Save branding' }).click();
    await branding.getByRole('status').filter({ hasText: 'Branding saved.' }).waitFor();
    const brand = (await api('GET', `/sites/${createdId}/brand`)).json;
    assert.deepEqual(brand, {
      siteId: createdId,
      name: 'The Harbour Gazette',
      logoUrl: 'https://www.harbour.example/logo.png',
      accentColor: '#aa3300',
      guidelinesUrl: 'https://www.harbour.example/rules',
    });
    const mail = (await api('GET', `/admin/sites/${createdId}/branding`, adminToken)).json;
    assert.equal(mail.branding.senderName, 'Harbour desk');
    assert.deepEqual(problems, []);
    await context.close();
  });

  it("turns a site's server-rendered comments off and on again", async () => {
    const storyId = await parley.story('rendered-switch');
    const fragment = async () => (await fetch(`${url}/api/v1/stories/${storyId}/rendered`)).status;
    assert.equal(await fragment(), 200);
    const { context, page, problems } = await signedIn(accounts.admin);
    await page.goto(`${url}/admin/sites`);
    // The first site is the test's own.
    await page.getByRole('heading', { name: parley.site.name, level: 2 }).waitFor();
    const box = page.getByRole('checkbox', { name: 'Serve server-rendered comments' });
    assert.equal(await box.isChecked(), true, 'on by default');
    await box.uncheck();
    await page
      .getByText('Server-rendered comments are off.')
      .first()
      .waitFor({ state: 'attached' });
    assert.equal(
      (await api('GET', `/sites/${parley.site.id}`, adminToken)).json.site.rendering,
      false,
    );
    assert.equal(await fragment(), 404);
    await box.check();
    await page
      .getByText('Server-rendered comments are served.')
      .first()
      .waitFor({ state: 'attached' });
    assert.equal(await fragment(), 200);
    assert.deepEqual(problems, []);
    await context.close();
  });

  it('shows the audit log in words, hostile text as text, with working filters', async () => {
    const reader = await parley.signup('Rana Reader');
    const resolved = await parley.request({
      method: 'POST',
      url: '/api/v1/stories/resolve',
      body: {
        url: 'https://news.example/news/harbour',
        storyId: 'harbour',
        title: 'Harbour fees rise',
      },
    });
    const story = resolved.json.story.id as string;
    const posted = await parley.post(story, reader.token, HOSTILE);
    assert.equal(posted.status, 201, posted.text);
    const commentId = posted.json.comment.id as string;
    const rejected = await api('POST', `/admin/comments/${commentId}/reject`, adminToken, {
      reason: 'OFF_TOPIC',
    });
    assert.equal(rejected.status, 200);

    const { context, page, problems } = await signedIn(accounts.admin);
    await page.goto(`${url}/admin/audit`);
    const row = page.locator(`table.audit tr[data-entry-id="${rejected.json.action.id}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    assert.equal(cells[1], 'Desk Editor');
    assert.match(cells[2] ?? '', /^rejected/);
    assert.ok(cells[3]?.includes('<img src=x onerror="window.__pwned=1">'), cells[3]);
    assert.equal(cells[4], 'Rana Reader');
    assert.equal(cells[5], 'Harbour fees rise');
    assert.equal(cells[6], 'Off topic');
    assert.equal(await page.locator('table.audit img, table.audit script').count(), 0);
    assert.equal(await page.evaluate(() => (window as { __pwned?: number }).__pwned), undefined);
    // Links: the comment in its queue, the author's page, the story.
    const commentLink = row.locator('.audit-excerpt');
    assert.match((await commentLink.getAttribute('href')) ?? '', /^\/admin\/queues\/rejected\?/);
    assert.match(
      (await row.getByRole('link', { name: 'Rana Reader' }).getAttribute('href')) ?? '',
      new RegExp(`^/admin/users\\?user=${reader.id}`),
    );
    assert.equal(
      await row.getByRole('link', { name: 'Harbour fees rise' }).getAttribute('href'),
      'https://news.example/news/harbour',
    );
    await page.screenshot({ path: path.join(screenshots, 'admin-audit.png') });

    // Filter: only rejections; then only the pipeline's decisions.
    await page.locator('select[name="action"]').selectOption('comment.reject');
    // (Until the filtered page arrives the table is empty or still the old one.)
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('table.audit tbody tr .action-words')];
      return cells.length > 0 && cells.every((cell) => cell.textContent === 'rejected');
    });
    assert.equal(await page.locator('table.audit tbody tr').count(), 1);
    await page.locator('select[name="action"]').selectOption('');
    await page.locator('select[name="actorId"]').selectOption('pipeline');
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('table.audit tbody tr td:nth-child(2)')];
      return cells.length > 0 && cells.every((cell) => cell.textContent === 'The pipeline');
    });
    const who = await page.locator('table.audit tbody tr td:nth-child(2)').allTextContents();
    assert.ok(who.length > 0 && who.every((name) => name === 'The pipeline'), who.join('|'));
    assert.deepEqual(problems, []);

    // The links open the comment in its queue and the author's page in the dashboard.
    await page.locator('select[name="actorId"]').selectOption('');
    await row.locator('.audit-excerpt').click();
    await page.locator(`ol.items [data-comment-id="${commentId}"][aria-current="true"]`).waitFor();
    await page.goBack();
    await row.getByRole('link', { name: 'Rana Reader' }).click();
    await page.locator('tr.row-selected', { hasText: 'Rana Reader' }).waitFor();
    await context.close();
  });

  it('lays the sites view and the audit log out on a phone', async () => {
    const { context, page } = await signedIn(accounts.admin);
    await page.setViewportSize({ width: 360, height: 800 });
    for (const view of ['sites', 'audit']) {
      await page.goto(`${url}/admin/${view}`);
      await page
        .locator(
          view === 'sites'
            ? '[data-testid="brand-preview"]'
            : 'table.audit tbody tr, .page-body .empty',
        )
        .first()
        .waitFor();
      // Nothing reaches past the screen's edge, except inside a box that scrolls sideways.
      // A string, so the test's compiler adds no helpers the page does not have.
      const wide = await page.evaluate<string[]>(`(() => {
        const width = window.innerWidth;
        const scrollsInside = (element) => {
          for (let box = element.parentElement; box; box = box.parentElement) {
            const overflowX = getComputedStyle(box).overflowX;
            if (overflowX === 'auto' || overflowX === 'scroll') {
              return box.getBoundingClientRect().right <= width + 0.5;
            }
          }
          return false;
        };
        return [...document.body.querySelectorAll('*')]
          .filter((element) => {
            const rect = element.getBoundingClientRect();
            return rect.width > 1 && rect.height > 1 && rect.right > width + 0.5;
          })
          .filter((element) => element.checkVisibility() && !scrollsInside(element))
          .map((element) => element.tagName + '.' + element.className);
      })()`);
      assert.deepEqual(wide, [], `${view} at 360 px`);
      await page.screenshot({ path: path.join(screenshots, `admin-${view}-phone.png`) });
    }
    await context.close();
  });

  it('gives a moderator no Sites entry and no sites page', async () => {
    const { context, page } = await signedIn(accounts.moderator);
    assert.equal(await navLink(page, 'Audit log').count(), 1);
    assert.equal(await navLink(page, 'Sites').count(), 0);
    await page.goto(`${url}/admin/sites`);
    await page.getByText('Only administrators manage sites.').waitFor();
    assert.equal(await page.locator('form[aria-labelledby="new-site-title"]').count(), 0);
    await context.close();
  });
});
