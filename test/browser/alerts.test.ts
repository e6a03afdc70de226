/**
 * A moderator's alerts in the dashboard, in Chromium: under the site's settings a moderator (who
 * cannot change the site's settings) chooses held comments at once, a report threshold and a
 * Slack webhook on a local receiver, saves, sees the address only masked, sends a test alert and
 * reads what the receiver answered; a bad threshold is refused before it is sent. A link from an
 * alert (`/admin/queues/pending?site=…&comment=…`) opens the queue on that site with the comment
 * selected.
 *
 * Screenshots go to artefacts/ (not committed), or to PARLEY_SCREENSHOT_DIR.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildAdmin } from '../../scripts/build-web.ts';
import { renderCommentHtml } from '../../src/domain/markdown.ts';
import { dashboardLinks } from '../../src/notify/alerts.ts';
import { hashPassword } from '../../src/credentials/passwords.ts';
import { ADMIN_ASSETS } from '../../src/server/admin-page.ts';
import { insertComment } from '../../src/store/comments.ts';
import { insertUser } from '../../src/store/users.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchChromium } from '../helpers/browser.ts';
import { startChatReceiver, type ChatReceiver } from '../helpers/chat-receiver.ts';
import { freePort } from '../helpers/process.ts';

const skip = browserSkipReason();
const PASSWORD = 'a long enough password';
const ROOT = path.resolve(import.meta.dirname, '../..');
const screenshots = process.env.PARLEY_SCREENSHOT_DIR ?? path.join(ROOT, 'artefacts');
const MODERATOR = 'alert.moderator@example.com';

describe('moderator alerts in the dashboard (Chromium)', { skip }, () => {
  let parley: TestApp;
  let browser: Browser;
  let chat: ChatReceiver;
  let url: string;
  let moderatorId: string;
  const held: string[] = [];

  before(async () => {
    if (Object.values(ADMIN_ASSETS).some((asset) => !fs.existsSync(asset.file))) {
      await buildAdmin();
    }
    fs.mkdirSync(screenshots, { recursive: true });
    chat = await startChatReceiver();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    parley = await createTestApp('sqlite', { PUBLIC_URL: url, PARLEY_WEBHOOK_ALLOW_PRIVATE: '1' });
    await parley.app.listen({ port, host: '127.0.0.1' });
    const moderator = await insertUser(parley.store.db, {
      email: MODERATOR,
      displayName: 'Night Moderator',
      passwordHash: await hashPassword(PASSWORD),
      role: 'moderator',
    });
    assert.ok(moderator);
    moderatorId = moderator.id;
    const author = await insertUser(parley.store.db, {
      email: 'author@example.com',
      displayName: 'Rita Reader',
      passwordHash: null,
      role: 'commenter',
    });
    assert.ok(author);
    const storyId = await parley.story('alerts-story');
    for (let i = 1; i <= 3; i++) {
      const body = `Held comment number ${i} for the alert link.`;
      const comment = await insertComment(parley.store.db, {
        siteId: parley.site.id,
        storyId,
        parentId: null,
        threadParentId: null,
        depth: 0,
        authorId: author.id,
        body,
        html: renderCommentHtml(body),
        status: 'pending',
        createdAt: new Date(Date.now() - (10 - i) * 60_000),
      });
      assert.ok(comment);
      held.push(comment.id);
    }
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await parley?.close();
    await chat?.close();
  });

  async function open(path = '/admin'): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    await page.goto(`${url}${path}`);
    await page.locator('input[name="email"]').fill(MODERATOR);
    await page.locator('input[name="password"]').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return { page, problems };
  }

  it('lets a moderator choose, save and test their alerts', async () => {
    const { page, problems } = await open();
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: 'Settings' })
      .click();
    const panel = page.getByRole('form', { name: 'Your alerts for Test News' });
    await panel.waitFor();
    await panel.getByText('You get no alerts for this site.').waitFor();

    await panel.getByLabel('A comment is held for review').selectOption('immediate');
    await panel.getByLabel(/^A comment is reported/).selectOption('digest');
    await panel.getByLabel('Send the digest every').fill('15');
    await panel.getByLabel('Tell me when a comment is reported more than').fill('99999');
    await panel.getByRole('button', { name: 'Save my alerts' }).click();
    await panel.getByRole('alert').filter({ hasText: 'from 0 to 10000' }).waitFor();

    await panel.getByLabel('Tell me when a comment is reported more than').fill('3');
    await panel
      .getByLabel('Chat incoming webhook')
      .fill(`${chat.origin}/services/T1/B2/hook-secret-WXYZ`);
    await panel.getByLabel('Message format').selectOption('slack');
    await panel.getByRole('button', { name: 'Save my alerts' }).click();
    await panel
      .getByRole('status')
      .filter({ hasText: 'Saved your alerts for Test News.' })
      .waitFor();
    // The address is never shown back whole.
    const field = panel.getByLabel('Chat incoming webhook');
    assert.equal(await field.inputValue(), '');
    assert.equal(await field.getAttribute('placeholder'), `Saved: ${chat.origin}/…WXYZ`);
    assert.ok(!(await page.content()).includes('hook-secret'));
    await panel
      .getByText(/You hear of held comments at once; reports in a digest every 15 min;/)
      .waitFor();

    const stored = await parley.store.db
      .selectFrom('moderator_alerts')
      .selectAll()
      .where('user_id', '=', moderatorId)
      .executeTakeFirstOrThrow();
    assert.equal(stored.pending, 'immediate');
    assert.equal(stored.reported, 'digest');
    assert.equal(stored.digest_minutes, 15);
    assert.equal(stored.report_threshold, 3);
    assert.equal(stored.chat_url, `${chat.origin}/services/T1/B2/hook-secret-WXYZ`);

    await panel.getByRole('button', { name: 'Send a test alert' }).click();
    const results = panel.getByRole('list', { name: 'What the test alert did' });
    await results.getByText(/Chat: The slack webhook answered 200/).waitFor();
    await results.getByText(`Mail: Queued a message to ${MODERATOR}.`).waitFor();
    assert.equal(chat.posts.length, 1);
    assert.equal(chat.posts[0]?.json.blocks[0].text.text, 'Test alert from Test News');

    await panel.scrollIntoViewIfNeeded();
    await panel.screenshot({ path: path.join(screenshots, 'admin-alerts.png') });
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('opens an alert’s link on its site with the comment selected', async () => {
    const target = held[2] as string;
    const link = dashboardLinks(url).comment('pending', parley.site.id, target);
    const { page, problems } = await open(link.slice(url.length));
    await page
      .locator(`ol.items [data-comment-id="${target}"][aria-current="true"]`)
      .waitFor({ timeout: 5000 });
    await page.screenshot({ path: path.join(screenshots, 'admin-alert-link.png') });
    assert.deepEqual(problems, []);
    await page.close();
  });
});
