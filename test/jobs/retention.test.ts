/**
 * Retention: a comment keeps its client address and user agent for PARLEY_IP_RETENTION_DAYS, a
 * session likewise, then the hourly `retention.sweep` job erases them; spent sign-in state (SSO
 * token ids, OIDC logins, mailed links, sign-in backoff) is pruned. The sweep is one job per hour
 * however many processes start on the same database.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/server/app.ts';
import { issueSession } from '../../src/services/sessions.ts';
import { retentionJobId, scheduleRetention } from '../../src/services/privacy.ts';
import { openStore } from '../../src/store/db.ts';
import { insertUser } from '../../src/store/users.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { createTestDatabase, testEngines } from '../helpers/engines.ts';

const DAY = 86_400_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
const fromNow = (ms: number) => new Date(Date.now() + ms).toISOString();
const unique = (prefix: string) => `${prefix}${randomBytes(5).toString('hex')}`;

for (const engine of await testEngines()) {
  describe(`retention (${engine})`, () => {
    let app: TestApp;
    before(async () => {
      app = await createTestApp(engine, { PARLEY_WRITE_RATE_LIMIT: '1000' });
    });
    after(async () => app.close());

    async function signedIn() {
      const user = await insertUser(app.store.db, {
        email: `${unique('r')}@example.com`,
        displayName: 'Reader',
        passwordHash: null,
        role: 'commenter',
      });
      assert.ok(user);
      await app.store.db
        .updateTable('users')
        .set({ email_verified_at: new Date().toISOString() })
        .where('id', '=', user.id)
        .execute();
      const session = await issueSession(app.store, user.id, {
        method: 'password',
        ip: '203.0.113.7',
        userAgent: 'SessionAgent/1',
      });
      return { id: user.id, token: session.token };
    }

    async function postAs(token: string, storyId: string, userAgent: string): Promise<string> {
      const response = await app.request({
        method: 'POST',
        url: `/api/v1/stories/${storyId}/comments`,
        token,
        headers: { 'user-agent': userAgent },
        body: { body: 'A comment with an address' },
      });
      assert.equal(response.status, 201, response.text);
      return response.json.comment.id as string;
    }

    const comment = (id: string) =>
      app.store.db
        .selectFrom('comments')
        .select(['author_ip', 'author_user_agent'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();

    /** Runs this hour's sweep (and whatever else is due) as the worker would. */
    async function sweep(): Promise<void> {
      await app.store.db.deleteFrom('jobs').where('kind', '=', 'retention.sweep').execute();
      await scheduleRetention(app.store);
      await app.worker.drain();
    }

    it('keeps the address and user agent a comment was posted from (user agent cut at 300)', async () => {
      const reader = await signedIn();
      const storyId = await app.story();
      const id = await postAs(reader.token, storyId, `Agent/${'x'.repeat(400)}`);
      const row = await comment(id);
      assert.equal(row.author_ip, '127.0.0.1');
      assert.equal(row.author_user_agent?.length, 300);
      assert.ok(row.author_user_agent?.startsWith('Agent/xxx'));
    });

    it('erases addresses older than the retention period and keeps recent ones', async () => {
      const reader = await signedIn();
      const storyId = await app.story();
      const old = await postAs(reader.token, storyId, 'OldAgent/1');
      const recent = await postAs(reader.token, storyId, 'RecentAgent/1');
      await app.store.db
        .updateTable('comments')
        .set({ created_at: ago((app.config.ipRetentionDays + 1) * DAY) })
        .where('id', '=', old)
        .execute();

      const sessions = [await signedIn(), await signedIn(), await signedIn()];
      const [oldSession, refreshedSession, recentSession] = sessions.map((s) => s.id);
      await app.store.db
        .updateTable('sessions')
        .set({ created_at: ago(40 * DAY) })
        .where('user_id', 'in', [oldSession as string, refreshedSession as string])
        .execute();
      await app.store.db
        .updateTable('sessions')
        .set({ last_refreshed_at: ago(DAY) })
        .where('user_id', '=', refreshedSession as string)
        .execute();

      await sweep();

      assert.deepEqual(await comment(old), { author_ip: null, author_user_agent: null });
      assert.deepEqual(await comment(recent), {
        author_ip: '127.0.0.1',
        author_user_agent: 'RecentAgent/1',
      });
      const addressOf = async (userId: string | undefined) =>
        app.store.db
          .selectFrom('sessions')
          .select(['ip', 'user_agent'])
          .where('user_id', '=', userId as string)
          .executeTakeFirstOrThrow();
      const erased = { ip: null, user_agent: null };
      assert.deepEqual(await addressOf(oldSession), erased);
      // A refresh does not record the address again: it is as old as the session.
      assert.deepEqual(await addressOf(refreshedSession), erased, 'recorded 40 days ago');
      assert.deepEqual(await addressOf(recentSession), {
        ip: '203.0.113.7',
        user_agent: 'SessionAgent/1',
      });
      // The session itself still works: only the address went.
      const me = await app.request({
        method: 'GET',
        url: '/api/v1/auth/me',
        token: sessions[0]?.token,
      });
      assert.equal(me.status, 200);
    });

    it('prunes spent sign-in state and keeps what may still be used', async () => {
      const { id: userId } = await signedIn();
      const db = app.store.db;
      const site = app.site.id;
      await db
        .insertInto('sso_token_uses')
        .values([
          { site_id: site, jti: 'spent', expires_at: ago(60_000) },
          { site_id: site, jti: 'live', expires_at: fromNow(60_000) },
        ])
        .execute();
      const oidc = (state: string, expiresAt: string) => ({
        state,
        site_id: site,
        origin: 'https://news.example',
        nonce: 'n',
        code_verifier: 'v',
        created_at: ago(DAY),
        expires_at: expiresAt,
      });
      await db
        .insertInto('oidc_states')
        .values([oidc('expired-state', ago(60_000)), oidc('open-state', fromNow(60_000))])
        .execute();
      const token = (id: string, expiresAt: string, usedAt: string | null) => ({
        id,
        user_id: userId,
        purpose: 'verify' as const,
        token_hash: unique('h'),
        new_email: null,
        expires_at: expiresAt,
        used_at: usedAt,
        created_at: ago(3 * DAY),
      });
      await db
        .insertInto('email_tokens')
        .values([
          token('01ARZ3NDEKTSV4RRFFQ69G5FA1', fromNow(DAY), ago(2 * DAY)),
          token('01ARZ3NDEKTSV4RRFFQ69G5FA2', ago(2 * DAY), null),
          token('01ARZ3NDEKTSV4RRFFQ69G5FA3', fromNow(DAY), null),
          token('01ARZ3NDEKTSV4RRFFQ69G5FA4', fromNow(DAY), ago(3_600_000)),
          token('01ARZ3NDEKTSV4RRFFQ69G5FA5', ago(3_600_000), null),
        ])
        .execute();
      await db
        .insertInto('auth_throttle')
        .values([
          { key: 'ip:idle', failures: 3, first_failure_at: ago(2 * DAY), blocked_until: null },
          {
            key: 'ip:blocked-long-ago',
            failures: 9,
            first_failure_at: ago(3 * DAY),
            blocked_until: ago(2 * DAY),
          },
          {
            key: 'ip:still-blocked',
            failures: 30,
            first_failure_at: ago(2 * DAY),
            blocked_until: fromNow(60_000),
          },
          { key: 'ip:recent', failures: 1, first_failure_at: ago(60_000), blocked_until: null },
        ])
        .execute();

      await sweep();

      const jtis = await db.selectFrom('sso_token_uses').select('jti').execute();
      assert.deepEqual(
        jtis.map((r) => r.jti),
        ['live'],
      );
      const states = await db.selectFrom('oidc_states').select('state').execute();
      assert.deepEqual(
        states.map((r) => r.state),
        ['open-state'],
      );
      const tokens = await db
        .selectFrom('email_tokens')
        .select('id')
        .where('user_id', '=', userId)
        .orderBy('id')
        .execute();
      assert.deepEqual(
        tokens.map((r) => r.id),
        ['01ARZ3NDEKTSV4RRFFQ69G5FA3', '01ARZ3NDEKTSV4RRFFQ69G5FA4', '01ARZ3NDEKTSV4RRFFQ69G5FA5'],
      );
      const throttles = await db.selectFrom('auth_throttle').select('key').orderBy('key').execute();
      assert.deepEqual(
        throttles.map((r) => r.key),
        ['ip:recent', 'ip:still-blocked'],
      );
    });

    it('deletes sessions a day after they ended, and keeps the others', async () => {
      const reader = await signedIn();
      const session = (
        id: string,
        state: { expires: string; refreshExpires: string | null; revoked?: string },
      ) => ({
        id,
        user_id: reader.id,
        token_hash: unique('t'),
        created_at: ago(40 * DAY),
        expires_at: state.expires,
        refresh_hash: state.refreshExpires ? unique('r') : null,
        refresh_expires_at: state.refreshExpires,
        revoked_at: state.revoked ?? null,
      });
      await app.store.db
        .insertInto('sessions')
        .values([
          session('s-live', { expires: ago(DAY), refreshExpires: fromNow(DAY) }),
          session('s-revoked-now', {
            expires: ago(DAY),
            refreshExpires: fromNow(DAY),
            revoked: ago(3_600_000),
          }),
          session('s-revoked-long-ago', {
            expires: ago(3 * DAY),
            refreshExpires: fromNow(DAY),
            revoked: ago(2 * DAY),
          }),
          session('s-refresh-expired', { expires: ago(3 * DAY), refreshExpires: ago(2 * DAY) }),
          session('s-refresh-just-expired', { expires: ago(DAY), refreshExpires: ago(3_600_000) }),
          session('s-no-refresh-expired', { expires: ago(2 * DAY), refreshExpires: null }),
          session('s-no-refresh-live', { expires: fromNow(DAY), refreshExpires: null }),
        ])
        .execute();

      await sweep();

      const left = await app.store.db
        .selectFrom('sessions')
        .select('id')
        .where('user_id', '=', reader.id)
        .where('id', 'like', 's-%')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        left.map((r) => r.id),
        ['s-live', 's-no-refresh-live', 's-refresh-just-expired', 's-revoked-now'],
      );
      const me = await app.request({ method: 'GET', url: '/api/v1/auth/me', token: reader.token });
      assert.equal(me.status, 200, 'the session signed in with still works');
    });

    it('runs once an hour: each sweep queues the next hour’s', async () => {
      await sweep();
      const now = new Date();
      const next = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000 + 3_600_000);
      const jobs = await app.store.db
        .selectFrom('jobs')
        .select(['id', 'run_at', 'done_at'])
        .where('kind', '=', 'retention.sweep')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        jobs.map((j) => j.id),
        [retentionJobId(now), retentionJobId(next)],
      );
      assert.ok(jobs[0]?.done_at, 'this hour’s ran');
      assert.equal(jobs[1]?.done_at, null);
      assert.equal(new Date(jobs[1]?.run_at as string).getTime(), next.getTime());
      assert.equal(await app.worker.drain(), 0, 'the next one is not due yet');
    });
  });

  describe(`retention scheduling across processes (${engine})`, () => {
    it('queues this hour’s sweep once when two apps start on the same database', async () => {
      const database = await createTestDatabase(engine);
      const config = {
        ...loadConfig({ PUBLIC_URL: 'http://parley.test', PARLEY_CLASSIFIER: '0' }),
        database: database.config,
      };
      // Each builds its own store; both run jobs, as two servers would.
      const one = await buildApp(config, { logger: false });
      const two = await buildApp(config, { logger: false });
      // And again, at the same moment, as two processes starting together would.
      const stores = [openStore(config.database), openStore(config.database)];
      try {
        await Promise.all(stores.map((store) => scheduleRetention(store)));
        const hour = retentionJobId(new Date());
        const queued = await one.store.db
          .selectFrom('jobs')
          .select(['id', 'run_at'])
          .where('kind', '=', 'retention.sweep')
          .execute();
        const dueNow = queued.filter((j) => new Date(j.run_at).getTime() <= Date.now());
        assert.deepEqual(
          dueNow.map((j) => j.id),
          [hour],
        );
      } finally {
        await Promise.all(stores.map((store) => store.close()));
        await one.close();
        await two.close();
        await database.drop();
      }
    });
  });
}
