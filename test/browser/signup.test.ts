/**
 * Sign-up then confirm ends signed in (issue 16), in Chromium with third-party cookies blocked:
 * Parley on 127.0.0.1 with its job worker delivering mail to a real SMTP peer, a publisher's
 * article on `localhost` (another site) with the widget, and a site with a brand (name, logo,
 * accent colour). A reader signs up in the popup (whose heading follows the form; the browser keeps
 * the sign-up's secret on Parley's origin), reads the mail, and opens its link
 *   - in a new page of the same browser: the popup still waiting gets the session and hands it to
 *     the widget, whose tab is signed in; the page says so and links back to the article;
 *   - in a new page of the same browser once the popup is closed: that page alone is signed in
 *     (the account page, its session in memory) and links back; nothing is left for a popup;
 *   - in another browser (as when someone signs up with another's address, and its owner follows
 *     the link): the address is confirmed, no session is opened, and that page signs in only
 *     with the password typed there, then offers the way back to the article.
 * Also: the brand in the popup and on "Your account", which opens at the size the widget asks for
 * without scrolling sideways and names the reader's sessions by browser and system.
 * Screenshots go to artefacts/signup-*.png.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { buildAccount } from '../../scripts/build-web.ts';
import { loadConfig } from '../../src/config.ts';
import { buildApp, type ParleyApp } from '../../src/server/app.ts';
import { setSiteBranding } from '../../src/store/branding.ts';
import type { Site } from '../../src/store/rows.ts';
import { insertSite } from '../../src/store/sites.ts';
import { ACCOUNT_SIZE } from '../../web/embed/src/state/popup.ts';
import { RELAXED_MODERATION } from '../helpers/app.ts';
import { browserSkipReason, launchChromiumProfile } from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/engines.ts';
import { freePort } from '../helpers/process.ts';
import { extractLink, startSmtpPeer, type SmtpPeer } from '../helpers/smtp.ts';

const skip = browserSkipReason();
const ARTEFACTS = path.resolve(import.meta.dirname, '../../artefacts');
const PASSWORD = 'a long enough password';
const BRAND = 'Harbour Gazette';
const LOGO = 'https://static.harbour-gazette.example/logo.svg';
const ACCENT = '#1d4f7c';
const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" width="250" height="40" viewBox="0 0 250 40">
<rect width="40" height="40" rx="6" fill="${ACCENT}"/><text x="20" y="27" font-size="20" font-family="Georgia" fill="#fff" text-anchor="middle">H</text>
<text x="50" y="27" font-size="19" font-family="Georgia" font-weight="700" fill="#1a1a1a">Harbour Gazette</text></svg>`;

const widget = (page: Page) => page.locator('#parley-comments');
const signOutButton = (page: Page) => widget(page).getByRole('button', { name: 'Sign out' });

describe('sign-up then confirm signs the reader in, third-party cookies blocked', { skip }, () => {
  let database: TestDatabase;
  let parley: ParleyApp;
  let parleyUrl: string;
  let publisher: http.Server;
  let publisherUrl: string;
  let smtp: SmtpPeer;
  let site: Site;
  const contexts: BrowserContext[] = [];

  before(async () => {
    fs.mkdirSync(ARTEFACTS, { recursive: true });
    await buildAccount();
    smtp = await startSmtpPeer();
    const port = await freePort();
    parleyUrl = `http://127.0.0.1:${port}`;
    publisher = http.createServer((request, response) => {
      const storyId = new URL(request.url ?? '/', 'http://publisher').pathname.slice(1) || 'front';
      response.setHeader('content-type', 'text/html; charset=utf-8');
      response.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${BRAND}: ${storyId}</title></head>
<body><h1>Harbour bridge to reopen in spring</h1>
<div id="parley-comments" data-story-id="${storyId}" data-site-id="${site.id}"></div>
<script src="${parleyUrl}/embed.js" async></script></body></html>`);
    });
    await new Promise<void>((resolve) => publisher.listen(0, '127.0.0.1', resolve));
    publisherUrl = `http://localhost:${(publisher.address() as AddressInfo).port}`;

    database = await createTestDatabase('sqlite');
    const config = {
      ...loadConfig({
        PUBLIC_URL: parleyUrl,
        SMTP_URL: smtp.url,
        PARLEY_CLASSIFIER: '0',
        PARLEY_SESSION_CACHE_MS: '0',
        PARLEY_THREAD_CACHE_TTL_MS: '0',
      }),
      database: database.config,
      scrapeMetadata: false,
    };
    parley = await buildApp(config, { logger: false, runJobs: true });
    site = await insertSite(parley.store.db, {
      name: BRAND,
      allowedOrigins: [publisherUrl],
      editWindowSeconds: config.editWindowSeconds,
      maxDepth: config.maxDepth,
      moderation: RELAXED_MODERATION,
    });
    await setSiteBranding(parley.store.db, site.id, {
      logoUrl: LOGO,
      accentColor: ACCENT,
      guidelinesUrl: null,
      senderName: 'Harbour Gazette comments',
      signoff: null,
    });
    await parley.sites.refresh();
    await parley.app.listen({ port, host: '127.0.0.1' });
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await parley?.close();
    await database?.drop();
    await new Promise((resolve) => publisher?.close(resolve));
    await smtp?.close();
  });

  /** A browser of its own; the publisher's logo (an https address) is answered locally. */
  async function browser(): Promise<BrowserContext> {
    const context = await launchChromiumProfile({ blockThirdPartyCookies: true });
    contexts.push(context);
    await context.route(LOGO, (route) =>
      route.fulfill({ contentType: 'image/svg+xml', body: LOGO_SVG }),
    );
    return context;
  }

  async function article(context: BrowserContext, storyId: string): Promise<Page> {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.setViewportSize({ width: 900, height: 900 });
    await page.goto(`${publisherUrl}/${storyId}`);
    await widget(page).locator('.account').waitFor();
    return page;
  }

  /** Signs up in the widget's popup, which is left open (waiting for the link); its mail. */
  async function signUp(page: Page, name: string, email: string) {
    const opened = page.waitForEvent('popup');
    await widget(page).getByRole('button', { name: 'Sign in' }).click();
    const popup = await opened;
    await popup.waitForLoadState();
    await popup.getByRole('heading', { name: 'Sign in to comment' }).waitFor();
    await popup.getByRole('button', { name: 'Create an account' }).first().click();
    await popup.getByRole('heading', { name: 'Create an account' }).waitFor();
    await popup.getByLabel('Display name').fill(name);
    await popup.getByLabel('Email').fill(email);
    await popup.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await popup.locator('form').getByRole('button', { name: 'Create an account' }).click();
    await popup.getByText(`We sent a message to ${email}`).waitFor();
    const mail = await smtp.waitForMessage((m) => m.envelope.to.includes(email), 20_000);
    return { popup, mail, link: extractLink(mail, '/account/verify') };
  }

  const me = (token: string) =>
    fetch(`${parleyUrl}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });

  /** The widget's stored session on the publisher's origin. */
  async function storedToken(page: Page): Promise<string | undefined> {
    const value = await page.evaluate(
      (key) => localStorage.getItem(key),
      `parley:token:${parleyUrl}`,
    );
    return value ? (JSON.parse(value) as { token: string }).token : undefined;
  }

  it('shows the brand in the popup, whose heading follows the form', async () => {
    const context = await browser();
    const page = await article(context, 'brand');
    const opened = page.waitForEvent('popup');
    await widget(page).getByRole('button', { name: 'Sign in' }).click();
    const popup = await opened;
    await popup.setViewportSize({ width: 480, height: 580 });
    await popup.getByRole('heading', { name: 'Sign in to comment' }).waitFor();
    const logo = popup.locator('header.brand img.brand-logo');
    assert.equal(await logo.getAttribute('alt'), BRAND);
    await popup.waitForFunction(
      () => (document.querySelector('img.brand-logo') as HTMLImageElement).naturalWidth > 0,
    );
    const primary = popup.locator('form button.primary');
    const colour = await primary.evaluate((button) => getComputedStyle(button).backgroundColor);
    assert.equal(colour, 'rgb(29, 79, 124)', 'the main button in the accent colour');
    assert.equal(await popup.title(), `Sign in to comment · ${BRAND}`);
    await popup.screenshot({ path: path.join(ARTEFACTS, 'signup-popup-login.png') });

    await popup.getByRole('button', { name: 'Create an account' }).first().click();
    await popup.getByRole('heading', { name: 'Create an account' }).waitFor();
    // The window's title follows the heading once it is drawn (an effect after the render).
    await popup.waitForFunction(
      (title) => document.title === title,
      `Create an account · ${BRAND}`,
    );
    await popup.screenshot({ path: path.join(ARTEFACTS, 'signup-popup-signup.png') });
    await popup.getByRole('button', { name: 'Back to log in' }).click();
    await popup.getByRole('heading', { name: 'Sign in to comment' }).waitFor();
    await popup.getByRole('button', { name: 'Forgot your password?' }).click();
    await popup.getByRole('heading', { name: 'Reset your password' }).waitFor();
    await popup.close();

    // In Arabic (right to left), the same, from the same address with lang=ar.
    const arabic = await context.newPage();
    await arabic.setViewportSize({ width: 480, height: 580 });
    const query = new URLSearchParams({ siteId: site.id, origin: publisherUrl, lang: 'ar' });
    await arabic.goto(`${parleyUrl}/auth/popup?${query}`);
    await arabic.getByRole('heading', { name: 'سجّل الدخول للتعليق' }).waitFor();
    await arabic.locator('.links button').last().click();
    await arabic.getByRole('heading', { name: 'إنشاء حساب' }).waitFor();
    assert.equal(await arabic.locator('html').getAttribute('dir'), 'rtl');
    await arabic.screenshot({ path: path.join(ARTEFACTS, 'signup-popup-signup-ar.png') });
    await arabic.close();
    await page.close();
  });

  it('signs the widget’s tab in when the link is opened in a new page of the same browser', async () => {
    const context = await browser();
    const page = await article(context, 'bridge');
    const email = `lina.${Date.now()}@example.com`;
    const { popup, mail, link } = await signUp(page, 'Lina Okafor', email);
    assert.equal(await signOutButton(page).count(), 0, 'not signed in before the link');

    // The mail is the site's: its sender name, its logo, its name.
    assert.match(mail.headers.get('from') ?? '', /Harbour Gazette comments/);
    assert.ok(mail.html.includes(`src="${LOGO}"`), 'the logo heads the mail');
    const url = new URL(link);
    assert.equal(url.origin, parleyUrl);
    assert.equal(url.searchParams.get('siteId'), site.id);
    assert.equal(url.searchParams.get('article'), `${publisherUrl}/bridge`);

    const popupClosed = popup.waitForEvent('close');
    const confirm = await context.newPage();
    await confirm.setViewportSize({ width: 900, height: 700 });
    await confirm.goto(link);
    await confirm.getByText('you are signed in where you signed up').waitFor();
    await popupClosed;
    assert.equal(new URL(confirm.url()).searchParams.has('token'), false, 'token left the address');

    // The widget's tab took the session through the popup.
    await signOutButton(page).waitFor();
    assert.match(await widget(page).locator('.account').innerText(), /Signed in as\s+Lina Okafor/);
    const token = await storedToken(page);
    assert.ok(token);
    assert.equal((await me(token)).status, 200);

    const back = confirm.getByRole('link', { name: 'Back to the article' });
    assert.equal(await back.getAttribute('href'), `${publisherUrl}/bridge`);
    await confirm.screenshot({ path: path.join(ARTEFACTS, 'signup-confirmed-same-browser.png') });

    // The sign-up's secret is spent and forgotten; no session is kept on Parley's origin.
    assert.deepEqual(Object.keys(await parleyStorage(context)), []);

    // The link works once.
    const again = await context.newPage();
    await again.goto(link);
    await again.getByText('This link has expired or has already been used.').waitFor();
    await again.close();
    await confirm.close();

    // The account page opens at the widget's size for it: nothing scrolls sideways, the brand is
    // there and the sessions are named by browser and system.
    const opened = page.waitForEvent('popup');
    await widget(page).getByRole('button', { name: 'Your account' }).click();
    const account = await opened;
    // A popup's content area: the window's size less its title bar (Playwright sizes the page).
    await account.setViewportSize({ width: ACCOUNT_SIZE.width, height: ACCOUNT_SIZE.height - 60 });
    await account.getByRole('heading', { name: 'Where you are signed in' }).waitFor();
    const device = account.locator('.sessions .device');
    await device.first().waitFor();
    assert.deepEqual(await device.allInnerTexts(), ['Chrome on Linux (this device)']);
    assert.equal(await account.locator('header.brand img').getAttribute('alt'), BRAND);
    const overflow = await account.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
    }));
    assert.ok(
      overflow.scroll <= overflow.client,
      `no sideways scroll: ${JSON.stringify(overflow)}`,
    );
    await account.screenshot({ path: path.join(ARTEFACTS, 'signup-account-page.png') });
    await account.locator('#sessions').scrollIntoViewIfNeeded();
    await account.screenshot({ path: path.join(ARTEFACTS, 'signup-account-sessions.png') });
    await account.close();
  });

  /** Sessions the account has on the server. */
  async function sessionsOf(email: string): Promise<number> {
    const rows = await parley.store.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select('sessions.id')
      .where('users.email', '=', email)
      .execute();
    return rows.length;
  }

  /** What Parley's origin keeps in this browser's storage. */
  async function parleyStorage(context: BrowserContext): Promise<Record<string, string>> {
    const page = await context.newPage();
    await page.goto(`${parleyUrl}/account/verify`);
    const stored = await page.evaluate(() => ({ ...localStorage }));
    await page.close();
    return stored;
  }

  it('signs that page alone in when the link is opened in the same browser after the popup closed', async () => {
    const context = await browser();
    const page = await article(context, 'tide');
    const email = `mei.${Date.now()}@example.com`;
    const { popup, link } = await signUp(page, 'Mei Chen', email);
    const held = await popup.evaluate(() => localStorage.getItem('parley:sign-up-bindings'));
    assert.ok(held?.includes(email), 'the sign-up’s secret is kept under the address');
    await popup.close();

    const confirm = await context.newPage();
    await confirm.setViewportSize({ width: 900, height: 900 });
    await confirm.goto(link);
    await confirm.getByText('you are signed in as Mei Chen').waitFor();
    // A real signed-in account page.
    await confirm.getByRole('heading', { name: 'Where you are signed in' }).waitFor();
    const back = confirm.getByRole('link', { name: 'Back to the article' });
    assert.equal(await back.getAttribute('href'), `${publisherUrl}/tide`);
    assert.equal(await sessionsOf(email), 1);
    await confirm.screenshot({ path: path.join(ARTEFACTS, 'signup-confirmed-page-alone.png') });

    // Nothing left in storage: the secret is spent, and no session waits for a popup.
    const stored = await parleyStorage(context);
    assert.deepEqual(Object.keys(stored), [], JSON.stringify(stored));

    // The widget's tab was not signed in, and its next popup asks for the password.
    assert.equal(await signOutButton(page).count(), 0);
    const opened = page.waitForEvent('popup');
    await widget(page).getByRole('button', { name: 'Sign in' }).click();
    const next = await opened;
    await next.getByRole('heading', { name: 'Sign in to comment' }).waitFor();
    await next.getByLabel('Email').fill(email);
    await next.getByLabel('Password', { exact: true }).fill(PASSWORD);
    const closed = next.waitForEvent('close');
    await next.locator('form').getByRole('button', { name: 'Log in' }).click();
    await closed;
    await signOutButton(page).waitFor();
  });

  it('confirms without signing in when the link is opened in another browser; the password signs that page in', async () => {
    // Browser A signs up (an attacker may use someone else's address there); browser B holds
    // the mailbox and follows the link.
    const first = await browser();
    const page = await article(first, 'ferry');
    const email = `omar.${Date.now()}@example.com`;
    const { popup, link } = await signUp(page, 'Omar Haddad', email);

    const other = await browser();
    const there = await other.newPage();
    await there.setViewportSize({ width: 900, height: 900 });
    await there.goto(link);
    await there
      .getByText('Your address is confirmed. Log in with your password to comment.')
      .waitFor();
    assert.equal(new URL(there.url()).searchParams.has('token'), false, 'token left the address');
    // No session anywhere: not on this page, not in browser A.
    assert.equal(await sessionsOf(email), 0, 'the link alone opened no session');
    assert.equal(await there.getByRole('link', { name: 'Back to the article' }).count(), 0);
    assert.equal(await there.getByRole('heading', { name: 'Where you are signed in' }).count(), 0);
    assert.equal(popup.isClosed(), false, 'the popup in browser A is still waiting');
    assert.equal(await signOutButton(page).count(), 0, 'browser A’s widget is signed out');
    assert.deepEqual(Object.keys(await parleyStorage(other)), [], 'nothing kept in browser B');
    const user = await parley.store.db
      .selectFrom('users')
      .select('email_verified_at')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    assert.notEqual(user.email_verified_at, null, 'the address is confirmed');

    // The article in browser B: still signed out.
    const article2 = await other.newPage();
    await article2.goto(`${publisherUrl}/ferry`);
    await widget(article2).locator('.account').waitFor();
    assert.equal(await signOutButton(article2).count(), 0);
    await article2.close();

    // The form has the address; a wrong password is refused, the right one signs the page in.
    const form = there.locator('form');
    assert.equal(await form.getByLabel('Email').inputValue(), email);
    await form.getByLabel('Password', { exact: true }).fill(`wrong ${PASSWORD}`);
    await form.getByRole('button', { name: 'Log in' }).click();
    await there.getByText('The email or password is not right.').waitFor();
    assert.equal(await sessionsOf(email), 0);
    await form.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await form.getByRole('button', { name: 'Log in' }).click();
    await there.getByText('You are signed in as Omar Haddad on this page.').waitFor();
    await there.getByRole('heading', { name: 'Where you are signed in' }).waitFor();
    const back = there.getByRole('link', { name: 'Back to the article' });
    assert.equal(await back.getAttribute('href'), `${publisherUrl}/ferry`);
    assert.match((await back.getAttribute('class')) ?? '', /primary/);
    assert.equal(await sessionsOf(email), 1);
    await there.screenshot({ path: path.join(ARTEFACTS, 'signup-confirmed-other-browser.png') });

    // Browser A learnt nothing.
    assert.equal(popup.isClosed(), false);
    assert.equal(await signOutButton(page).count(), 0);
  });
});
