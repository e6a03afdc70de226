/**
 * Publisher SSO (POST /auth/sso) against tokens a test publisher signs with jose: a shared secret
 * (HS256) and keys published as a JWKS by a real HTTP server on 127.0.0.1 (RS256, ES256). Covers
 * the refusals (expired, unsigned, wrong key, algorithm confusion, another site's, replayed,
 * missing claims, too long lived, disabled, wrong origin, malformed), the account following the
 * publisher, role claims, and the rules for an address another account already has.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT, exportSPKI, type JWTPayload } from 'jose';
import type { SiteAuthSettings } from '../../src/domain/auth-settings.ts';
import { issueSession } from '../../src/services/sessions.ts';
import type { Site } from '../../src/store/rows.ts';
import { insertSite } from '../../src/store/sites.ts';
import { insertUser } from '../../src/store/users.ts';
import { pruneSsoTokenUses, recordSsoTokenUse } from '../../src/store/identities.ts';
import { createTestApp, SITE_ORIGIN, type ApiResponse, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const ENV = { PARLEY_AUTH_RATE_LIMIT: '10000', PARLEY_WRITE_RATE_LIMIT: '10000' };
const SECRET = randomBytes(32).toString('base64url');
const PUBLISHER = 'https://accounts.publisher.example';

function assertError(response: ApiResponse, status: number, code: string, label = ''): void {
  const context = `${label} → ${response.status} ${response.text.slice(0, 300)}`;
  assert.equal(response.status, status, context);
  assert.equal(response.json?.error?.code, code, context);
}

const now = () => Math.floor(Date.now() / 1000);
let counter = 0;

/** Claims of a fresh reader; `extra` replaces or (with undefined) removes claims. */
function claims(siteId: string, extra: Record<string, unknown> = {}): JWTPayload {
  const n = ++counter;
  const base: Record<string, unknown> = {
    sub: `reader-${n}-${randomUUID()}`,
    email: `reader${n}.${Date.now()}@publisher.example`,
    name: `Reader ${n}`,
    iat: now(),
    exp: now() + 600,
    jti: randomUUID(),
    aud: siteId,
    ...extra,
  };
  for (const key of Object.keys(base)) if (base[key] === undefined) delete base[key];
  return base as JWTPayload;
}

const hs256 = (payload: JWTPayload, secret = SECRET) =>
  new SignJWT(payload).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(secret));

/** A token with `alg: none` and no signature, as an attacker would write it by hand. */
const unsigned = (payload: JWTPayload) =>
  `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.` +
  `${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;

/** The publisher's keys, published as a JWKS over HTTP; counts how often they are fetched. */
async function startPublisherKeys() {
  const rsa = await generateKeyPair('RS256');
  const ec = await generateKeyPair('ES256');
  const stranger = await generateKeyPair('RS256');
  const jwks = {
    keys: [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' },
    ],
  };
  let fetches = 0;
  const server = http.createServer((request, response) => {
    if (request.url === '/down.json') return response.writeHead(500).end('{"keys":[]}');
    if (request.url === '/moved.json') {
      return response.writeHead(302, { location: '/jwks.json' }).end();
    }
    if (request.url !== '/jwks.json') return response.writeHead(404).end();
    fetches++;
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    fetches: () => fetches,
    rsaPublicPem: await exportSPKI(rsa.publicKey),
    rs256: (payload: JWTPayload, kid = 'rsa-1') =>
      new SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid }).sign(rsa.privateKey),
    es256: (payload: JWTPayload) =>
      new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: 'ec-1' }).sign(ec.privateKey),
    stranger: (payload: JWTPayload) =>
      new SignJWT(payload)
        .setProtectedHeader({ alg: 'RS256', kid: 'rsa-1' })
        .sign(stranger.privateKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

for (const engine of await testEngines()) {
  describe(`publisher SSO (${engine})`, () => {
    let app: TestApp;
    let keys: Awaited<ReturnType<typeof startPublisherKeys>>;
    /** HS256 with the shared secret; roles not trusted. */
    let hsSite: Site;
    /** RS256/ES256 from the JWKS URL. */
    let keySite: Site;
    /** HS256, trusts role claims, names an issuer. */
    let trustSite: Site;
    let offSite: Site;

    const addSite = async (name: string, auth: Partial<SiteAuthSettings>) =>
      insertSite(app.store.db, {
        name,
        allowedOrigins: [SITE_ORIGIN],
        editWindowSeconds: 900,
        maxDepth: 3,
        auth,
      });

    before(async () => {
      app = await createTestApp(engine, ENV);
      keys = await startPublisherKeys();
      const sso = { issuer: null, trustRoles: false, maxTokenAgeSeconds: 3600 };
      const on = { local: true, sso: true, oidc: false };
      hsSite = await addSite('Secret News', {
        methods: on,
        sso: { ...sso, secret: SECRET, jwksUrl: null },
      });
      keySite = await addSite('Keyed News', {
        methods: on,
        sso: { ...sso, secret: null, jwksUrl: keys.url },
      });
      trustSite = await addSite('Trusting News', {
        methods: on,
        sso: { ...sso, secret: SECRET, jwksUrl: null, trustRoles: true, issuer: PUBLISHER },
      });
      offSite = await addSite('Quiet News', {
        methods: { local: true, sso: false, oidc: false },
        sso: { ...sso, secret: SECRET, jwksUrl: null },
      });
      await app.sites.refresh();
    });
    after(async () => {
      await app.close();
      await keys.close();
    });

    const signIn = (siteId: string, token: unknown, origin?: string | null) =>
      app.request({
        method: 'POST',
        url: '/api/v1/auth/sso',
        body: { siteId, token },
        ...(origin !== undefined && { origin }),
      });
    const userRow = (id: string) =>
      app.store.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    it('signs a reader in with an HS256 token, creating a verified account on first sight', async () => {
      const payload = claims(hsSite.id, {
        avatar: 'https://cdn.publisher.example/a.png',
        badges: ['Subscriber'],
      });
      const response = await signIn(hsSite.id, await hs256(payload));
      assert.equal(response.status, 200, response.text);
      const { token, refreshToken, user } = response.json;
      assert.equal(typeof refreshToken, 'string');
      assert.equal(user.email, payload.email);
      assert.equal(user.displayName, payload.name);
      assert.equal(user.role, 'commenter');
      assert.equal(user.identity, 'sso');
      assert.equal(user.emailVerified, true);

      const me = await app.request({ method: 'GET', url: '/api/v1/auth/me', token });
      assert.equal(me.status, 200, me.text);
      assert.equal(me.json.user.id, user.id);

      const row = await userRow(user.id);
      assert.equal(row.password_hash, null);
      assert.notEqual(row.email_verified_at, null, 'an SSO address counts as verified');
      assert.equal(row.avatar_url, 'https://cdn.publisher.example/a.png');
      assert.deepEqual(JSON.parse(row.badges ?? '[]'), ['Subscriber']);
      const identity = await app.store.db
        .selectFrom('user_identities')
        .selectAll()
        .where('user_id', '=', user.id)
        .execute();
      assert.deepEqual(
        identity.map((i) => [i.provider, i.subject]),
        [[`sso:${hsSite.id}`, payload.sub]],
      );
      const session = await app.store.db
        .selectFrom('sessions')
        .select('method')
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      assert.equal(session.method, 'sso');
    });

    it('follows the publisher: a later token with a new name, address, avatar and badges updates the same account', async () => {
      const first = claims(hsSite.id, { badges: ['Subscriber'] });
      const a = await signIn(hsSite.id, await hs256(first));
      assert.equal(a.status, 200, a.text);
      const renamed = {
        ...claims(hsSite.id),
        sub: first.sub,
        name: 'Renamed Reader',
        email: `NEW.${first.email as string}`.toUpperCase(),
        badges: ['Subscriber', 'Founding member'],
      };
      const b = await signIn(hsSite.id, await hs256(renamed));
      assert.equal(b.status, 200, b.text);
      assert.equal(b.json.user.id, a.json.user.id);
      assert.equal(b.json.user.displayName, 'Renamed Reader');
      assert.equal(b.json.user.email, renamed.email.toLowerCase());
      const row = await userRow(a.json.user.id);
      assert.deepEqual(JSON.parse(row.badges ?? '[]'), ['Subscriber', 'Founding member']);
      assert.equal(row.avatar_url, null, 'no avatar claim: the avatar goes');
      assert.equal(row.display_name_changed_at, null, "the publisher's renames are not limited");
    });

    it('verifies RS256 and ES256 tokens with the keys at the JWKS URL, fetched once', async () => {
      for (const sign of [keys.rs256, keys.es256]) {
        const payload = claims(keySite.id);
        const response = await signIn(keySite.id, await sign(payload));
        assert.equal(response.status, 200, response.text);
        assert.equal(response.json.user.email, payload.email);
      }
      assert.equal(keys.fetches(), 1, 'the key set is cached');
    });

    it('refuses expired, unsigned, wrongly signed, confused and foreign tokens', async () => {
      const cases: Array<[string, string, Promise<string> | string, string]> = [
        [
          'expired',
          hsSite.id,
          hs256(claims(hsSite.id, { iat: now() - 600, exp: now() - 120 })),
          'SSO_TOKEN_EXPIRED',
        ],
        ['alg none', hsSite.id, unsigned(claims(hsSite.id)), 'SSO_TOKEN_INVALID'],
        [
          'another secret',
          hsSite.id,
          hs256(claims(hsSite.id), randomBytes(32).toString('hex')),
          'SSO_TOKEN_INVALID',
        ],
        [
          'HS256 signed with the public key, against the JWKS site',
          keySite.id,
          hs256(claims(keySite.id), keys.rsaPublicPem),
          'SSO_TOKEN_INVALID',
        ],
        [
          'alg none against the JWKS site',
          keySite.id,
          unsigned(claims(keySite.id)),
          'SSO_TOKEN_INVALID',
        ],
        [
          'RS256 with a key not published',
          keySite.id,
          keys.stranger(claims(keySite.id)),
          'SSO_TOKEN_INVALID',
        ],
        [
          'RS256 against the secret site',
          hsSite.id,
          keys.rs256(claims(hsSite.id)),
          'SSO_TOKEN_INVALID',
        ],
        ['another site’s token', hsSite.id, hs256(claims(trustSite.id)), 'SSO_TOKEN_INVALID'],
        [
          'lifetime longer than the site allows',
          hsSite.id,
          hs256(claims(hsSite.id, { exp: now() + 7200 })),
          'SSO_TOKEN_INVALID',
        ],
        [
          'issued in the future',
          hsSite.id,
          hs256(claims(hsSite.id, { iat: now() + 600, exp: now() + 900 })),
          'SSO_TOKEN_INVALID',
        ],
        [
          'wrong issuer',
          trustSite.id,
          hs256(claims(trustSite.id, { iss: 'https://evil.example' })),
          'SSO_TOKEN_INVALID',
        ],
        [
          'no issuer where one is required',
          trustSite.id,
          hs256(claims(trustSite.id)),
          'SSO_TOKEN_INVALID',
        ],
        ['malformed', hsSite.id, 'not-a-jwt', 'SSO_TOKEN_INVALID'],
        ['three garbage parts', hsSite.id, 'a.b.c', 'SSO_TOKEN_INVALID'],
        [
          'email not an address',
          hsSite.id,
          hs256(claims(hsSite.id, { email: 'nobody' })),
          'SSO_TOKEN_INVALID',
        ],
        [
          'name with a bidi override',
          hsSite.id,
          hs256(claims(hsSite.id, { name: 'a\u202Eb' })),
          'SSO_TOKEN_INVALID',
        ],
        ['numeric sub', hsSite.id, hs256(claims(hsSite.id, { sub: 42 })), 'SSO_TOKEN_INVALID'],
      ];
      for (const [label, siteId, token, code] of cases) {
        const response = await signIn(siteId, await token);
        assertError(response, 401, code, label);
        assert.ok(response.json.error.message.length > 10, label);
      }
      const expired = await signIn(
        hsSite.id,
        await hs256(claims(hsSite.id, { iat: now() - 600, exp: now() - 120 })),
      );
      assert.match(expired.json.error.message, /expired/);
      const confused = await signIn(keySite.id, await hs256(claims(keySite.id), keys.rsaPublicPem));
      assert.match(confused.json.error.message, /HS256.*accepts RS256, ES256/);
    });

    it('names the missing claim', async () => {
      for (const claim of ['sub', 'email', 'name', 'exp', 'iat', 'jti']) {
        const response = await signIn(
          hsSite.id,
          await hs256(claims(hsSite.id, { [claim]: undefined })),
        );
        assertError(response, 401, 'SSO_TOKEN_INVALID', claim);
        assert.match(response.json.error.message, new RegExp(`"${claim}"`), claim);
      }
    });

    it('accepts a token id once per site', async () => {
      const payload = claims(hsSite.id);
      const token = await hs256(payload);
      assert.equal((await signIn(hsSite.id, token)).status, 200);
      assertError(await signIn(hsSite.id, token), 401, 'SSO_TOKEN_REPLAYED', 'same token');
      const sameJti = await hs256({ ...claims(hsSite.id), jti: payload.jti });
      assertError(await signIn(hsSite.id, sameJti), 401, 'SSO_TOKEN_REPLAYED', 'same jti');
      // The same id on another site is that site's business.
      const elsewhere = await hs256({
        ...claims(trustSite.id, { iss: PUBLISHER }),
        jti: payload.jti,
      });
      assert.equal((await signIn(trustSite.id, elsewhere)).status, 200);
    });

    it('keeps token ids until their tokens expire, then lets them go', async () => {
      const db = app.store.db;
      const siteId = hsSite.id;
      const expiresAt = new Date(Date.now() + 60_000);
      assert.equal(await recordSsoTokenUse(db, { siteId, jti: 'kept', expiresAt }), true);
      assert.equal(await recordSsoTokenUse(db, { siteId, jti: 'kept', expiresAt }), false);
      const later = new Date(Date.now() + 120_000);
      assert.equal(
        await recordSsoTokenUse(
          db,
          { siteId, jti: 'kept', expiresAt: new Date(Date.now() + 180_000) },
          later,
        ),
        true,
        'an expired use does not block the id',
      );
      assert.ok((await pruneSsoTokenUses(db, new Date(Date.now() + 3_600_000))) >= 1);
      const left = await db
        .selectFrom('sso_token_uses')
        .select('jti')
        .where('jti', '=', 'kept')
        .execute();
      assert.equal(left.length, 0);
    });

    it('refuses a site without SSO, a page of another origin, and bad bodies without a 500', async () => {
      assertError(await signIn(offSite.id, await hs256(claims(offSite.id))), 403, 'SSO_DISABLED');
      assertError(
        await signIn(hsSite.id, await hs256(claims(hsSite.id)), 'https://evil.example'),
        403,
        'ORIGIN_NOT_ALLOWED',
      );
      assertError(
        await signIn('01ARZ3NDEKTSV4RRFFQ69G5FAV', await hs256(claims(hsSite.id))),
        404,
        'SITE_NOT_FOUND',
      );
      assertError(await signIn(hsSite.id, 'x'.repeat(9000)), 400, 'VALIDATION_FAILED', 'huge');
      assertError(await signIn(hsSite.id, 12345), 400, 'VALIDATION_FAILED', 'number');
      assertError(await signIn(hsSite.id, ''), 400, 'VALIDATION_FAILED', 'empty');
      const huge = await hs256(claims(hsSite.id, { name: 'n'.repeat(7000) }));
      const response = await signIn(hsSite.id, huge);
      assert.ok(response.status === 400 || response.status === 401, response.text);
      // The test app's own site offers no SSO.
      assertError(await signIn(app.site.id, await hs256(claims(app.site.id))), 403, 'SSO_DISABLED');
    });

    it('applies staff and commenter, ignores admin, and moderator only where roles are trusted (for that site)', async () => {
      const sub = `roles-${randomUUID()}`;
      const email = `roles.${Date.now()}@publisher.example`;
      const on = async (site: Site, role: string | undefined) => {
        const extra = { sub, email, role, ...(site.id === trustSite.id && { iss: PUBLISHER }) };
        const response = await signIn(site.id, await hs256(claims(site.id, extra)));
        assert.equal(response.status, 200, response.text);
        return userRow(response.json.user.id);
      };
      assert.equal((await on(trustSite, 'staff')).role, 'staff');
      assert.equal(
        (await on(trustSite, 'admin')).role,
        'staff',
        'admin is never taken from a token',
      );
      assert.equal((await on(trustSite, undefined)).role, 'staff', 'no claim: unchanged');
      assert.equal((await on(trustSite, 'commenter')).role, 'commenter', 'demoted');
      const moderator = await on(trustSite, 'moderator');
      assert.equal(moderator.role, 'moderator');
      assert.deepEqual(JSON.parse(moderator.moderator_site_ids ?? 'null'), [trustSite.id]);
      const audit = await app.store.db
        .selectFrom('moderation_actions')
        .selectAll()
        .where('user_id', '=', moderator.id)
        .where('action', '=', 'user.role')
        .execute();
      assert.ok(audit.length >= 3, 'role changes are in the audit log');
      assert.equal(
        (await on(trustSite, 'commenter')).role,
        'commenter',
        'the trusting site takes it back',
      );

      // A site that does not trust roles can neither make nor unmake a moderator.
      const other = `untrusted-${randomUUID()}`;
      const untrusted = await signIn(
        hsSite.id,
        await hs256(claims(hsSite.id, { sub: other, role: 'moderator' })),
      );
      assert.equal(untrusted.status, 200, untrusted.text);
      assert.equal(untrusted.json.user.role, 'commenter');
    });

    it('links an existing account only when its address is verified, and never an admin’s', async () => {
      const db = app.store.db;
      const local = async (role: 'commenter' | 'admin', verified: boolean) => {
        const email = `local.${++counter}.${Date.now()}@publisher.example`;
        const user = await insertUser(db, {
          email,
          displayName: 'Local',
          passwordHash: null,
          role,
        });
        assert.ok(user);
        await db
          .updateTable('users')
          .set({ email_verified_at: verified ? new Date().toISOString() : null })
          .where('id', '=', user.id)
          .execute();
        return user;
      };

      const unverified = await local('commenter', false);
      const refused = await signIn(
        hsSite.id,
        await hs256(claims(hsSite.id, { email: unverified.email })),
      );
      assertError(refused, 409, 'EMAIL_TAKEN', 'unverified local account');
      assert.match(refused.json.error.message, /not confirmed/);

      const verified = await local('commenter', true);
      const linked = await signIn(
        hsSite.id,
        await hs256(claims(hsSite.id, { email: verified.email })),
      );
      assert.equal(linked.status, 200, linked.text);
      assert.equal(linked.json.user.id, verified.id, 'the same account');
      const identities = await db
        .selectFrom('user_identities')
        .select('provider')
        .where('user_id', '=', verified.id)
        .execute();
      assert.deepEqual(
        identities.map((i) => i.provider),
        [`sso:${hsSite.id}`],
      );

      // Another publisher on the same installation cannot reach it by its address.
      const elsewhere = await signIn(
        trustSite.id,
        await hs256(claims(trustSite.id, { email: verified.email, iss: PUBLISHER })),
      );
      assertError(elsewhere, 409, 'EMAIL_TAKEN', "another site's publisher");
      assert.match(elsewhere.json.error.message, /through another site/);

      const admin = await local('admin', true);
      assertError(
        await signIn(
          hsSite.id,
          await hs256(claims(hsSite.id, { email: admin.email.toUpperCase() })),
        ),
        409,
        'EMAIL_TAKEN',
        'admin',
      );
      assert.equal((await userRow(admin.id)).role, 'admin');
    });

    it('refuses a changed address that another account uses, leaving the account as it was', async () => {
      const other = await insertUser(app.store.db, {
        email: `other.${Date.now()}@publisher.example`,
        displayName: 'Other',
        passwordHash: null,
        role: 'commenter',
      });
      assert.ok(other);
      const first = claims(hsSite.id);
      const a = await signIn(hsSite.id, await hs256(first));
      assert.equal(a.status, 200, a.text);
      const moved = await signIn(
        hsSite.id,
        await hs256({ ...claims(hsSite.id), sub: first.sub, email: other.email, name: 'Moved' }),
      );
      assertError(moved, 409, 'EMAIL_TAKEN');
      assert.match(moved.json.error.message, /changed/);
      const row = await userRow(a.json.user.id);
      assert.equal(row.email, first.email);
      assert.equal(row.display_name, first.name, 'nothing of the refused sign-in was written');
    });

    it('answers 503 BUSY when the publisher’s keys cannot be read, and follows no redirect', async () => {
      for (const path of ['/down.json', '/moved.json', '/missing.json']) {
        const site = await addSite(`Keyless ${path}`, {
          methods: { local: true, sso: true, oidc: false },
          sso: {
            secret: null,
            jwksUrl: keys.url.replace('/jwks.json', path),
            issuer: null,
            trustRoles: false,
            maxTokenAgeSeconds: 3600,
          },
        });
        await app.sites.refresh();
        const response = await signIn(site.id, await keys.rs256(claims(site.id)));
        assertError(response, 503, 'BUSY', path);
      }
      // A key the publisher does not have is still the token's fault.
      assertError(
        await signIn(keySite.id, await keys.rs256(claims(keySite.id), 'rsa-unknown')),
        401,
        'SSO_TOKEN_INVALID',
      );
    });

    it('answers 409, not 500, when two readers move to the same new address at once', async () => {
      for (let round = 0; round < 15; round++) {
        const readers = [claims(hsSite.id), claims(hsSite.id)];
        for (const reader of readers) {
          assert.equal((await signIn(hsSite.id, await hs256(reader))).status, 200);
        }
        const email = `shared.${round}.${Date.now()}@publisher.example`;
        const tokens = await Promise.all(
          readers.map((reader) => hs256({ ...claims(hsSite.id), sub: reader.sub, email })),
        );
        const answers = await Promise.all(tokens.map((token) => signIn(hsSite.id, token)));
        const statuses = answers.map((answer) => answer.status).sort();
        assert.deepEqual(statuses, [200, 409], answers.map((answer) => answer.text).join('\n'));
      }
    });
  });
}

for (const engine of await testEngines()) {
  describe(`site sign-in settings (${engine})`, () => {
    let app: TestApp;
    let admin: string;
    before(async () => {
      app = await createTestApp(engine, ENV);
      admin = await app.admin();
    });
    after(async () => app.close());

    const url = () => `/api/v1/admin/sites/${app.site.id}/auth`;
    const put = (body: unknown, token = admin) =>
      app.request({ method: 'PUT', url: url(), body, token });
    const methods = (sso: boolean, oidc = false) => ({ local: true, sso, oidc });

    it('is for admins only', async () => {
      assertError(await app.request({ method: 'GET', url: url() }), 401, 'UNAUTHENTICATED');
      const reader = await insertUser(app.store.db, {
        email: `mod.${Date.now()}@example.com`,
        displayName: 'Moderator',
        passwordHash: null,
        role: 'moderator',
      });
      assert.ok(reader);
      const session = await issueSession(app.store, reader.id, { method: 'password' });
      assertError(
        await app.request({ method: 'GET', url: url(), token: session.token }),
        403,
        'FORBIDDEN',
      );
      assertError(await put({ methods: methods(false) }, session.token), 403, 'FORBIDDEN');
    });

    it('reads the defaults and the redirect URI to register with a provider', async () => {
      const response = await app.request({ method: 'GET', url: url(), token: admin });
      assert.equal(response.status, 200, response.text);
      assert.deepEqual(response.json.auth, {
        methods: { local: true, sso: false, oidc: false },
        requireVerifiedEmail: true,
        deletedComments: 'anonymise',
        sso: null,
        oidc: null,
      });
      assert.equal(response.json.oidcRedirectUri, 'http://parley.test/api/v1/auth/oidc/callback');
    });

    it('refuses settings that could not work or would not be safe', async () => {
      const cases: Array<[string, unknown]> = [
        ['short secret', { methods: methods(true), sso: { secret: 'x'.repeat(31) } }],
        ['plain http keys', { sso: { jwksUrl: 'http://keys.example/jwks.json' } }],
        ['keys not a URL', { sso: { jwksUrl: 'keys' } }],
        ['SSO without a key', { sso: {} }],
        ['SSO offered, not configured', { methods: methods(true) }],
        ['OIDC offered, not configured', { methods: methods(false, true) }],
        ['issuer not https', { oidc: { issuer: 'http://id.example', clientId: 'c' } }],
        ['issuer not a URL', { oidc: { issuer: 'id', clientId: 'c' } }],
        ['empty client id', { oidc: { issuer: 'https://id.example', clientId: ' ' } }],
        [
          'label too long',
          { oidc: { issuer: 'https://id.example', clientId: 'c', label: 'l'.repeat(61) } },
        ],
        ['bad scope', { oidc: { issuer: 'https://id.example', clientId: 'c', scopes: ['a b'] } }],
        ['policy', { deletedComments: 'burn' }],
        ['methods not booleans', { methods: { local: 'yes', sso: false, oidc: false } }],
        ['unknown field', { sso: { secret: 'x'.repeat(40), algorithm: 'none' } }],
      ];
      for (const [label, body] of cases) {
        const response = await put(body);
        assert.equal(response.status, 400, `${label} → ${response.status} ${response.text}`);
      }
    });

    it('keeps write-only secrets when left out, and never sends them back', async () => {
      const secret = randomBytes(32).toString('hex');
      const saved = await put({
        methods: methods(true),
        deletedComments: 'remove',
        sso: { secret, trustRoles: true, maxTokenAgeSeconds: 600 },
      });
      assert.equal(saved.status, 200, saved.text);
      assert.equal(saved.json.auth.sso.hasSecret, true);
      assert.equal(saved.json.auth.deletedComments, 'remove');
      assert.ok(!saved.text.includes(secret));

      // The site directory was refreshed: the widget is told at once, and tokens work.
      const offered = await app.request({
        method: 'GET',
        url: `/api/v1/sites/${app.site.id}/auth-methods`,
      });
      assert.deepEqual(offered.json, { local: true, sso: true, oidc: false });
      const signIn = async () =>
        app.request({
          method: 'POST',
          url: '/api/v1/auth/sso',
          body: { siteId: app.site.id, token: await hs256(claims(app.site.id), secret) },
        });
      assert.equal((await signIn()).status, 200);

      const relabelled = await put({ sso: { issuer: 'https://accounts.example' } });
      assert.equal(relabelled.json.auth.sso.hasSecret, true, 'left out: kept');
      assert.equal(relabelled.json.auth.sso.trustRoles, true);
      assert.equal(relabelled.json.auth.sso.maxTokenAgeSeconds, 600);
      const issuerless = await put({ sso: { issuer: null } });
      assert.equal(issuerless.json.auth.sso.issuer, null);
      assert.equal((await signIn()).status, 200, 'the kept secret still verifies');

      const keysOnly = await put({
        sso: { secret: null, jwksUrl: 'https://keys.example/jwks.json' },
      });
      assert.equal(keysOnly.status, 200, keysOnly.text);
      assert.equal(keysOnly.json.auth.sso.hasSecret, false);

      const audit = await app.store.db
        .selectFrom('moderation_actions')
        .select(['before', 'after'])
        .where('action', '=', 'site.auth')
        .execute();
      assert.ok(audit.length >= 3);
      assert.ok(audit.every((row) => !`${row.before}${row.after}`.includes(secret)));
    });

    it('keeps the client secret only while the issuer stays the same', async () => {
      const oidc = { issuer: 'https://id.example', clientId: 'parley', label: 'Example ID' };
      const first = await put({
        methods: methods(false, true),
        oidc: { ...oidc, clientSecret: 's3cret' },
      });
      assert.equal(first.status, 200, first.text);
      assert.equal(first.json.auth.oidc.hasClientSecret, true);
      assert.deepEqual(first.json.auth.oidc.scopes, ['email', 'profile']);
      const relabel = await put({ oidc: { ...oidc, label: 'Sign in with Example' } });
      assert.equal(relabel.json.auth.oidc.hasClientSecret, true);
      const moved = await put({ oidc: { ...oidc, issuer: 'https://other-id.example' } });
      assert.equal(moved.json.auth.oidc.hasClientSecret, false, 'not sent to another host');
      const offered = await app.request({
        method: 'GET',
        url: `/api/v1/sites/${app.site.id}/auth-methods`,
      });
      assert.deepEqual(offered.json.oidc, { label: 'Example ID' });
    });
  });
}
