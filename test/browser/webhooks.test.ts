/**
 * Webhooks in the dashboard, in Chromium: an admin adds an endpoint pointing at a real receiver on
 * 127.0.0.1 (the server allows private receivers here), sees its secret once with a copy button,
 * sends a test event that the receiver gets and verifies with that secret, finds it delivered in
 * the log with its attempt (status, latency), sends it again (same webhook-id), disables and
 * enables the endpoint and rotates its secret. A moderator has no Webhooks view.
 *
 * Screenshot: /tmp/parley-webhooks.png (or in PARLEY_SCREENSHOT_DIR).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildAdmin } from '../../scripts/build-web.ts';
import { ADMIN_ASSETS } from '../../src/server/admin-page.ts';
import { hashPassword } from '../../src/credentials/passwords.ts';
import type { Role } from '../../src/store/schema.ts';
import { insertUser } from '../../src/store/users.ts';
import { startWebhookDelivery, type WebhookDelivery } from '../../src/webhooks/delivery.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { browserSkipReason, launchChromium } from '../helpers/browser.ts';
import { freePort } from '../helpers/process.ts';
import { receiverVerifies, startReceiver, type Receiver } from '../helpers/webhook-receiver.ts';

const skip = browserSkipReason();
const PASSWORD = 'a long enough password';
const screenshots = process.env.PARLEY_SCREENSHOT_DIR ?? os.tmpdir();
const ADMIN = 'webhooks.admin@example.com';
const MODERATOR = 'webhooks.moderator@example.com';
const quiet = { warn: () => undefined, info: () => undefined, error: () => undefined };

describe('webhooks in the dashboard in Chromium', { skip }, () => {
  let parley: TestApp;
  let browser: Browser;
  let receiver: Receiver;
  let sender: WebhookDelivery;
  let url: string;

  before(async () => {
    if (Object.values(ADMIN_ASSETS).some((asset) => !fs.existsSync(asset.file))) {
      await buildAdmin();
    }
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    parley = await createTestApp('sqlite', {
      PUBLIC_URL: url,
      PARLEY_WEBHOOK_ALLOW_PRIVATE: '1',
    });
    await parley.app.listen({ port, host: '127.0.0.1' });
    // The app's own sender is off in tests (runJobs: false); this one polls as a server's would.
    sender = startWebhookDelivery(
      parley.store,
      { publicUrl: url, allowPrivateAddresses: true, pollMs: 100 },
      quiet,
    );
    receiver = await startReceiver();
    const passwordHash = await hashPassword(PASSWORD);
    const account = async (email: string, role: Role) => {
      const user = await insertUser(parley.store.db, {
        email,
        displayName: role === 'admin' ? 'Platform Editor' : 'Night Moderator',
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
    await sender?.stop();
    await receiver?.close();
    await parley?.close();
  });

  async function open(email: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
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

  it('adds an endpoint, sends a test event to a real receiver and shows it in the log', async () => {
    const { page, problems } = await open(ADMIN);
    await page
      .getByRole('navigation', { name: 'Views' })
      .getByRole('link', { name: 'Webhooks' })
      .click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await page.getByText('No endpoint yet.').waitFor();

    // A private address the form takes only because the server allows it; then two events.
    const form = page.getByRole('form', { name: 'Add an endpoint' });
    await form.getByLabel('Address').fill(receiver.url);
    await form.getByLabel('Description').fill('Newsroom CMS');
    await form.getByRole('checkbox', { name: /story\.created/ }).check();
    await form.getByRole('button', { name: 'Add endpoint' }).click();

    // The secret, once, with a copy button.
    const secretField = page.getByRole('textbox', { name: 'Signing secret' });
    await secretField.waitFor();
    const secret = await secretField.inputValue();
    assert.match(secret, /^whsec_[A-Za-z0-9+/]+=*$/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /Copied|Selected/ })
      .waitFor();

    const endpoints = page.getByRole('table', { name: 'The site’s webhook endpoints' });
    assert.match(
      await endpoints.innerText(),
      /127\.0\.0\.1[\s\S]*Newsroom CMS[\s\S]*2 events[\s\S]*Enabled/,
    );

    // The test event reaches the receiver, which verifies it with the secret it was shown.
    await page.getByRole('button', { name: 'Send test event' }).click();
    await receiver.waitFor((r) => r.length === 1);
    const [received] = receiver.received;
    assert.equal(received?.json.type, 'webhook.test');
    assert.equal(receiverVerifies(secret, received!), true);

    // The log shows it delivered; opened, its attempt with the receiver's status and latency.
    const log = page.getByRole('table', { name: /Deliveries to this endpoint/ });
    const row = log.locator('tbody tr').first();
    await row.filter({ hasText: 'Delivered' }).waitFor();
    assert.match(await row.innerText(), /webhook\.test[\s\S]*Delivered\s+1\s+204/);
    await row.getByRole('button', { name: 'webhook.test' }).click();
    const attempts = page.getByRole('table', { name: 'Attempts' });
    await attempts.waitFor();
    assert.match(await attempts.locator('tbody tr').first().innerText(), /204\s+\d+ ms/);
    await page.getByText(received!.id).waitFor();
    await page.setViewportSize({ width: 1280, height: 1500 });
    await page.screenshot({ path: path.join(screenshots, 'parley-webhooks.png'), fullPage: true });

    // Sent again: the receiver gets the same webhook-id, and the log a second delivery.
    await page.getByRole('button', { name: 'Send again' }).click();
    await receiver.waitFor((r) => r.length === 2);
    assert.equal(receiver.received[1]?.id, received?.id);
    await log.locator('tbody tr[data-delivery]').nth(1).waitFor();
    await log.locator('tbody tr[data-delivery]').first().filter({ hasText: 'Delivered' }).waitFor();

    // Disabled: no test event until enabled again.
    await page.getByRole('button', { name: 'Disable' }).click();
    await endpoints.getByText('Disabled').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Send test event' }).isDisabled(), true);
    await page.getByRole('button', { name: 'Enable' }).click();
    await endpoints.getByText('Enabled').waitFor();

    // Rotated: a new secret, once; both sign for the overlap chosen.
    await page.getByLabel('The old secret signs on for').selectOption('1');
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('heading', { name: 'The new signing secret' }).waitFor();
    const rotated = await page.getByRole('textbox', { name: 'Signing secret' }).inputValue();
    assert.notEqual(rotated, secret);
    await page.getByText(/signs until/).waitFor();
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('is not offered to moderators', async () => {
    const { page } = await open(MODERATOR);
    const nav = page.getByRole('navigation', { name: 'Views' });
    await nav.getByRole('link', { name: 'Settings' }).waitFor();
    assert.equal(await nav.getByRole('link', { name: 'Webhooks' }).count(), 0);
    await page.goto(`${url}/admin/webhooks`);
    await page.getByText('Only administrators manage webhooks.').waitFor();
    await page.close();
  });
});
