/**
 * The moderation pipeline behind the comments API, on both engines: what a held, rejected or
 * refused comment looks like to its author and to everyone else, and what is logged.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

for (const engine of await testEngines()) {
  describe(`moderation through the API (${engine})`, () => {
    let app: TestApp;
    let rana: { token: string; id: string };
    let yossi: { token: string; id: string };
    before(async () => {
      app = await createTestApp(
        engine,
        {},
        {
          moderation: {
            premoderateNewCommenters: 1,
            wordList: [
              { term: 'idiot', strength: 'banned' },
              { term: 'traitor', strength: 'suspect' },
            ],
          },
        },
      );
      rana = await app.signup('Rana');
      yossi = await app.signup('Yossi');
    });
    after(async () => app.close());

    const page = (story: string, token?: string) =>
      app.request({ method: 'GET', url: `/api/v1/stories/${story}/comments`, token });

    it('holds a new commenter, shows the comment to its author only, and logs the decision', async () => {
      const story = await app.story();
      const posted = await app.post(story, rana.token, 'My first comment on the talks.');
      assert.equal(posted.status, 201);
      assert.equal(posted.json.comment.status, 'pending');
      const own = await page(story, rana.token);
      assert.deepEqual(
        own.json.pending.map((c: { id: string }) => c.id),
        [posted.json.comment.id],
      );
      const other = await page(story, yossi.token);
      assert.deepEqual(other.json.pending, []);
      assert.equal(other.json.comments.length, 0);
      assert.equal(other.json.story.commentCount, 0);
      const logged = await app.store.db
        .selectFrom('moderation_actions')
        .selectAll()
        .where('comment_id', '=', posted.json.comment.id)
        .execute();
      assert.equal(logged.length, 1);
      assert.equal(logged[0]?.action, 'pipeline.hold');
      assert.equal(logged[0]?.actor_id, null);
      assert.match(logged[0]?.reason ?? '', /PREMOD_NEW_COMMENTER/);
    });

    it('rejects a banned word however it is disguised, keeping it visible to its author', async () => {
      const story = await app.story();
      const posted = await app.post(story, yossi.token, 'What an 1 d 1 0 t take.');
      assert.equal(posted.status, 201);
      assert.equal(posted.json.comment.status, 'rejected');
      const stored = await app.store.db
        .selectFrom('comments')
        .select(['moderation', 'status'])
        .where('id', '=', posted.json.comment.id)
        .executeTakeFirstOrThrow();
      const moderation = JSON.parse(stored.moderation);
      assert.equal(moderation.decidedBy, 'wordList');
      assert.ok(moderation.tags.includes('word:idiot'));
      const own = await page(story, yossi.token);
      assert.equal(own.json.pending[0]?.status, 'rejected');
      // The author gets a statement of reasons for an automated rejection too.
      assert.equal(posted.json.comment.rejection?.code, 'OTHER');
      assert.match(own.json.pending[0]?.rejection?.note ?? '', /not allowed on this site/);
      assert.doesNotMatch(
        own.json.pending[0]?.rejection?.note ?? '',
        /idiot/,
        'no term given away',
      );
      assert.equal((await page(story)).json.story.commentCount, 0);
      // Even an author the pipeline would wave through (staff skip pre-moderation) only gets a
      // rejected comment looked at again by editing it.
      const staff = await app.signup('Staff writer');
      await app.store.db
        .updateTable('users')
        .set({ role: 'staff' })
        .where('id', '=', staff.id)
        .execute();
      const rejected = await app.post(story, staff.token, 'You idiot.');
      assert.equal(rejected.json.comment.status, 'rejected');
      const edited = await app.request({
        method: 'PATCH',
        url: `/api/v1/comments/${rejected.json.comment.id}`,
        token: staff.token,
        body: { body: 'What a weak take.' },
      });
      assert.equal(edited.status, 200);
      assert.equal(edited.json.comment.status, 'pending', 'an edit cannot publish a rejection');
      assert.equal(
        edited.json.comment.rejection,
        undefined,
        'back in the queue: no rejection shown',
      );
    });

    it('sends an edited comment back for review when the new text needs it', async () => {
      await app.store.db
        .updateTable('users')
        .set({ role: 'staff' })
        .where('id', '=', rana.id)
        .execute();
      const story = await app.story();
      const posted = await app.post(story, rana.token, 'A fair point about the mediation.');
      assert.equal(posted.json.comment.status, 'approved', 'staff are not pre-moderated');
      assert.equal((await page(story)).json.story.commentCount, 1);
      const edited = await app.request({
        method: 'PATCH',
        url: `/api/v1/comments/${posted.json.comment.id}`,
        token: rana.token,
        body: { body: 'On reflection the negotiator is a traitor.' },
      });
      assert.equal(edited.status, 200);
      assert.equal(edited.json.comment.status, 'pending');
      const after = await page(story);
      assert.equal(after.json.story.commentCount, 0, 'the count follows the status');
      assert.equal(after.json.comments.length, 0);
    });

    it('refuses the same text twice in the window and a banned author, storing nothing', async () => {
      const strict = await createTestApp(engine, {}, { moderation: {} });
      try {
        const story = await strict.story();
        const { token, id } = await strict.signup('Repeater');
        assert.equal((await strict.post(story, token, 'Same words.')).status, 201);
        const again = await strict.post(story, token, '  Same words.  ');
        assert.equal(again.status, 409);
        assert.equal(again.json.error.code, 'DUPLICATE_COMMENT');
        await strict.store.db
          .updateTable('users')
          .set({ banned_at: new Date().toISOString() })
          .where('id', '=', id)
          .execute();
        const banned = await strict.post(story, token, 'Something new.');
        assert.equal(banned.status, 403);
        assert.equal(banned.json.error.code, 'AUTHOR_BANNED');
        const count = await strict.store.db
          .selectFrom('comments')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('story_id', '=', story)
          .executeTakeFirstOrThrow();
        assert.equal(Number(count.n), 1);
      } finally {
        await strict.close();
      }
    });
  });
}
