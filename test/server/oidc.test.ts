/**
 * OpenID Connect sign-in, end to end over real HTTP: Parley listening on a loopback port (its
 * PUBLIC_URL, so the redirect URI matches), a real provider (oidc-provider, test/helpers), the
 * whole code flow driven with fetch through the provider's login and consent pages. Covers the
 * finishing page and the session it hands to the right origin, the account and its identity,
 * single-use state, a forged state, a nonce mismatch, a cancelled login, unverified addresses,
 * and the start route's refusals.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Site } from '../../src/store/rows.ts';
import { insertSite } from '../../src/store/sites.ts';
import { insertUser } from '../../src/store/users.ts';
import { createTestApp, SITE_ORIGIN, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';
import { startOidcProvider, type TestOidcProvider } from '../helpers/oidc-provider.ts';
import { freePort } from '../helpers/process.ts';

const ENV = { PARLEY_AUTH_RATE_LIMIT: '10000', PARLEY_WRITE_RATE_LIMIT: '10000' };

interface FinishPage {
  status: number;
  headers: Headers;
  html: string;
  origin: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the message is JSON
  message: any;
}

/** Fetches a popup page and reads the result it carries for the finishing script. */
async function finishPage(url: string): Promise<FinishPage> {
  const response = await fetch(url, { redirect: 'manual' });
  const html = await response.text();
  const data = /<script type="application\/json" id="parley-result">(.*?)<\/script>/s.exec(html);
  assert.ok(data?.[1], `no result on the page: ${response.status} ${html.slice(0, 300)}`);
  const { origin, message } = JSON.parse(data[1]);
  return { status: response.status, headers: response.headers, html, origin, message };
}

for (const engine of await testEngines()) {
  describe(`OpenID Connect sign-in (${engine})`, () => {
    let app: TestApp;
    let provider: TestOidcProvider;
    let site: Site;
    let publicUrl: string;

    before(async () => {
      const port = await freePort();
      publicUrl = `http://127.0.0.1:${port}`;
      app = await createTestApp(engine, { ...ENV, PUBLIC_URL: publicUrl });
      await app.app.listen({ port, host: '127.0.0.1' });
      provider = await startOidcProvider({
        redirectUris: [`${publicUrl}/api/v1/auth/oidc/callback`],
        accounts: {
          alice: {
            email: 'Alice@Provider.example',
            email_verified: true,
            name: 'Alice Provider',
            picture: 'https://provider.example/alice.png',
          },
          bob: { email: 'bob@provider.example', email_verified: false, name: 'Bob' },
        },
      });
      site = await insertSite(app.store.db, {
        name: 'OIDC News',
        allowedOrigins: [SITE_ORIGIN],
        editWindowSeconds: 900,
        maxDepth: 3,
        auth: {
          methods: { local: true, sso: false, oidc: true },
          oidc: {
            issuer: provider.issuer,
            clientId: provider.clientId,
            clientSecret: provider.clientSecret,
            label: 'Provider ID',
            scopes: ['email', 'profile'],
          },
        },
      });
      await app.sites.refresh();
    });
    after(async () => {
      await app.close();
      await provider.close();
    });

    const startUrl = (siteId = site.id, origin = SITE_ORIGIN) =>
      `${publicUrl}/api/v1/auth/oidc/start?siteId=${siteId}&origin=${encodeURIComponent(origin)}`;
    const callbackPrefix = () => `${publicUrl}/api/v1/auth/oidc/callback?`;

    it('offers the provider by its label', async () => {
      const response = await app.request({
        method: 'GET',
        url: `/api/v1/sites/${site.id}/auth-methods`,
      });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.json, { local: true, sso: false, oidc: { label: 'Provider ID' } });
    });

    it('sends the reader to the provider with PKCE (S256), state and nonce', async () => {
      const response = await fetch(startUrl(), { redirect: 'manual' });
      assert.equal(response.status, 302);
      assert.equal(response.headers.get('cross-origin-opener-policy'), 'unsafe-none');
      const location = new URL(response.headers.get('location') ?? '');
      assert.ok(location.href.startsWith(provider.issuer), location.href);
      const q = location.searchParams;
      assert.equal(q.get('client_id'), provider.clientId);
      assert.equal(q.get('redirect_uri'), `${publicUrl}/api/v1/auth/oidc/callback`);
      assert.equal(q.get('response_type'), 'code');
      assert.equal(q.get('code_challenge_method'), 'S256');
      assert.match(q.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(q.get('scope')?.split(' '), ['openid', 'email', 'profile']);
      const stored = await app.store.db
        .selectFrom('oidc_states')
        .selectAll()
        .where('state', '=', q.get('state') ?? '')
        .executeTakeFirstOrThrow();
      assert.equal(stored.nonce, q.get('nonce'));
      assert.equal(stored.origin, SITE_ORIGIN);
      assert.notEqual(stored.code_verifier, q.get('code_challenge'));
    });

    it('signs the reader in through the whole code flow and hands the session to the opener’s origin', async () => {
      const callback = await provider.signIn(startUrl(), 'alice');
      assert.ok(callback.startsWith(callbackPrefix()), callback);
      const page = await finishPage(callback);
      assert.equal(page.status, 200, page.html);
      assert.equal(page.headers.get('cross-origin-opener-policy'), 'unsafe-none');
      assert.equal(page.headers.get('cache-control'), 'no-store');
      assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(page.html, /<script src="\/api\/v1\/auth\/oidc\/finish\.js" defer><\/script>/);
      assert.equal(page.origin, SITE_ORIGIN);
      assert.equal(page.message.type, 'parley:session');
      const { session } = page.message;
      assert.equal(session.user.email, 'alice@provider.example');
      assert.equal(session.user.displayName, 'Alice Provider');
      assert.equal(session.user.identity, 'oidc');

      const me = await fetch(`${publicUrl}/api/v1/auth/me`, {
        headers: { authorization: `Bearer ${session.token}` },
      });
      assert.equal(me.status, 200);
      assert.equal((await me.json()).user.id, session.user.id);

      const identity = await app.store.db
        .selectFrom('user_identities')
        .innerJoin('users', 'users.id', 'user_identities.user_id')
        .select(['provider', 'subject', 'email_verified_at', 'avatar_url', 'password_hash'])
        .where('user_id', '=', session.user.id)
        .executeTakeFirstOrThrow();
      assert.equal(identity.provider, `oidc:${site.id}`);
      assert.equal(identity.subject, 'alice');
      assert.notEqual(identity.email_verified_at, null, 'email_verified: true');
      assert.equal(identity.avatar_url, 'https://provider.example/alice.png');
      assert.equal(identity.password_hash, null);
      const method = await app.store.db
        .selectFrom('sessions')
        .select('method')
        .where('user_id', '=', session.user.id)
        .executeTakeFirstOrThrow();
      assert.equal(method.method, 'oidc');

      // The same person again: the same account.
      const again = await finishPage(await provider.signIn(startUrl(), 'alice'));
      assert.equal(again.message.session.user.id, session.user.id);
    });

    it('accepts each state once: a replayed callback fails and posts nothing', async () => {
      const callback = await provider.signIn(startUrl(), 'alice');
      assert.equal((await finishPage(callback)).message.type, 'parley:session');
      const replay = await finishPage(callback);
      assert.equal(replay.status, 400);
      assert.equal(replay.origin, null, 'no origin: nothing is posted');
      assert.deepEqual(
        [replay.message.type, replay.message.code],
        ['parley:error', 'OIDC_STATE_INVALID'],
      );
      assert.match(replay.html, /expired or was already finished/);
    });

    it('refuses a forged state without spending the real one', async () => {
      const callback = new URL(await provider.signIn(startUrl(), 'alice'));
      const forged = new URL(callback);
      forged.searchParams.set('state', 'A'.repeat(43));
      const refused = await finishPage(forged.href);
      assert.equal(refused.message.code, 'OIDC_STATE_INVALID');
      const noState = new URL(callback);
      noState.searchParams.delete('state');
      assert.equal((await finishPage(noState.href)).message.code, 'OIDC_STATE_INVALID');
      const injected = new URL(callback);
      injected.searchParams.set('state', '"><script>alert(1)</script>');
      const page = await finishPage(injected.href);
      assert.equal(page.message.code, 'OIDC_STATE_INVALID');
      assert.ok(!page.html.includes('<script>alert'), 'nothing of the request is echoed');
      assert.equal((await finishPage(callback.href)).message.type, 'parley:session');
    });

    it('refuses an ID token whose nonce is not the one sent', async () => {
      const callback = new URL(await provider.signIn(startUrl(), 'alice'));
      await app.store.db
        .updateTable('oidc_states')
        .set({ nonce: 'a-nonce-that-was-never-sent' })
        .where('state', '=', callback.searchParams.get('state') ?? '')
        .execute();
      const page = await finishPage(callback.href);
      assert.equal(page.status, 502);
      assert.equal(page.origin, SITE_ORIGIN, 'the state was good: the widget is told');
      assert.deepEqual([page.message.type, page.message.code], ['parley:error', 'OIDC_FAILED']);
      assert.match(page.message.message, /nonce/);
    });

    it('tells the widget when the reader cancels at the provider', async () => {
      const callback = new URL(await provider.signIn(startUrl(), 'alice', { cancel: true }));
      assert.equal(callback.searchParams.get('error'), 'access_denied');
      const page = await finishPage(callback.href);
      assert.equal(page.origin, SITE_ORIGIN);
      assert.equal(page.message.code, 'OIDC_FAILED');
      assert.match(page.message.message, /cancelled/);
    });

    it('keeps an unverified address unverified, and does not link it to an account that has it', async () => {
      const bob = await finishPage(await provider.signIn(startUrl(), 'bob'));
      assert.equal(bob.message.type, 'parley:session', JSON.stringify(bob.message));
      const row = await app.store.db
        .selectFrom('users')
        .select('email_verified_at')
        .where('id', '=', bob.message.session.user.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.email_verified_at, null);

      const local = await insertUser(app.store.db, {
        email: 'carol@provider.example',
        displayName: 'Carol',
        passwordHash: null,
        role: 'commenter',
      });
      assert.ok(local);
      await app.store.db
        .updateTable('users')
        .set({ email_verified_at: new Date().toISOString() })
        .where('id', '=', local.id)
        .execute();
      provider.addAccount('carol-unverified', {
        email: 'carol@provider.example',
        email_verified: false,
        name: 'Not Carol',
      });
      const refused = await finishPage(await provider.signIn(startUrl(), 'carol-unverified'));
      assert.equal(refused.status, 409);
      assert.equal(refused.message.code, 'EMAIL_TAKEN');

      provider.addAccount('carol', {
        email: 'carol@provider.example',
        email_verified: true,
        name: 'Carol',
      });
      const linked = await finishPage(await provider.signIn(startUrl(), 'carol'));
      assert.equal(linked.message.session?.user.id, local.id, 'both verified: linked');
    });

    /** The token of the newest mailed link of this kind to `to`. */
    async function mailedToken(to: string, path: string): Promise<string> {
      const row = await app.store.db
        .selectFrom('mail_outbox')
        .select('text_body')
        .where('to_address', '=', to)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow();
      const token = new RegExp(`${path}\\?token=([A-Za-z0-9_-]{43})`).exec(row.text_body)?.[1];
      assert.ok(token, row.text_body);
      return token;
    }

    it('tells someone who only claims an address nothing about the account that has it', async () => {
      const staff = await insertUser(app.store.db, {
        email: 'editor@provider.example',
        displayName: 'Editor',
        passwordHash: null,
        role: 'admin',
      });
      assert.ok(staff);
      provider.addAccount('claims-editor', {
        email: 'editor@provider.example',
        email_verified: false,
        name: 'Not the editor',
      });
      const refused = await finishPage(await provider.signIn(startUrl(), 'claims-editor'));
      assert.equal(refused.message.code, 'EMAIL_TAKEN');
      assert.doesNotMatch(refused.message.message, /moderator|admin/i);
      assert.match(refused.message.message, /not verified/);
    });

    it('spends links mailed to the old address when the provider changes it', async () => {
      provider.addAccount('erin', {
        email: 'erin@provider.example',
        email_verified: false,
        name: 'Erin',
      });
      const first = await finishPage(await provider.signIn(startUrl(), 'erin'));
      const { token, user } = first.message.session;
      const resend = await app.request({
        method: 'POST',
        url: '/api/v1/auth/verify-email/resend',
        token,
      });
      assert.equal(resend.status, 202, resend.text);
      const link = await mailedToken('erin@provider.example', '/account/verify');

      // The provider now says the address is someone else's (still unverified).
      provider.addAccount('erin', {
        email: 'frank@provider.example',
        email_verified: false,
        name: 'Erin',
      });
      const moved = await finishPage(await provider.signIn(startUrl(), 'erin'));
      assert.equal(moved.message.session.user.email, 'frank@provider.example');
      const verify = await app.request({
        method: 'POST',
        url: '/api/v1/auth/verify-email',
        body: { token: link },
      });
      assert.equal(verify.status, 400, 'a link to Erin’s inbox must not confirm Frank’s address');
      assert.equal(verify.json.error.code, 'INVALID_TOKEN');
      const row = await app.store.db
        .selectFrom('users')
        .select('email_verified_at')
        .where('id', '=', user.id)
        .executeTakeFirstOrThrow();
      assert.equal(row.email_verified_at, null);
    });

    it('refuses to start for an origin the site does not allow, or a site without OIDC', async () => {
      const evil = await finishPage(startUrl(site.id, 'https://evil.example'));
      assert.equal(evil.status, 403);
      assert.equal(evil.origin, null);
      assert.equal(evil.message.code, 'ORIGIN_NOT_ALLOWED');

      const off = await finishPage(startUrl(app.site.id));
      assert.equal(off.status, 403);
      assert.equal(off.origin, SITE_ORIGIN, 'an allowed origin is told why');
      assert.equal(off.message.code, 'OIDC_DISABLED');

      const unknown = await finishPage(startUrl('01ARZ3NDEKTSV4RRFFQ69G5FAV'));
      assert.equal(unknown.status, 404);
      assert.equal(unknown.origin, null);
    });

    it('serves the finishing script under the CSP', async () => {
      const response = await fetch(`${publicUrl}/api/v1/auth/oidc/finish.js`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /javascript/);
      assert.equal(response.headers.get('cross-origin-opener-policy'), 'unsafe-none');
      const script = await response.text();
      assert.match(script, /opener\.postMessage\(data\.message, data\.origin\)/);
      assert.match(response.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    });
  });
}
