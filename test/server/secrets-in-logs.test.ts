/**
 * Nothing secret reaches the log: the server runs at debug level with its log captured while a
 * reader signs up (with a browser's sign-up binding) and confirms, logs in (wrongly, then
 * rightly), refreshes, resets a password, opens a live stream with a token in the URL, signs in
 * through SSO; mail goes to an SMTP server that refuses it, so the failure is logged. No password,
 * token, link token, sign-up binding, SSO secret or SMTP credential may appear in any line.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { SignJWT } from 'jose';
import { loadConfig, type Config } from '../../src/config.ts';
import { buildApp, type ParleyApp } from '../../src/server/app.ts';
import { insertSite } from '../../src/store/sites.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/engines.ts';
import { startSmtpPeer, type SmtpPeer } from '../helpers/smtp.ts';
import { RELAXED_MODERATION, SITE_ORIGIN } from '../helpers/app.ts';

const PASSWORD = 'correct horse battery staple 7';
const NEW_PASSWORD = 'another long passphrase 8';
const SSO_SECRET = 'sso-shared-secret-for-the-test-0123456789abcdef';

describe('secrets in the log', () => {
  let database: TestDatabase;
  let parley: ParleyApp;
  let smtp: SmtpPeer;
  const lines: string[] = [];
  const secrets = new Map<string, string>();
  let siteId = '';

  before(async () => {
    smtp = await startSmtpPeer();
    smtp.refuse('mailbox busy');
    secrets.set('smtp password', smtp.password);
    secrets.set('password', PASSWORD);
    secrets.set('new password', NEW_PASSWORD);
    secrets.set('sso secret', SSO_SECRET);
    database = await createTestDatabase('sqlite');
    const config: Config = {
      ...loadConfig({
        PUBLIC_URL: 'http://parley.test',
        PARLEY_CLASSIFIER: '0',
        PARLEY_SESSION_CACHE_MS: '0',
        LOG_LEVEL: 'debug',
        SMTP_URL: smtp.url,
      }),
      database: database.config,
      scrapeMetadata: false,
    };
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    parley = await buildApp(config, { logger: { stream }, runJobs: false });
    const site = await insertSite(parley.store.db, {
      name: 'Log News',
      allowedOrigins: [SITE_ORIGIN],
      editWindowSeconds: 300,
      maxDepth: 3,
      moderation: RELAXED_MODERATION,
      auth: {
        methods: { local: true, sso: true, oidc: false },
        sso: {
          secret: SSO_SECRET,
          jwksUrl: null,
          issuer: null,
          trustRoles: false,
          maxTokenAgeSeconds: 3600,
        },
      },
    });
    siteId = site.id;
    await parley.sites.refresh();
  });

  after(async () => {
    await parley.close();
    await database.drop();
    await smtp.close();
  });

  const call = async (method: 'GET' | 'POST', url: string, body?: unknown, token?: string) => {
    const response = await parley.app.inject({
      method,
      url,
      headers: {
        origin: SITE_ORIGIN,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...(token && { authorization: `Bearer ${token}` }),
      },
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
    return { status: response.statusCode, json: response.body ? response.json() : undefined };
  };

  /** The token in the newest outbox mail of this template. */
  const mailedToken = async (template: string): Promise<string> => {
    const row = await parley.store.db
      .selectFrom('mail_outbox')
      .select('text_body')
      .where('template', '=', template)
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const match = /token=([A-Za-z0-9_-]+)/.exec(row.text_body);
    assert.ok(match?.[1], `the ${template} mail carries a link`);
    return match[1];
  };

  test('a reader and a publisher go through every sign-in path; the log keeps none of it', async () => {
    const email = 'logged.reader@example.com';
    // The browser's sign-up binding: the secret, and its hash sent with the sign-up.
    const binding = randomBytes(32).toString('base64url');
    const bindingHash = createHash('sha256').update(binding).digest('hex');
    secrets.set('sign-up binding', binding);
    secrets.set('sign-up binding hash', bindingHash);
    const signup = await call('POST', '/api/v1/auth/signup', {
      displayName: 'Logged Reader',
      email,
      password: PASSWORD,
      binding: bindingHash,
    });
    assert.equal(signup.status, 202);
    const verifyToken = await mailedToken('verify');
    secrets.set('verification token', verifyToken);
    const verified = await call('POST', '/api/v1/auth/verify-email', {
      token: verifyToken,
      bindings: [binding],
    });
    assert.equal(verified.status, 200);
    // Confirming the sign-up signs the reader in: that session's tokens stay out of the log too.
    secrets.set('access token from the confirmation', verified.json.session.token);
    secrets.set('refresh token from the confirmation', verified.json.session.refreshToken);

    assert.equal(
      (await call('POST', '/api/v1/auth/login', { email, password: 'wrong ' + PASSWORD })).status,
      401,
    );
    const login = await call('POST', '/api/v1/auth/login', { email, password: PASSWORD });
    assert.equal(login.status, 200);
    secrets.set('access token', login.json.token);
    secrets.set('refresh token', login.json.refreshToken);
    const refreshed = await call('POST', '/api/v1/auth/refresh', {
      refreshToken: login.json.refreshToken,
    });
    assert.equal(refreshed.status, 200);
    secrets.set('refreshed access token', refreshed.json.token);
    secrets.set('rotated refresh token', refreshed.json.refreshToken);
    assert.equal(
      (await call('GET', '/api/v1/auth/me', undefined, refreshed.json.token)).status,
      200,
    );

    // A token in a URL (live streams take it there): the stream itself is refused for a story
    // that does not exist, which is enough to have the URL logged.
    await call(
      'GET',
      `/api/v1/stories/01AAAAAAAAAAAAAAAAAAAAAAAA/events?token=${refreshed.json.token}`,
    );

    assert.equal((await call('POST', '/api/v1/auth/password/forgot', { email })).status, 202);
    const resetToken = await mailedToken('reset');
    secrets.set('reset token', resetToken);
    const reset = await call('POST', '/api/v1/auth/password/reset', {
      token: resetToken,
      password: NEW_PASSWORD,
    });
    assert.equal(reset.status, 200);

    const now = Math.floor(Date.now() / 1000);
    const ssoToken = await new SignJWT({
      email: 'pub.reader@example.com',
      name: 'Publisher Reader',
    })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('publisher-user-1')
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .setJti('log-test-jti-1')
      .sign(new TextEncoder().encode(SSO_SECRET));
    secrets.set('sso token', ssoToken);
    const sso = await call('POST', '/api/v1/auth/sso', { siteId, token: ssoToken });
    assert.equal(sso.status, 200);
    secrets.set('sso access token', sso.json.token);
    // Replayed: refused, and the refusal is logged.
    assert.equal((await call('POST', '/api/v1/auth/sso', { siteId, token: ssoToken })).status, 401);

    // Mail delivery fails at the SMTP server (it refuses): the job logs the failure.
    await parley.worker.drain();
    const failed = await parley.store.db
      .selectFrom('mail_outbox')
      .select(['state', 'last_error'])
      .where('template', '=', 'verify')
      .executeTakeFirstOrThrow();
    assert.equal(failed.state, 'failed');

    assert.ok(lines.length > 10, `the log was captured (${lines.length} lines)`);
    assert.ok(
      lines.some((line) => line.includes('/auth/login')),
      'requests are logged (at debug level)',
    );
    assert.ok(
      lines.some((line) => line.includes('/events?token=[redacted]')),
      'the URL with a token in it was logged, masked',
    );
    assert.ok(
      lines.some((line) => line.includes('job failed')),
      'the mail failure was logged',
    );
    for (const line of lines) {
      for (const [name, secret] of secrets) {
        assert.ok(!line.includes(secret), `the log shows the ${name}: ${line}`);
      }
    }
    assert.ok(!JSON.stringify(failed.last_error).includes(smtp.password));
  });
});
