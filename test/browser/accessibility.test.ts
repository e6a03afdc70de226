/**
 * axe-core in Chromium (test/helpers/axe.ts: WCAG 2.2 A and AA and best practices, shadow DOM
 * included) on what readers and moderators use, served by the real `parley` process with its demo
 * newsroom: the widget signed out and signed in (with a reply form, a report form and the
 * notification list open), in the light theme, the dark one and on a dark page, in English and
 * Arabic; Parley's account pages (the sign-in popup and its sign-up and forgotten-password forms,
 * "Your account", a mailed link that no longer works), light and dark; and the moderation
 * dashboard signed in (its sign-in page, the queue with a comment selected, and each view of its
 * menu). Any violation fails the test, listed with its elements.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type SQLite from 'better-sqlite3';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { axeViolations } from '../helpers/axe.ts';
import { browserSkipReason } from '../helpers/browser.ts';
import { startDemo, type Demo } from '../helpers/demo.ts';
import type { ParleyProcess } from '../helpers/process.ts';
import { createReader, signInThroughPopup, type Reader } from '../helpers/reader.ts';

const skip = browserSkipReason();
const WIDGET = '#parley-comments';
const DARK_PAGE =
  ':root { --ink: #e8e6e1; --ink-soft: #c9c5bd; --paper: #121314; --rule: #3a3a3a; color-scheme: dark }';

/** Serves the demo article with `attributes` on the widget's container, a stylesheet, a language. */
async function rewriteDemo(
  page: Page,
  url: string,
  options: { attributes?: string; css?: string; lang?: 'ar' } = {},
): Promise<void> {
  await page.route(url, async (route) => {
    const response = await route.fetch();
    let html = await response.text();
    if (options.attributes) {
      html = html.replace(
        '<div id="parley-comments"',
        `<div id="parley-comments" ${options.attributes}`,
      );
    }
    if (options.css) html = html.replace('</head>', `<style>${options.css}</style></head>`);
    if (options.lang) html = html.replace('<html lang="en">', '<html lang="ar" dir="rtl">');
    // A publisher's page, with styles of its own: without the policy of Parley's own pages.
    const headers = { ...response.headers() };
    delete headers['content-security-policy'];
    await route.fulfill({ response, headers, body: html });
  });
}

function report(violations: string[]): string {
  return violations.join('\n');
}

describe('accessibility (axe-core) in Chromium', { skip }, () => {
  let parley: ParleyProcess;
  let browser: Browser;
  let db: SQLite.Database;
  let reader: Reader;
  const contexts: BrowserContext[] = [];
  let demo: Demo;

  /** A context closed after the test (pages hold live streams; Chromium allows six a host). */
  async function context(options: { colorScheme?: 'light' | 'dark' } = {}) {
    const made = await browser.newContext(options);
    contexts.push(made);
    return made;
  }

  before(async () => {
    demo = await startDemo('axe', { PARLEY_SESSION_CACHE_MS: undefined });
    ({ parley, db, browser } = demo);
    reader = await createReader(parley.url, db, 'Leila');
    db.prepare(
      `update comments set featured = 1 where id = (
         select id from comments where thread_parent_id is null and status = 'approved'
         order by id limit 1)`,
    ).run();
  });
  afterEach(async () => {
    await Promise.all(contexts.splice(0).map((made) => made.close()));
  });
  after(() => demo?.close());

  const WIDGET_CASES = [
    { name: 'light', options: {} },
    { name: 'dark', options: { attributes: 'data-theme="dark"' } },
    { name: 'on a dark page, Arabic', options: { css: DARK_PAGE, lang: 'ar' as const } },
  ];

  for (const { name, options } of WIDGET_CASES) {
    it(`finds nothing in the widget signed out (${name})`, async () => {
      const page = await (await context()).newPage();
      await rewriteDemo(page, `${parley.url}/`, options);
      await page.goto(`${parley.url}/`);
      await page.locator('[data-comment-id]').first().waitFor();
      await page.locator(`${WIDGET} [role="tab"]`).first().waitFor();
      const violations = await axeViolations(page, [WIDGET]);
      assert.deepEqual(violations, [], report(violations));
    });
  }

  it('finds nothing in the widget signed in, with its forms and notifications open', async () => {
    const made = await context();
    const first = await made.newPage();
    await first.goto(`${parley.url}/`);
    await signInThroughPopup(first, reader);
    await first.close();
    for (const { options } of WIDGET_CASES) {
      const page = await made.newPage();
      await rewriteDemo(page, `${parley.url}/`, options);
      await page.goto(`${parley.url}/`);
      const widget = page.locator(WIDGET);
      await widget.locator('form.composer textarea').fill('A first thought');
      await widget.locator('[data-action="reply"]').first().click();
      await widget.locator('[data-action="report"]').first().click();
      await widget.locator('.bell').click();
      await widget.locator('.inbox').waitFor();
      const violations = await axeViolations(page, [WIDGET]);
      assert.deepEqual(violations, [], report(violations));
      await page.close();
    }
  });

  for (const colorScheme of ['light', 'dark'] as const) {
    it(`finds nothing in the account pages (${colorScheme})`, async () => {
      const made = await context({ colorScheme });
      const page = await made.newPage();
      await page.goto(`${parley.url}/`);
      const popupOpened = page.waitForEvent('popup');
      await page.locator(WIDGET).getByRole('button', { name: 'Sign in' }).click();
      const popup = await popupOpened;
      await popup.locator('input[name="password"]').waitFor();
      const seen: Record<string, string[]> = {};
      seen['sign-in'] = await axeViolations(popup);
      await popup.locator('button.link').last().click(); // "Create an account"
      await popup.locator('input[name="displayName"], input[name="name"]').first().waitFor();
      seen['sign-up'] = await axeViolations(popup);
      await popup.locator('button.link').last().click(); // back to "Log in"
      await popup.locator('button.link').first().click(); // "Forgot your password?"
      seen['forgotten password'] = await axeViolations(popup);
      await popup.locator('button.link').last().click(); // back to "Log in"
      await popup.locator('input[name="email"]').fill(reader.email);
      await popup.locator('input[name="password"]').fill(reader.password);
      const closed = popup.waitForEvent('close');
      await popup.locator('form button[type="submit"]').first().click();
      await closed;
      await page.locator(`${WIDGET} form.composer`).waitFor();
      const accountOpened = page.waitForEvent('popup');
      await page.locator(WIDGET).getByRole('button', { name: 'Your account' }).click();
      const account = await accountOpened;
      await account.getByText(reader.email).first().waitFor();
      seen['your account'] = await axeViolations(account);

      const link = await made.newPage();
      await link.goto(`${parley.url}/account/reset?token=not-a-token`);
      await link.locator('h1').waitFor();
      seen['a spent link'] = await axeViolations(link);
      const found = Object.entries(seen).filter(([, violations]) => violations.length > 0);
      assert.deepEqual(
        found.map(([where]) => where),
        [],
        found.map(([where, violations]) => `${where}:\n${report(violations)}`).join('\n'),
      );
    });
  }

  it('finds nothing in the moderation dashboard, signed in', async () => {
    const password = /password: (\S+)/.exec(parley.output())?.[1];
    assert.ok(password, 'the first start prints the admin password');
    const page = await (await context()).newPage();
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${parley.url}/admin`);
    await page.locator('input[name="password"]').waitFor();
    const seen: Record<string, string[]> = { 'sign-in page': await axeViolations(page) };
    await page.locator('input[name="email"]').fill('admin@localhost');
    await page.locator('input[name="password"]').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    const views = page.getByRole('navigation', { name: 'Views' }).getByRole('link');
    await views.first().waitFor();
    await page.waitForLoadState('networkidle');
    await page.keyboard.press('j');
    seen['queue'] = await axeViolations(page);
    const names = await views.allInnerTexts();
    for (const name of names) {
      await views.filter({ hasText: name }).first().click();
      await page.waitForLoadState('networkidle');
      seen[name.trim()] = await axeViolations(page);
    }
    const found = Object.entries(seen).filter(([, violations]) => violations.length > 0);
    assert.deepEqual(
      found.map(([where]) => where),
      [],
      found.map(([where, violations]) => `${where}:\n${report(violations)}`).join('\n'),
    );
  });
});
