/**
 * Broken and hostile input on every route of the identity work (docs/identity.md), on both
 * engines: malformed and oversized bodies, wrong JSON types, NUL characters and lone surrogates,
 * unknown fields, malformed ids and tokens, and SSO tokens whose signature is good but whose claims
 * are not (a NUL in `sub` or `jti`, an address that is a list, badges that are not an array). Every
 * JSON route answers a 4xx JSON error; the HTML pages (the OIDC start and callback, Parley's own
 * pages) answer a 4xx page. Nothing ever answers a 500.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { SignJWT, type JWTPayload } from 'jose';
import type { Site } from '../../src/store/rows.ts';
import { insertSite } from '../../src/store/sites.ts';
import { createTestApp, SITE_ORIGIN, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const ENV = {
  PARLEY_AUTH_RATE_LIMIT: '100000',
  PARLEY_WRITE_RATE_LIMIT: '100000',
  PARLEY_READ_RATE_LIMIT: '100000',
};
const SECRET = randomBytes(32).toString('base64url');
const UNKNOWN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const LONG = 'x'.repeat(20_000);
const NUL = 'a\u0000b';
const LONE = 'a\ud800b';

type Who = 'nobody' | 'reader' | 'admin';
interface Case {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  who?: Who;
  body?: unknown;
  raw?: string;
  headers?: Record<string, string>;
  /** An HTML page: any 4xx will do, and the body is not JSON. */
  html?: boolean;
}

const now = () => Math.floor(Date.now() / 1000);
const hs256 = (payload: JWTPayload) =>
  new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET));

for (const engine of await testEngines()) {
  describe(`identity routes under hostile input (${engine})`, () => {
    let app: TestApp;
    let reader: string;
    let admin: string;
    let ssoSite: Site;

    before(async () => {
      app = await createTestApp(engine, ENV);
      reader = (await app.signup('Reader')).token;
      admin = await app.admin();
      ssoSite = await insertSite(app.store.db, {
        name: 'SSO News',
        allowedOrigins: [SITE_ORIGIN],
        editWindowSeconds: 900,
        maxDepth: 3,
        auth: {
          methods: { local: true, sso: true, oidc: false },
          sso: {
            secret: SECRET,
            jwksUrl: null,
            issuer: null,
            trustRoles: true,
            maxTokenAgeSeconds: 3600,
          },
        },
      });
      await app.sites.refresh();
    });
    after(async () => app.close());

    /** Claims signed with the site's secret: only the claims are wrong. */
    async function ssoToken(extra: Record<string, unknown>): Promise<string> {
      const payload: Record<string, unknown> = {
        sub: `reader-${randomUUID()}`,
        email: `r${randomUUID().slice(0, 8)}@publisher.example`,
        name: 'A Reader',
        iat: now(),
        exp: now() + 600,
        jti: randomUUID(),
        ...extra,
      };
      for (const key of Object.keys(payload)) if (payload[key] === undefined) delete payload[key];
      return hs256(payload as JWTPayload);
    }

    async function check(label: string, c: Case): Promise<void> {
      const token = c.who === 'reader' ? reader : c.who === 'admin' ? admin : undefined;
      const response = await app.request({
        method: c.method,
        url: c.url,
        ...(token && { token }),
        ...(c.headers && { headers: c.headers }),
        ...(c.raw !== undefined ? { raw: c.raw } : c.body !== undefined && { body: c.body }),
      });
      const context = `${label}: ${c.method} ${c.url} → ${response.status} ${response.text.slice(0, 300)}`;
      assert.ok(response.status >= 400 && response.status < 500, context);
      if (c.html) return;
      assert.equal(typeof response.json?.error?.code, 'string', context);
      assert.equal(typeof response.json?.error?.message, 'string', context);
    }

    /** The same request with each hostile body. */
    function bodies(
      method: Case['method'],
      url: string,
      who: Who,
      fields: Record<string, unknown>,
    ): [string, Case][] {
      const cases: [string, Case][] = [
        ['malformed JSON', { method, url, who, raw: '{"a":' }],
        ['an array', { method, url, who, body: [fields] }],
        ['a string', { method, url, who, body: 'hello' }],
        ['an unknown field', { method, url, who, body: { ...fields, extra: 1 } }],
      ];
      for (const key of Object.keys(fields)) {
        for (const [what, value] of [
          ['a number', 12345],
          ['an object', { $ne: null }],
          ['NUL', NUL],
          ['a lone surrogate', LONE],
          ['20 000 characters', LONG],
        ] as const) {
          cases.push([
            `${key} as ${what}`,
            { method, url, who, body: { ...fields, [key]: value } },
          ]);
        }
      }
      return cases;
    }

    it('answers a 4xx JSON error to every hostile body on the account routes', async () => {
      const api = '/api/v1';
      const token = 'A'.repeat(43);
      const cases: [string, Case][] = [
        ...bodies('POST', `${api}/auth/signup`, 'nobody', {
          displayName: 'Name',
          email: 'someone@example.com',
          password: 'a long enough password',
        }),
        ...bodies('POST', `${api}/auth/login`, 'nobody', {
          email: 'nobody@example.com',
          password: 'wrong password',
        }),
        ...bodies('POST', `${api}/auth/verify-email`, 'nobody', { token }),
        ...bodies('POST', `${api}/auth/password/forgot`, 'nobody', { email: NUL }),
        ...bodies('POST', `${api}/auth/password/reset`, 'nobody', {
          token,
          password: 'a long enough password',
        }),
        ...bodies('POST', `${api}/auth/email/confirm`, 'nobody', { token }),
        ...bodies('POST', `${api}/auth/refresh`, 'nobody', { refreshToken: token }),
        ...bodies('POST', `${api}/auth/me/password`, 'reader', {
          currentPassword: 'wrong password',
          newPassword: 'another long password',
        }),
        ...bodies('POST', `${api}/auth/me/email`, 'reader', {
          email: 'new@example.com',
          password: 'wrong password',
        }),
        ...bodies('PATCH', `${api}/auth/me`, 'reader', { locale: 'xx' }),
        ...bodies('POST', `${api}/auth/me/deletion`, 'reader', { password: 'wrong password' }),
        ...bodies('POST', `${api}/auth/sso`, 'nobody', { siteId: ssoSite.id, token: 'a.b.c' }),
        ...bodies('PUT', `${api}/admin/sites/${ssoSite.id}/auth`, 'admin', {
          oidc: { issuer: 'not a url', clientId: 'x' },
        }),
        ...bodies('POST', `${api}/admin/sites/${ssoSite.id}/sso-users/someone/deletion`, 'admin', {
          immediate: 'yes',
        }),
        // Tokens in every wrong shape.
        [
          'a short token',
          { method: 'POST', url: `${api}/auth/verify-email`, body: { token: 'abc' } },
        ],
        [
          'a path as token',
          { method: 'POST', url: `${api}/auth/email/confirm`, body: { token: '../../etc/passwd' } },
        ],
        [
          'an unknown refresh token',
          { method: 'POST', url: `${api}/auth/refresh`, body: { refreshToken: token } },
        ],
        [
          'a bad bearer header',
          { method: 'GET', url: `${api}/auth/me`, headers: { authorization: `Bearer ${NUL}` } },
        ],
        [
          'an unknown bearer token',
          {
            method: 'GET',
            url: `${api}/auth/sessions`,
            headers: { authorization: `Bearer ${token}` },
          },
        ],
        // Ids and queries.
        [
          'a malformed session id',
          { method: 'DELETE', url: `${api}/auth/sessions/..%2F..`, who: 'reader' },
        ],
        [
          'an unknown session id',
          { method: 'DELETE', url: `${api}/auth/sessions/${UNKNOWN_ID}`, who: 'reader' },
        ],
        [
          'a malformed user id',
          { method: 'POST', url: `${api}/admin/users/x/sessions/revoke`, who: 'admin' },
        ],
        [
          'an unknown user id',
          { method: 'POST', url: `${api}/admin/users/${UNKNOWN_ID}/sessions/revoke`, who: 'admin' },
        ],
        [
          'a reader revoking',
          {
            method: 'POST',
            url: `${api}/admin/users/${UNKNOWN_ID}/sessions/revoke`,
            who: 'reader',
          },
        ],
        ['a malformed site id', { method: 'GET', url: `${api}/sites/x/auth-methods` }],
        ['an unknown site', { method: 'GET', url: `${api}/sites/${UNKNOWN_ID}/auth-methods` }],
        [
          'a malformed site (admin)',
          { method: 'GET', url: `${api}/admin/sites/x/auth`, who: 'admin' },
        ],
        [
          'a reader reading settings',
          { method: 'GET', url: `${api}/admin/sites/${ssoSite.id}/auth`, who: 'reader' },
        ],
        [
          'a long sub',
          {
            method: 'GET',
            url: `${api}/admin/sites/${ssoSite.id}/sso-users/${'s'.repeat(300)}/export`,
            who: 'admin',
          },
        ],
        [
          'an encoded NUL sub',
          {
            method: 'GET',
            url: `${api}/admin/sites/${ssoSite.id}/sso-users/a%00b/export`,
            who: 'admin',
          },
        ],
        [
          'a lone surrogate sub',
          {
            method: 'GET',
            url: `${api}/admin/sites/${ssoSite.id}/sso-users/a%ED%A0%80b/export`,
            who: 'admin',
          },
        ],
        [
          'an unknown sub',
          {
            method: 'DELETE',
            url: `${api}/admin/sites/${ssoSite.id}/sso-users/nobody/deletion`,
            who: 'admin',
          },
        ],
        [
          'an unknown site (sso users)',
          {
            method: 'GET',
            url: `${api}/admin/sites/${UNKNOWN_ID}/sso-users/x/export`,
            who: 'admin',
          },
        ],
        [
          'a reader exporting another',
          {
            method: 'GET',
            url: `${api}/admin/sites/${ssoSite.id}/sso-users/x/export`,
            who: 'reader',
          },
        ],
        [
          'an unknown mail state',
          { method: 'GET', url: `${api}/admin/mail?state=lost`, who: 'admin' },
        ],
        [
          'a garbage mail cursor',
          { method: 'GET', url: `${api}/admin/mail?cursor=${'%27'.repeat(40)}`, who: 'admin' },
        ],
        [
          'a negative mail limit',
          { method: 'GET', url: `${api}/admin/mail?limit=-1`, who: 'admin' },
        ],
        ['a malformed mail id', { method: 'GET', url: `${api}/admin/mail/x`, who: 'admin' }],
        [
          'an unknown mail id',
          { method: 'POST', url: `${api}/admin/mail/${UNKNOWN_ID}/retry`, who: 'admin' },
        ],
        ['a reader reading mail', { method: 'GET', url: `${api}/admin/mail`, who: 'reader' }],
        ['a stranger exporting', { method: 'GET', url: `${api}/auth/me/export` }],
        ['a stranger deleting', { method: 'DELETE', url: `${api}/auth/me/deletion` }],
        ['a stranger resending', { method: 'POST', url: `${api}/auth/verify-email/resend` }],
        // Settings an admin may not store.
        ...(
          [
            { sso: { secret: 'short' } },
            { sso: { jwksUrl: 'http://10.0.0.1/keys' } },
            { sso: { jwksUrl: 'javascript:alert(1)', secret: SECRET } },
            { sso: { maxTokenAgeSeconds: 1e20 } },
            { oidc: { issuer: 'https://user:pw@idp.example', clientId: 'x' } },
            { oidc: { issuer: 'https://idp.example', clientId: '   ' } },
            { oidc: { issuer: 'https://idp.example', clientId: 'x', label: 'a\u202Eb' } },
            { oidc: { issuer: 'https://idp.example', clientId: 'x', scopes: ['a b'] } },
            { methods: { local: true } },
            { methods: { local: true, sso: true, oidc: true } },
            { deletedComments: 'shred' },
          ] as const
        ).map((body, i): [string, Case] => [
          `settings ${i}`,
          { method: 'PUT', url: `${api}/admin/sites/${ssoSite.id}/auth`, who: 'admin', body },
        ]),
      ];
      for (const [label, c] of cases) await check(label, c);
    });

    it('refuses SSO tokens whose signature is good but whose claims are not, with 401', async () => {
      const wrong: Record<string, Record<string, unknown>> = {
        'a NUL in sub': { sub: NUL },
        'a NUL in jti': { jti: NUL },
        'a control character in sub': { sub: 'a\u0007b' },
        'sub as a number': { sub: 42 },
        'jti as an object': { jti: { a: 1 } },
        'a 300-character jti': { jti: 'j'.repeat(300) },
        'an address list as email': { email: 'a@x.example,victim@y.example' },
        'an address with a display name': { email: 'Eve <eve@x.example>' },
        'a NUL in email': { email: 'a\u0000@x.example' },
        'email as an array': { email: ['a@x.example'] },
        'a name of hidden characters': { name: '\u200B\u200B\u200B' },
        'name as an object': { name: { first: 'A' } },
        'badges as an object': { badges: { 0: 'Staff' } },
        'exp as a string': { exp: String(now() + 600) },
        'iat in the future': { iat: now() + 3600, exp: now() + 4000 },
        'aud as a number': { aud: 7 },
        'no sub': { sub: undefined },
      };
      for (const [label, extra] of Object.entries(wrong)) {
        await check(label, {
          method: 'POST',
          url: '/api/v1/auth/sso',
          body: { siteId: ssoSite.id, token: await ssoToken(extra) },
        });
      }
      // The claims of the wrong shape but harmless are cleaned rather than refused.
      const odd = await app.request({
        method: 'POST',
        url: '/api/v1/auth/sso',
        body: {
          siteId: ssoSite.id,
          token: await ssoToken({
            badges: ['ok', 7, { a: 1 }, 'b\u202Ead', 'x'.repeat(200)],
            avatar: 'javascript:alert(1)',
            role: 'admin',
          }),
        },
      });
      assert.equal(odd.status, 200, odd.text);
      assert.deepEqual(odd.json.user.badges, ['ok']);
      assert.equal(odd.json.user.avatarUrl, null);
      assert.equal(odd.json.user.role, 'commenter');
    });

    it('answers a 4xx page to odd queries on the OIDC and account pages', async () => {
      const pages: [string, Case][] = [
        ['start without site', { method: 'GET', url: '/api/v1/auth/oidc/start', html: true }],
        [
          'start with two sites',
          { method: 'GET', url: `/api/v1/auth/oidc/start?siteId=a&siteId=b`, html: true },
        ],
        [
          'start with javascript:',
          {
            method: 'GET',
            url: `/api/v1/auth/oidc/start?siteId=${ssoSite.id}&origin=javascript:alert(1)`,
            html: true,
          },
        ],
        [
          'start on a site without OIDC',
          {
            method: 'GET',
            url: `/api/v1/auth/oidc/start?siteId=${ssoSite.id}&origin=${encodeURIComponent(SITE_ORIGIN)}`,
            html: true,
          },
        ],
        [
          'callback without state',
          { method: 'GET', url: '/api/v1/auth/oidc/callback', html: true },
        ],
        [
          'callback with a forged state',
          {
            method: 'GET',
            url: `/api/v1/auth/oidc/callback?state=${'A'.repeat(43)}&code=x`,
            html: true,
          },
        ],
        [
          'callback with two states',
          { method: 'GET', url: `/api/v1/auth/oidc/callback?state=a&state=b`, html: true },
        ],
        [
          'callback with a long state',
          {
            method: 'GET',
            url: `/api/v1/auth/oidc/callback?state=${'A'.repeat(5000)}`,
            html: true,
          },
        ],
        [
          'popup without origin',
          { method: 'GET', url: `/auth/popup?siteId=${ssoSite.id}`, html: true },
        ],
        [
          'popup with a null origin',
          { method: 'GET', url: `/auth/popup?siteId=${ssoSite.id}&origin=null`, html: true },
        ],
        [
          'popup with two sites',
          { method: 'GET', url: `/auth/popup?siteId=a&siteId=b&origin=x`, html: true },
        ],
        [
          'account with a path origin',
          {
            method: 'GET',
            url: `/account?origin=${encodeURIComponent(`${SITE_ORIGIN}/x`)}`,
            html: true,
          },
        ],
        ['an asset not built', { method: 'GET', url: '/account/assets/..%2F..%2Fpackage.json' }],
      ];
      for (const [label, c] of pages) await check(label, c);
    });
  });
}
