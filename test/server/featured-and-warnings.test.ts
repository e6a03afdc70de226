/**
 * The reader-facing side of moderation, on both engines: a story's featured comments (only
 * approved, live ones, newest first, paged by cursor, counted on first pages) and a moderator's
 * warning, which keeps its user from posting until they acknowledge it. Moderators' decisions are
 * written straight to the database here; the thread cache is off so every read sees them.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type ApiResponse, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

const ids = (response: ApiResponse): string[] =>
  response.json.comments.map((c: { id: string }) => c.id);

for (const engine of await testEngines()) {
  describe(`featured comments and warnings through the API (${engine})`, () => {
    let app: TestApp;
    let rana: { token: string; id: string };
    let yossi: { token: string; id: string };
    before(async () => {
      app = await createTestApp(engine, { PARLEY_THREAD_CACHE_TTL_MS: '0' });
      rana = await app.signup('Rana');
      yossi = await app.signup('Yossi');
    });
    after(async () => app.close());

    const comments = (story: string, query = '', token?: string) =>
      app.request({ method: 'GET', url: `/api/v1/stories/${story}/comments${query}`, token });
    const set = (id: string, values: Record<string, unknown>) =>
      app.store.db.updateTable('comments').set(values).where('id', '=', id).execute();
    const feature = (id: string) => set(id, { featured: 1 });
    const posted = async (story: string, token: string, body: string, parentId?: string) => {
      const response = await app.post(story, token, body, parentId);
      assert.equal(response.status, 201, response.text);
      return response.json.comment.id as string;
    };

    it('lists only featured, approved, live comments, newest first, replies included', async () => {
      const story = await app.story();
      const plain = await posted(story, rana.token, 'Not picked.');
      const older = await posted(story, rana.token, 'Picked first.');
      const reply = await posted(story, yossi.token, 'A picked reply.', older);
      const answer = await posted(story, rana.token, 'An answer to the picked reply.', reply);
      const held = await posted(story, yossi.token, 'Held, then featured by mistake.');
      const rejected = await posted(story, yossi.token, 'Rejected after featuring.');
      const gone = await posted(story, yossi.token, 'Deleted by its author.');
      const tombstone = await posted(story, yossi.token, 'Deleted, kept for its reply.');
      await posted(story, rana.token, 'The reply that keeps it.', tombstone);
      for (const id of [older, reply, held, rejected, gone, tombstone]) await feature(id);
      await set(held, { status: 'pending' });
      await set(rejected, { status: 'rejected', rejection_code: 'SPAM' });
      for (const id of [gone, tombstone]) {
        const deleted = await app.request({
          method: 'DELETE',
          url: `/api/v1/comments/${id}`,
          token: yossi.token,
        });
        assert.equal(deleted.status, 200);
      }

      for (const token of [undefined, yossi.token]) {
        const page = await comments(story, '?sort=featured', token);
        assert.equal(page.status, 200, page.text);
        assert.deepEqual(ids(page), [reply, older], 'newest first; the others never');
        assert.equal(page.json.featuredCount, 2);
        assert.equal(page.json.nextCursor, null);
        assert.ok(page.json.comments.every((c: { featured: boolean }) => c.featured));
        assert.deepEqual(page.json.pending, [], "the viewer's held comments stay off this tab");
        const [pickedReply, pickedFirst] = page.json.comments;
        assert.deepEqual(
          pickedReply.replies.map((c: { id: string }) => c.id),
          [answer],
          'a featured comment comes with its first replies, as in the thread',
        );
        assert.equal(pickedFirst.replyCount, 1);
      }
      const thread = await comments(story);
      assert.equal(thread.json.featuredCount, 2, 'the thread says whether to offer the tab');
      assert.ok(ids(thread).includes(plain));
      const none = await comments(await app.story());
      assert.equal(none.json.featuredCount, 0);
      assert.deepEqual((await comments(await app.story(), '?sort=featured')).json.comments, []);
    });

    it('pages featured comments by cursor and counts them on first pages only', async () => {
      const story = await app.story();
      const all: string[] = [];
      for (let i = 0; i < 5; i++) all.push(await posted(story, rana.token, `Comment ${i}`));
      for (const id of all) await feature(id);
      const first = await comments(story, '?sort=featured&limit=2');
      assert.equal(first.status, 200);
      assert.deepEqual(ids(first), [all[4], all[3]]);
      assert.equal(first.json.featuredCount, 5);
      assert.ok(first.json.nextCursor);
      const second = await comments(
        story,
        `?sort=featured&limit=2&cursor=${encodeURIComponent(first.json.nextCursor)}`,
      );
      assert.deepEqual(ids(second), [all[2], all[1]]);
      assert.equal(second.json.featuredCount, undefined, 'counted on first pages only');
      const last = await comments(
        story,
        `?sort=featured&limit=2&cursor=${encodeURIComponent(second.json.nextCursor)}`,
      );
      assert.deepEqual(ids(last), [all[0]]);
      assert.equal(last.json.nextCursor, null);
      const forged = await comments(story, '?sort=featured&cursor=bm90IGEgY3Vyc29y');
      assert.equal(forged.status, 400);
      assert.equal(forged.json.error.code, 'INVALID_CURSOR');
    });

    it('keeps a warned user from posting until they acknowledge, once', async () => {
      const story = await app.story();
      const ack = (token?: string) =>
        app.request({ method: 'POST', url: '/api/v1/auth/me/warning/acknowledge', token });
      const me = async (token: string) =>
        (await app.request({ method: 'GET', url: '/api/v1/auth/me', token })).json.user;
      const warned = await app.signup('Warned');
      assert.equal((await me(warned.token)).warning, null);

      const unauthenticated = await ack();
      assert.equal(unauthenticated.status, 401);
      assert.equal(unauthenticated.json.error.code, 'UNAUTHENTICATED');

      const message = 'Keep it civil: no insults. <script>alert(1)</script>';
      await app.store.db
        .updateTable('users')
        .set({ warning: message, warning_acknowledged_at: null })
        .where('id', '=', warned.id)
        .execute();
      assert.deepEqual((await me(warned.token)).warning, { message });
      const login = await app.request({
        method: 'POST',
        url: '/api/v1/auth/login',
        body: { email: warned.email, password: 'a long enough password' },
      });
      assert.deepEqual(login.json.user.warning, { message }, 'logging in tells them at once');
      const refused = await app.post(story, warned.token, 'Still angry.');
      assert.equal(refused.status, 403);
      assert.equal(refused.json.error.code, 'WARNING_UNACKNOWLEDGED');

      const first = await ack(warned.token);
      assert.equal(first.status, 200, first.text);
      assert.equal(first.json.user.id, warned.id);
      assert.equal(first.json.user.warning, null);
      const stamped = async () =>
        (
          await app.store.db
            .selectFrom('users')
            .select(['warning', 'warning_acknowledged_at'])
            .where('id', '=', warned.id)
            .executeTakeFirstOrThrow()
        ).warning_acknowledged_at;
      const acknowledgedAt = String(await stamped());
      assert.ok(acknowledgedAt);
      assert.equal((await app.post(story, warned.token, 'Calmer now.')).status, 201);

      const second = await ack(warned.token);
      assert.equal(second.status, 200);
      assert.equal(second.json.user.warning, null);
      assert.equal(String(await stamped()), acknowledgedAt, 'a second call changes nothing');
      const neverWarned = await ack(rana.token);
      assert.equal(neverWarned.status, 200);
      assert.equal(neverWarned.json.user.warning, null);
    });

    it('limits acknowledgements per user like other writes', async () => {
      const strict = await createTestApp(engine, { PARLEY_WRITE_RATE_LIMIT: '2' });
      try {
        const { token } = await strict.signup('Clicker');
        const statuses: number[] = [];
        for (let i = 0; i < 3; i++) {
          statuses.push(
            (
              await strict.request({
                method: 'POST',
                url: '/api/v1/auth/me/warning/acknowledge',
                token,
              })
            ).status,
          );
        }
        assert.deepEqual(statuses, [200, 200, 429]);
      } finally {
        await strict.close();
      }
    });
  });
}
