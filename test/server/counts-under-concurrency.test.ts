/**
 * Counts stay exact when many readers write to one story at once. Thirty signed-in readers and two
 * moderators send several hundred requests through the HTTP API in concurrent batches: top-level
 * comments and replies (nested to the maximum depth and flattened past it), some held for review
 * by a suspect word, authors deleting their own comments (with replies: a tombstone stays; without:
 * it goes, and so may an emptied tombstone above it), moderators rejecting and approving. Requests
 * in one batch race on purpose: a reply to a comment its author is deleting or a moderator
 * rejecting, two deletes of one comment, all the replies under a tombstone deleted together, a
 * delete and an approval of one held comment.
 *
 * The plan of requests is a function of the seed alone (PARLEY_TEST_SEED replays one): targets are
 * chosen from what the plan intends, never from how the races came out, so a failing seed sends
 * the same requests again (their interleaving may differ).
 *
 * The counting rule, as src/store/comments.ts keeps it:
 *
 * - `stories.comment_count` counts the story's comments with status 'approved' and no deleted_at.
 *   insertComment adds one for an approved comment; approval and rejection move it by one
 *   (moveCounts); removeComment takes one off for an approved comment whether it leaves a tombstone
 *   or not. A tombstone (approved, deleted_at set) is therefore not counted, nor are pending,
 *   rejected and deleted comments.
 * - `comments.reply_count` counts the comments whose thread_parent_id is the comment and whose
 *   status is 'approved', tombstones included: a tombstone keeps its place under its thread parent
 *   (removeComment leaves the parent's reply_count alone when it keeps one), and only when it is
 *   dropped (dropEmptyTombstones sets status 'deleted') does the parent's reply_count go down. The
 *   comment's own status does not matter: replies under a rejected comment still count there.
 *
 * Asserted at the end: the story's count (the column, GET /stories/:id and the thread page) and
 * every comment's reply_count (the column, and the API's replyCount for top-level comments) follow
 * the rule; every acknowledged post (201) is on the story exactly once and nothing else is; every
 * acknowledged delete left its comment deleted; the story's live event log is numbered 1..last_seq
 * with no gap and no duplicate.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seededRandom } from '../../src/domain/seeded-random.ts';
import {
  createTestApp,
  RELAXED_MODERATION,
  type ApiResponse,
  type TestApp,
} from '../helpers/app.ts';
import { testEngines } from '../helpers/engines.ts';
import { signedInWriters } from '../helpers/writers.ts';

const SEED = Number(process.env.PARLEY_TEST_SEED ?? 20_260_101);
const READERS = 30;
const ROUNDS = 12;
const BATCH = 36;
const MAX_DEPTH = 3;
/** A word the test site holds for review: a post containing it is pending. */
const HELD_WORD = 'quibble';

/** Stands in for the response of a request not sent (its target's post was refused). */
const skipped: ApiResponse = { status: 0, json: undefined, headers: {}, text: '' };

type Intended = 'approved' | 'pending' | 'rejected' | 'deleted';

/** A comment the plan posts; `id` is filled in once (and if) the post is acknowledged. */
interface Slot {
  n: number;
  round: number;
  author: number;
  parent: Slot | null;
  /** Where it is shown: under its parent, or beside it past the maximum depth. */
  threadParent: Slot | null;
  depth: number;
  body: string;
  state: Intended;
  /** The comments shown under it (by thread parent). */
  replies: Slot[];
  id?: string;
}

type Op =
  | { kind: 'post'; slot: Slot }
  | { kind: 'delete'; target: Slot }
  | { kind: 'reject'; target: Slot; moderator: number }
  | { kind: 'approve'; target: Slot; moderator: number };

/** The plan: batches of operations, chosen from the seed and the plan's own intentions. */
function plan(seed: number): Op[][] {
  const next = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(next() * items.length)];
  const slots: Slot[] = [];
  const batches: Op[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Targets come from earlier rounds, as they stood when the round began: several requests of
    // one batch may well aim at the same comment.
    const earlier = slots.filter((s) => s.round < round);
    const published = earlier.filter((s) => s.state === 'approved');
    // Has replies posted before this round that the plan means to publish.
    const answered = (s: Slot) => s.replies.some((r) => r.round < round && r.state === 'approved');
    const ops: Op[] = [];
    const effects: (() => void)[] = [];
    while (ops.length < BATCH) {
      const roll = next();
      const newSlot = (parent: Slot | null): Slot => {
        const author = Math.floor(next() * READERS);
        const held = next() < 0.15;
        const n = slots.length;
        const slot: Slot = {
          n,
          round,
          author,
          parent,
          depth: parent ? Math.min(parent.depth + 1, MAX_DEPTH) : 0,
          body: `comment ${n} by reader ${author}${held ? ` (a ${HELD_WORD})` : ''}`,
          state: held ? 'pending' : 'approved',
          threadParent: parent && parent.depth >= MAX_DEPTH ? parent.threadParent : parent,
          replies: [],
        };
        slots.push(slot);
        slot.threadParent?.replies.push(slot);
        return slot;
      };
      if (roll < 0.22 || published.length === 0) {
        ops.push({ kind: 'post', slot: newSlot(null) });
      } else if (roll < 0.6) {
        // Often a reply to one of the deepest comments, so that chains reach the maximum depth
        // and replies past it are flattened.
        const which = next();
        const deep = published.filter((s) => s.depth >= MAX_DEPTH - 1);
        const parent =
          which < 0.4
            ? (pick(deep) ?? pick(published))
            : which < 0.7
              ? pick(published.slice(-12))
              : pick(published);
        if (parent) ops.push({ kind: 'post', slot: newSlot(parent) });
      } else if (roll < 0.66) {
        // The replies left under a deleted reply are all deleted at once, by their authors: the
        // last to go drops the tombstone, which its own thread parent stops counting.
        const tombstone = pick(
          earlier.filter((s) => s.state === 'deleted' && s.threadParent !== null && answered(s)),
        );
        if (!tombstone) continue;
        const under = tombstone.replies.filter((r) => r.round < round && r.state !== 'deleted');
        for (const target of under) {
          ops.push({ kind: 'delete', target });
          effects.push(() => (target.state = 'deleted'));
        }
      } else if (roll < 0.82) {
        // Half the deletes go to comments with replies (tombstones), half to any.
        const alive = earlier.filter((s) => s.state !== 'deleted');
        const withReplies = alive.filter(answered);
        const target = next() < 0.5 ? pick(withReplies) : pick(alive);
        if (!target) continue;
        ops.push({ kind: 'delete', target });
        // Now and then the author clicks twice.
        if (next() < 0.1) ops.push({ kind: 'delete', target });
        effects.push(() => (target.state = 'deleted'));
      } else if (roll < 0.9) {
        const target = next() < 0.5 ? pick(published.filter(answered)) : pick(published);
        if (!target) continue;
        ops.push({ kind: 'reject', target, moderator: Math.floor(next() * 2) });
        effects.push(() => (target.state = 'rejected'));
      } else {
        const waiting = earlier.filter((s) => s.state === 'pending' || s.state === 'rejected');
        const target = pick(waiting);
        if (!target) continue;
        ops.push({ kind: 'approve', target, moderator: Math.floor(next() * 2) });
        effects.push(() => (target.state = 'approved'));
      }
    }
    for (const effect of effects) effect();
    batches.push(ops);
  }
  return batches;
}

for (const engine of await testEngines()) {
  describe(`counts under concurrency (${engine})`, () => {
    let app: TestApp;
    let readers: string[];
    let moderators: string[];
    let storyId: string;

    before(async () => {
      // Every reader posts from 127.0.0.1 through inject: the per-account and per-address write
      // limits are raised, and the flood guards of the moderation pipeline are off.
      app = await createTestApp(
        engine,
        { PARLEY_WRITE_RATE_LIMIT: '100000', PARLEY_MAX_DEPTH: String(MAX_DEPTH) },
        {
          moderation: {
            ...RELAXED_MODERATION,
            wordList: [{ term: HELD_WORD, strength: 'suspect' }],
          },
        },
      );
      readers = await signedInWriters(app.store, READERS, 'counts-reader-');
      moderators = [await app.admin(), await app.admin()];
      storyId = await app.story('counts-under-concurrency');
    });
    after(async () => app.close());

    it(`counts stay exact after concurrent posts and deletions (seed ${SEED})`, async (t) => {
      const replay = `replay with PARLEY_TEST_SEED=${SEED}`;
      const statuses = new Map<string, number>();
      const note = (kind: string, response: ApiResponse) => {
        const key = `${kind} ${response.status}${response.status >= 400 ? ` ${response.json?.error?.code}` : ''}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
      };
      const acknowledged = new Map<string, Slot>();
      const deletedIds = new Set<string>();
      const depths = new Set<number>();
      let flattened = 0;
      const tombstones = new Set<string>();
      let removedOutright = 0;

      async function run(op: Op): Promise<void> {
        if (op.kind === 'post') {
          const { slot } = op;
          if (slot.parent && !slot.parent.id) return note('reply skipped', skipped);
          const response = await app.post(
            storyId,
            readers[slot.author] as string,
            slot.body,
            slot.parent?.id,
          );
          note(slot.parent ? 'reply' : 'post', response);
          if (response.status === 201) {
            const comment = response.json.comment;
            slot.id = comment.id as string;
            acknowledged.set(slot.id, slot);
            depths.add(comment.depth as number);
            if (comment.parentId !== comment.threadParentId) flattened++;
          }
          return;
        }
        const id = op.target.id;
        if (!id) return note(`${op.kind} skipped`, skipped);
        if (op.kind === 'delete') {
          const response = await app.request({
            method: 'DELETE',
            url: `/api/v1/comments/${id}`,
            token: readers[op.target.author],
          });
          note('delete', response);
          if (response.status === 200) {
            deletedIds.add(id);
            if (response.json.comment) tombstones.add(id);
            else removedOutright++;
          }
          return;
        }
        const response = await app.request({
          method: 'POST',
          url: `/api/v1/admin/comments/${id}/${op.kind}`,
          token: moderators[op.moderator],
          ...(op.kind === 'reject' && { body: { reason: 'ABUSE' } }),
        });
        note(op.kind, response);
      }

      const started = Date.now();
      const batches = plan(SEED);
      for (const batch of batches) await Promise.all(batch.map(run));
      const elapsed = Date.now() - started;
      const summary = [...statuses].sort().map(([key, n]) => `${key}: ${n}`);
      t.diagnostic(`${batches.flat().length} operations in ${elapsed} ms; ${summary.join(', ')}`);
      t.diagnostic(`${tombstones.size} deletes left a tombstone, ${flattened} replies flattened`);

      // Nothing failed but refusals of what the races made impossible (4xx) or BUSY (503: a
      // deadlock PostgreSQL broke, the whole transaction rolled back), and no limit was hit.
      const failed = summary.filter(
        (line) => /^\S+ (5\d\d|429)/.test(line) && !/ 503 BUSY/.test(line),
      );
      assert.deepEqual(failed, [], `no server errors, no rate limits (${replay})`);

      const rows = await app.store.db
        .selectFrom('comments')
        .select(['id', 'thread_parent_id', 'status', 'deleted_at', 'reply_count', 'body'])
        .where('story_id', '=', storyId)
        .execute();

      // The run did what it claims to exercise.
      for (let depth = 0; depth <= MAX_DEPTH; depth++) {
        assert.ok(depths.has(depth), `a comment posted at depth ${depth} (${replay})`);
      }
      assert.ok(flattened > 0, `a reply flattened past the maximum depth (${replay})`);
      assert.ok(tombstones.size > 0, `a delete left a tombstone (${replay})`);
      assert.ok(removedOutright > 0, `a delete removed a comment outright (${replay})`);
      assert.ok((statuses.get('approve 200') ?? 0) > 0, `a moderator approved (${replay})`);
      assert.ok((statuses.get('reject 200') ?? 0) > 0, `a moderator rejected (${replay})`);
      assert.ok(
        [...acknowledged.values()].some((s) => s.body.includes(HELD_WORD)),
        `a post was held for review (${replay})`,
      );

      const dropped = rows.filter(
        (r) => tombstones.has(r.id) && r.status === 'deleted' && r.thread_parent_id !== null,
      );
      assert.ok(
        dropped.length > 0,
        `a tombstone under a comment went with its last reply (${replay})`,
      );
      t.diagnostic(`${dropped.length} tombstones under comments dropped with their last reply`);

      // Every acknowledged post is on the story exactly once, and nothing else is.
      const stored = new Map<string, number>();
      for (const row of rows) stored.set(row.id, (stored.get(row.id) ?? 0) + 1);
      const missing = [...acknowledged.keys()].filter((id) => stored.get(id) !== 1);
      assert.deepEqual(missing, [], `every acknowledged post stored exactly once (${replay})`);
      const unexpected = rows.filter((r) => !acknowledged.has(r.id)).map((r) => r.id);
      assert.deepEqual(unexpected, [], `no comment but the acknowledged ones (${replay})`);
      assert.deepEqual(
        rows
          .filter((r) => r.deleted_at === null)
          .filter((r) => r.body !== acknowledged.get(r.id)?.body)
          .map((r) => r.id),
        [],
        `each stored comment holds the text posted for it (${replay})`,
      );
      const undeleted = [...deletedIds].filter(
        (id) => rows.find((r) => r.id === id)?.deleted_at == null,
      );
      assert.deepEqual(undeleted, [], `every acknowledged delete stuck (${replay})`);

      // The story's count: approved and not deleted (tombstones do not count).
      const published = rows.filter((r) => r.status === 'approved' && r.deleted_at === null);
      const story = await app.store.db
        .selectFrom('stories')
        .select('comment_count')
        .where('id', '=', storyId)
        .executeTakeFirstOrThrow();
      assert.equal(
        Number(story.comment_count),
        published.length,
        `stories.comment_count (${replay})`,
      );
      const shown = await app.request({ method: 'GET', url: `/api/v1/stories/${storyId}` });
      assert.equal(shown.status, 200, shown.text);
      assert.equal(shown.json.story.commentCount, published.length, `GET /stories/:id (${replay})`);

      // Every comment's replies: approved children by thread parent, tombstones included.
      const expectedReplies = new Map<string, number>();
      for (const row of rows) {
        if (row.thread_parent_id !== null && row.status === 'approved') {
          expectedReplies.set(
            row.thread_parent_id,
            (expectedReplies.get(row.thread_parent_id) ?? 0) + 1,
          );
        }
      }
      const wrongReplies = rows
        .filter((r) => r.reply_count !== (expectedReplies.get(r.id) ?? 0))
        .map(
          (r) =>
            `${r.id} (${r.status}${r.deleted_at ? ', deleted' : ''}): reply_count ${r.reply_count}, ` +
            `${expectedReplies.get(r.id) ?? 0} approved replies`,
        );
      assert.deepEqual(wrongReplies, [], `every reply_count (${replay})`);

      // As the API reports them: the thread's count and each top-level comment's replies.
      const byId = new Map(rows.map((r) => [r.id, r]));
      let cursor: string | null = '';
      let topLevel = 0;
      while (cursor !== null) {
        const query: string = `sort=oldest&limit=50${cursor ? `&cursor=${cursor}` : ''}`;
        const page = await app.request({
          method: 'GET',
          url: `/api/v1/stories/${storyId}/comments?${query}`,
        });
        assert.equal(page.status, 200, page.text);
        assert.equal(page.json.story.commentCount, published.length, `thread page (${replay})`);
        for (const comment of page.json.comments as { id: string; replyCount: number }[]) {
          topLevel++;
          assert.ok(byId.has(comment.id));
          assert.equal(
            comment.replyCount,
            expectedReplies.get(comment.id) ?? 0,
            `replyCount of ${comment.id} (${replay})`,
          );
        }
        cursor = page.json.nextCursor;
      }
      assert.equal(
        topLevel,
        rows.filter((r) => r.thread_parent_id === null && r.status === 'approved').length,
        `the thread lists every top-level comment readers see (${replay})`,
      );

      // The live event log: 1..last_seq, each once.
      const events = await app.store.db
        .selectFrom('live_events')
        .select('seq')
        .where('story_id', '=', storyId)
        .orderBy('seq')
        .execute();
      const stream = await app.store.db
        .selectFrom('live_streams')
        .select('last_seq')
        .where('story_id', '=', storyId)
        .executeTakeFirstOrThrow();
      const lastSeq = Number(stream.last_seq);
      assert.ok(lastSeq >= acknowledged.size, `an event for every post at least (${replay})`);
      assert.deepEqual(
        events.map((e) => Number(e.seq)),
        Array.from({ length: lastSeq }, (_, i) => i + 1),
        `live events numbered 1..${lastSeq} without gap or duplicate (${replay})`,
      );
    });
  });
}
