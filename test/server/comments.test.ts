/**
 * The reader's journey through the API on every engine: post, reply (flattened past the maximum
 * depth), edit within the window, delete (tombstones), react, report, sort, paginate, counts, and
 * who may do what.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { insertComment } from '../../src/store/comments.ts';
import { createTestApp, type TestApp } from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';

for (const engine of await testEngines()) {
  describe(`comments API (${engine})`, () => {
    let app: TestApp;
    let rana: { token: string; id: string };
    let yossi: { token: string; id: string };
    /** A third reader, for reactions: an author may not react to their own comment. */
    let noor: { token: string; id: string };

    before(async () => {
      app = await createTestApp(engine, { PARLEY_MAX_DEPTH: '2', PARLEY_WRITE_RATE_LIMIT: '1000' });
      rana = await app.signup('Rana');
      yossi = await app.signup('Yossi');
      noor = await app.signup('Noor');
    });
    after(async () => app.close());

    const thread = (storyId: string, query = '', token?: string) =>
      app.request({ method: 'GET', url: `/api/v1/stories/${storyId}/comments${query}`, token });

    it('posts a comment that is on disk and listed, with its author and rendered html', async () => {
      const story = await app.story();
      const posted = await app.post(story, rana.token, 'Talks in *Beijing*');
      assert.equal(posted.status, 201);
      assert.equal(posted.json.comment.html, '<p>Talks in <em>Beijing</em></p>');
      assert.equal(posted.json.comment.author.displayName, 'Rana');
      assert.equal(posted.json.comment.body, 'Talks in *Beijing*');
      assert.ok(posted.json.comment.editableUntil);

      const row = await app.store.db
        .selectFrom('comments')
        .select(['body', 'status'])
        .where('id', '=', posted.json.comment.id)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, { body: 'Talks in *Beijing*', status: 'approved' });

      const page = await thread(story);
      assert.equal(page.status, 200);
      assert.equal(page.json.story.commentCount, 1);
      assert.deepEqual(
        page.json.comments.map((c: { id: string }) => c.id),
        [posted.json.comment.id],
      );
      assert.equal(page.json.comments[0].body, undefined, 'source is only shown to its author');
    });

    it('nests replies to the maximum depth and flattens deeper ones, naming whom they answer', async () => {
      const story = await app.story();
      const top = (await app.post(story, rana.token, 'top')).json.comment;
      const r1 = (await app.post(story, yossi.token, 'depth 1', top.id)).json.comment;
      const r2 = (await app.post(story, rana.token, 'depth 2', r1.id)).json.comment;
      const r3 = (await app.post(story, yossi.token, 'would be depth 3', r2.id)).json.comment;
      assert.deepEqual([top.depth, r1.depth, r2.depth, r3.depth], [0, 1, 2, 2]);
      assert.equal(r2.threadParentId, r1.id);
      assert.equal(r3.threadParentId, r1.id, 'flattened beside the comment it answers');
      assert.equal(r3.parentId, r2.id);
      assert.equal(r3.replyToName, 'Rana');

      const page = await thread(story);
      assert.equal(page.json.story.commentCount, 4);
      const [first] = page.json.comments;
      assert.equal(first.replyCount, 1);
      assert.deepEqual(
        first.replies.map((c: { id: string }) => c.id),
        [r1.id],
      );
      assert.equal(first.replies[0].replyCount, 2);

      const deeper = await app.request({ method: 'GET', url: `/api/v1/comments/${r1.id}/replies` });
      assert.deepEqual(
        deeper.json.comments.map((c: { id: string }) => c.id),
        [r2.id, r3.id],
      );
      assert.equal(deeper.json.nextCursor, null);
    });

    it('pages through every top-level comment exactly once in each sort order', async () => {
      const story = await app.story();
      const ids: string[] = [];
      for (let i = 0; i < 7; i++)
        ids.push((await app.post(story, rana.token, `c${i}`)).json.comment.id);
      // Give comment 2 three replies and comment 5 one, and reactions to 4 (two) and 1 (one).
      for (let i = 0; i < 3; i++) await app.post(story, yossi.token, `r${i}`, ids[2]);
      await app.post(story, yossi.token, 'r', ids[5]);
      for (const [id, token] of [
        [ids[4], noor.token],
        [ids[4], yossi.token],
        [ids[1], yossi.token],
      ]) {
        const reacted = await app.request({
          method: 'PUT',
          url: `/api/v1/comments/${id}/reaction`,
          token,
        });
        assert.equal(reacted.status, 200);
      }

      async function walk(sort: string): Promise<string[]> {
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const query: string = `?sort=${sort}&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
          const page = await thread(story, query);
          assert.equal(page.status, 200, page.text);
          assert.ok(page.json.comments.length <= 3);
          seen.push(...page.json.comments.map((c: { id: string }) => c.id));
          cursor = page.json.nextCursor;
        } while (cursor);
        return seen;
      }
      assert.deepEqual(await walk('oldest'), ids);
      assert.deepEqual(await walk('newest'), [...ids].reverse());
      const byReplies = await walk('replies');
      assert.deepEqual(byReplies.slice(0, 2), [ids[2], ids[5]]);
      assert.deepEqual(new Set(byReplies), new Set(ids));
      const byReactions = await walk('reactions');
      assert.deepEqual(byReactions.slice(0, 2), [ids[4], ids[1]]);
      assert.equal(byReactions.length, ids.length);
    });

    it('loads more replies by cursor after the first three', async () => {
      const story = await app.story();
      const top = (await app.post(story, rana.token, 'popular')).json.comment;
      const replies: string[] = [];
      for (let i = 0; i < 8; i++) {
        replies.push((await app.post(story, yossi.token, `reply ${i}`, top.id)).json.comment.id);
      }
      const page = await thread(story);
      const first = page.json.comments[0];
      assert.deepEqual(
        first.replies.map((c: { id: string }) => c.id),
        replies.slice(0, 3),
      );
      assert.ok(first.repliesCursor);
      const rest = await app.request({
        method: 'GET',
        url: `/api/v1/comments/${top.id}/replies?limit=3&cursor=${first.repliesCursor}`,
      });
      assert.deepEqual(
        rest.json.comments.map((c: { id: string }) => c.id),
        replies.slice(3, 6),
      );
      const last = await app.request({
        method: 'GET',
        url: `/api/v1/comments/${top.id}/replies?limit=3&cursor=${rest.json.nextCursor}`,
      });
      assert.deepEqual(
        last.json.comments.map((c: { id: string }) => c.id),
        replies.slice(6),
      );
      assert.equal(last.json.nextCursor, null);
    });

    it('serves reply pages from the page cache until the story changes', async () => {
      const story = await app.story();
      const top = (await app.post(story, rana.token, 'A comment with a long thread')).json.comment;
      const first = (await app.post(story, yossi.token, 'first reply', top.id)).json.comment;
      const replies = (token?: string, headers?: Record<string, string>) =>
        app.request({ method: 'GET', url: `/api/v1/comments/${top.id}/replies`, token, headers });
      const ids = (page: { json: { comments: { id: string }[] } }) =>
        page.json.comments.map((c) => c.id);

      const page = await replies();
      assert.equal(page.status, 200);
      assert.deepEqual(ids(page), [first.id]);
      const etag = page.headers.etag as string;
      assert.ok(etag, 'an anonymous reply page has an ETag');
      const again = await replies(undefined, { 'if-none-match': etag });
      assert.equal(again.status, 304, 'and is not sent again unchanged');

      // Each write to the story is seen at once, though the cached page is still in its TTL.
      const second = (await app.post(story, rana.token, 'second reply', top.id)).json.comment;
      const grown = await replies(undefined, { 'if-none-match': etag });
      assert.equal(grown.status, 200);
      assert.deepEqual(ids(grown), [first.id, second.id]);
      assert.notEqual(grown.headers.etag, etag);
      const reacted = await app.request({
        method: 'PUT',
        url: `/api/v1/comments/${second.id}/reaction`,
        token: yossi.token,
      });
      assert.equal(reacted.status, 200);
      const mine = await replies(yossi.token);
      assert.equal(mine.json.comments[1].reactionCount, 1);
      assert.equal(
        mine.json.comments[1].viewer.reacted,
        true,
        'a signed-in reader gets their marks',
      );
      assert.equal(mine.headers.etag, undefined, 'which are not in the shared bytes');
      assert.equal((await replies()).json.comments[1].viewer.reacted, false);

      // Once the comment is unpublished its replies are the author's alone to see.
      const admin = await app.admin();
      const rejected = await app.request({
        method: 'POST',
        url: `/api/v1/admin/comments/${top.id}/reject`,
        token: admin,
        body: { reason: 'SPAM' },
      });
      assert.equal(rejected.status, 200, rejected.text);
      assert.equal((await replies()).status, 404);
      assert.equal((await replies(yossi.token)).status, 404);
      const own = await replies(rana.token);
      assert.equal(own.status, 200);
      assert.deepEqual(ids(own), [first.id, second.id]);
      assert.equal((await replies()).status, 404, 'and the author’s page is not kept for others');
    });

    it('lets authors edit their own comments only, and only within the edit window', async () => {
      const story = await app.story();
      const comment = (await app.post(story, rana.token, 'frist')).json.comment;
      const edit = (token: string | undefined, body: string) =>
        app.request({
          method: 'PATCH',
          url: `/api/v1/comments/${comment.id}`,
          token,
          body: { body },
        });

      assert.equal((await edit(undefined, 'x')).json.error.code, 'UNAUTHENTICATED');
      const stranger = await edit(yossi.token, 'hijacked');
      assert.equal(stranger.status, 403);
      assert.equal(stranger.json.error.code, 'FORBIDDEN');

      const fixed = await edit(rana.token, 'first, **fixed**');
      assert.equal(fixed.status, 200);
      assert.equal(fixed.json.comment.html, '<p>first, <strong>fixed</strong></p>');
      assert.ok(fixed.json.comment.editedAt);

      await app.store.db
        .updateTable('comments')
        .set({ created_at: new Date(Date.now() - 301_000).toISOString() })
        .where('id', '=', comment.id)
        .execute();
      const late = await edit(rana.token, 'too late');
      assert.equal(late.status, 403);
      assert.equal(late.json.error.code, 'EDIT_WINDOW_CLOSED');
      const page = await thread(story, '', rana.token);
      assert.equal(page.json.comments[0].html, '<p>first, <strong>fixed</strong></p>');
      assert.equal(page.json.comments[0].editableUntil, null);
    });

    it('keeps a deleted comment with replies as a tombstone and drops one without', async () => {
      const story = await app.story();
      const parent = (await app.post(story, rana.token, 'parent')).json.comment;
      const reply = (await app.post(story, yossi.token, 'reply', parent.id)).json.comment;
      const lonely = (await app.post(story, rana.token, 'lonely')).json.comment;
      const remove = (id: string, token: string) =>
        app.request({ method: 'DELETE', url: `/api/v1/comments/${id}`, token });

      assert.equal((await remove(parent.id, yossi.token)).status, 403);
      const tomb = await remove(parent.id, rana.token);
      assert.equal(tomb.status, 200);
      assert.equal(tomb.json.comment.deleted, true);
      const gone = await remove(lonely.id, rana.token);
      assert.equal(gone.status, 200);
      assert.equal(gone.json.comment, null, 'a comment without replies leaves no tombstone');

      const page = await thread(story);
      assert.deepEqual(
        page.json.comments.map((c: { id: string }) => c.id),
        [parent.id],
      );
      const [shown] = page.json.comments;
      assert.equal(shown.deleted, true);
      assert.equal(shown.html, '');
      assert.equal(shown.author, null);
      assert.deepEqual(
        shown.replies.map((c: { id: string }) => c.id),
        [reply.id],
      );
      assert.equal(page.json.story.commentCount, 1, 'only the reply still counts');

      const stored = await app.store.db
        .selectFrom('comments')
        .select('body')
        .where('id', '=', parent.id)
        .executeTakeFirstOrThrow();
      assert.equal(stored.body, '', 'the deleted text is erased, not hidden');
      assert.equal((await remove(lonely.id, rana.token)).json.error.code, 'COMMENT_NOT_FOUND');
      const replyToTomb = await app.post(story, yossi.token, 'late reply', parent.id);
      assert.equal(replyToTomb.json.error.code, 'COMMENT_DELETED');

      assert.equal((await remove(reply.id, yossi.token)).json.comment, null);
      const emptied = await thread(story);
      assert.deepEqual(emptied.json.comments, [], 'a tombstone goes with its last reply');
      assert.equal(emptied.json.story.commentCount, 0);
    });

    it('counts a comment deleted twice at once only once', async () => {
      const story = await app.story();
      const keep = (await app.post(story, rana.token, 'stays')).json.comment;
      const twice = (await app.post(story, rana.token, 'deleted from two tabs')).json.comment;
      const results = await Promise.all(
        [1, 2].map(() =>
          app.request({ method: 'DELETE', url: `/api/v1/comments/${twice.id}`, token: rana.token }),
        ),
      );
      const statuses = results.map((r) => r.status).sort();
      assert.equal(statuses[0], 200);
      assert.ok([200, 404, 409, 410].includes(statuses[1]!), `second delete: ${statuses[1]}`);
      const page = await thread(story);
      assert.equal(page.json.story.commentCount, 1);
      assert.deepEqual(
        page.json.comments.map((c: { id: string }) => c.id),
        [keep.id],
      );
    });

    it('counts a reaction once per reader and takes it back', async () => {
      const story = await app.story();
      const comment = (await app.post(story, rana.token, 'react to me')).json.comment;
      const react = (method: 'PUT' | 'DELETE', token?: string) =>
        app.request({ method, url: `/api/v1/comments/${comment.id}/reaction`, token });

      assert.equal((await react('PUT')).status, 401);
      assert.deepEqual((await react('PUT', yossi.token)).json, { reactionCount: 1, reacted: true });
      assert.deepEqual((await react('PUT', yossi.token)).json, { reactionCount: 1, reacted: true });
      assert.deepEqual((await react('PUT', noor.token)).json, { reactionCount: 2, reacted: true });
      const seen = await thread(story, '', yossi.token);
      assert.equal(seen.json.comments[0].viewer.reacted, true);
      assert.deepEqual((await react('DELETE', yossi.token)).json, {
        reactionCount: 1,
        reacted: false,
      });
      assert.deepEqual((await react('DELETE', yossi.token)).json, {
        reactionCount: 1,
        reacted: false,
      });
    });

    it('takes one report per reader with a reason, and marks it for them', async () => {
      const story = await app.story();
      const comment = (await app.post(story, rana.token, 'report me')).json.comment;
      const report = (token: string, body: unknown) =>
        app.request({ method: 'POST', url: `/api/v1/comments/${comment.id}/reports`, token, body });

      assert.equal(
        (await report(yossi.token, { reason: 'rude' })).json.error.code,
        'VALIDATION_FAILED',
      );
      assert.equal((await report(yossi.token, { reason: 'abuse', note: 'insults' })).status, 201);
      assert.equal(
        (await report(yossi.token, { reason: 'spam' })).json.error.code,
        'ALREADY_REPORTED',
      );
      const stored = await app.store.db
        .selectFrom('reports')
        .select(['reason', 'note', 'user_id'])
        .where('comment_id', '=', comment.id)
        .execute();
      assert.deepEqual(stored, [{ reason: 'abuse', note: 'insults', user_id: yossi.id }]);
      const seen = await thread(story, '', yossi.token);
      assert.equal(seen.json.comments[0].viewer.reported, true);
    });

    it('shows a pending comment to its author only', async () => {
      const story = await app.story();
      const storyRow = await app.store.db
        .selectFrom('stories')
        .select(['id', 'site_id'])
        .where('id', '=', story)
        .executeTakeFirstOrThrow();
      const held = await insertComment(app.store.db, {
        siteId: storyRow.site_id,
        storyId: story,
        parentId: null,
        threadParentId: null,
        depth: 0,
        authorId: rana.id,
        body: 'held for review',
        html: '<p>held for review</p>',
        status: 'pending',
      });
      assert.ok(held, 'the pending comment is stored');
      const own = await thread(story, '', rana.token);
      assert.deepEqual(
        own.json.pending.map((c: { id: string }) => c.id),
        [held.id],
      );
      assert.equal(own.json.comments.length, 0);
      for (const token of [yossi.token, undefined]) {
        const other = await thread(story, '', token);
        assert.deepEqual(other.json.pending, []);
        assert.equal(other.json.comments.length, 0);
      }
      const reply = await app.post(story, yossi.token, 'sneaky reply', held.id);
      assert.equal(reply.json.error.code, 'COMMENT_NOT_FOUND');
      assert.equal(own.json.story.commentCount, 0, 'pending comments are not counted');
    });

    it('returns comment counts for many stories of a site at once', async () => {
      const a = await app.story('count-a');
      await app.story('count-b');
      await app.post(a, rana.token, 'one');
      await app.post(a, yossi.token, 'two');
      const counts = await app.request({
        method: 'GET',
        url: `/api/v1/sites/${app.site.id}/counts?storyIds=count-a,count-b,never-seen&urls=https://news.example/news/count-a`,
        origin: null,
      });
      assert.equal(counts.status, 200);
      assert.deepEqual(counts.json.counts, {
        'count-a': 2,
        'count-b': 0,
        'never-seen': 0,
        'https://news.example/news/count-a': 2,
      });
    });

    it('refuses replies to a comment on another story', async () => {
      const first = await app.story();
      const second = await app.story();
      const elsewhere = (await app.post(first, rana.token, 'here')).json.comment;
      const reply = await app.post(second, yossi.token, 'there', elsewhere.id);
      assert.equal(reply.status, 404);
      assert.equal(reply.json.error.code, 'COMMENT_NOT_FOUND');
    });
  });
}
