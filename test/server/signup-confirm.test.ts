/**
 * Sign-up then confirm (issue 16): following the sign-up's mailed link opens a session only in the
 * browser that signed up, which sends the secret whose hash the sign-up carried (its "binding");
 * the link alone confirms the address and opens none (another browser, an attacker's sign-up with
 * someone else's address, an attacker's own link), nor does a wrong secret, another sign-up's, a
 * second confirmation, or a token used twice, expired, forged or of another purpose; account mail done
 * for a site carries its brand and brings the site (and the article, only on one of the site's
 * origins) back to the page the link opens; those pages carry the brand (logo or name, and an
 * accent colour only when white text reads on it) and link back only to the site's own pages;
 * the sessions list names browsers and systems. On SQLite and PostgreSQL; mail is read from the
 * outbox (test/browser/signup.test.ts delivers it to a real SMTP peer).
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { buildAccount } from '../../scripts/build-web.ts';
import { newToken } from '../../src/credentials/tokens.ts';
import { setSiteBranding } from '../../src/store/branding.ts';
import type { Site } from '../../src/store/rows.ts';
import { insertSite } from '../../src/store/sites.ts';
import { articleLink } from '../../src/domain/article-link.ts';
import { contrastRatio, readableAccent } from '../../src/domain/contrast.ts';
import { createTestApp, SITE_ORIGIN, type ApiResponse, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const PASSWORD = 'a long enough password';
const ENV = { PARLEY_AUTH_RATE_LIMIT: '100000', PARLEY_WRITE_RATE_LIMIT: '100000' };
const ARTICLE = `${SITE_ORIGIN}/2026/12/harbour-bridge?utm=x`;
const LOGO = 'https://static.news.example/logo.png';
const FIREFOX_ON_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0';
const SAFARI_ON_IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

/** A browser's sign-up binding: the secret it keeps, and the hash the sign-up sends. */
function newBinding() {
  const secret = randomBytes(32).toString('base64url');
  return { secret, hash: createHash('sha256').update(secret).digest('hex') };
}

let counter = 0;
const freshEmail = (prefix: string) => `${prefix}.${++counter}.${Date.now()}@example.com`;

function assertError(response: ApiResponse, status: number, code: string, label = ''): void {
  const context = `${label} → ${response.status} ${response.text.slice(0, 300)}`;
  assert.equal(response.status, status, context);
  assert.equal(response.json?.error?.code, code, context);
}

describe('article links and readable accents (pure)', () => {
  it('keeps an article only on an allowed origin, http(s), without credentials or fragment', () => {
    const origins = ['https://news.example', 'http://localhost:3000'];
    assert.equal(
      articleLink('https://news.example/a?b=1#c-2', origins),
      'https://news.example/a?b=1',
    );
    assert.equal(articleLink('http://localhost:3000/x', origins), 'http://localhost:3000/x');
    for (const hostile of [
      'https://evil.example/a',
      'https://news.example.evil.example/a',
      'https://user:pw@news.example/a',
      'javascript:alert(1)',
      'data:text/html,<script>alert(1)</script>',
      '//evil.example/a',
      '/relative',
      'https://news.example/a\nb',
      `https://news.example/${'a'.repeat(2000)}`,
      'http://news.example/a', // another origin: the scheme differs
      '',
    ]) {
      assert.equal(articleLink(hostile, origins), null, hostile);
    }
    assert.equal(articleLink(undefined, origins), null);
  });

  it('uses an accent colour only where white text on it has a contrast of 4.5:1 or more', () => {
    assert.equal(Math.round(contrastRatio('#000000', '#ffffff')), 21);
    assert.equal(readableAccent('#1D4F7C'), '#1d4f7c');
    assert.equal(readableAccent('#f4e04d'), null, 'a light yellow fails');
    assert.equal(readableAccent('#767676'), '#767676', '4.54:1 passes');
    assert.equal(readableAccent('#777777'), null, '4.48:1 fails');
    assert.equal(readableAccent('red'), null);
    assert.equal(readableAccent(null), null);
  });
});

for (const engine of await testEngines()) {
  describe(`sign-up then confirm, and account mail for a site (${engine})`, () => {
    let app: TestApp;
    let branded: Site;
    before(async () => {
      await buildAccount();
      app = await createTestApp(engine, ENV);
      branded = app.site;
      await setSiteBranding(app.store.db, branded.id, {
        logoUrl: LOGO,
        accentColor: '#1d4f7c',
        guidelinesUrl: null,
        senderName: 'The Harbour Desk',
        signoff: null,
      });
      await app.sites.refresh();
    });
    after(async () => app.close());
    beforeEach(async () => {
      await app.store.db.deleteFrom('auth_throttle').where('key', 'like', 'ip:%').execute();
    });

    const api = (
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      body?: unknown,
      token?: string,
      headers?: Record<string, string>,
    ) =>
      app.request({
        method,
        url: `/api/v1${url}`,
        body,
        ...(token && { token }),
        ...(headers && { headers }),
      });
    const signup = (email: string, extra: Record<string, unknown> = {}) =>
      api('POST', '/auth/signup', { displayName: 'Reader', email, password: PASSWORD, ...extra });
    /** Signs up with a binding and confirms with its secret: the session the browser gets. */
    async function signUpAndConfirm(email: string) {
      const binding = newBinding();
      await signup(email, { binding: binding.hash });
      const { token } = await mailTo(email, 'verify');
      const verified = await api('POST', '/auth/verify-email', {
        token,
        bindings: [binding.secret],
      });
      assert.ok(verified.json.session, verified.text);
      return verified;
    }
    const sessionsOf = async (email: string) =>
      (
        await app.store.db
          .selectFrom('sessions')
          .innerJoin('users', 'users.id', 'sessions.user_id')
          .select('sessions.id')
          .where('users.email', '=', email)
          .execute()
      ).length;

    /** The mail of this template last queued to the address, and its link. */
    async function mailTo(to: string, template: string) {
      const row = await app.store.db
        .selectFrom('mail_outbox')
        .selectAll()
        .where('to_address', '=', to)
        .where('template', '=', template)
        .orderBy('id', 'desc')
        .executeTakeFirst();
      assert.ok(row, `a ${template} mail to ${to}`);
      const href = /http:\/\/parley\.test\/account\/\S+/.exec(row.text_body)?.[0];
      assert.ok(href, 'the mail carries a link');
      const link = new URL(href);
      return { row, link, token: link.searchParams.get('token') as string };
    }

    it('opens a session with the sign-up’s link and binding, once; the mail carries the site’s brand and the article', async () => {
      const email = freshEmail('lina');
      const binding = newBinding();
      const signedUp = await signup(email, {
        siteId: branded.id,
        article: ARTICLE,
        binding: binding.hash,
      });
      assert.equal(signedUp.status, 202, signedUp.text);
      const stored = await app.store.db
        .selectFrom('email_tokens')
        .select('token_hash')
        .where('purpose', '=', 'sign-up')
        .execute();
      assert.ok(
        stored.every((row) => row.token_hash !== binding.hash),
        'the hash sent is not stored as is',
      );
      const { row, link, token } = await mailTo(email, 'verify');
      assert.equal(link.pathname, '/account/verify');
      assert.equal(link.searchParams.get('siteId'), branded.id);
      assert.equal(link.searchParams.get('article'), ARTICLE);
      assert.equal(row.from_name, 'The Harbour Desk', 'sent under the site’s sender name');
      assert.ok(row.html_body.includes(`src="${LOGO}"`), 'the logo heads the mail');
      assert.ok(row.html_body.includes('bgcolor="#1d4f7c"'), 'the button in the accent colour');
      assert.match(row.text_body, /The Test News team/);

      const verified = await api(
        'POST',
        '/auth/verify-email',
        { token, bindings: [newBinding().secret, binding.secret] },
        undefined,
        { 'user-agent': FIREFOX_ON_WINDOWS },
      );
      assert.equal(verified.status, 200, verified.text);
      assert.equal(verified.json.user.emailVerified, true);
      const session = verified.json.session;
      assert.ok(session, 'the first confirmation signs the reader in');
      assert.equal(session.user.email, email);
      assert.equal(session.expiresIn, 3600);
      const me = await api('GET', '/auth/me', undefined, session.token);
      assert.equal(me.status, 200);
      assert.equal(me.json.user.email, email);
      const refreshed = await api('POST', '/auth/refresh', { refreshToken: session.refreshToken });
      assert.equal(refreshed.status, 200, 'its refresh token works too');

      // The sessions list names the browser and the system.
      const sessions = await api('GET', '/auth/sessions', undefined, refreshed.json.token);
      assert.equal(sessions.status, 200, sessions.text);
      assert.equal(sessions.json.sessions.length, 1);
      assert.equal(sessions.json.sessions[0].browser, 'Firefox');
      assert.equal(sessions.json.sessions[0].os, 'Windows');
      assert.equal(sessions.json.sessions[0].method, 'password');

      // Used twice: refused, and no session.
      const again = await api('POST', '/auth/verify-email', {
        token,
        bindings: [binding.secret],
      });
      assertError(again, 400, 'INVALID_TOKEN', 'used twice');
      const count = await app.store.db
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', session.user.id)
        .execute();
      assert.equal(count.length, 1, 'still one session');
    });

    it('confirms without opening a session when the link comes without the sign-up’s secret', async () => {
      // Another browser (nothing kept), a wrong secret, another sign-up's secret: confirmed, no
      // session; the binding is spent, so a later confirmation opens none either.
      const attacker = newBinding();
      const cases: [string, string[] | undefined][] = [
        ['no bindings', undefined],
        ['an empty list', []],
        ['a wrong secret', [newBinding().secret]],
        ['another sign-up’s secret', [attacker.secret]],
      ];
      await signup(freshEmail('attacker'), { binding: attacker.hash });
      for (const [label, bindings] of cases) {
        const email = freshEmail('victim');
        const binding = newBinding();
        await signup(email, { binding: binding.hash });
        const { token } = await mailTo(email, 'verify');
        const verified = await api('POST', '/auth/verify-email', {
          token,
          ...(bindings && { bindings }),
        });
        assert.equal(verified.status, 200, `${label}: ${verified.text}`);
        assert.equal(verified.json.user.emailVerified, true, `${label}: confirmed`);
        assert.equal(verified.json.session, undefined, `${label}: no session`);
        assert.equal(await sessionsOf(email), 0, label);
        const spent = await app.store.db
          .selectFrom('email_tokens')
          .innerJoin('users', 'users.id', 'email_tokens.user_id')
          .select('email_tokens.used_at')
          .where('users.email', '=', email)
          .where('purpose', '=', 'sign-up')
          .executeTakeFirstOrThrow();
        assert.notEqual(spent.used_at, null, `${label}: the binding is spent`);
      }

      // A sign-up without a binding (a client that sends none) confirms and opens nothing.
      const plain = freshEmail('plain');
      await signup(plain);
      const confirmed = await api('POST', '/auth/verify-email', {
        token: (await mailTo(plain, 'verify')).token,
        bindings: [newBinding().secret],
      });
      assert.equal(confirmed.status, 200);
      assert.equal(confirmed.json.session, undefined);

      // The address's owner signs in with the password, as anyone does.
      const login = await api('POST', '/auth/login', { email: plain, password: PASSWORD });
      assert.equal(login.status, 200, login.text);
    });

    it('refuses malformed bindings as bad input, spending nothing', async () => {
      const email = freshEmail('malformed');
      const binding = newBinding();
      for (const hash of [
        binding.hash.toUpperCase(),
        binding.hash.slice(1),
        `${binding.hash}0`,
        `${binding.hash.slice(0, 63)}g`,
        42,
      ]) {
        assertError(await signup(email, { binding: hash }), 400, 'VALIDATION_FAILED', String(hash));
      }
      await signup(email, { binding: binding.hash });
      const { token } = await mailTo(email, 'verify');
      for (const bindings of [
        Array.from({ length: 6 }, () => newBinding().secret),
        ['short'],
        [`${binding.secret.slice(0, 42)}!`],
        ["' OR 1=1 --".padEnd(43, 'x')],
        binding.secret,
        [42],
      ]) {
        assertError(
          await api('POST', '/auth/verify-email', { token, bindings }),
          400,
          'VALIDATION_FAILED',
          JSON.stringify(bindings).slice(0, 40),
        );
      }
      const verified = await api('POST', '/auth/verify-email', {
        token,
        bindings: [binding.secret],
      });
      assert.equal(verified.status, 200, 'the token was not spent by the refusals');
      assert.ok(verified.json.session);
    });

    it('opens no session for an expired, forged or another purpose’s token', async () => {
      const email = freshEmail('expired');
      await signup(email, { siteId: branded.id });
      const { token } = await mailTo(email, 'verify');
      await app.store.db
        .updateTable('email_tokens')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('purpose', '=', 'verify')
        .where('used_at', 'is', null)
        .execute();
      assertError(
        await api('POST', '/auth/verify-email', { token }),
        400,
        'INVALID_TOKEN',
        'expired',
      );

      assertError(
        await api('POST', '/auth/verify-email', { token: newToken() }),
        400,
        'INVALID_TOKEN',
        'forged',
      );
      for (const forged of [`${token.slice(0, 42)}A`, token.toUpperCase()]) {
        if (forged === token) continue;
        assertError(
          await api('POST', '/auth/verify-email', { token: forged }),
          400,
          'INVALID_TOKEN',
        );
      }

      // A reset link is not a verification link.
      const other = freshEmail('purpose');
      await signup(other);
      await app.store.db
        .updateTable('users')
        .set({ email_verified_at: null })
        .where('email', '=', other)
        .execute();
      assert.equal((await api('POST', '/auth/password/forgot', { email: other })).status, 202);
      const reset = await mailTo(other, 'reset');
      assertError(
        await api('POST', '/auth/verify-email', { token: reset.token }),
        400,
        'INVALID_TOKEN',
        'a reset token',
      );
      const sessions = await app.store.db
        .selectFrom('sessions')
        .innerJoin('users', 'users.id', 'sessions.user_id')
        .select('sessions.id')
        .where('users.email', 'in', [email, other])
        .execute();
      assert.equal(sessions.length, 0, 'no session was opened');
    });

    it('opens no session when an address is confirmed again (after a bounce)', async () => {
      const email = freshEmail('bounced');
      const binding = newBinding();
      await signup(email, { binding: binding.hash });
      const first = await mailTo(email, 'verify');
      const verified = await api('POST', '/auth/verify-email', {
        token: first.token,
        bindings: [binding.secret],
      });
      assert.ok(verified.json.session);
      await app.store.db
        .updateTable('users')
        .set({ mail_bounced_at: new Date().toISOString() })
        .where('email', '=', email)
        .execute();
      await app.store.db.deleteFrom('mail_outbox').where('to_address', '=', email).execute();
      const resent = await api(
        'POST',
        `/auth/verify-email/resend?siteId=${branded.id}`,
        undefined,
        verified.json.session.token,
      );
      assert.equal(resent.status, 202, resent.text);
      const second = await mailTo(email, 'verify');
      assert.equal(second.link.searchParams.get('siteId'), branded.id, 'resent for the site');
      assert.ok(second.row.html_body.includes(`src="${LOGO}"`));
      const again = await api('POST', '/auth/verify-email', {
        token: second.token,
        bindings: [binding.secret],
      });
      assert.equal(again.status, 200, again.text);
      assert.equal(again.json.session, undefined, 'no new session, even with the secret');
      assert.equal(await sessionsOf(email), 1);
    });

    it('keeps the article only on the site’s origins, and ignores an unknown site', async () => {
      const email = freshEmail('evil');
      await signup(email, { siteId: branded.id, article: 'https://evil.example/phish' });
      const { link } = await mailTo(email, 'verify');
      assert.equal(link.searchParams.get('siteId'), branded.id);
      assert.equal(link.searchParams.has('article'), false);

      const unknown = freshEmail('unknown');
      const answered = await signup(unknown, {
        siteId: '01ARZ3NDEKTSV4RRFFQ69G5FAV',
        article: ARTICLE,
      });
      assert.equal(answered.status, 202);
      const plain = await mailTo(unknown, 'verify');
      assert.equal(plain.link.searchParams.has('siteId'), false);
      assert.equal(plain.row.from_name, null, 'Parley’s own mail');

      for (const body of [
        { siteId: 'not an id' },
        { article: 'x'.repeat(2001) },
        { article: 42 },
      ]) {
        const refused = await signup(freshEmail('bad'), body);
        assertError(refused, 400, 'VALIDATION_FAILED', JSON.stringify(body).slice(0, 40));
      }
    });

    it('brands the reset and address-change mail of a site, with the site in the link', async () => {
      const email = freshEmail('reset');
      const verified = await signUpAndConfirm(email);
      assert.equal(
        (await api('POST', '/auth/password/forgot', { email, siteId: branded.id })).status,
        202,
      );
      const reset = await mailTo(email, 'reset');
      assert.equal(reset.link.searchParams.get('siteId'), branded.id);
      assert.equal(reset.row.from_name, 'The Harbour Desk');
      assert.ok(reset.row.html_body.includes(`src="${LOGO}"`));

      const newAddress = freshEmail('moved');
      const change = await api(
        'POST',
        '/auth/me/email',
        { email: newAddress, password: PASSWORD, siteId: branded.id },
        verified.json.session.token,
      );
      assert.equal(change.status, 202, change.text);
      const confirm = await mailTo(newAddress, 'change-email');
      assert.equal(confirm.link.pathname, '/account/email');
      assert.equal(confirm.link.searchParams.get('siteId'), branded.id);
      assert.ok(confirm.row.html_body.includes(`src="${LOGO}"`));
      const confirmed = await api('POST', '/auth/email/confirm', {
        token: confirm.token,
        siteId: branded.id,
      });
      assert.equal(confirmed.status, 200, confirmed.text);
      assert.equal(confirmed.json.session, undefined, 'an address change signs nobody in');
      const told = await app.store.db
        .selectFrom('mail_outbox')
        .selectAll()
        .where('to_address', '=', email)
        .where('template', '=', 'email-changed')
        .executeTakeFirstOrThrow();
      assert.equal(told.from_name, 'The Harbour Desk', 'the old address is told by the site');
    });

    it('names browsers and systems in the sessions list', async () => {
      const email = freshEmail('devices');
      await signup(email);
      await api('POST', '/auth/verify-email', { token: (await mailTo(email, 'verify')).token });
      const login = (ua?: string) =>
        api(
          'POST',
          '/auth/login',
          { email, password: PASSWORD },
          undefined,
          ua ? { 'user-agent': ua } : {},
        );
      const phone = await login(SAFARI_ON_IPHONE);
      await login('curl/8.5.0');
      await login('\u202Egarbage <script>');
      const { json } = await api('GET', '/auth/sessions', undefined, phone.json.token);
      const byAgent = new Map(
        (json.sessions as { userAgent: string; browser: string | null; os: string | null }[]).map(
          (s) => [s.userAgent, s],
        ),
      );
      assert.equal(byAgent.get(SAFARI_ON_IPHONE)?.browser, 'Safari');
      assert.equal(byAgent.get(SAFARI_ON_IPHONE)?.os, 'iOS');
      const garbage = byAgent.get('\u202Egarbage <script>');
      assert.ok(garbage, 'an unparseable agent is listed');
      assert.equal(garbage.os, null);
    });

    // The pages -------------------------------------------------------------------------------

    const page = (url: string) => app.request({ method: 'GET', url, origin: null });

    it('writes the brand into the popup and the mailed links’ pages, and the article only when it is the site’s', async () => {
      const popup = await page(
        `/auth/popup?siteId=${branded.id}&origin=${encodeURIComponent(SITE_ORIGIN)}&article=${encodeURIComponent(ARTICLE)}`,
      );
      assert.equal(popup.status, 200, popup.text);
      assert.match(
        popup.text,
        /<header class="brand"><img class="brand-logo" src="https:\/\/static\.news\.example\/logo\.png" alt="Test News"/,
      );
      assert.match(popup.text, /data-accent="#1d4f7c"/);
      assert.match(popup.text, /data-brand-name="Test News"/);
      assert.ok(popup.text.includes(`data-article="${ARTICLE.replace(/&/g, '&amp;')}"`));
      assert.doesNotMatch(popup.text, /style=/, 'no inline style');
      assert.match(String(popup.headers['content-security-policy']), /style-src 'self'/);

      const verify = await page(
        `/account/verify?token=x&siteId=${branded.id}&article=${encodeURIComponent(ARTICLE)}`,
      );
      assert.match(verify.text, /class="brand-logo"/);
      assert.ok(verify.text.includes(`data-article="${ARTICLE}"`));
      for (const hostile of [
        'https://evil.example/',
        'javascript:alert(1)',
        '"><script>alert(1)</script>',
      ]) {
        const refused = await page(
          `/account/verify?token=x&siteId=${branded.id}&article=${encodeURIComponent(hostile)}`,
        );
        assert.equal(refused.status, 200);
        assert.doesNotMatch(refused.text, /data-article/, hostile);
        assert.doesNotMatch(refused.text, /<script>alert/);
      }
      const reset = await page(
        `/account/reset?token=x&siteId=${branded.id}&article=${encodeURIComponent(ARTICLE)}`,
      );
      assert.match(reset.text, /class="brand-logo"/);
      assert.doesNotMatch(reset.text, /data-article/, 'only the verify page links back');
      for (const siteId of ['nope', '01ARZ3NDEKTSV4RRFFQ69G5FAV', '']) {
        const plain = await page(`/account/verify?token=x&siteId=${siteId}`);
        assert.equal(plain.status, 200, 'the link still works');
        assert.doesNotMatch(plain.text, /class="brand/);
      }
    });

    it('leaves out an accent colour white text does not read on, and escapes the site’s name', async () => {
      const pale = await insertSite(app.store.db, {
        name: 'Pale <Gazette> & "Co"',
        allowedOrigins: ['https://pale.example'],
        editWindowSeconds: 900,
        maxDepth: 3,
      });
      await setSiteBranding(app.store.db, pale.id, {
        logoUrl: null,
        accentColor: '#f4e04d',
        guidelinesUrl: null,
        senderName: null,
        signoff: null,
      });
      await app.sites.refresh();
      const popup = await page(
        `/auth/popup?siteId=${pale.id}&origin=${encodeURIComponent('https://pale.example')}`,
      );
      assert.equal(popup.status, 200);
      assert.doesNotMatch(popup.text, /data-accent/);
      assert.ok(
        popup.text.includes(
          '<span class="brand-name" dir="auto">Pale &lt;Gazette&gt; &amp; &quot;Co&quot;</span>',
        ),
      );
    });
  });
}
