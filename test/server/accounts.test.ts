/**
 * Local accounts and sessions (docs/identity.md, "Sessions" and "Local accounts"): sign-up with a
 * mailed link and no enumeration, the sign-in backoff, password reset and change, address and
 * name changes, refresh-token rotation with reuse detection, sign-out everywhere and a
 * moderator's revocation. Mail is read from the outbox (delivering it is tested elsewhere).
 *
 * The app keeps signed-in users in memory (PARLEY_SESSION_CACHE_MS), so every revocation here
 * also shows that the cache forgets at once.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, beforeEach, describe, it } from 'node:test';
import { hashPassword } from '../../src/credentials/passwords.ts';
import { accountThrottleKey } from '../../src/services/accounts.ts';
import { insertSite } from '../../src/store/sites.ts';
import { insertUser } from '../../src/store/users.ts';
import { createTestApp, type ApiResponse, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const PASSWORD = 'a long enough password';
const ENV = {
  PARLEY_AUTH_RATE_LIMIT: '100000',
  PARLEY_WRITE_RATE_LIMIT: '100000',
  PARLEY_SESSION_CACHE_MS: '60000',
};

function assertError(response: ApiResponse, status: number, code: string, label = ''): void {
  const context = `${label} → ${response.status} ${response.text.slice(0, 300)}`;
  assert.equal(response.status, status, context);
  assert.equal(response.json?.error?.code, code, context);
}

let counter = 0;
const freshEmail = (prefix = 'user') => `${prefix}.${++counter}.${Date.now()}@example.com`;

for (const engine of await testEngines()) {
  describe(`local accounts (${engine})`, () => {
    let app: TestApp;
    before(async () => {
      app = await createTestApp(engine, ENV);
    });
    after(async () => app.close());
    // Every request here comes from one address: its own backoff is tested on its own.
    beforeEach(async () => {
      await app.store.db.deleteFrom('auth_throttle').where('key', 'like', 'ip:%').execute();
    });

    const api = (
      method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
      url: string,
      body?: unknown,
      token?: string,
    ) => app.request({ method, url: `/api/v1${url}`, body, token });
    const signup = (email: string, extra: Record<string, unknown> = {}) =>
      api('POST', '/auth/signup', { displayName: 'Reader', email, password: PASSWORD, ...extra });
    const login = (email: string, password = PASSWORD) =>
      api('POST', '/auth/login', { email, password });
    const me = (token: string) => api('GET', '/auth/me', undefined, token);

    /** The mail of this template last queued to the address, and the token of its link. */
    async function mailTo(to: string, template: string) {
      const rows = await app.store.db
        .selectFrom('mail_outbox')
        .selectAll()
        .where('to_address', '=', to)
        .where('template', '=', template)
        .orderBy('id', 'desc')
        .execute();
      const token = rows[0] ? /token=([A-Za-z0-9_-]{43})/.exec(rows[0].text_body)?.[1] : undefined;
      return { count: rows.length, token, row: rows[0] };
    }
    const mailCount = async (to: string) =>
      (
        await app.store.db
          .selectFrom('mail_outbox')
          .select('id')
          .where('to_address', '=', to)
          .execute()
      ).length;

    /** A confirmed reader, signed in through the API. */
    async function reader(name = 'Reader') {
      const email = freshEmail(name.toLowerCase());
      // The browser's sign-up binding: the secret it keeps, and the hash the sign-up sends.
      const secret = randomBytes(32).toString('base64url');
      const binding = createHash('sha256').update(secret).digest('hex');
      await signup(email, { displayName: name, binding });
      const { token: link } = await mailTo(email, 'verify');
      // Following the sign-up's link in the browser that signed up signs the reader in
      // (test/server/signup-confirm.test.ts): that is the reader's one session.
      const verified = await api('POST', '/auth/verify-email', {
        token: link,
        bindings: [secret],
      });
      assert.equal(verified.status, 200, verified.text);
      const session = { json: verified.json.session };
      assert.ok(session.json, 'a session');
      return { email, id: session.json.user.id as string, ...session.json } as {
        email: string;
        id: string;
        token: string;
        refreshToken: string;
      };
    }

    // Sign-up and verification -----------------------------------------------------------------

    it('signs up with 202 and mails a verification link in the reader’s language; unverified readers may sign in but not post until they follow it', async () => {
      const email = freshEmail('new');
      const response = await signup(email, { locale: 'fr' });
      assert.equal(response.status, 202, response.text);
      assert.deepEqual(response.json, { status: 'verification_sent' });

      const mail = await mailTo(email, 'verify');
      assert.equal(mail.count, 1);
      assert.ok(mail.row?.text_body.includes('http://parley.test/account/verify?token='));
      assert.ok(mail.token, 'the mail carries the link');
      const job = await app.store.db
        .selectFrom('jobs')
        .select('payload')
        .where('kind', '=', 'mail.send')
        .where('payload', 'like', `%${mail.row?.id}%`)
        .execute();
      assert.equal(job.length, 1, 'the send job was queued with the row');
      const stored = await app.store.db
        .selectFrom('users')
        .select(['locale', 'email_verified_at', 'display_name_changed_at'])
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
      assert.equal(stored.locale, 'fr');
      assert.equal(stored.email_verified_at, null);

      const session = await login(email);
      assert.equal(session.status, 200, session.text);
      assert.equal(session.json.user.emailVerified, false);
      assert.equal(session.json.user.identity, 'local');
      assert.equal(session.json.user.locale, 'fr');
      assert.deepEqual(session.json.user.badges, []);
      assert.equal(session.json.user.avatarUrl, null);
      assert.equal(session.json.user.deletionDueAt, null);
      const token = session.json.token as string;

      const story = await app.story();
      assertError(await app.post(story, token, 'Too early'), 403, 'EMAIL_NOT_VERIFIED', 'post');

      const verified = await api('POST', '/auth/verify-email', { token: mail.token });
      assert.equal(verified.status, 200, verified.text);
      assert.equal(verified.json.user.emailVerified, true);
      assert.equal((await me(token)).json.user.emailVerified, true, 'the cache forgot the old row');
      const posted = await app.post(story, token, 'Now I may');
      assert.equal(posted.status, 201, posted.text);

      assertError(
        await api('POST', '/auth/verify-email', { token: mail.token }),
        400,
        'INVALID_TOKEN',
        'a used link',
      );
    });

    it('refuses an edit by an unverified author on a site that requires verification', async () => {
      const author = await reader('Editor');
      const story = await app.story();
      const posted = await app.post(story, author.token, 'Before');
      assert.equal(posted.status, 201, posted.text);
      await app.store.db
        .updateTable('users')
        .set({ email_verified_at: null })
        .where('id', '=', author.id)
        .execute();
      const fresh = await login(author.email);
      const edit = await api(
        'PATCH',
        `/comments/${posted.json.comment.id}`,
        { body: 'After' },
        fresh.json.token,
      );
      assertError(edit, 403, 'EMAIL_NOT_VERIFIED', 'edit');
    });

    it('answers a sign-up for a known address exactly like a new one, mailing the owner instead (once in a while)', async () => {
      const email = freshEmail('known');
      const first = await signup(email);
      const again = await signup(email.toUpperCase(), { displayName: 'Impostor' });
      assert.equal(again.status, first.status);
      assert.deepEqual(again.json, first.json);
      assert.equal((await mailTo(email, 'verify')).count, 1, 'no second verification link');
      const existing = await mailTo(email, 'signup-existing');
      assert.equal(existing.count, 1);
      assert.ok(existing.row?.text_body.includes('http://parley.test/account'));
      assert.equal((await signup(email)).status, 202);
      assert.equal((await mailTo(email, 'signup-existing')).count, 1, 'not mailed again at once');
      const names = await app.store.db
        .selectFrom('users')
        .select('display_name')
        .where('email', '=', email)
        .execute();
      assert.deepEqual(names, [{ display_name: 'Reader' }]);
    });

    it('mails the verification link again on request, and nothing once the address is confirmed', async () => {
      const email = freshEmail('resend');
      await signup(email);
      const token = (await login(email)).json.token as string;
      await app.store.db
        .updateTable('mail_outbox')
        .set({ created_at: new Date(Date.now() - 120_000).toISOString() })
        .where('to_address', '=', email)
        .execute();
      const resent = await api('POST', '/auth/verify-email/resend', undefined, token);
      assert.equal(resent.status, 202, resent.text);
      assert.equal((await mailTo(email, 'verify')).count, 2);
      assert.equal((await api('POST', '/auth/verify-email/resend', undefined, token)).status, 202);
      assert.equal((await mailTo(email, 'verify')).count, 2, 'at most once a minute');

      const link = (await mailTo(email, 'verify')).token;
      assert.equal((await api('POST', '/auth/verify-email', { token: link })).status, 200);
      await app.store.db.deleteFrom('mail_outbox').where('to_address', '=', email).execute();
      assert.equal((await api('POST', '/auth/verify-email/resend', undefined, token)).status, 202);
      assert.equal(await mailCount(email), 0, 'a confirmed address gets nothing');
      assertError(await api('POST', '/auth/verify-email/resend'), 401, 'UNAUTHENTICATED');
    });

    it('refuses malformed, unknown and oversized tokens without a server error', async () => {
      const bad: unknown[] = [
        'x',
        'a'.repeat(42),
        `${'a'.repeat(42)}!`,
        `${'a'.repeat(42)}\u0301`,
        'A'.repeat(43),
        '../../etc/passwd',
      ];
      for (const token of bad) {
        for (const url of ['/auth/verify-email', '/auth/email/confirm']) {
          assertError(await api('POST', url, { token }), 400, 'INVALID_TOKEN', `${url} ${token}`);
        }
        assertError(
          await api('POST', '/auth/password/reset', { token, password: PASSWORD }),
          400,
          'INVALID_TOKEN',
          `reset ${token}`,
        );
      }
      for (const body of [
        { token: 'a'.repeat(5000) },
        { token: 42 },
        {},
        { token: 'x', more: 1 },
      ]) {
        assertError(await api('POST', '/auth/verify-email', body), 400, 'VALIDATION_FAILED');
      }
      assertError(
        await api('POST', '/auth/refresh', { refreshToken: 'b'.repeat(43) }),
        401,
        'INVALID_REFRESH_TOKEN',
      );
      assertError(
        await api('POST', '/auth/refresh', { refreshToken: 'b'.repeat(300) }),
        400,
        'VALIDATION_FAILED',
      );
    });

    it('applies the Unicode checks and the length limit to names at sign-up and rename', async () => {
      const { token } = await reader('Plain');
      const names: [string, string, string][] = [
        ['a bidi override', 'Admin\u202Enimda', 'INVALID_UNICODE'],
        ['a newline', 'Two\nLines', 'INVALID_UNICODE'],
        ['a run of zero-width spaces', 'Rana\u200B\u200B', 'INVALID_UNICODE'],
        ['only invisible characters', '\u200B', 'EMPTY_TEXT'],
        ['too many characters', 'n'.repeat(51), 'TEXT_TOO_LONG'],
      ];
      for (const [label, displayName, code] of names) {
        const email = freshEmail('unicode');
        const response = await signup(email, { displayName });
        assert.equal(response.status, 400, `${label}: ${response.text}`);
        assert.equal(await mailCount(email), 0, `${label}: nothing mailed`);
        const renamed = await api('PATCH', '/auth/me', { displayName }, token);
        assert.equal(renamed.status, 400, `${label}: ${renamed.text}`);
        assert.ok([code, 'VALIDATION_FAILED'].includes(renamed.json.error.code), renamed.text);
      }
      assertError(
        await signup(freshEmail('locale'), { locale: 'xx' }),
        400,
        'VALIDATION_FAILED',
        'an unknown locale',
      );
    });

    // Sign-in and the backoff --------------------------------------------------------------------

    it('answers a wrong password, an unknown address and an account without a password alike', async () => {
      const { email } = await reader('Known');
      const external = freshEmail('external');
      await insertUser(app.store.db, {
        email: external,
        displayName: 'SSO',
        passwordHash: null,
        role: 'commenter',
      });
      const answers = [
        await login(email, 'not the password'),
        await login(freshEmail('nobody')),
        await login(external, ''.padEnd(8, 'x')),
      ];
      for (const answer of answers) assertError(answer, 401, 'INVALID_CREDENTIALS');
      assert.deepEqual(answers[0]?.json, answers[1]?.json);
      assert.deepEqual(answers[0]?.json, answers[2]?.json);
    });

    it('makes an address wait after 5 failures, doubling, for known and unknown addresses alike; a success clears it', async () => {
      const { email: known } = await reader('Target');
      const unknown = freshEmail('ghost');
      const refusals: ApiResponse[] = [];
      for (const email of [known, unknown]) {
        for (let i = 0; i < 5; i++) {
          assertError(
            await login(email, `guess ${i}`),
            401,
            'INVALID_CREDENTIALS',
            `${email} ${i}`,
          );
        }
        const blocked = await login(email, PASSWORD);
        assertError(blocked, 429, 'TOO_MANY_ATTEMPTS', `${email} after 5`);
        assert.equal(blocked.headers['retry-after'], '1');
        refusals.push(blocked);
      }
      // The same refusal for both: nothing tells whether the address has an account.
      assert.deepEqual(refusals[0]?.json, refusals[1]?.json);

      // Once the wait is over, a further failure waits twice as long.
      const pastBlock = () =>
        app.store.db
          .updateTable('auth_throttle')
          .set({ blocked_until: new Date(Date.now() - 1000).toISOString() })
          .where('key', 'like', 'account:%')
          .execute();
      await pastBlock();
      assertError(await login(known, 'guess 6'), 401, 'INVALID_CREDENTIALS');
      const longer = await login(known);
      assertError(longer, 429, 'TOO_MANY_ATTEMPTS');
      assert.equal(longer.headers['retry-after'], '2');

      await pastBlock();
      const ok = await login(known);
      assert.equal(ok.status, 200, ok.text);
      const left = await app.store.db
        .selectFrom('auth_throttle')
        .select('key')
        .where('key', 'in', [accountThrottleKey(known), accountThrottleKey(unknown)])
        .execute();
      assert.deepEqual(
        left.map((row) => row.key),
        [accountThrottleKey(unknown)],
        'the known address’s count is cleared; the unknown one’s stays',
      );
      assert.equal((await login(known, 'one slip')).status, 401, 'counting starts again');
      assert.equal((await login(known)).status, 200);
    });

    it('checks only 5 of many guesses sent at once; the others wait, and so does the right password', async () => {
      const { email } = await reader('Rushed');
      const answers = await Promise.all(
        Array.from({ length: 12 }, (_, i) => login(email, `parallel guess ${i}`)),
      );
      const codes = answers.map((a) => a.json.error?.code as string);
      assert.equal(codes.filter((c) => c === 'INVALID_CREDENTIALS').length, 5, codes.join(' '));
      assert.equal(codes.filter((c) => c === 'TOO_MANY_ATTEMPTS').length, 7, codes.join(' '));
      assertError(await login(email), 429, 'TOO_MANY_ATTEMPTS');
    });

    it('caps the wait at 15 minutes', async () => {
      const email = freshEmail('capped');
      const key = accountThrottleKey(email);
      await login(email, 'wrong');
      await app.store.db
        .updateTable('auth_throttle')
        .set({ failures: 40, blocked_until: null })
        .where('key', '=', key)
        .execute();
      const before = Date.now();
      await login(email, 'wrong again');
      const response = await login(email);
      assertError(response, 429, 'TOO_MANY_ATTEMPTS');
      const wait = Number(response.headers['retry-after']);
      assert.ok(wait > 890 && wait <= 900, `waits ${wait} s`);
      const row = await app.store.db
        .selectFrom('auth_throttle')
        .select('blocked_until')
        .where('key', '=', key)
        .executeTakeFirstOrThrow();
      assert.ok(new Date(row.blocked_until as string).getTime() - before <= 900_000 + 1000);
    });

    it('makes a client address wait after 20 failures, whatever the addresses tried; others still sign in', async () => {
      const { email } = await reader('Bystander');
      const sprayed = freshEmail('spray');
      const from = (remoteAddress: string, body: Record<string, string>) =>
        app.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, payload: body });
      for (let i = 0; i < 20; i++) {
        const guess = { email: i === 0 ? sprayed : freshEmail('spray'), password: 'x' };
        const response = await from('203.0.113.9', guess);
        assert.equal(response.statusCode, 401, `${i}: ${response.body}`);
      }
      // Blocked: no second guess at an address it has tried, known or not.
      const blocked = await from('203.0.113.9', { email: sprayed, password: PASSWORD });
      assert.equal(blocked.statusCode, 429, blocked.body);
      assert.equal(JSON.parse(blocked.body).error.code, 'TOO_MANY_ATTEMPTS');
      assert.ok(Number(blocked.headers['retry-after']) >= 1);
      const elsewhere = await from('198.51.100.20', { email, password: PASSWORD });
      assert.equal(elsewhere.statusCode, 200, 'the account itself is not blocked');
    });

    it('never lets failures against other accounts from a shared address stop a right password', async () => {
      // One guesser behind an office's NAT tries 45 addresses, some with accounts, some without.
      const nat = '203.0.113.77';
      const from = (body: Record<string, string>, remoteAddress = nat) =>
        app.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress, payload: body });
      const known = [];
      for (let i = 0; i < 5; i++) known.push(await reader('Colleague'));
      const tried = [
        ...known.map((r) => r.email),
        ...Array.from({ length: 40 }, () => freshEmail()),
      ];
      for (const [i, email] of tried.entries()) {
        const response = await from({ email, password: `guess ${i}` });
        assert.equal(response.statusCode, 401, `${i}: ${response.body}`);
      }
      const clientKey = await app.store.db
        .selectFrom('auth_throttle')
        .select(['failures', 'blocked_until'])
        .where('key', '=', `ip:${nat}`)
        .executeTakeFirstOrThrow();
      assert.equal(clientKey.failures, 45);
      assert.ok(new Date(clientKey.blocked_until as string).getTime() > Date.now() + 14 * 60_000);

      // The editor behind the same address, with no failures of their own, signs in.
      const editor = await reader('Editor');
      const signedIn = await from({ email: editor.email, password: PASSWORD });
      assert.equal(signedIn.statusCode, 200, signedIn.body);
      // And again (a success clears their count: one check was not all they had).
      assert.equal((await from({ email: editor.email, password: PASSWORD })).statusCode, 200);

      // The guesser gets no second guess at any address it tried, known or not, nor at the
      // editor's after one wrong one; the answers are the same for all (nothing to enumerate).
      const again = await Promise.all(
        [known[0]?.email, tried.at(-1)].map((email) =>
          from({ email: email ?? '', password: PASSWORD }),
        ),
      );
      for (const response of again) {
        assert.equal(response.statusCode, 429, response.body);
        assert.ok(Number(response.headers['retry-after']) > 14 * 60);
      }
      assert.equal(again[0]?.body, again[1]?.body);
      assert.equal((await from({ email: editor.email, password: 'a guess' })).statusCode, 401);
      assert.equal((await from({ email: editor.email, password: PASSWORD })).statusCode, 429);
      // Elsewhere, the editor's own count is theirs: 1 failure of 5.
      assert.equal(
        (await from({ email: editor.email, password: PASSWORD }, '198.51.100.30')).statusCode,
        200,
      );

      // Guessing one account from many addresses is still bounded by its own count.
      const target = await reader('Targeted');
      for (let i = 0; i < 5; i++) {
        const response = await from(
          { email: target.email, password: `x${i}` },
          `198.51.100.${40 + i}`,
        );
        assert.equal(response.statusCode, 401, response.body);
      }
      const bounded = await from({ email: target.email, password: PASSWORD }, '198.51.100.60');
      assert.equal(bounded.statusCode, 429, bounded.body);
    });

    // Passwords ------------------------------------------------------------------------------------

    it('mails a reset link to an account restored without a password, not to an SSO-only one', async () => {
      const restored = freshEmail('restored');
      await insertUser(app.store.db, {
        email: restored,
        displayName: 'Restored',
        passwordHash: null,
        role: 'commenter',
      });
      assert.equal((await api('POST', '/auth/password/forgot', { email: restored })).status, 202);
      assert.equal((await mailTo(restored, 'reset')).count, 1);

      const sso = freshEmail('sso-only');
      const user = await insertUser(app.store.db, {
        email: sso,
        displayName: 'SSO only',
        passwordHash: null,
        role: 'commenter',
      });
      assert.ok(user);
      await app.store.db
        .insertInto('user_identities')
        .values({
          provider: `sso:${app.site.id}`,
          subject: 'subject-1',
          user_id: user.id,
          created_at: new Date().toISOString(),
        })
        .execute();
      assert.equal((await api('POST', '/auth/password/forgot', { email: sso })).status, 202);
      assert.equal((await mailTo(sso, 'reset')).count, 0, 'an SSO account gets no password');
    });

    it('resets a password with a single-use link: every session ends and the backoff is lifted', async () => {
      const user = await reader('Forgetful');
      const second = (await login(user.email)).json.token as string;
      for (let i = 0; i < 5; i++) await login(user.email, `guess ${i}`);
      assertError(await login(user.email), 429, 'TOO_MANY_ATTEMPTS');

      const forgot = await api('POST', '/auth/password/forgot', {
        email: user.email.toUpperCase(),
      });
      assert.equal(forgot.status, 202, forgot.text);
      const mail = await mailTo(user.email, 'reset');
      assert.equal(mail.count, 1);
      assert.ok(mail.row?.text_body.includes('http://parley.test/account/reset?token='));

      const reset = await api('POST', '/auth/password/reset', {
        token: mail.token,
        password: 'a brand new password',
      });
      assert.equal(reset.status, 200, reset.text);
      assert.equal(reset.json.user.id, user.id);
      for (const token of [user.token, second]) {
        assertError(await me(token), 401, 'UNAUTHENTICATED', 'sessions end at once');
      }
      assertError(
        await api('POST', '/auth/refresh', { refreshToken: user.refreshToken }),
        401,
        'INVALID_REFRESH_TOKEN',
      );
      assertError(await login(user.email), 401, 'INVALID_CREDENTIALS', 'old password');
      assert.equal((await login(user.email, 'a brand new password')).status, 200);
      assertError(
        await api('POST', '/auth/password/reset', {
          token: mail.token,
          password: 'third password',
        }),
        400,
        'INVALID_TOKEN',
        'the link works once',
      );
    });

    it('answers "forgot" for an unknown address like a known one, mailing nothing', async () => {
      const email = freshEmail('unknown');
      const response = await api('POST', '/auth/password/forgot', { email });
      assert.equal(response.status, 202);
      assert.deepEqual(response.json, { status: 'reset_sent' });
      assert.equal(await mailCount(email), 0);
    });

    it('refuses an expired reset link, leaving the password as it was', async () => {
      const user = await reader('Late');
      await api('POST', '/auth/password/forgot', { email: user.email });
      const { token } = await mailTo(user.email, 'reset');
      await app.store.db
        .updateTable('email_tokens')
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('user_id', '=', user.id)
        .where('purpose', '=', 'reset')
        .execute();
      assertError(
        await api('POST', '/auth/password/reset', { token, password: 'too late password' }),
        400,
        'INVALID_TOKEN',
      );
      assert.equal((await login(user.email)).status, 200, 'the password did not change');
      assert.equal((await me(user.token)).status, 200, 'the sessions did not end');
    });

    it('changes the password with the current one; the other sessions end', async () => {
      const user = await reader('Changer');
      const other = (await login(user.email)).json.token as string;
      assertError(
        await api(
          'POST',
          '/auth/me/password',
          { currentPassword: 'wrong', newPassword: 'new password 123' },
          user.token,
        ),
        401,
        'INVALID_CREDENTIALS',
      );
      const changed = await api(
        'POST',
        '/auth/me/password',
        { currentPassword: PASSWORD, newPassword: 'new password 123' },
        user.token,
      );
      assert.equal(changed.status, 204, changed.text);
      assert.equal((await me(user.token)).status, 200, 'this session stays');
      assertError(await me(other), 401, 'UNAUTHENTICATED', 'the other one ends');
      assert.equal((await login(user.email, 'new password 123')).status, 200);
      assertError(
        await api(
          'POST',
          '/auth/me/password',
          { currentPassword: PASSWORD, newPassword: 'short' },
          user.token,
        ),
        400,
        'VALIDATION_FAILED',
      );
    });

    // Address change -----------------------------------------------------------------------------

    it('changes the address through a link mailed to the new one, and tells the old one', async () => {
      const user = await reader('Mover');
      const target = freshEmail('moved');
      assertError(
        await api('POST', '/auth/me/email', { email: target, password: 'wrong' }, user.token),
        401,
        'INVALID_CREDENTIALS',
      );
      const asked = await api(
        'POST',
        '/auth/me/email',
        { email: target, password: PASSWORD },
        user.token,
      );
      assert.equal(asked.status, 202, asked.text);
      const mail = await mailTo(target, 'change-email');
      assert.equal(mail.count, 1);
      assert.ok(mail.row?.text_body.includes('http://parley.test/account/email?token='));
      assert.equal((await me(user.token)).json.user.email, user.email, 'nothing changes yet');

      const confirmed = await api('POST', '/auth/email/confirm', { token: mail.token });
      assert.equal(confirmed.status, 200, confirmed.text);
      assert.equal(confirmed.json.user.email, target);
      assert.equal(confirmed.json.user.emailVerified, true);
      assert.equal((await me(user.token)).json.user.email, target);
      assert.equal((await mailTo(user.email, 'email-changed')).count, 1, 'the old address is told');
      assert.equal((await login(target)).status, 200);
      assertError(await login(user.email), 401, 'INVALID_CREDENTIALS');
      assertError(
        await api('POST', '/auth/email/confirm', { token: mail.token }),
        400,
        'INVALID_TOKEN',
        'the link works once',
      );
    });

    it('answers 409 EMAIL_TAKEN when the new address got an account meanwhile, and mails nothing for a taken one', async () => {
      const user = await reader('Racer');
      const target = freshEmail('contested');
      await api('POST', '/auth/me/email', { email: target, password: PASSWORD }, user.token);
      const { token } = await mailTo(target, 'change-email');
      await signup(target);
      assertError(await api('POST', '/auth/email/confirm', { token }), 409, 'EMAIL_TAKEN');
      assert.equal((await me(user.token)).json.user.email, user.email);

      const other = await reader('Owner');
      const response = await api(
        'POST',
        '/auth/me/email',
        { email: other.email, password: PASSWORD },
        user.token,
      );
      assert.equal(response.status, 202, 'the same answer for a taken address');
      assert.equal((await mailTo(other.email, 'change-email')).count, 0);
    });

    // Profile ------------------------------------------------------------------------------------

    it('lets a name change once in 30 days (the first after sign-up is free) and the language any time', async () => {
      const user = await reader('Original');
      const first = await api('PATCH', '/auth/me', { displayName: 'Renamed' }, user.token);
      assert.equal(first.status, 200, first.text);
      assert.equal(first.json.user.displayName, 'Renamed');
      assert.equal((await me(user.token)).json.user.displayName, 'Renamed');

      const second = await api('PATCH', '/auth/me', { displayName: 'Again' }, user.token);
      assertError(second, 429, 'DISPLAY_NAME_RECENTLY_CHANGED');
      const retryAt = /after (\S+)\.$/.exec(second.json.error.message)?.[1];
      assert.ok(retryAt, second.json.error.message);
      const days = (Date.parse(retryAt) - Date.now()) / 86_400_000;
      assert.ok(days > 29.9 && days <= 30, `${days} days`);
      assert.ok(Number(second.headers['retry-after']) > 29 * 86_400);

      const same = await api(
        'PATCH',
        '/auth/me',
        { displayName: 'Renamed', locale: 'ar' },
        user.token,
      );
      assert.equal(same.status, 200, 'the same name is no change; the language changes');
      assert.equal(same.json.user.locale, 'ar');

      await app.store.db
        .updateTable('users')
        .set({ display_name_changed_at: new Date(Date.now() - 31 * 86_400_000).toISOString() })
        .where('id', '=', user.id)
        .execute();
      const later = await api('PATCH', '/auth/me', { displayName: 'Again' }, user.token);
      assert.equal(later.status, 200, later.text);
      assertError(
        await api('PATCH', '/auth/me', { role: 'admin' }, user.token),
        400,
        'VALIDATION_FAILED',
      );
      assertError(await api('PATCH', '/auth/me', { displayName: 'X' }), 401, 'UNAUTHENTICATED');
    });

    // Sessions -----------------------------------------------------------------------------------

    it('rotates the refresh token; presenting a used one ends the session', async () => {
      const user = await reader('Rotator');
      const refreshed = await api('POST', '/auth/refresh', { refreshToken: user.refreshToken });
      assert.equal(refreshed.status, 200, refreshed.text);
      assert.equal(refreshed.json.user.id, user.id);
      assert.equal(refreshed.json.expiresIn, 3600);
      assert.notEqual(refreshed.json.refreshToken, user.refreshToken);
      assert.equal((await me(refreshed.json.token)).status, 200);
      assertError(await me(user.token), 401, 'UNAUTHENTICATED', 'the old access token is replaced');

      // Replayed a minute later (past the window in which two tabs may race): a theft.
      await app.store.db
        .updateTable('sessions')
        .set({ last_refreshed_at: new Date(Date.now() - 60_000).toISOString() })
        .where('user_id', '=', user.id)
        .execute();
      const replayed = await api('POST', '/auth/refresh', { refreshToken: user.refreshToken });
      assertError(replayed, 401, 'REFRESH_TOKEN_REUSED');
      assertError(await me(refreshed.json.token), 401, 'UNAUTHENTICATED', 'the session is revoked');
      assertError(
        await api('POST', '/auth/refresh', { refreshToken: refreshed.json.refreshToken }),
        401,
        'INVALID_REFRESH_TOKEN',
        'its newest refresh token too',
      );
    });

    it('lets exactly one of two concurrent refreshes win, and keeps the session (two tabs)', async () => {
      const user = await reader('Racing');
      const answers = await Promise.all([
        api('POST', '/auth/refresh', { refreshToken: user.refreshToken }),
        api('POST', '/auth/refresh', { refreshToken: user.refreshToken }),
      ]);
      const statuses = answers.map((a) => a.status).sort();
      assert.deepEqual(statuses, [200, 401], answers.map((a) => a.text).join(' / '));
      assert.equal(answers.find((a) => a.status === 401)?.json.error.code, 'REFRESH_TOKEN_RACED');
      const winner = answers.find((a) => a.status === 200)?.json;
      assert.equal((await me(winner.token)).status, 200, "the winner's tokens keep working");
      const rows = await app.store.db
        .selectFrom('sessions')
        .select('revoked_at')
        .where('user_id', '=', user.id)
        .execute();
      assert.equal(rows.length, 1, 'one session, rotated once');
    });

    it('refuses an expired refresh token', async () => {
      const user = await reader('Expired');
      await app.store.db
        .updateTable('sessions')
        .set({ refresh_expires_at: new Date(Date.now() - 1000).toISOString() })
        .where('user_id', '=', user.id)
        .execute();
      assertError(
        await api('POST', '/auth/refresh', { refreshToken: user.refreshToken }),
        401,
        'INVALID_REFRESH_TOKEN',
      );
    });

    it('lists the sessions, revokes one, and signs out everywhere', async () => {
      const user = await reader('Many');
      const phone = (await login(user.email)).json.token as string;
      const laptop = (await login(user.email)).json.token as string;
      const list = await api('GET', '/auth/sessions', undefined, user.token);
      assert.equal(list.status, 200, list.text);
      assert.equal(list.json.sessions.length, 3);
      assert.deepEqual(
        list.json.sessions.map((s: { current: boolean }) => s.current).filter(Boolean),
        [true],
      );
      assert.ok(list.json.sessions.every((s: object) => !('tokenHash' in s)));

      const phoneSession = (
        await api('GET', '/auth/sessions', undefined, phone)
      ).json.sessions.find((s: { current: boolean }) => s.current);
      const stranger = await reader('Stranger');
      assertError(
        await api('DELETE', `/auth/sessions/${phoneSession.id}`, undefined, stranger.token),
        404,
        'NOT_FOUND',
        'another account’s session',
      );
      const revoked = await api(
        'DELETE',
        `/auth/sessions/${phoneSession.id}`,
        undefined,
        user.token,
      );
      assert.equal(revoked.status, 204, revoked.text);
      assertError(await me(phone), 401, 'UNAUTHENTICATED', 'the revoked session');
      assert.equal((await me(laptop)).status, 200);
      assert.equal(
        (await api('GET', '/auth/sessions', undefined, user.token)).json.sessions.length,
        2,
      );

      const everywhere = await api('POST', '/auth/logout-everywhere', undefined, laptop);
      assert.equal(everywhere.status, 204, everywhere.text);
      for (const token of [user.token, laptop])
        assertError(await me(token), 401, 'UNAUTHENTICATED');
      assertError(
        await api('POST', '/auth/refresh', { refreshToken: user.refreshToken }),
        401,
        'INVALID_REFRESH_TOKEN',
      );
      assert.equal((await me(stranger.token)).status, 200, 'other accounts are untouched');
    });

    it('logs out by revoking the session, which keeps its row', async () => {
      const user = await reader('Leaver');
      assert.equal((await api('POST', '/auth/logout', undefined, user.token)).status, 204);
      assertError(await me(user.token), 401, 'UNAUTHENTICATED');
      const row = await app.store.db
        .selectFrom('sessions')
        .select('revoked_at')
        .where('user_id', '=', user.id)
        .executeTakeFirstOrThrow();
      assert.ok(row.revoked_at);
    });

    it('lets admins and moderators of a site the user commented on revoke their sessions', async () => {
      const target = await reader('Troll');
      const story = await app.story();
      assert.equal((await app.post(story, target.token, 'Hello')).status, 201);
      const other = await insertSite(app.store.db, {
        name: 'Elsewhere',
        allowedOrigins: ['https://elsewhere.example'],
        editWindowSeconds: 300,
        maxDepth: 3,
      });
      const staffer = async (role: 'moderator' | 'admin', siteIds: string[] | null) => {
        const email = freshEmail(role);
        await insertUser(app.store.db, {
          email,
          displayName: role,
          passwordHash: await hashPassword(PASSWORD),
          role,
        });
        await app.store.db
          .updateTable('users')
          .set({ moderator_site_ids: siteIds && JSON.stringify(siteIds) })
          .where('email', '=', email)
          .execute();
        return (await login(email)).json.token as string;
      };
      const revoke = (userId: string, token?: string) =>
        api('POST', `/admin/users/${userId}/sessions/revoke`, undefined, token);

      assertError(await revoke(target.id), 401, 'UNAUTHENTICATED');
      const bystander = await reader('Bystander');
      assertError(await revoke(target.id, bystander.token), 403, 'FORBIDDEN');
      const outsider = await staffer('moderator', [other.id]);
      assertError(await revoke(target.id, outsider), 404, 'USER_NOT_FOUND', 'out of scope');
      assert.equal((await me(target.token)).status, 200);
      const local = await staffer('moderator', [app.site.id]);
      const admin = await staffer('admin', null);
      const adminId = (await me(admin)).json.user.id as string;
      assert.equal((await app.post(story, admin, 'An admin writes too')).status, 201);
      assertError(await revoke(adminId, local), 403, 'FORBIDDEN', 'a moderator on an admin');

      const done = await revoke(target.id, local);
      assert.equal(done.status, 200, done.text);
      assert.equal(done.json.revoked, 1);
      assertError(await me(target.token), 401, 'UNAUTHENTICATED', 'at once, despite the cache');

      const again = await login(target.email);
      const byAdmin = await revoke(target.id, admin);
      assert.equal(byAdmin.json.revoked, 1);
      assertError(await me(again.json.token), 401, 'UNAUTHENTICATED');
      assertError(
        await revoke('01ARZ3NDEKTSV4RRFFQ69G5FAW', admin),
        404,
        'USER_NOT_FOUND',
        'an unknown user',
      );
    });
  });
}
