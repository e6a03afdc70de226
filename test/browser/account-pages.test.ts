/**
 * Parley's own pages in Chromium with third-party cookies blocked: a publisher's page on one
 * origin (http://localhost:<A>, another site) opens the sign-in popup on Parley's
 * (http://127.0.0.1:<B>) and receives the session by postMessage after a log-in there; the popup
 * posts only to the origin it was opened for, and the publisher's check drops a message from any
 * other window. "Your account" asks its opener for the token, takes it only from the origin it was
 * opened for, and shows the reader; opened alone it offers a log-in first. Screenshots of the
 * popup in English and Arabic go to artefacts/.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { buildAccount } from '../../scripts/build-web.ts';
import { hashPassword } from '../../src/credentials/passwords.ts';
import type { Site } from '../../src/store/rows.ts';
import { insertSite } from '../../src/store/sites.ts';
import { insertUser } from '../../src/store/users.ts';
import { createTestApp, RELAXED_MODERATION, type TestApp } from '../helpers/app.ts';
import {
  browserSkipReason,
  launchChromiumProfile,
  thirdPartyCookiesBlocked,
} from '../helpers/browser.ts';
import { freePort } from '../helpers/process.ts';

const skip = browserSkipReason();
const ARTEFACTS = path.resolve(import.meta.dirname, '../../artefacts');
const PASSWORD = 'a long enough password';

/**
 * The publisher's page: a button that opens Parley's sign-in popup, one that opens "your
 * account", and the checks a widget makes on what comes back (from Parley's origin and from the
 * window it opened). What it accepted and what it dropped are kept for the test to read.
 */
function publisherScript(parley: string, siteId: string): string {
  return `
    const parley = ${JSON.stringify(parley)};
    window.received = [];
    window.dropped = [];
    let popup = null;
    function openParley(path, origin, lang) {
      const query = new URLSearchParams({ siteId: ${JSON.stringify(siteId)}, origin, lang });
      popup = window.open(parley + path + '?' + query, 'parley', 'popup,width=480,height=640');
    }
    window.openSignIn = (origin = location.origin, lang = 'en') =>
      openParley('/auth/popup', origin, lang);
    window.openAccount = (origin = location.origin) => openParley('/account', origin, 'en');
    addEventListener('message', (event) => {
      const fromPopup = event.origin === parley && event.source === popup && popup !== null;
      (fromPopup ? window.received : window.dropped).push({ origin: event.origin, data: event.data });
      if (fromPopup && event.data.type === 'parley:ready' && window.token) {
        popup.postMessage({ type: 'parley:token', token: window.token }, parley);
      }
    });`;
}

describe('account pages in Chromium, third-party cookies blocked', { skip }, () => {
  let app: TestApp;
  let parley: string;
  let publisher: string;
  let site: Site;
  let server: http.Server;
  let context: BrowserContext;
  const email = `nadia.${Date.now()}@example.com`;

  before(async () => {
    await buildAccount();
    const port = await freePort();
    parley = `http://127.0.0.1:${port}`;
    app = await createTestApp('sqlite', { PUBLIC_URL: parley, PARLEY_AUTH_RATE_LIMIT: '1000' });
    await app.app.listen({ port, host: '127.0.0.1' });

    const publisherPort = await freePort();
    publisher = `http://localhost:${publisherPort}`;
    site = await insertSite(app.store.db, {
      name: 'Publisher',
      // A second origin of the same site: the popup may be asked to post there instead.
      allowedOrigins: [publisher, 'https://other.example'],
      editWindowSeconds: app.config.editWindowSeconds,
      maxDepth: app.config.maxDepth,
      moderation: RELAXED_MODERATION,
    });
    await app.sites.refresh();
    const user = await insertUser(app.store.db, {
      email,
      displayName: 'Nadia',
      passwordHash: await hashPassword(PASSWORD),
      role: 'commenter',
    });
    assert.ok(user);
    await app.store.db
      .updateTable('users')
      .set({ email_verified_at: new Date().toISOString() })
      .where('id', '=', user.id)
      .execute();

    const script = publisherScript(parley, site.id);
    server = http.createServer((request, response) => {
      const url = request.url ?? '/';
      if (url === '/publisher.js') {
        response.writeHead(200, { 'content-type': 'text/javascript' });
        return response.end(script);
      }
      // A frame from yet another origin (127.0.0.1:<A>) that posts a forged session to its parent.
      if (url === '/forger') {
        response.writeHead(200, { 'content-type': 'text/html' });
        return response.end(`<script>parent.postMessage({ type: 'parley:session',
          session: { token: 'forged', user: { displayName: 'Mallory' } } }, '*');</script>`);
      }
      if (url !== '/article') return response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      response.end(`<!doctype html><html lang="en"><head><title>Article</title>
        <script src="/publisher.js"></script></head><body><h1>An article</h1></body></html>`);
    });
    await new Promise<void>((resolve) => server.listen(publisherPort, '127.0.0.1', resolve));
    context = await launchChromiumProfile({ blockThirdPartyCookies: true });
  });
  after(async () => {
    await context?.close();
    server?.close();
    await app?.close();
  });

  async function article(): Promise<Page> {
    const page = await context.newPage();
    await page.goto(`${publisher}/article`);
    return page;
  }

  /** Runs `open` on the publisher's page and answers the popup it opens. */
  async function popupFrom(page: Page, open: string): Promise<Page> {
    const [popup] = await Promise.all([context.waitForEvent('page'), page.evaluate(open)]);
    await popup.waitForLoadState();
    return popup;
  }

  /** The messages the publisher's page accepted (arbitrary JSON, as posted). */
  const received = (page: Page) =>
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- read as the test needs
    page.evaluate(() => (window as unknown as { received: { data: any }[] }).received);

  async function logIn(popup: Page): Promise<void> {
    await popup.getByLabel('Email').fill(email);
    await popup.getByLabel('Password').fill(PASSWORD);
    await popup.getByRole('button', { name: 'Log in' }).click();
  }

  it('really blocks third-party cookies in this browser', async () => {
    assert.equal(await thirdPartyCookiesBlocked(context), true);
    const allowing = await launchChromiumProfile({ blockThirdPartyCookies: false });
    try {
      assert.equal(await thirdPartyCookiesBlocked(allowing), false, 'the check can tell');
    } finally {
      await allowing.close();
    }
  });

  it('hands the session to the publisher’s page after a log-in in the popup', async () => {
    const page = await article();
    const popup = await popupFrom(page, 'openSignIn()');
    assert.equal(await popup.locator('html').getAttribute('dir'), 'ltr');
    await popup.getByRole('heading', { name: 'Sign in to comment' }).waitFor();

    // A wrong password first: the error is said in the popup, and nothing is posted.
    await popup.getByLabel('Email').fill(email);
    await popup.getByLabel('Password').fill('not the password');
    await popup.getByRole('button', { name: 'Log in' }).click();
    await popup.getByRole('alert').filter({ hasText: 'not right' }).waitFor();
    assert.deepEqual(await received(page), []);

    const closed = popup.waitForEvent('close');
    await logIn(popup);
    await closed;
    await page.waitForFunction(() => (window as unknown as { received: [] }).received.length > 0);
    const message = (await received(page))[0]!;
    assert.equal(message.data.type, 'parley:session');
    assert.equal(message.data.session.user.displayName, 'Nadia');
    assert.equal(typeof message.data.session.refreshToken, 'string');
    const me = await fetch(`${parley}/api/v1/auth/me`, {
      headers: { authorization: `Bearer ${message.data.session.token}` },
    });
    assert.equal(me.status, 200, 'the session works');
    assert.deepEqual(await context.cookies(parley), [], 'Parley sets no cookies');
    await page.close();
  });

  it('drops a message from another origin, and posts only to the origin it was opened for', async () => {
    const page = await article();
    // Another origin's frame posts a forged session: the publisher's check drops it.
    await page.evaluate(
      (src) => {
        const frame = document.createElement('iframe');
        frame.src = src;
        document.body.append(frame);
      },
      `${publisher.replace('localhost', '127.0.0.1')}/forger`,
    );
    await page.waitForFunction(() => (window as unknown as { dropped: [] }).dropped.length > 0);
    assert.deepEqual(await received(page), []);

    // Opened for the site's other origin, the popup's message never reaches this page.
    const popup = await popupFrom(page, `openSignIn('https://other.example')`);
    const closed = popup.waitForEvent('close');
    await logIn(popup);
    await closed;
    await page.waitForTimeout(500);
    assert.deepEqual(await received(page), [], 'the browser delivered nothing to this origin');
    const dropped = await page.evaluate(
      () => (window as unknown as { dropped: { origin: string }[] }).dropped,
    );
    assert.deepEqual(
      dropped.map((message) => message.origin),
      [publisher.replace('localhost', '127.0.0.1')],
    );

    // Opened for an origin the site does not allow, it says so and offers nothing.
    const refused = await popupFrom(page, `openSignIn('https://evil.example')`);
    await refused.getByRole('alert').waitFor();
    assert.equal(await refused.locator('form').count(), 0);
    assert.equal(await refused.locator('script').count(), 0);
    await refused.close();
    await page.close();
  });

  it('gives "your account" the token when it asks, and only from its origin', async () => {
    const page = await article();
    const session = await (
      await fetch(`${parley}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      })
    ).json();
    await page.evaluate(
      (token) => ((window as unknown as { token: string }).token = token),
      session.token,
    );

    const account = await popupFrom(page, 'openAccount()');
    await account.getByText('Signed in as Nadia').waitFor();
    const ready = (await received(page))[0]!;
    assert.deepEqual(ready.data, { type: 'parley:ready' });
    await account.getByRole('heading', { name: 'Where you are signed in' }).waitFor();
    fs.mkdirSync(ARTEFACTS, { recursive: true });
    await account.screenshot({ path: path.join(ARTEFACTS, 'account-page-en.png'), fullPage: true });

    // The data export, when the route is there (another part of the work builds it).
    const exportRoute = await fetch(`${parley}/api/v1/auth/me/export`, {
      headers: { authorization: `Bearer ${session.token}` },
    });
    if (exportRoute.status !== 404) {
      const [download] = await Promise.all([
        account.waitForEvent('download'),
        account.getByRole('button', { name: 'Download my data' }).click(),
      ]);
      const file = await download.path();
      const data = JSON.parse(fs.readFileSync(file, 'utf8'));
      assert.equal(data.profile.displayName, 'Nadia');
    }
    await account.close();

    // Opened for the site's other origin: "ready" never reaches this page, and the token this
    // page posts anyway comes from the wrong origin, so the account page asks for a log-in.
    const other = await popupFrom(page, `openAccount('https://other.example')`);
    await page.evaluate((token) => {
      const opened = window.open('', 'parley');
      opened?.postMessage({ type: 'parley:token', token }, '*');
    }, session.token);
    await other.getByText('Log in to manage your account.').waitFor({ timeout: 10_000 });
    assert.equal(await other.getByText('Signed in as Nadia').count(), 0);
    await other.close();
    await page.close();
  });

  it('offers a log-in first when opened alone, and keeps the session in memory', async () => {
    const page = await context.newPage();
    await page.goto(`${parley}/account`);
    await page.getByText('Log in to manage your account.').waitFor();
    await logIn(page);
    await page.getByText('Signed in as Nadia').waitFor();
    const stored = await page.evaluate(() => ({
      local: localStorage.length,
      session: sessionStorage.length,
      cookies: document.cookie,
    }));
    assert.deepEqual(stored, { local: 0, session: 0, cookies: '' });
    await page.reload();
    await page.getByText('Log in to manage your account.').waitFor();
    await page.close();
  });

  /** The link of the last mail to `to` (held in the outbox: no SMTP here). */
  async function mailedLink(to: string, path: string): Promise<string> {
    const mail = await app.store.db
      .selectFrom('mail_outbox')
      .select('text_body')
      .where('to_address', '=', to)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    const link = mail?.text_body.match(new RegExp(`${parley}${path}\\?token=[\\w-]+`))?.[0];
    assert.ok(link, `a ${path} link in ${mail?.text_body}`);
    return link;
  }

  it('signs up, confirms the address by the mailed link, and resets a forgotten password', async () => {
    const reader = `omar.${Date.now()}@example.com`;
    const page = await article();
    const popup = await popupFrom(page, 'openSignIn()');
    await popup.getByRole('button', { name: 'Create an account' }).click();
    await popup.getByLabel('Display name').fill('Omar');
    await popup.getByLabel('Email').fill(reader);
    await popup.getByLabel('Password').fill(PASSWORD);
    await popup.getByRole('button', { name: 'Create an account' }).click();
    await popup
      .getByRole('status')
      .filter({ hasText: `We sent a message to ${reader}` })
      .waitFor();
    assert.deepEqual(await received(page), [], 'no session before the address is confirmed');

    // Following the link in this browser signs the reader in where they signed up: the popup,
    // still waiting, hands the session to the publisher's page and closes (test/browser/signup.test.ts).
    const handedOver = popup.waitForEvent('close');
    const verify = await context.newPage();
    await verify.goto(await mailedLink(reader, '/account/verify'));
    await verify.getByText('Your address is confirmed, and you are signed in where you').waitFor();
    await handedOver;
    assert.doesNotMatch(verify.url(), /token=/, 'the token leaves the address bar');
    await page.waitForFunction(() => (window as unknown as { received: [] }).received.length > 0);
    assert.equal((await received(page))[0]!.data.session.user.displayName, 'Omar');
    await verify.goBack().catch(() => undefined);
    await verify.goto(await mailedLink(reader, '/account/verify'));
    await verify.getByText('This link has expired or has already been used.').waitFor();
    await verify.close();

    const popupAgain = await popupFrom(page, 'openSignIn()');
    await popupAgain.getByRole('button', { name: 'Forgot your password?' }).click();
    await popupAgain.getByLabel('Email').fill(reader);
    await popupAgain.getByRole('button', { name: 'Send me a link' }).click();
    await popupAgain
      .getByRole('status')
      .filter({ hasText: `If an account uses ${reader}` })
      .waitFor();
    const reset = await context.newPage();
    await reset.goto(await mailedLink(reader, '/account/reset'));
    await reset.getByLabel('New password').fill('another long password');
    await reset.getByRole('button', { name: 'Save the new password' }).click();
    await reset.getByText('Your password is changed').waitFor();
    await reset.close();

    await popupAgain.getByRole('button', { name: 'Back to log in' }).click();
    const closed = popupAgain.waitForEvent('close');
    await popupAgain.getByLabel('Email').fill(reader);
    await popupAgain.getByLabel('Password').fill('another long password');
    await popupAgain.getByRole('button', { name: 'Log in' }).click();
    await closed;
    await page.waitForFunction(() => (window as unknown as { received: [] }).received.length > 1);
    const message = (await received(page))[1]!;
    assert.equal(message.data.session.user.displayName, 'Omar');
    assert.equal(message.data.session.user.emailVerified, true);
    await page.close();
  });

  it('shows the popup in English and in Arabic (screenshots)', async () => {
    fs.mkdirSync(ARTEFACTS, { recursive: true });
    for (const lang of ['en', 'ar']) {
      const page = await context.newPage();
      await page.setViewportSize({ width: 480, height: 640 });
      const query = new URLSearchParams({ siteId: site.id, origin: publisher, lang });
      await page.goto(`${parley}/auth/popup?${query}`);
      await page.locator('form').waitFor();
      assert.equal(await page.locator('html').getAttribute('dir'), lang === 'ar' ? 'rtl' : 'ltr');
      if (lang === 'ar') {
        await page.getByRole('heading', { name: 'سجّل الدخول للتعليق' }).waitFor();
        // The window is titled with the publisher's name (its brand).
        assert.equal(await page.title(), 'سجّل الدخول للتعليق · Publisher');
      }
      await page.screenshot({ path: path.join(ARTEFACTS, `account-popup-${lang}.png`) });
      await page.close();
    }
  });
});
