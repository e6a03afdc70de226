/**
 * storeNewComment builds the new comment's record instead of reading it back, and on PostgreSQL
 * writes everything in one statement: what it answers must be what the database then holds, on
 * every engine: the record (as getComment reads it), the events (as a replay reads them), the
 * counts, the audit log's entry; and a reply to a comment deleted meanwhile is refused, with
 * nothing written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { commentEventRows } from '../../src/live/record.ts';
import { placeReply } from '../../src/domain/thread.ts';
import {
  deleteComment,
  getComment,
  storeNewComment,
  type NewComment,
  type StoredModeration,
} from '../../src/store/comments.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { lastLiveSeq, readLiveEvents, storyCommentCount } from '../../src/store/live-events.ts';
import { migrate } from '../../src/store/migrate.ts';
import type { CommentRecord, User } from '../../src/store/rows.ts';
import { insertSite } from '../../src/store/sites.ts';
import { findOrInsertStory } from '../../src/store/stories.ts';
import { insertUser } from '../../src/store/users.ts';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/engines.ts';

const MAX_DEPTH = 1;

const moderation = (decidedBy: string | null): StoredModeration => ({
  decidedBy,
  reasons: decidedBy ? [{ code: 'WORD_LIST', message: 'A word on the site’s list.' }] : [],
  scores: { toxicity: 0.12 },
  tags: [],
});

for (const engine of await testEngines()) {
  describe(`storeNewComment (${engine})`, () => {
    let database: TestDatabase;
    let store: Store;
    let siteId: string;
    let storyId: string;
    let alice: User;
    let bob: User;

    before(async () => {
      database = await createTestDatabase(engine);
      store = openStore(database.config);
      await migrate(store);
      const site = await insertSite(store.db, {
        name: 'New comments',
        allowedOrigins: ['https://news.example'],
        editWindowSeconds: 300,
        maxDepth: MAX_DEPTH,
      });
      siteId = site.id;
      storyId = (
        await findOrInsertStory(store.db, site.id, {
          externalId: 'new',
          url: 'https://news.example/new',
        })
      ).story.id;
      const user = async (name: string, role: User['role']) => {
        const made = await insertUser(store.db, {
          email: `${name.toLowerCase()}@example.com`,
          displayName: name,
          passwordHash: null,
          role,
        });
        assert.ok(made);
        return made;
      };
      alice = await user('Alice', 'commenter');
      bob = await user('Bob', 'staff');
    });

    after(async () => {
      await store?.close();
      await database?.drop();
    });

    /** Posts as `author`, replying to `parent` where given, placed as the service places it. */
    async function post(
      author: User,
      parent: CommentRecord | null,
      fields: Partial<NewComment> = {},
    ) {
      const place = parent
        ? placeReply(parent, MAX_DEPTH)
        : { threadParentId: null, depth: 0, flattened: false };
      return storeNewComment(
        store,
        {
          siteId,
          storyId,
          parentId: parent?.id ?? null,
          threadParentId: place.threadParentId,
          depth: place.depth,
          authorId: author.id,
          body: `Written by ${author.displayName}: "quotes", <tags> & 'apostrophes' — ünïcödé.`,
          html: '<p>Written.</p>',
          status: 'approved',
          moderation: moderation(null),
          ...fields,
        },
        {
          authorName: author.displayName,
          authorRole: author.role,
          replyToName: parent?.authorName ?? null,
        },
        (comment) => commentEventRows(null, comment),
      );
    }

    /** The answer matches the database: the record, the events, in order and numbered. */
    async function assertStored(posted: Awaited<ReturnType<typeof post>>) {
      assert.ok(posted);
      assert.deepEqual(posted.comment, await getComment(store.db, posted.comment.id));
      const first = posted.events[0];
      assert.ok(first, 'a new comment has events');
      const replay = await readLiveEvents(store.db, storyId, first.seq - 1, posted.events.length);
      assert.deepEqual(
        posted.events.map(({ seq, kind, audience, data, commentId }) => ({
          seq,
          kind,
          audience,
          data: JSON.parse(data) as unknown,
          commentId,
        })),
        replay.map(({ seq, kind, audience, data, commentId }) => ({
          seq,
          kind,
          audience,
          data: JSON.parse(data) as unknown,
          commentId,
        })),
      );
      return posted.comment;
    }

    it('answers what it stored: a comment, a reply, a flattened reply, held and rejected ones', async () => {
      const top = await assertStored(await post(alice, null));
      const reply = await assertStored(await post(bob, top));
      const flattened = await assertStored(await post(alice, reply));
      assert.equal(flattened.threadParentId, top.id);
      assert.equal(flattened.replyToName, 'Bob', 'a flattened reply names whom it answers');
      const held = await assertStored(
        await post(bob, null, { status: 'pending', moderation: moderation('wordList') }),
      );
      const rejected = await assertStored(
        await post(alice, null, { status: 'rejected', moderation: moderation('wordList') }),
      );
      assert.deepEqual(rejected.rejection, { code: 'OTHER', note: 'A word on the site’s list.' });
      assert.equal(held.status, 'pending');

      // Counts: three published, two replies under the top comment; the events numbered 1…n.
      assert.equal(await storyCommentCount(store.db, storyId), 3);
      assert.equal((await getComment(store.db, top.id))?.replyCount, 2);
      const all = await readLiveEvents(store.db, storyId, 0, 100);
      assert.deepEqual(
        all.map((e) => e.seq),
        all.map((_, i) => i + 1),
      );
      assert.equal(all.length, await lastLiveSeq(store.db, storyId));
      const counts = all
        .filter((e) => e.kind === 'count')
        .map((e) => JSON.parse(e.data) as unknown);
      assert.deepEqual(
        counts,
        [1, 2, 3].map((commentCount) => ({ storyId, commentCount })),
      );

      // Every post is in the audit log, as the pipeline's decision.
      const logged = await store.db
        .selectFrom('moderation_actions')
        .select(['comment_id', 'action'])
        .where('site_id', '=', siteId)
        .execute();
      assert.deepEqual(
        new Map(logged.map((a) => [a.comment_id, a.action])),
        new Map([
          [top.id, 'pipeline.approve'],
          [reply.id, 'pipeline.approve'],
          [flattened.id, 'pipeline.approve'],
          [held.id, 'pipeline.hold'],
          [rejected.id, 'pipeline.reject'],
        ]),
      );
    });

    it('refuses a reply to a comment deleted meanwhile, and writes nothing', async () => {
      const parent = await assertStored(await post(alice, null));
      assert.ok(await deleteComment(store.db, parent.id));
      const count = await storyCommentCount(store.db, storyId);
      const lastSeq = await lastLiveSeq(store.db, storyId);
      const comments = await store.db.selectFrom('comments').select('id').execute();
      assert.equal(await post(bob, parent), undefined);
      assert.equal(await storyCommentCount(store.db, storyId), count);
      assert.equal(await lastLiveSeq(store.db, storyId), lastSeq);
      assert.equal(
        (await store.db.selectFrom('comments').select('id').execute()).length,
        comments.length,
      );
    });
  });
}
