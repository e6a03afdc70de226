/**
 * Privacy (docs/identity.md): a reader downloads their data (their own and nobody else's), asks
 * for their account to be deleted (local accounts confirm with their password) and may cancel;
 * after the grace period the job erases it, and the database holds no trace of the person: every
 * table is searched for their address, name and the words of their removed comments. Publishers'
 * systems do the same for SSO readers through the admin API.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { hashPassword } from '../../src/credentials/passwords.ts';
import { bestKey } from '../../src/domain/best.ts';
import { issueSession } from '../../src/services/sessions.ts';
import type { Site } from '../../src/store/rows.ts';
import { insertSite } from '../../src/store/sites.ts';
import { insertUser } from '../../src/store/users.ts';
import { createTestApp, type ApiResponse, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const PASSWORD = 'correct horse battery';
const REMOVE_ORIGIN = 'https://removes.example';
const UNKNOWN_ID = '01ARZ3NDEKTSV4RRFFQ69G5FAV';
const ENV = { PARLEY_WRITE_RATE_LIMIT: '1000', PARLEY_AUTH_RATE_LIMIT: '1000' };

const unique = (prefix: string) => `${prefix}${randomBytes(5).toString('hex')}`;

function assertError(response: ApiResponse, status: number, code: string): void {
  const context = `${response.status} ${response.text.slice(0, 300)}`;
  assert.equal(response.status, status, context);
  assert.equal(response.json?.error?.code, code, context);
}

interface Reader {
  id: string;
  email: string;
  name: string;
  token: string;
}

/**
 * Every row of every table as text, for searching (`mail_outbox` rows of the farewell mail are
 * returned apart: they keep the address until the retention sweep).
 */
async function dumpDatabase(app: TestApp): Promise<{ table: string; text: string }[]> {
  const tables =
    app.engine === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(
          app.store.db,
        )
      : await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = 'public'`.execute(
          app.store.db,
        );
  const dump: { table: string; text: string }[] = [];
  for (const { name } of tables.rows) {
    const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(
      app.store.db,
    );
    for (const row of rows.rows) dump.push({ table: name, text: JSON.stringify(row) });
  }
  return dump;
}

for (const engine of await testEngines()) {
  describe(`privacy (${engine})`, () => {
    let app: TestApp;
    let removingSite: Site;
    let adminToken: string;

    before(async () => {
      app = await createTestApp(engine, ENV);
      removingSite = await insertSite(app.store.db, {
        name: 'Removes Daily',
        allowedOrigins: [REMOVE_ORIGIN],
        editWindowSeconds: 900,
        maxDepth: 3,
        moderation: { repeatWindowSeconds: 0, maxPostsPerMinute: 100_000 },
        auth: { deletedComments: 'remove' },
      });
      await app.sites.refresh();
      adminToken = await app.admin();
    });
    after(async () => app.close());

    /** A verified reader made directly in the database, signed in (local with a password, or SSO). */
    async function reader(options: { sso?: { siteId: string; sub: string } } = {}) {
      const name = unique('Zephyrine');
      const email = `${unique('reader')}@example.com`;
      const user = await insertUser(app.store.db, {
        email,
        displayName: name,
        passwordHash: options.sso ? null : await hashPassword(PASSWORD),
        role: 'commenter',
      });
      assert.ok(user);
      await app.store.db
        .updateTable('users')
        .set({ email_verified_at: new Date().toISOString(), locale: 'en' })
        .where('id', '=', user.id)
        .execute();
      if (options.sso) {
        await app.store.db
          .insertInto('user_identities')
          .values({
            provider: `sso:${options.sso.siteId}`,
            subject: options.sso.sub,
            user_id: user.id,
            created_at: new Date().toISOString(),
          })
          .execute();
      }
      const session = await issueSession(app.store, user.id, {
        method: options.sso ? 'sso' : 'password',
        ip: '198.51.100.23',
        userAgent: 'PrivacyTestBrowser/1.0',
      });
      return { id: user.id, email, name, token: session.token } satisfies Reader;
    }

    async function storyOn(origin: string): Promise<string> {
      const id = unique('story-');
      const response = await app.request({
        method: 'POST',
        url: '/api/v1/stories/resolve',
        origin,
        body: { url: `${origin}/news/${id}`, storyId: id },
      });
      assert.equal(response.status, 200, response.text);
      return response.json.story.id as string;
    }

    async function post(
      storyId: string,
      who: Reader,
      body: string,
      origin: string,
      parentId?: string,
    ): Promise<string> {
      const response = await app.request({
        method: 'POST',
        url: `/api/v1/stories/${storyId}/comments`,
        token: who.token,
        origin,
        body: parentId ? { body, parentId } : { body },
      });
      assert.equal(response.status, 201, response.text);
      return response.json.comment.id as string;
    }

    const react = (who: Reader, commentId: string, origin: string) =>
      app.request({
        method: 'PUT',
        url: `/api/v1/comments/${commentId}/reaction`,
        token: who.token,
        origin,
      });

    const report = (who: Reader, commentId: string, origin: string, note: string) =>
      app.request({
        method: 'POST',
        url: `/api/v1/comments/${commentId}/reports`,
        token: who.token,
        origin,
        body: { reason: 'spam', note },
      });

    const exportOf = (who: Reader) =>
      app.request({ method: 'GET', url: '/api/v1/auth/me/export', token: who.token });

    const requestDeletion = (who: Reader, password?: string) =>
      app.request({
        method: 'POST',
        url: '/api/v1/auth/me/deletion',
        token: who.token,
        body: password === undefined ? {} : { password },
      });

    const userRow = (id: string) =>
      app.store.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

    const commentRow = (id: string) =>
      app.store.db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();

    /** Makes a pending deletion due now, with its job, and runs the jobs. */
    async function passGracePeriod(userId: string): Promise<void> {
      const past = new Date(Date.now() - 1000).toISOString();
      await app.store.db
        .updateTable('users')
        .set({ deletion_due_at: past })
        .where('id', '=', userId)
        .execute();
      await app.store.db
        .updateTable('jobs')
        .set({ run_at: past })
        .where('kind', '=', 'account.delete')
        .where('done_at', 'is', null)
        .execute();
      await app.worker.drain();
    }

    it('exports the reader’s profile, comments with their stories, reactions, reports and sessions, and nobody else’s', async () => {
      const me = await reader();
      const other = await reader();
      const storyId = await storyOn('https://news.example');
      const mine = unique('mineword');
      const theirs = unique('theirword');
      const myComment = await post(storyId, me, `My view: ${mine}`, 'https://news.example');
      const theirComment = await post(
        storyId,
        other,
        `Their reply: ${theirs}`,
        'https://news.example',
        myComment,
      );
      assert.equal((await react(me, theirComment, 'https://news.example')).status, 200);
      assert.equal((await react(other, myComment, 'https://news.example')).status, 200);
      const reportNote = unique('reportnote');
      assert.equal(
        (await report(me, theirComment, 'https://news.example', reportNote)).status,
        201,
      );

      const response = await exportOf(me);
      assert.equal(response.status, 200, response.text);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      assert.match(
        String(response.headers['content-disposition']),
        /^attachment; filename="parley-data-\d{4}-\d{2}-\d{2}\.json"$/,
      );
      const data = response.json;
      assert.ok(Date.parse(data.exportedAt) > Date.now() - 60_000);
      assert.equal(data.profile.id, me.id);
      assert.equal(data.profile.email, me.email);
      assert.equal(data.profile.displayName, me.name);
      assert.equal(data.profile.emailVerified, true);
      assert.deepEqual(data.profile.identities, []);
      assert.equal(data.comments.length, 1);
      assert.equal(data.comments[0].id, myComment);
      assert.match(data.comments[0].body, new RegExp(mine));
      assert.equal(data.comments[0].status, 'approved');
      assert.equal(data.comments[0].story.id, storyId);
      assert.match(data.comments[0].story.url, /^https:\/\/news\.example\/news\/story-/);
      assert.equal(data.comments[0].site.name, 'Test News');
      assert.deepEqual(
        data.reactions.map((r: { commentId: string }) => r.commentId),
        [theirComment],
      );
      assert.equal(data.reports.length, 1);
      assert.equal(data.reports[0].commentId, theirComment);
      assert.equal(data.reports[0].note, reportNote);
      assert.equal(data.sessions.length, 1);
      assert.equal(data.sessions[0].current, true);
      assert.equal(data.sessions[0].method, 'password');
      assert.equal(data.sessions[0].userAgent, 'PrivacyTestBrowser/1.0');

      // Nothing of the other reader: not their words, address, name or reaction.
      for (const foreign of [theirs, other.email, other.name, other.id]) {
        assert.ok(!response.text.includes(foreign), `the export holds ${foreign}`);
      }
      assert.ok(!response.text.includes('password_hash') && !response.text.includes('argon2'));
    });

    it('exports every comment of a reader with more than a page of them, in order', async () => {
      const me = await reader();
      const storyId = await storyOn('https://news.example');
      const site = app.site;
      const rows = Array.from({ length: 1203 }, (_, i) => ({
        id: `01J${String(i).padStart(5, '0')}${'0'.repeat(18)}`.slice(0, 26),
        site_id: site.id,
        story_id: storyId,
        parent_id: null,
        thread_parent_id: null,
        depth: 0,
        author_id: me.id,
        body: `bulk ${i}`,
        html: `<p>bulk ${i}</p>`,
        status: 'approved' as const,
        reply_count: 0,
        reaction_count: 0,
        created_at: new Date().toISOString(),
        edited_at: null,
        deleted_at: null,
      }));
      for (let i = 0; i < rows.length; i += 200) {
        await app.store.db
          .insertInto('comments')
          .values(rows.slice(i, i + 200))
          .execute();
      }
      const response = await exportOf(me);
      assert.equal(response.status, 200);
      const ids = response.json.comments.map((c: { id: string }) => c.id);
      assert.deepEqual(
        ids,
        rows.map((r) => r.id),
      );
    });

    it('needs a signed-in reader, and limits exports per reader', async () => {
      assertError(
        await app.request({ method: 'GET', url: '/api/v1/auth/me/export' }),
        401,
        'UNAUTHENTICATED',
      );
      const me = await reader();
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await exportOf(me)).status);
      assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429]);
    });

    it('asks a local account for its password before scheduling the deletion, and mails the date', async () => {
      const me = await reader();
      assertError(await requestDeletion(me), 401, 'INVALID_CREDENTIALS');
      assertError(await requestDeletion(me, 'not my password'), 401, 'INVALID_CREDENTIALS');
      assert.equal((await userRow(me.id)).deletion_due_at, null, 'nothing scheduled yet');

      const response = await requestDeletion(me, PASSWORD);
      assert.equal(response.status, 202, response.text);
      const due = Date.parse(response.json.deletionDueAt);
      const expected = Date.now() + app.config.deletionGraceHours * 3_600_000;
      assert.ok(Math.abs(due - expected) < 60_000, 'due after the grace period');

      const row = await userRow(me.id);
      assert.equal(new Date(row.deletion_due_at as string).getTime(), due);
      assert.ok(row.deletion_requested_at);
      const job = await app.store.db
        .selectFrom('jobs')
        .selectAll()
        .where('kind', '=', 'account.delete')
        .where('payload', 'like', `%${me.id}%`)
        .executeTakeFirstOrThrow();
      assert.ok(Math.abs(new Date(job.run_at).getTime() - due) < 60_000, 'the job runs when due');
      const mail = await app.store.db
        .selectFrom('mail_outbox')
        .selectAll()
        .where('to_address', '=', me.email)
        .where('template', '=', 'deletion-scheduled')
        .executeTakeFirstOrThrow();
      assert.match(mail.text_body, /http:\/\/parley\.test\/account/);

      const viewer = await app.request({ method: 'GET', url: '/api/v1/auth/me', token: me.token });
      assert.equal(viewer.json.user.deletionDueAt, response.json.deletionDueAt);

      // Asking again keeps the date (no second job or mail).
      const again = await requestDeletion(me, PASSWORD);
      assert.equal(again.status, 202);
      assert.equal(again.json.deletionDueAt, response.json.deletionDueAt);
      const mails = await app.store.db
        .selectFrom('mail_outbox')
        .select('id')
        .where('to_address', '=', me.email)
        .execute();
      assert.equal(mails.length, 1);
    });

    it('keeps the only admin from deleting their account', async () => {
      const response = await app.request({
        method: 'POST',
        url: '/api/v1/auth/me/deletion',
        token: adminToken,
        body: { password: 'admin password 1' },
      });
      assertError(response, 403, 'FORBIDDEN');
    });

    it('keeps an admin when the others are being deleted: no last deletion, no erasure at once', async () => {
      const sub = unique('admin-sub-');
      const second = await reader({ sso: { siteId: app.site.id, sub } });
      await app.store.db
        .updateTable('users')
        .set({ role: 'admin' })
        .where('id', '=', second.id)
        .execute();
      const first = await app.request({
        method: 'POST',
        url: '/api/v1/auth/me/deletion',
        token: adminToken,
        body: { password: 'admin password 1' },
      });
      assert.equal(first.status, 202, 'another admin remains');
      try {
        // Both admins counted each other: this one would have left Parley without an admin.
        assertError(await requestDeletion(second), 403, 'FORBIDDEN');
        assert.equal((await userRow(second.id)).deletion_due_at, null);
        const erase = await app.request({
          method: 'POST',
          url: `/api/v1/admin/sites/${app.site.id}/sso-users/${sub}/deletion`,
          token: adminToken,
          body: { immediate: true },
        });
        assertError(erase, 403, 'FORBIDDEN');
        const row = await userRow(second.id);
        assert.equal(row.deleted_at, null);
        assert.equal(row.role, 'admin');
      } finally {
        const cancel = await app.request({
          method: 'DELETE',
          url: '/api/v1/auth/me/deletion',
          token: adminToken,
        });
        assert.equal(cancel.status, 200, cancel.text);
        await app.store.db
          .updateTable('users')
          .set({ role: 'commenter' })
          .where('id', '=', second.id)
          .execute();
      }
    });

    it('schedules an SSO reader’s deletion without a password', async () => {
      const me = await reader({ sso: { siteId: app.site.id, sub: unique('sub-') } });
      const response = await requestDeletion(me);
      assert.equal(response.status, 202, response.text);
    });

    it('cancels: the job, when it runs, finds nothing due and leaves the account alone', async () => {
      const me = await reader();
      const storyId = await storyOn('https://news.example');
      const commentId = await post(storyId, me, 'Still here', 'https://news.example');
      assert.equal((await requestDeletion(me, PASSWORD)).status, 202);

      const cancelled = await app.request({
        method: 'DELETE',
        url: '/api/v1/auth/me/deletion',
        token: me.token,
      });
      assert.equal(cancelled.status, 200, cancelled.text);
      assert.equal(cancelled.json.user.id, me.id);
      assert.equal(cancelled.json.user.deletionDueAt, null);
      const row = await userRow(me.id);
      assert.equal(row.deletion_due_at, null);
      assert.equal(row.deletion_requested_at, null);

      // The job comes due anyway (it was not taken out of the queue).
      await app.store.db
        .updateTable('jobs')
        .set({ run_at: new Date(Date.now() - 1000).toISOString() })
        .where('kind', '=', 'account.delete')
        .where('payload', 'like', `%${me.id}%`)
        .execute();
      await app.worker.drain();
      const after = await userRow(me.id);
      assert.equal(after.email, me.email);
      assert.equal(after.deleted_at, null);
      assert.equal((await commentRow(commentId))?.body, 'Still here');
      const viewer = await app.request({ method: 'GET', url: '/api/v1/auth/me', token: me.token });
      assert.equal(viewer.status, 200);
    });

    it('after the grace period, erases the account: no trace of the person is left in the database', async () => {
      const me = await reader();
      const other = await reader();
      const keptStory = await storyOn('https://news.example');
      const goneStory = await storyOn(REMOVE_ORIGIN);
      const keptWord = unique('keptquokka');
      const goneWord = unique('gonewombat');
      const noteWord = unique('modnote');

      // Kept (anonymised) on the test site, with a reply from another reader.
      const kept = await post(keptStory, me, `Kept ${keptWord}`, 'https://news.example');
      const keptReply = await post(keptStory, other, 'A reply', 'https://news.example', kept);
      // Removed on the other site: one with a reply (a tombstone stays), one alone, one reply.
      const goneParent = await post(goneStory, me, `Gone ${goneWord} 1`, REMOVE_ORIGIN);
      const othersReply = await post(goneStory, other, 'Answering', REMOVE_ORIGIN, goneParent);
      const goneAlone = await post(goneStory, me, `Gone ${goneWord} 2`, REMOVE_ORIGIN);
      const othersTop = await post(goneStory, other, 'Another view', REMOVE_ORIGIN);
      const goneReply = await post(goneStory, me, `Gone ${goneWord} 3`, REMOVE_ORIGIN, othersTop);
      // Unpublished ones too: held for a moderator, rejected with the pipeline's reasons.
      const unpublished = ['pending', 'rejected'] as const;
      for (const [i, status] of unpublished.entries()) {
        await app.store.db
          .insertInto('comments')
          .values({
            id: `01ARZ3NDEKTSV4RRFFQ69G5FB${i}`,
            site_id: removingSite.id,
            story_id: goneStory,
            parent_id: null,
            thread_parent_id: null,
            depth: 0,
            author_id: me.id,
            body: `Held ${goneWord}`,
            html: `<p>Held ${goneWord}</p>`,
            status,
            reply_count: 0,
            reaction_count: 0,
            created_at: new Date().toISOString(),
            edited_at: null,
            deleted_at: null,
            moderation: JSON.stringify({ reasons: [{ code: 'X', message: `Quotes ${goneWord}` }] }),
            rejection_code: status === 'rejected' ? 'OTHER' : null,
            rejection_note: status === 'rejected' ? `Because ${goneWord}` : null,
          })
          .execute();
      }
      assert.equal((await react(me, othersTop, REMOVE_ORIGIN)).status, 200);
      assert.equal((await react(me, keptReply, 'https://news.example')).status, 200);
      assert.equal((await react(other, kept, 'https://news.example')).status, 200);
      assert.equal((await report(me, othersTop, REMOVE_ORIGIN, `I ${goneWord}`)).status, 201);
      // What else the account holds: a moderator's note, a mailed link, a linked identity.
      await app.store.db
        .insertInto('user_notes')
        .values({
          id: UNKNOWN_ID,
          user_id: me.id,
          author_id: null,
          text: `Watch ${noteWord}`,
          created_at: new Date().toISOString(),
        })
        .execute();
      await app.store.db
        .insertInto('email_tokens')
        .values({
          id: '01ARZ3NDEKTSV4RRFFQ69G5FAW',
          user_id: me.id,
          purpose: 'change-email',
          token_hash: unique('hash'),
          new_email: `new.${me.email}`,
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
          created_at: new Date().toISOString(),
        })
        .execute();
      await app.store.db
        .insertInto('user_identities')
        .values({
          provider: `oidc:${app.site.id}`,
          subject: unique('oidc-sub-'),
          user_id: me.id,
          created_at: new Date().toISOString(),
        })
        .execute();
      const count = async (storyId: string) =>
        (
          await app.store.db
            .selectFrom('stories')
            .select('comment_count')
            .where('id', '=', storyId)
            .executeTakeFirstOrThrow()
        ).comment_count;
      assert.equal(await count(goneStory), 5);
      assert.equal(await count(keptStory), 2);
      assert.ok(
        (await dumpDatabase(app)).some((r) => r.text.includes(goneWord)),
        'the search finds the words before',
      );

      assert.equal((await requestDeletion(me, PASSWORD)).status, 202);
      await app.worker.drain(); // nothing is due yet
      assert.equal((await userRow(me.id)).deleted_at, null, 'not before the grace period');
      await passGracePeriod(me.id);

      // The profile is empty; the row stays as the author of the kept comment.
      const row = await userRow(me.id);
      assert.equal(row.email, `deleted-${me.id}@invalid`);
      assert.equal(row.display_name, '[deleted]');
      assert.equal(row.password_hash, null);
      assert.equal(row.locale, null);
      assert.equal(row.email_verified_at, null);
      assert.equal(row.deletion_due_at, null);
      assert.ok(row.deleted_at);

      // Kept as "[deleted]": the text stays, the address and user agent go.
      const keptRow = await commentRow(kept);
      assert.equal(keptRow?.body, `Kept ${keptWord}`);
      assert.equal(keptRow?.author_ip, null);
      const thread = await app.request({
        method: 'GET',
        url: `/api/v1/stories/${keptStory}/comments`,
      });
      assert.equal(thread.status, 200, thread.text);
      const shown = JSON.stringify(thread.json);
      assert.ok(shown.includes('[deleted]'), 'the author is shown as [deleted]');
      assert.ok(!shown.includes(me.name));
      assert.equal(await count(keptStory), 2);

      // Removed: the tombstone keeps its place for the reply, empty; the others are gone.
      const tomb = await commentRow(goneParent);
      assert.equal(tomb?.body, '');
      assert.equal(tomb?.html, '');
      assert.ok(tomb?.deleted_at);
      assert.equal(tomb?.status, 'approved', 'a tombstone, its reply stays under it');
      for (const id of [
        goneAlone,
        goneReply,
        ...unpublished.map((_, i) => `01ARZ3NDEKTSV4RRFFQ69G5FB${i}`),
      ]) {
        const gone = await commentRow(id);
        assert.equal(gone?.status, 'deleted');
        assert.equal(gone?.body, '');
        assert.equal(gone?.html, '');
      }
      assert.equal(await count(goneStory), 2, 'the other reader’s two comments');
      const top = await commentRow(othersTop);
      assert.equal(top?.reply_count, 0);
      assert.equal(top?.reaction_count, 0);
      assert.equal(top?.open_reports, 0);
      assert.equal((await commentRow(keptReply))?.reaction_count, 0);
      assert.equal((await commentRow(kept))?.reaction_count, 1, 'others’ reactions stay');
      // The Best keys follow the counts the erasure lowered (docs/sorting.md).
      for (const id of [othersTop, keptReply, kept]) {
        const row = await commentRow(id);
        const want = bestKey({
          respects: row!.reaction_count,
          views: row!.view_count,
          createdAt: row!.created_at,
        });
        assert.ok(Math.abs(Number(row!.best_key) - want) < 1e-6, `${id}: ${row!.best_key} ${want}`);
      }
      assert.equal((await commentRow(othersReply))?.status, 'approved');

      // Nothing else of the account is left.
      for (const table of ['sessions', 'reactions', 'reports', 'email_tokens'] as const) {
        const rows = await app.store.db
          .selectFrom(table)
          .select('user_id')
          .where('user_id', '=', me.id)
          .execute();
        assert.equal(rows.length, 0, `${table} of the account`);
      }
      const identities = await app.store.db
        .selectFrom('user_identities')
        .select('subject')
        .where('user_id', '=', me.id)
        .execute();
      assert.equal(identities.length, 0);
      const notes = await app.store.db
        .selectFrom('user_notes')
        .select('id')
        .where('user_id', '=', me.id)
        .execute();
      assert.equal(notes.length, 0);
      const events = await app.store.db
        .selectFrom('live_events')
        .select('id')
        .where('author_id', '=', me.id)
        .execute();
      assert.equal(events.length, 0, 'live events of the account');

      // The whole database, every table: only the farewell mail still has the address and name,
      // until the retention sweep empties it a day after it was dealt with.
      const farewell = await app.store.db
        .selectFrom('mail_outbox')
        .selectAll()
        .where('template', '=', 'account-deleted')
        .where('to_address', '=', me.email)
        .executeTakeFirstOrThrow();
      const traces = [me.email, me.name, goneWord, noteWord];
      const found = (await dumpDatabase(app)).filter(
        (r) => traces.some((t) => r.text.includes(t)) && !r.text.includes(farewell.id),
      );
      assert.deepEqual(found, [], 'rows that still hold the person’s data');

      await app.store.db
        .updateTable('mail_outbox')
        .set({ state: 'sent', created_at: new Date(Date.now() - 2 * 86_400_000).toISOString() })
        .where('id', '=', farewell.id)
        .execute();
      await app.store.db
        .insertInto('jobs')
        .values({
          id: unique('retention-now-'),
          kind: 'retention.sweep',
          payload: '{}',
          run_at: new Date(Date.now() - 1000).toISOString(),
          attempts: 0,
          max_attempts: 1,
          locked_until: null,
          last_error: null,
          done_at: null,
          created_at: new Date().toISOString(),
        })
        .execute();
      await app.worker.drain();
      const everything = (await dumpDatabase(app)).filter((r) =>
        traces.some((t) => r.text.includes(t)),
      );
      assert.deepEqual(everything, [], 'after the sweep, no row holds the person’s data');

      // The account's tokens no longer sign anyone in.
      assertError(
        await app.request({ method: 'GET', url: '/api/v1/auth/me', token: me.token }),
        401,
        'UNAUTHENTICATED',
      );
    });

    describe('admin API for publishers’ SSO readers', () => {
      const base = (siteId: string, sub: string) =>
        `/api/v1/admin/sites/${siteId}/sso-users/${encodeURIComponent(sub)}`;

      it('exports an SSO reader’s data for admins only; 404 for a reader never seen', async () => {
        const sub = unique('pub-user-');
        const ssoReader = await reader({ sso: { siteId: app.site.id, sub } });
        const storyId = await storyOn('https://news.example');
        const word = unique('ssoword');
        await post(storyId, ssoReader, `From SSO ${word}`, 'https://news.example');

        const response = await app.request({
          method: 'GET',
          url: `${base(app.site.id, sub)}/export`,
          token: adminToken,
        });
        assert.equal(response.status, 200, response.text);
        assert.equal(response.json.profile.id, ssoReader.id);
        assert.deepEqual(
          response.json.profile.identities.map((i: { provider: string; subject: string }) => [
            i.provider,
            i.subject,
          ]),
          [[`sso:${app.site.id}`, sub]],
        );
        assert.match(response.json.comments[0].body, new RegExp(word));
        assert.equal(response.json.sessions[0].current, false);

        assertError(
          await app.request({
            method: 'GET',
            url: `${base(app.site.id, 'nobody-here')}/export`,
            token: adminToken,
          }),
          404,
          'USER_NOT_FOUND',
        );
        assertError(
          await app.request({
            method: 'GET',
            url: `${base(removingSite.id, sub)}/export`,
            token: adminToken,
          }),
          404,
          'USER_NOT_FOUND',
        );
        assertError(
          await app.request({
            method: 'GET',
            url: `${base(UNKNOWN_ID, sub)}/export`,
            token: adminToken,
          }),
          404,
          'SITE_NOT_FOUND',
        );
        assertError(
          await app.request({
            method: 'GET',
            url: `${base(app.site.id, sub)}/export`,
            token: ssoReader.token,
          }),
          403,
          'FORBIDDEN',
        );
        assertError(
          await app.request({ method: 'GET', url: `${base(app.site.id, sub)}/export` }),
          401,
          'UNAUTHENTICATED',
        );
      });

      it('schedules, cancels and carries out an SSO reader’s deletion', async () => {
        const sub = unique('pub-user-');
        const ssoReader = await reader({ sso: { siteId: app.site.id, sub } });
        const url = `${base(app.site.id, sub)}/deletion`;

        assertError(
          await app.request({ method: 'POST', url, token: ssoReader.token, body: {} }),
          403,
          'FORBIDDEN',
        );
        // No body at all is the same as `{}`.
        const scheduled = await app.request({ method: 'POST', url, token: adminToken });
        assert.equal(scheduled.status, 202, scheduled.text);
        assert.equal(scheduled.json.deleted, false);
        assert.ok(Date.parse(scheduled.json.deletionDueAt) > Date.now());
        assert.ok((await userRow(ssoReader.id)).deletion_due_at);

        const cancelled = await app.request({ method: 'DELETE', url, token: adminToken });
        assert.equal(cancelled.status, 200, cancelled.text);
        assert.equal((await userRow(ssoReader.id)).deletion_due_at, null);
        assertError(
          await app.request({
            method: 'DELETE',
            url: `${base(app.site.id, 'nobody-here')}/deletion`,
            token: adminToken,
          }),
          404,
          'USER_NOT_FOUND',
        );

        const now = await app.request({
          method: 'POST',
          url,
          token: adminToken,
          body: { immediate: true },
        });
        assert.equal(now.status, 200, now.text);
        assert.equal(now.json.deleted, true);
        const row = await userRow(ssoReader.id);
        assert.ok(row.deleted_at);
        assert.equal(row.email, `deleted-${ssoReader.id}@invalid`);
        assertError(
          await app.request({
            method: 'GET',
            url: `${url.replace('/deletion', '')}/export`,
            token: adminToken,
          }),
          404,
          'USER_NOT_FOUND',
        );
        assertError(
          await app.request({ method: 'GET', url: '/api/v1/auth/me', token: ssoReader.token }),
          401,
          'UNAUTHENTICATED',
        );
      });

      it('refuses bad input with a clear 400', async () => {
        const response = await app.request({
          method: 'POST',
          url: `${base(app.site.id, 'someone')}/deletion`,
          token: adminToken,
          body: { immediate: 'yes' },
        });
        assertError(response, 400, 'VALIDATION_FAILED');
        assertError(
          await app.request({
            method: 'GET',
            url: `${base('not-an-id', 'someone')}/export`,
            token: adminToken,
          }),
          400,
          'VALIDATION_FAILED',
        );
      });
    });
  });
}
