/**
 * What the reader widget needs from the API, on every engine: an author may not react to their
 * own comment (refused in the service, whatever the client); comments carry their author's
 * picture and badges as the publisher gave them; a held comment tells its author (and only them)
 * the pipeline's reason codes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RELAXED_MODERATION, createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

for (const engine of await testEngines()) {
  describe(`reader features API (${engine})`, () => {
    let app: TestApp;
    let amira: { token: string; id: string };
    let yossi: { token: string; id: string };

    before(async () => {
      app = await createTestApp(
        engine,
        { PARLEY_WRITE_RATE_LIMIT: '1000' },
        {
          moderation: {
            ...RELAXED_MODERATION,
            links: { holdLinks: true, allowDomains: [], denyDomains: [] },
          },
        },
      );
      amira = await app.signup('Amira');
      yossi = await app.signup('Yossi');
    });
    after(async () => app.close());

    const react = (method: 'PUT' | 'DELETE', commentId: string, token: string) =>
      app.request({ method, url: `/api/v1/comments/${commentId}/reaction`, token });

    const reactionRows = async (commentId: string) =>
      (
        await app.store.db
          .selectFrom('reactions')
          .select('user_id')
          .where('comment_id', '=', commentId)
          .execute()
      ).map((r) => r.user_id);

    it("refuses an author's reaction to their own comment with 403 OWN_COMMENT_REACTION", async () => {
      const story = await app.story();
      const comment = (await app.post(story, amira.token, 'My own words')).json.comment;

      const own = await react('PUT', comment.id, amira.token);
      assert.equal(own.status, 403);
      assert.equal(own.json.error.code, 'OWN_COMMENT_REACTION');
      assert.match(own.json.error.message, /your own comment/);
      assert.deepEqual(await reactionRows(comment.id), [], 'nothing was stored');

      // Another reader may; the count is theirs alone.
      assert.deepEqual((await react('PUT', comment.id, yossi.token)).json, {
        reactionCount: 1,
        reacted: true,
      });
      assert.equal((await react('PUT', comment.id, amira.token)).status, 403);
      const page = await app.request({
        method: 'GET',
        url: `/api/v1/stories/${story}/comments`,
        token: amira.token,
      });
      assert.equal(page.json.comments[0].reactionCount, 1);
      assert.equal(page.json.comments[0].viewer.reacted, false);
      assert.deepEqual(await reactionRows(comment.id), [yossi.id]);
    });

    it('still lets an author take back a reaction stored before the rule', async () => {
      const story = await app.story();
      const comment = (await app.post(story, amira.token, 'Older reaction')).json.comment;
      await app.store.db
        .insertInto('reactions')
        .values({ comment_id: comment.id, user_id: amira.id, created_at: new Date().toISOString() })
        .execute();
      await app.store.db
        .updateTable('comments')
        .set({ reaction_count: 1 })
        .where('id', '=', comment.id)
        .execute();
      const taken = await react('DELETE', comment.id, amira.token);
      assert.equal(taken.status, 200, taken.text);
      assert.deepEqual(taken.json, { reactionCount: 0, reacted: false });
      assert.deepEqual(await reactionRows(comment.id), []);
    });

    it("gives each comment its author's picture and badges, as text", async () => {
      const hostile = '<img src=x onerror=alert(1)>';
      await app.store.db
        .updateTable('users')
        .set({
          avatar_url: 'https://cdn.news.example/amira.png',
          badges: JSON.stringify(['subscriber', hostile]),
        })
        .where('id', '=', amira.id)
        .execute();
      const story = await app.story();
      const posted = (await app.post(story, amira.token, 'With a face')).json.comment;
      assert.equal(posted.author.avatarUrl, 'https://cdn.news.example/amira.png');
      assert.deepEqual(posted.author.badges, ['subscriber', hostile]);
      await app.post(story, yossi.token, 'Without one', posted.id);

      const page = await app.request({ method: 'GET', url: `/api/v1/stories/${story}/comments` });
      const [top] = page.json.comments;
      assert.equal(top.author.avatarUrl, 'https://cdn.news.example/amira.png');
      assert.deepEqual(top.author.badges, ['subscriber', hostile]);
      assert.equal(top.replies[0].author.avatarUrl, null);
      assert.deepEqual(top.replies[0].author.badges, []);
    });

    it('tells the author of a held comment why it waits, and nobody else', async () => {
      const story = await app.story();
      const posted = await app.post(story, yossi.token, 'See https://unknown.example/page');
      assert.equal(posted.status, 201, posted.text);
      assert.equal(posted.json.comment.status, 'pending');
      assert.deepEqual(posted.json.comment.held, { reasons: ['LINKS_HELD'] });

      const mine = await app.request({
        method: 'GET',
        url: `/api/v1/stories/${story}/comments`,
        token: yossi.token,
      });
      assert.deepEqual(mine.json.pending[0].held, { reasons: ['LINKS_HELD'] });

      const single = await app.request({
        method: 'GET',
        url: `/api/v1/comments/${posted.json.comment.id}/context`,
        token: yossi.token,
      });
      assert.equal(single.status, 200, single.text);
      assert.deepEqual(single.json.comment.held, { reasons: ['LINKS_HELD'] });

      const others = await app.request({
        method: 'GET',
        url: `/api/v1/stories/${story}/comments`,
        token: amira.token,
      });
      assert.ok(!others.text.includes('LINKS_HELD'), 'other readers learn nothing of it');

      // Approved comments carry no such field, even to their author.
      const approved = (await app.post(story, yossi.token, 'No link here')).json.comment;
      assert.equal(approved.status, 'approved');
      assert.equal(approved.held, undefined);
    });
  });
}
