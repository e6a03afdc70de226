/**
 * Signing in from an embedded widget, end to end (issue 5, "Done means"; docs/identity.md): Chromium
 * with third-party cookies blocked, Parley listening on 127.0.0.1 (PUBLIC_URL is that address, its
 * job worker running and delivering mail to a real SMTP peer) and a publisher's pages served by a
 * separate server on `localhost` (another site, so every request of the widget is third party).
 * Three readers, each in a browser profile of their own:
 *   (a) signs up in Parley's sign-in popup, receives the verification mail, follows its link,
 *       signs in through the popup and comments;
 *   (b) arrives with the publisher's SSO token in the page (data-sso-token) and comments under the
 *       publisher's name for them; the page can sign them out and in again (Parley.logout/login);
 *   (c) signs in through an OpenID Connect provider (oidc-provider) in the popup and comments.
 * Also: a reader who has not confirmed their address is asked to (and can have the link again);
 * an expired access token is refreshed once for the requests refused together; a site that offers
 * only its publisher's SSO asks the publisher's page to sign the reader in.
 * Screenshots of each signed-in widget go to artefacts/.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SignJWT } from 'jose';
import type { BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { buildApp, type ParleyApp } from '../../src/server/app.ts';
import type { Site } from '../../src/store/rows.ts';
import { insertSite } from '../../src/store/sites.ts';
import { RELAXED_MODERATION } from '../helpers/app.ts';
import {
  browserSkipReason,
  launchChromiumProfile,
  thirdPartyCookiesBlocked,
} from '../helpers/browser.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/engines.ts';
import { startOidcProvider, type TestOidcProvider } from '../helpers/oidc-provider.ts';
import { freePort } from '../helpers/process.ts';
import { signInThroughPopup } from '../helpers/reader.ts';
import { extractLink, startSmtpPeer, type SmtpPeer } from '../helpers/smtp.ts';

const skip = browserSkipReason();
const ARTEFACTS = path.resolve(import.meta.dirname, '../../artefacts');
const SSO_SECRET = randomBytes(32).toString('hex');
const OIDC_LABEL = 'Northgate ID';
const PASSWORD = 'a long enough password';

/** What embed.js exposes to the publisher's page. */
interface WithParley {
  Parley: { login(token: string): Promise<void>; logout(): Promise<void> };
}

/** The widget's controls (Playwright's locators reach into its open shadow root). */
const widget = (page: Page) => page.locator('#parley-comments');
const signOutButton = (page: Page) => widget(page).getByRole('button', { name: 'Sign out' });

function commentByText(page: Page, text: string) {
  return widget(page).locator('[data-comment-id]').filter({ hasText: text }).first();
}

async function postComment(page: Page, text: string): Promise<void> {
  const form = widget(page).locator('form.composer');
  await form.locator('textarea[name="body"]').fill(text);
  await form.getByRole('button', { name: 'Post comment' }).click();
  await commentByText(page, text).waitFor();
}

/** Clicks the widget's "Sign in" and answers the popup it opens. */
async function inPopup(page: Page, steps: (popup: Page) => Promise<void>): Promise<void> {
  const opened = page.waitForEvent('popup');
  await widget(page).getByRole('button', { name: 'Sign in' }).click();
  const popup = await opened;
  await popup.waitForLoadState();
  assert.equal(new URL(popup.url()).pathname, '/auth/popup');
  await steps(popup);
}

/** Paths of the Parley API requests the page makes (no query strings). */
function apiCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/v1/')) calls.push(`${request.method()} ${url.pathname}`);
  });
  return calls;
}

describe('sign-in from an embedded widget, third-party cookies blocked', { skip }, () => {
  let database: TestDatabase;
  let parley: ParleyApp;
  let parleyUrl: string;
  let publisher: http.Server;
  let publisherUrl: string;
  let smtp: SmtpPeer;
  let oidc: TestOidcProvider;
  let site: Site;
  /** A second site on the same origin that offers only the publisher's SSO. */
  let ssoOnlySite: Site;
  /** SSO tokens the publisher's next page carries, by story id. */
  const ssoTokens = new Map<string, string>();
  const contexts: BrowserContext[] = [];

  before(async () => {
    fs.mkdirSync(ARTEFACTS, { recursive: true });
    smtp = await startSmtpPeer();
    const port = await freePort();
    parleyUrl = `http://127.0.0.1:${port}`;
    ({ server: publisher, url: publisherUrl } = await startPublisher());
    oidc = await startOidcProvider({
      redirectUris: [`${parleyUrl}/api/v1/auth/oidc/callback`],
      accounts: {
        'noor-7': { email: 'noor@northgate.example', email_verified: true, name: 'Noor Haddad' },
      },
    });

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
    // runJobs: the worker delivers the verification mail, as in production.
    parley = await buildApp(config, { logger: false, runJobs: true });
    const common = {
      allowedOrigins: [publisherUrl],
      editWindowSeconds: config.editWindowSeconds,
      maxDepth: config.maxDepth,
      moderation: RELAXED_MODERATION,
    };
    site = await insertSite(parley.store.db, {
      ...common,
      name: 'Northgate Herald',
      auth: {
        methods: { local: true, sso: true, oidc: true },
        sso: {
          secret: SSO_SECRET,
          jwksUrl: null,
          issuer: null,
          trustRoles: false,
          maxTokenAgeSeconds: 3600,
        },
        oidc: {
          issuer: oidc.issuer,
          clientId: oidc.clientId,
          clientSecret: oidc.clientSecret,
          label: OIDC_LABEL,
          scopes: ['email', 'profile'],
        },
      },
    });
    ssoOnlySite = await insertSite(parley.store.db, {
      ...common,
      name: 'Northgate Herald members',
      auth: {
        methods: { local: false, sso: true, oidc: false },
        sso: {
          secret: SSO_SECRET,
          jwksUrl: null,
          issuer: null,
          trustRoles: false,
          maxTokenAgeSeconds: 3600,
        },
      },
    });
    await parley.sites.refresh();
    await parley.app.listen({ port, host: '127.0.0.1' });
  });

  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await parley?.close();
    await database?.drop();
    await new Promise((resolve) => publisher?.close(resolve));
    await oidc?.close();
    await smtp?.close();
  });

  /** The publisher's article pages: /<storyId>, with the site's widget (and an SSO token). */
  async function startPublisher(): Promise<{ server: http.Server; url: string }> {
    const server = http.createServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://publisher');
      const storyId = url.pathname.slice(1) || 'front';
      const siteId = url.searchParams.get('site') === 'members' ? ssoOnlySite.id : site.id;
      const token = ssoTokens.get(storyId);
      response.setHeader('content-type', 'text/html; charset=utf-8');
      response.end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Northgate Herald: ${storyId}</title>
<link rel="canonical" href="${publisherUrl}/${storyId}"></head>
<body style="font-family: Georgia, serif; max-width: 44rem; margin: 2rem auto">
<h1>Harbour bridge to reopen in spring</h1>
<p>The council voted on Tuesday to fund the repairs.</p>
<div id="parley-comments" data-story-id="${storyId}" data-site-id="${siteId}"${
        token ? ` data-sso-token="${token}"` : ''
      }></div>
<script src="${parleyUrl}/embed.js" async></script>
</body></html>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    // `localhost` and `127.0.0.1` are different sites: Parley's requests are third party here.
    return { server, url: `http://localhost:${port}` };
  }

  async function reader(): Promise<BrowserContext> {
    const context = await launchChromiumProfile({ blockThirdPartyCookies: true });
    contexts.push(context);
    return context;
  }

  /** Opens the publisher's article; `setup` runs before it loads. */
  async function open(
    context: BrowserContext,
    storyId: string,
    options: { query?: string; setup?: (page: Page) => void } = {},
  ): Promise<Page> {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.setViewportSize({ width: 900, height: 1000 });
    options.setup?.(page);
    await page.goto(`${publisherUrl}/${storyId}${options.query ?? ''}`);
    await widget(page).locator('.account').waitFor();
    return page;
  }

  async function screenshot(page: Page, name: string): Promise<void> {
    await widget(page).screenshot({ path: path.join(ARTEFACTS, `identity-${name}.png`) });
  }

  /** The publisher's token for one of its readers (HS256 with the site's shared secret). */
  function ssoToken(claims: { sub: string; name: string; email: string }, siteId = site.id) {
    return new SignJWT({ email: claims.email, name: claims.name })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.sub)
      .setAudience(siteId)
      .setJti(randomUUID())
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(new TextEncoder().encode(SSO_SECRET));
  }

  /** The widget's stored session (access and refresh tokens) on the publisher's origin. */
  async function storedSession(page: Page): Promise<{ token?: string; refreshToken?: string }> {
    const key = `parley:token:${parleyUrl}`;
    const value = await page.evaluate((name) => localStorage.getItem(name), key);
    return value ? JSON.parse(value) : {};
  }

  it('runs the readers in a browser that blocks third-party cookies', async () => {
    const allowing = await launchChromiumProfile({ blockThirdPartyCookies: false });
    try {
      assert.equal(
        await thirdPartyCookiesBlocked(allowing),
        false,
        'the probe sees them if allowed',
      );
    } finally {
      await allowing.close();
    }
    assert.equal(await thirdPartyCookiesBlocked(await reader()), true);
  });

  it('(a) signs up in the popup, confirms the address from the mail, signs in and comments', async () => {
    const context = await reader();
    const page = await open(context, 'bridge-local');
    const email = `lina.${Date.now()}@example.com`;

    await inPopup(page, async (popup) => {
      await popup.getByRole('button', { name: 'Create an account' }).first().click();
      await popup.getByLabel('Display name').fill('Lina Okafor');
      await popup.getByLabel('Email').fill(email);
      await popup.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await popup.locator('form').getByRole('button', { name: 'Create an account' }).click();
      await popup.getByText(`We sent a message to ${email}`).waitFor();
      await popup.close();
    });
    assert.equal(await signOutButton(page).count(), 0, 'signing up signs nobody in');

    const mail = await smtp.waitForMessage(
      (message) => message.envelope.to.includes(email),
      20_000,
    );
    const link = extractLink(mail, '/account/verify');
    assert.equal(new URL(link).origin, parleyUrl, 'the link points at PUBLIC_URL');
    const verify = await context.newPage();
    await verify.goto(link);
    // The popup was closed: the page signs the reader in itself, with the secret this browser
    // kept at sign-up (test/browser/signup.test.ts)…
    await verify
      .getByText('Your address is confirmed, and you are signed in as Lina Okafor')
      .waitFor();
    await verify.close();

    // …and leaves nothing for a later popup: the reader logs in there with the password.
    const opened = page.waitForEvent('popup');
    await widget(page).getByRole('button', { name: 'Sign in' }).click();
    const popup = await opened;
    await popup.getByLabel('Email').fill(email);
    await popup.getByLabel('Password', { exact: true }).fill(PASSWORD);
    const closed = popup.waitForEvent('close');
    await popup.locator('form').getByRole('button', { name: 'Log in' }).click();
    await closed;
    await signOutButton(page).waitFor();
    assert.match(await widget(page).locator('.account').innerText(), /Signed in as\s+Lina Okafor/);
    const stored = await storedSession(page);
    assert.ok(stored.token && stored.refreshToken, 'access and refresh tokens are kept');

    const text = `Lina's first comment ${Date.now().toString(36)}`;
    await postComment(page, text);
    assert.match(await commentByText(page, text).innerText(), /Lina Okafor/);
    await screenshot(page, 'local');

    await page.reload();
    await commentByText(page, text).waitFor();
    await signOutButton(page).waitFor();
    assert.deepEqual(await context.cookies(parleyUrl), [], 'Parley set no cookie');
  });

  it('asks a reader who has not confirmed their address to, mails the link again on request', async () => {
    const context = await reader();
    const page = await open(context, 'bridge-unconfirmed');
    const rafael = { name: 'Rafael Mendes', email: `rafael.${Date.now()}@example.com` };
    const signedUp = await fetch(`${parleyUrl}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: publisherUrl },
      body: JSON.stringify({ displayName: rafael.name, email: rafael.email, password: PASSWORD }),
    });
    assert.equal(signedUp.status, 202);
    const toRafael = (message: { envelope: { to: string[] } }) =>
      message.envelope.to.includes(rafael.email);
    await smtp.waitForMessage(toRafael, 20_000);

    // Unconfirmed accounts may sign in; the comment form says what to do first.
    await signInThroughPopup(page, { ...rafael, password: PASSWORD });
    const notice = widget(page)
      .getByRole('alert')
      .filter({ hasText: 'Confirm your email address to comment' });
    await notice.waitFor();
    const draft = `Rafael's draft ${Date.now().toString(36)}`;
    await widget(page).locator('form.composer textarea').fill(draft);
    const posted = page.waitForResponse(
      (response) => response.url().endsWith('/comments') && response.request().method() === 'POST',
    );
    await widget(page)
      .locator('form.composer')
      .getByRole('button', { name: 'Post comment' })
      .click();
    const refusal = await posted;
    assert.equal(refusal.status(), 403);
    assert.equal(
      ((await refusal.json()) as { error: { code: string } }).error.code,
      'EMAIL_NOT_VERIFIED',
    );
    assert.equal(await commentByText(page, draft).count(), 0);
    assert.equal(await widget(page).locator('form.composer textarea').inputValue(), draft);

    // The same mail goes to an account at most once a minute: the first one is older than that.
    await parley.store.db
      .updateTable('mail_outbox')
      .set({ created_at: new Date(Date.now() - 120_000).toISOString() })
      .where('to_address', '=', rafael.email)
      .execute();
    await notice.getByRole('button', { name: 'Send the link again' }).click();
    await notice.getByText('We sent a new link').waitFor();
    const second = await smtp.waitForMessage(
      (message) => toRafael(message) && smtp.messages.filter(toRafael).indexOf(message) === 1,
      20_000,
    );
    const verify = await context.newPage();
    await verify.goto(extractLink(second, '/account/verify'));
    await verify.getByText('Your address is confirmed').waitFor();
    await verify.close();

    // Back on the article, the widget reads the viewer again and lets the draft go.
    await page.bringToFront();
    await page.evaluate(() => window.dispatchEvent(new Event('focus')));
    await notice.waitFor({ state: 'detached' });
    await widget(page)
      .locator('form.composer')
      .getByRole('button', { name: 'Post comment' })
      .click();
    await commentByText(page, draft).waitFor();
  });

  it("(b) arrives with the publisher's SSO token and comments under the publisher's name", async () => {
    const context = await reader();
    const storyId = 'bridge-sso';
    const amira = { sub: 'herald-4711', name: 'Amira (Herald)', email: 'amira@herald.example' };
    ssoTokens.set(storyId, await ssoToken(amira));
    let calls: string[] = [];
    const page = await open(context, storyId, { setup: (page) => (calls = apiCalls(page)) });
    await signOutButton(page).waitFor();
    assert.match(
      await widget(page).locator('.account').innerText(),
      /Signed in as\s+Amira \(Herald\)/,
    );

    const text = `From the Herald's reader ${Date.now().toString(36)}`;
    await postComment(page, text);
    assert.match(
      await commentByText(page, text).locator('.author').innerText(),
      /Amira \(Herald\)/,
    );
    await screenshot(page, 'sso');

    // The same page again: the token, single use, is not sent twice; the session it opened stays.
    const ssoCalls = () => calls.filter((call) => call === 'POST /api/v1/auth/sso').length;
    await page.reload();
    await signOutButton(page).waitFor();
    assert.equal(ssoCalls(), 1);
    // The next page, with a new token for the same reader: the session stays too (one per page
    // view would pile up), until the publisher says something new about the reader.
    const sessions = () =>
      parley.store.db
        .selectFrom('sessions')
        .innerJoin('user_identities', 'user_identities.user_id', 'sessions.user_id')
        .select('sessions.id')
        .where('user_identities.subject', '=', amira.sub)
        .execute();
    ssoTokens.set(storyId, await ssoToken(amira));
    await page.reload();
    await signOutButton(page).waitFor();
    assert.equal(ssoCalls(), 1);
    assert.equal((await sessions()).length, 1);
    ssoTokens.set(storyId, await ssoToken({ ...amira, name: 'Amira H. (Herald)' }));
    await page.reload();
    await signOutButton(page).waitFor();
    assert.equal(ssoCalls(), 2);
    assert.match(await widget(page).locator('.account').innerText(), /Amira H\. \(Herald\)/);

    // The publisher's page signs the reader out, then in with a new token.
    await page.evaluate(() => (window as unknown as WithParley).Parley.logout());
    await widget(page).getByRole('button', { name: 'Sign in' }).waitFor();
    const again = await ssoToken(amira);
    await page.evaluate((token) => (window as unknown as WithParley).Parley.login(token), again);
    await signOutButton(page).waitFor();
    assert.match(await widget(page).locator('.account').innerText(), /Amira \(Herald\)/);
  });

  it('(c) signs in through the OpenID Connect provider in the popup and comments', async () => {
    const context = await reader();
    const page = await open(context, 'bridge-oidc');

    await inPopup(page, async (popup) => {
      await popup.getByRole('link', { name: `Continue with ${OIDC_LABEL}` }).click();
      // The provider's own log-in and consent pages, in the same popup.
      await popup.waitForURL((url) => url.origin === new URL(oidc.issuer).origin);
      await popup.locator('input[name="login"]').fill('noor-7');
      await popup.locator('input[name="password"]').fill('anything');
      await popup.locator('button[type="submit"]').first().click();
      await popup.locator('button[type="submit"]').first().click();
      await popup.waitForEvent('close');
    });
    await signOutButton(page).waitFor();
    assert.match(await widget(page).locator('.account').innerText(), /Signed in as\s+Noor Haddad/);

    const text = `Noor's view ${Date.now().toString(36)}`;
    await postComment(page, text);
    assert.match(await commentByText(page, text).innerText(), /Noor Haddad/);
    await screenshot(page, 'oidc');
  });

  it('tells the reader when they cancel at the OpenID Connect provider, and stays signed out', async () => {
    const context = await reader();
    const page = await open(context, 'bridge-oidc-cancel');

    await inPopup(page, async (popup) => {
      await popup.getByRole('link', { name: `Continue with ${OIDC_LABEL}` }).click();
      await popup.waitForURL((url) => url.origin === new URL(oidc.issuer).origin);
      // The provider's log-in page has a way out; the callback then hears access_denied.
      await popup.getByRole('link', { name: /cancel/i }).click();
      await popup.waitForEvent('close');
    });
    const alert = widget(page).getByRole('alert');
    await alert.waitFor();
    assert.match(await alert.innerText(), /cancelled/i);
    await widget(page).getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it('refreshes an expired access token once for the requests refused together', async () => {
    const context = await reader();
    const storyId = 'bridge-refresh';
    ssoTokens.set(
      storyId,
      await ssoToken({ sub: 'herald-5150', name: 'Tomas (Herald)', email: 'tomas@herald.example' }),
    );
    const page = await open(context, storyId);
    await signOutButton(page).waitFor();
    const before = await storedSession(page);
    // Without a token in the page, the story and the viewer load together.
    ssoTokens.delete(storyId);

    // Every access token expires; the refresh tokens stay good.
    await parley.store.db
      .updateTable('sessions')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .execute();
    const calls = apiCalls(page);
    await page.reload();
    await signOutButton(page).waitFor();
    assert.equal(
      calls.filter((call) => call === 'POST /api/v1/auth/refresh').length,
      1,
      `one refresh for the story and the viewer refused together: ${calls.join(', ')}`,
    );
    const after = await storedSession(page);
    assert.ok(after.token && after.token !== before.token, 'a new access token');
    assert.ok(after.refreshToken && after.refreshToken !== before.refreshToken, 'rotated');

    const text = `Posted with a refreshed token ${Date.now().toString(36)}`;
    await postComment(page, text);
  });

  it("asks the publisher's page to sign the reader in when the site offers only its SSO", async () => {
    const context = await reader();
    let methods: Promise<unknown> = Promise.resolve();
    const page = await open(context, 'bridge-members', {
      query: '?site=members',
      setup: (page) => {
        methods = page.waitForResponse((response) => response.url().endsWith('/auth-methods'));
      },
    });
    await page.evaluate(() => {
      document.addEventListener('parley:login-requested', (event) => {
        document.body.dataset.loginRequested = String(event.composed && event.bubbles);
      });
    });
    // The widget has learnt the site's methods before the click.
    await methods;
    let popups = 0;
    page.on('popup', () => popups++);
    await widget(page).getByRole('button', { name: 'Sign in' }).click();
    await page.waitForFunction(() => document.body.dataset.loginRequested === 'true');
    assert.equal(popups, 0, 'no popup');
  });
});
