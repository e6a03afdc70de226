/**
 * Accounts (sign-up, log-in, log-out, password storage), site administration (admins only, origin
 * normalisation), the origin rules that keep one publisher's pages from writing to another's
 * stories, CORS, security headers, and the service endpoints (OpenAPI, health, metrics).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertSite } from '../../src/store/sites.ts';
import {
  createTestApp,
  SITE_ORIGIN,
  type ApiResponse,
  type RequestOptions,
  type TestApp,
} from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const PASSWORD = 'a long enough password';
const OWN_ORIGIN = 'http://parley.test';
const EVIL_ORIGIN = 'https://evil.example';
const UNKNOWN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';

function assertError(response: ApiResponse, status: number, code: string, label = ''): void {
  const context = `${label} → ${response.status} ${response.text.slice(0, 300)}`;
  assert.equal(response.status, status, context);
  assert.equal(response.json?.error?.code, code, context);
}

let emailCounter = 0;
const freshEmail = (prefix = 'user') => `${prefix}.${++emailCounter}.${Date.now()}@example.com`;

/** Generous limits: these tests sign up and log in more often than a person would. */
const ENV = { PARLEY_AUTH_RATE_LIMIT: '1000', PARLEY_WRITE_RATE_LIMIT: '1000' };

for (const engine of await testEngines()) {
  describe(`accounts (${engine})`, () => {
    let app: TestApp;
    before(async () => {
      app = await createTestApp(engine, ENV);
    });
    after(async () => app.close());

    const signup = (body: Record<string, unknown>) =>
      app.request({ method: 'POST', url: '/api/v1/auth/signup', body });
    const login = (email: string, password: string) =>
      app.request({ method: 'POST', url: '/api/v1/auth/login', body: { email, password } });
    const me = (token: string) => app.request({ method: 'GET', url: '/api/v1/auth/me', token });
    const usersWithEmail = (email: string) =>
      app.store.db.selectFrom('users').selectAll().where('email', '=', email).execute();

    it('signs up with 202, the email lower-cased, and a token only after logging in', async () => {
      const email = freshEmail('Rana.Q').replace('example.com', 'Example.COM');
      const response = await signup({ displayName: 'Rana', email, password: PASSWORD });
      assert.equal(response.status, 202, response.text);
      assert.deepEqual(response.json, { status: 'verification_sent' });
      assert.equal((await usersWithEmail(email.toLowerCase())).length, 1);

      const session = await login(email, PASSWORD);
      assert.equal(session.status, 200, session.text);
      assert.equal(session.json.user.email, email.toLowerCase());
      assert.equal(session.json.user.role, 'commenter');
      assert.equal(session.json.user.emailVerified, false);
      const whoami = await me(session.json.token);
      assert.equal(whoami.status, 200, whoami.text);
      assert.deepEqual(whoami.json.user, session.json.user);
    });

    it('answers a second sign-up for the same email, in any case, like the first (202), changing nothing', async () => {
      const email = freshEmail('taken');
      const first = await signup({ displayName: 'First', email, password: PASSWORD });
      assert.equal(first.status, 202);
      for (const again of [email, email.toUpperCase()]) {
        const response = await signup({ displayName: 'Second', email: again, password: PASSWORD });
        assert.equal(response.status, 202, again);
        assert.deepEqual(response.json, first.json, 'no account enumeration');
      }
      const stored = await usersWithEmail(email);
      assert.deepEqual(
        stored.map((u) => u.display_name),
        ['First'],
      );
    });

    const invalidSignups: Array<[string, Record<string, unknown>]> = [
      ['a password shorter than 8 characters', { displayName: 'Short', password: 'seven77' }],
      ['a missing password', { displayName: 'Nopass' }],
      ['a missing display name', { password: PASSWORD }],
      [
        'an address that is not an email',
        { displayName: 'Bad', password: PASSWORD, email: 'not-an-email' },
      ],
      ['a role chosen by the client', { displayName: 'Sneaky', password: PASSWORD, role: 'admin' }],
    ];
    for (const [name, fields] of invalidSignups) {
      it(`refuses a sign-up with ${name} with 400 VALIDATION_FAILED, creating no account`, async () => {
        const email = freshEmail('invalid');
        const response = await signup({ email, ...fields });
        assertError(response, 400, 'VALIDATION_FAILED', name);
        assert.deepEqual(await usersWithEmail(email), []);
      });
    }

    it('stores only an Argon2id hash of the password', async () => {
      const email = freshEmail('hashed');
      assert.equal(
        (await signup({ displayName: 'Hashed', email, password: PASSWORD })).status,
        202,
      );
      const [row] = await usersWithEmail(email);
      assert.ok(row?.password_hash, 'a hash is stored');
      assert.ok(row.password_hash.startsWith('$argon2id$'), row.password_hash);
      assert.ok(!row.password_hash.includes(PASSWORD), 'not the password in clear');
    });

    it('logs in with the right password, whatever the case of the email', async () => {
      const email = freshEmail('login');
      await signup({ displayName: 'Login', email, password: PASSWORD });
      for (const spelling of [email, email.toUpperCase()]) {
        const response = await login(spelling, PASSWORD);
        assert.equal(response.status, 200, response.text);
        assert.equal(response.json.user.email, email);
        assert.equal((await me(response.json.token)).status, 200);
      }
    });

    it('answers a wrong password and an unknown email identically with 401 INVALID_CREDENTIALS', async () => {
      const email = freshEmail('enumerate');
      await signup({ displayName: 'Known', email, password: PASSWORD });
      const wrongPassword = await login(email, 'not the password');
      const unknownEmail = await login(freshEmail('nobody'), PASSWORD);
      assertError(wrongPassword, 401, 'INVALID_CREDENTIALS', 'wrong password');
      assertError(unknownEmail, 401, 'INVALID_CREDENTIALS', 'unknown email');
      assert.deepEqual(wrongPassword.json, unknownEmail.json, 'no account enumeration');
      assert.equal(wrongPassword.json.token, undefined);
    });

    it('revokes the token used to log out, and only that one', async () => {
      const email = freshEmail('logout');
      await signup({ displayName: 'Leaving', email, password: PASSWORD });
      const first = (await login(email, PASSWORD)).json.token;
      const second = (await login(email, PASSWORD)).json.token;

      const out = await app.request({ method: 'POST', url: '/api/v1/auth/logout', token: first });
      assert.equal(out.status, 204, out.text);
      assertError(await me(first), 401, 'UNAUTHENTICATED', 'revoked token');
      const again = await app.request({ method: 'POST', url: '/api/v1/auth/logout', token: first });
      assertError(again, 401, 'UNAUTHENTICATED', 'log out twice');
      assert.equal((await me(second)).status, 200, 'the other session survives');
    });

    it('refuses to log out without a token with 401 UNAUTHENTICATED', async () => {
      const response = await app.request({ method: 'POST', url: '/api/v1/auth/logout' });
      assertError(response, 401, 'UNAUTHENTICATED');
    });
  });

  describe(`sites administration (${engine})`, () => {
    let app: TestApp;
    let adminToken: string;
    let commenterToken: string;
    before(async () => {
      app = await createTestApp(engine, ENV);
      adminToken = await app.admin();
      commenterToken = (await app.signup('Commenter')).token;
    });
    after(async () => app.close());

    const createSite = (allowedOrigins: string[], name = 'Other News', token = adminToken) =>
      app.request({ method: 'POST', url: '/api/v1/sites', token, body: { name, allowedOrigins } });
    const storedSites = async () =>
      (await app.store.db.selectFrom('sites').selectAll().orderBy('id').execute()).map((row) => ({
        ...row,
        created_at: String(row.created_at),
        updated_at: String(row.updated_at),
      }));

    const routes = () =>
      [
        {
          method: 'POST',
          url: '/api/v1/sites',
          body: { name: 'New', allowedOrigins: ['https://new.example'] },
          ok: 201,
        },
        { method: 'GET', url: '/api/v1/sites', ok: 200 },
        { method: 'GET', url: `/api/v1/sites/${app.site.id}`, ok: 200 },
        {
          method: 'PATCH',
          url: `/api/v1/sites/${app.site.id}`,
          body: { name: 'Renamed News' },
          ok: 200,
        },
      ] as const;

    it('refuses every site route to anonymous callers (401) and commenters (403), changing nothing', async () => {
      const before = await storedSites();
      for (const route of routes()) {
        const label = `${route.method} ${route.url}`;
        const anonymous = await app.request({ ...route });
        assertError(anonymous, 401, 'UNAUTHENTICATED', `anonymous ${label}`);
        const commenter = await app.request({ ...route, token: commenterToken });
        assertError(commenter, 403, 'FORBIDDEN', `commenter ${label}`);
      }
      assert.deepEqual(await storedSites(), before, 'no site was created or changed');
    });

    it('lets an admin use every site route', async () => {
      for (const route of routes()) {
        const response = await app.request({ ...route, token: adminToken });
        assert.equal(response.status, route.ok, `${route.method} ${route.url}: ${response.text}`);
      }
      const listed = await app.request({ method: 'GET', url: '/api/v1/sites', token: adminToken });
      const names = listed.json.sites.map((s: { name: string }) => s.name);
      assert.ok(names.includes('New') && names.includes('Renamed News'), names.join(', '));
    });

    it('answers an unknown site id with 404 SITE_NOT_FOUND', async () => {
      const url = `/api/v1/sites/${UNKNOWN_ID}`;
      assertError(
        await app.request({ method: 'GET', url, token: adminToken }),
        404,
        'SITE_NOT_FOUND',
      );
      const patch = await app.request({
        method: 'PATCH',
        url,
        token: adminToken,
        body: { name: 'x' },
      });
      assertError(patch, 404, 'SITE_NOT_FOUND');
    });

    it('normalises allowed origins on create and on update', async () => {
      const created = await createSite([
        'https://News.Example.ORG',
        'https://secure.example:443',
        'http://localhost:3000',
        'https://bücher.example',
      ]);
      assert.equal(created.status, 201, created.text);
      const expected = [
        'https://news.example.org',
        'https://secure.example',
        'http://localhost:3000',
        'https://xn--bcher-kva.example',
      ];
      assert.deepEqual(created.json.site.allowedOrigins, expected);
      const fetched = await app.request({
        method: 'GET',
        url: `/api/v1/sites/${created.json.site.id}`,
        token: adminToken,
      });
      assert.deepEqual(fetched.json.site.allowedOrigins, expected);

      const patched = await app.request({
        method: 'PATCH',
        url: `/api/v1/sites/${created.json.site.id}`,
        token: adminToken,
        body: { allowedOrigins: ['http://Plain.Example:80'] },
      });
      assert.equal(patched.status, 200, patched.text);
      assert.deepEqual(patched.json.site.allowedOrigins, ['http://plain.example']);
    });

    it('refuses origins that are not scheme://host[:port] with 400 VALIDATION_FAILED', async () => {
      const before = await storedSites();
      for (const origin of [
        'ftp://files.example',
        'https://news.example/path',
        'javascript://x',
        'news.example',
      ]) {
        assertError(await createSite([origin]), 400, 'VALIDATION_FAILED', origin);
      }
      assert.deepEqual(await storedSites(), before);
    });

    for (const origin of [
      'https://a:b:c',
      'https://[::1',
      'https://exa%mple.com',
      'https://big.example:99999',
    ]) {
      it(`refuses the unparseable origin ${origin} with 400 VALIDATION_FAILED, not a 500`, async () => {
        const before = await storedSites();
        assertError(await createSite([origin]), 400, 'VALIDATION_FAILED', `create ${origin}`);
        const patch = await app.request({
          method: 'PATCH',
          url: `/api/v1/sites/${app.site.id}`,
          token: adminToken,
          body: { allowedOrigins: [origin] },
        });
        assertError(patch, 400, 'VALIDATION_FAILED', `patch ${origin}`);
        assert.deepEqual(await storedSites(), before);
      });
    }

    it('stores an origin listed twice (in two spellings) once', async () => {
      const created = await createSite(
        ['https://Twice.example', 'https://twice.example:443'],
        'Twice',
      );
      assert.equal(created.status, 201, created.text);
      assert.deepEqual(created.json.site.allowedOrigins, ['https://twice.example']);
    });

    it('resolves stories on an origin that a site lists twice (as the CLI can store it)', async () => {
      const origin = 'https://listed-twice.example';
      const site = await insertSite(app.store.db, {
        name: 'Listed Twice',
        allowedOrigins: [origin, origin],
        editWindowSeconds: 300,
        maxDepth: 3,
      });
      // Any change through the API makes the server reload its sites.
      const touch = await app.request({
        method: 'PATCH',
        url: `/api/v1/sites/${app.site.id}`,
        token: adminToken,
        body: { name: app.site.name },
      });
      assert.equal(touch.status, 200, touch.text);
      const resolved = await app.request({
        method: 'POST',
        url: '/api/v1/stories/resolve',
        origin,
        body: { url: `${origin}/news/one` },
      });
      assert.equal(resolved.status, 200, resolved.text);
      assert.equal(resolved.json.site.id, site.id);
    });

    it("allows a new site's origin through CORS as soon as the site is created", async () => {
      const origin = 'https://fresh.example';
      const preflight = () =>
        app.app.inject({
          method: 'OPTIONS',
          url: '/api/v1/stories/resolve',
          headers: { origin, 'access-control-request-method': 'POST' },
        });
      assert.equal((await preflight()).headers['access-control-allow-origin'], undefined);
      assert.equal((await createSite([origin], 'Fresh')).status, 201);
      assert.equal((await preflight()).headers['access-control-allow-origin'], origin);
    });
  });

  describe(`origins and CORS (${engine})`, () => {
    let app: TestApp;
    let reader: { token: string; id: string };
    const OTHER_ORIGIN = 'https://other-paper.example';
    before(async () => {
      app = await createTestApp(engine, ENV);
      reader = await app.signup('Reader');
      const other = await app.request({
        method: 'POST',
        url: '/api/v1/sites',
        token: await app.admin(),
        body: { name: 'Other Paper', allowedOrigins: [OTHER_ORIGIN] },
      });
      assert.equal(other.status, 201, other.text);
    });
    after(async () => app.close());

    const storyCount = async () => {
      const row = await app.store.db
        .selectFrom('stories')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    };
    const resolve = (body: Record<string, unknown>, origin?: string | null) =>
      app.request({ method: 'POST', url: '/api/v1/stories/resolve', body, origin });

    const preflights: Array<[string, string, string | undefined]> = [
      ["the site's origin", SITE_ORIGIN, SITE_ORIGIN],
      ["Parley's own origin", OWN_ORIGIN, OWN_ORIGIN],
      ['an unknown origin', EVIL_ORIGIN, undefined],
      ['a look-alike of the site origin', 'https://news.example.evil.example', undefined],
      ['the site origin over plain http', 'http://news.example', undefined],
    ];
    for (const [name, origin, allowed] of preflights) {
      it(`answers a preflight from ${name} ${allowed ? 'with' : 'without'} access-control-allow-origin`, async () => {
        const response = await app.app.inject({
          method: 'OPTIONS',
          url: '/api/v1/stories/resolve',
          headers: {
            origin,
            'access-control-request-method': 'POST',
            'access-control-request-headers': 'authorization,content-type',
          },
        });
        assert.equal(response.headers['access-control-allow-origin'], allowed);
        if (allowed) {
          assert.match(String(response.headers['access-control-allow-headers']), /Authorization/i);
        }
      });
    }

    const refusedResolves: Array<[string, string | null, string]> = [
      ['a page on a disallowed origin', EVIL_ORIGIN, `${EVIL_ORIGIN}/news/a`],
      ['a disallowed origin naming an allowed URL', EVIL_ORIGIN, `${SITE_ORIGIN}/news/b`],
      ['an allowed origin naming a URL elsewhere', SITE_ORIGIN, `${EVIL_ORIGIN}/news/c`],
      ['a server-side call (no Origin) for a URL on no site', null, `${EVIL_ORIGIN}/news/d`],
      ['a sandboxed page (Origin: null)', 'null', `${SITE_ORIGIN}/news/e`],
    ];
    for (const [name, origin, url] of refusedResolves) {
      it(`refuses to resolve for ${name} with 403 ORIGIN_NOT_ALLOWED, creating nothing`, async () => {
        const before = await storyCount();
        assertError(await resolve({ url }, origin), 403, 'ORIGIN_NOT_ALLOWED', name);
        assert.equal(await storyCount(), before);
      });
    }

    it("refuses to resolve a story of one site on another site's origin via siteId", async () => {
      const before = await storyCount();
      const response = await resolve(
        { url: `${OTHER_ORIGIN}/news/x`, siteId: app.site.id },
        OTHER_ORIGIN,
      );
      assertError(response, 403, 'ORIGIN_NOT_ALLOWED');
      assert.equal(await storyCount(), before);
    });

    it('resolves the same story every time (by story id, and by URL ignoring the fragment)', async () => {
      const byId = { url: `${SITE_ORIGIN}/news/idempotent`, storyId: 'idempotent' };
      const first = await resolve(byId);
      assert.equal(first.status, 200, first.text);
      const before = await storyCount();
      const second = await resolve(byId);
      assert.equal(second.json.story.id, first.json.story.id);
      assert.equal(second.json.site.id, app.site.id);

      const plain = await resolve({ url: `${SITE_ORIGIN}/news/by-url` });
      const withFragment = await resolve({ url: `${SITE_ORIGIN}/news/by-url#comments` });
      assert.equal(withFragment.json.story.id, plain.json.story.id);
      assert.equal(await storyCount(), before + 1, 'one new story, for the URL');
    });

    describe("writes from another site's origin", () => {
      let story: string;
      let comment: string;
      before(async () => {
        story = await app.story();
        comment = (await app.post(story, reader.token, 'on the right site')).json.comment.id;
      });

      const writes = () =>
        [
          {
            method: 'POST',
            url: `/api/v1/stories/${story}/comments`,
            body: { body: 'cross-site' },
          },
          {
            method: 'PATCH',
            url: `/api/v1/comments/${comment}`,
            body: { body: 'edited cross-site' },
          },
          { method: 'PUT', url: `/api/v1/comments/${comment}/reaction` },
          { method: 'POST', url: `/api/v1/comments/${comment}/reports`, body: { reason: 'spam' } },
          { method: 'DELETE', url: `/api/v1/comments/${comment}` },
        ] as const;

      /** As the reader sees it (signed in: fresh from the database, with their reactions and reports). */
      async function threadState() {
        const page = await app.request({
          method: 'GET',
          url: `/api/v1/stories/${story}/comments`,
          token: reader.token,
        });
        assert.equal(page.status, 200, page.text);
        return page.json;
      }

      for (const origin of [OTHER_ORIGIN, EVIL_ORIGIN]) {
        it(`refuses every write from ${origin} with 403 ORIGIN_NOT_ALLOWED, changing nothing`, async () => {
          const before = await threadState();
          for (const write of writes()) {
            const response = await app.request({ ...write, token: reader.token, origin });
            assertError(response, 403, 'ORIGIN_NOT_ALLOWED', `${write.method} ${write.url}`);
          }
          assert.deepEqual(await threadState(), before);
          const reports = await app.store.db.selectFrom('reports').selectAll().execute();
          assert.deepEqual(reports, []);
        });
      }

      for (const origin of [SITE_ORIGIN, OWN_ORIGIN, null]) {
        it(`accepts a comment from ${origin ?? 'a server (no Origin)'}`, async () => {
          const response = await app.request({
            method: 'POST',
            url: `/api/v1/stories/${story}/comments`,
            token: reader.token,
            origin,
            body: { body: `from ${origin ?? 'a server'}` },
          });
          assert.equal(response.status, 201, response.text);
        });
      }
    });
  });

  describe(`service endpoints (${engine})`, () => {
    let app: TestApp;
    before(async () => {
      app = await createTestApp(engine, ENV);
    });
    after(async () => app.close());

    /** Headers every response carries, whatever sets them (values Parley may reasonably choose). */
    const SECURITY_HEADERS: Array<[string, RegExp]> = [
      ['x-content-type-options', /^nosniff$/],
      ['x-frame-options', /^(DENY|SAMEORIGIN)$/i],
      ['referrer-policy', /^(no-referrer|same-origin|strict-origin(-when-cross-origin)?)$/],
      ['content-security-policy', /frame-ancestors 'none'/],
      ['content-security-policy', /object-src 'none'/],
      ['cross-origin-resource-policy', /^cross-origin$/],
    ];
    const probes: Array<[string, RequestOptions]> = [
      [
        'a successful API response',
        { method: 'POST', url: '/api/v1/stories/resolve', body: { url: `${SITE_ORIGIN}/news/h` } },
      ],
      ['an error response', { method: 'GET', url: '/api/v1/no-such-route' }],
      ['the health check', { method: 'GET', url: '/healthz', origin: null }],
    ];
    for (const [name, probe] of probes) {
      it(`sets security headers on ${name}`, async () => {
        const response = await app.request(probe);
        assert.ok(response.status < 500, response.text);
        for (const [header, pattern] of SECURITY_HEADERS) {
          assert.match(
            String(response.headers[header] ?? ''),
            pattern,
            `${header} on ${probe.url}`,
          );
        }
        assert.equal(response.headers['x-powered-by'], undefined);
      });
    }

    it('sends Strict-Transport-Security when Parley is served over https', async () => {
      const secure = await createTestApp(engine, { ...ENV, PUBLIC_URL: 'https://parley.test' });
      try {
        for (const [, probe] of probes) {
          const response = await secure.request(probe);
          const hsts = String(response.headers['strict-transport-security'] ?? '');
          assert.match(hsts, /max-age=(\d+)/, `on ${probe.url}`);
          assert.ok(
            Number(/max-age=(\d+)/.exec(hsts)?.[1]) >= 15_552_000,
            `at least 180 days: ${hsts}`,
          );
        }
      } finally {
        await secure.close();
      }
    });

    it('serves an OpenAPI 3 document listing the API routes', async () => {
      const response = await app.request({ method: 'GET', url: '/api/docs/json' });
      assert.equal(response.status, 200, response.text);
      const document = response.json;
      assert.match(document.openapi, /^3\./);
      const expected: Array<[string, string[]]> = [
        ['/api/v1/auth/signup', ['post']],
        ['/api/v1/auth/login', ['post']],
        ['/api/v1/auth/logout', ['post']],
        ['/api/v1/auth/me', ['get']],
        ['/api/v1/stories/resolve', ['post']],
        ['/api/v1/stories/{storyId}', ['get']],
        ['/api/v1/stories/{storyId}/comments', ['get', 'post']],
        ['/api/v1/comments/{id}', ['patch', 'delete']],
        ['/api/v1/comments/{id}/replies', ['get']],
        ['/api/v1/comments/{id}/reaction', ['put', 'delete']],
        ['/api/v1/comments/{id}/reports', ['post']],
        ['/api/v1/sites', ['get', 'post']],
        ['/api/v1/sites/{siteId}', ['get', 'patch']],
        ['/api/v1/sites/{siteId}/counts', ['get']],
        ['/api/v1/notifications', ['get']],
        ['/api/v1/notifications/read', ['post']],
        ['/api/v1/notifications/settings', ['get', 'put']],
        ['/api/v1/notifications/events', ['get']],
        ['/api/v1/stories/{storyId}/mentions', ['get']],
        ['/api/v1/comments/{id}/context', ['get']],
      ];
      for (const [path, methods] of expected) {
        assert.ok(document.paths[path], `${path} is documented`);
        for (const method of methods) assert.ok(document.paths[path][method], `${method} ${path}`);
      }
      assert.equal(document.paths['/healthz'], undefined, 'internal routes are hidden');
      assert.equal(document.paths['/metrics'], undefined, 'internal routes are hidden');
      assert.ok(document.components.securitySchemes.bearer);
    });

    it('answers /healthz with 200', async () => {
      const response = await app.request({ method: 'GET', url: '/healthz', origin: null });
      assert.equal(response.status, 200);
      assert.deepEqual(response.json, { ok: true });
    });

    it('serves Prometheus metrics with request durations by route', async () => {
      assert.equal(
        (await app.request({ method: 'GET', url: '/healthz', origin: null })).status,
        200,
      );
      const response = await app.request({ method: 'GET', url: '/metrics', origin: null });
      assert.equal(response.status, 200);
      assert.match(String(response.headers['content-type']), /^text\/plain/);
      assert.match(response.text, /^# TYPE parley_http_request_duration_seconds histogram$/m);
      assert.match(
        response.text,
        /^parley_http_request_duration_seconds_count\{method="GET",route="\/healthz",status="200"\} [1-9]/m,
      );
    });
  });
}
