/**
 * The dashboard's Mail view in Chromium: with no SMTP server configured, account mail is held and
 * an admin reads it there: the list with its state badges, then one message, its text right to
 * left for Hebrew and its HTML in a sandboxed frame (no scripts, no access to the dashboard).
 * Moderators are not offered the view.
 *
 * A screenshot goes to artefacts/ (not committed), or to PARLEY_SCREENSHOT_DIR.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildAdmin } from '../../scripts/build-web.ts';
import { queueMail, type MailRequest } from '../../src/mail/outbox.ts';
import { issueSession } from '../../src/services/sessions.ts';
import type { Role } from '../../src/store/schema.ts';
import { insertUser } from '../../src/store/users.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchChromium } from '../helpers/browser.ts';
import { freePort } from '../helpers/process.ts';

const skip = browserSkipReason();
const ROOT = path.resolve(import.meta.dirname, '../..');
const screenshots = process.env.PARLEY_SCREENSHOT_DIR ?? path.join(ROOT, 'artefacts');

describe('the Mail view in Chromium', { skip }, () => {
  let parley: TestApp;
  let browser: Browser;
  let url: string;
  const sessions = {} as Record<'admin' | 'moderator', { token: string; user: object }>;

  const queue = (mail: MailRequest<'verify'>) =>
    parley.store.db.transaction().execute((trx) => queueMail(trx, mail));

  before(async () => {
    await buildAdmin();
    fs.mkdirSync(screenshots, { recursive: true });
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    parley = await createTestApp('sqlite', { PUBLIC_URL: url });
    await parley.app.listen({ port, host: '127.0.0.1' });
    for (const role of ['admin', 'moderator'] as const satisfies Role[]) {
      const user = await insertUser(parley.store.db, {
        email: `${role}@newsroom.example`,
        displayName: `The ${role}`,
        passwordHash: null,
        role,
      });
      assert.ok(user);
      const { token } = await issueSession(parley.store, user.id, { method: 'password' });
      sessions[role] = {
        token,
        user: { id: user.id, displayName: user.displayName, role, email: user.email },
      };
    }
    for (const [to, locale, name] of [
      ['ada@readers.example', 'en', 'Ada'],
      ['noa@readers.example', 'he', 'נועה'],
    ] as const) {
      await queue({
        userId: null,
        to,
        template: 'verify',
        locale,
        params: { name, link: `${url}/account/verify?token=tok-${locale}` },
      });
    }
    await parley.worker.drain();
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await parley?.close();
  });

  async function openAs(role: 'admin' | 'moderator', pathname: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.addInitScript((session) => {
      sessionStorage.setItem('parley:admin:session', session);
    }, JSON.stringify(sessions[role]));
    await page.goto(`${url}${pathname}`);
    return page;
  }

  it('lists held mail and shows a message, right to left, its HTML sandboxed', async () => {
    const page = await openAs('admin', '/admin/queues/pending');
    try {
      await page.getByRole('link', { name: 'Mail' }).click();
      await page.waitForURL(/\/admin\/mail$/);
      const rows = page.locator('.mail-table tbody tr');
      await rows.first().waitFor();
      assert.equal(await rows.count(), 2);
      // Newest first.
      assert.match((await rows.nth(0).textContent()) ?? '', /noa@readers\.example/);
      assert.deepEqual(await page.locator('.mail-table tbody .status').allTextContents(), [
        'Held',
        'Held',
      ]);

      await page.locator('.mail-subject', { hasText: 'אישור כתובת הדוא"ל' }).click();
      const text = page.locator('pre.mail-text');
      await text.waitFor();
      assert.equal(await text.getAttribute('dir'), 'rtl');
      assert.match((await text.textContent()) ?? '', /שלום נועה/);
      assert.match((await text.textContent()) ?? '', /\/account\/verify\?token=tok-he/);

      const frameElement = page.locator('iframe.mail-preview');
      assert.equal(await frameElement.getAttribute('sandbox'), '');
      const frame = await (await frameElement.elementHandle())?.contentFrame();
      assert.ok(frame, 'the preview frame');
      await frame.waitForSelector('a[href*="tok-he"]');
      assert.equal(await frame.evaluate(() => document.documentElement.dir), 'rtl');
      assert.equal(
        await frame.evaluate(() => getComputedStyle(document.body.firstElementChild!).direction),
        'rtl',
      );
      // The mail's own inline styles apply (allowed by their hashes in the dashboard's policy).
      const button = frame.locator('a[href*="tok-he"]').first();
      assert.equal(
        await button.evaluate((a) => getComputedStyle(a).backgroundColor),
        'rgb(28, 79, 124)',
      );
      // A sandbox without allow-same-origin: the message cannot reach the dashboard.
      assert.equal(await frame.evaluate(() => origin), 'null');
      await page.screenshot({ path: path.join(screenshots, 'mail-view.png') });
    } finally {
      await page.close();
    }
  });

  it('does not offer the view to moderators', async () => {
    const page = await openAs('moderator', '/admin/queues/pending');
    try {
      await page.locator('nav.nav a').first().waitFor();
      const links = await page.locator('nav.nav a').allTextContents();
      assert.ok(links.includes('Queues'), links.join(', '));
      assert.ok(!links.includes('Mail'), links.join(', '));
    } finally {
      await page.close();
    }
  });
});
