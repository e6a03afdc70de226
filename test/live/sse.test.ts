/**
 * Live streams over real HTTP, on both engines: who receives what (moderation-aware audiences,
 * each in the REST API's form for that viewer), moderators' actions reaching open pages, replay
 * after a reconnect, the dashboard feed, limits and clean-up.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/engines.ts';
import { serializeRequest } from '../../src/server/app.ts';
import type { FastifyRequest } from 'fastify';
import { sleep, startLive, type LiveApp, type SseReader } from './helpers.ts';

/**
 * Polls until `condition` holds or `ms` have passed; the assertion that follows says what was
 * expected. A bound, not a wait: on a loaded machine the server may take a while to notice.
 */
async function eventually(condition: () => boolean, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await sleep(20);
}

for (const engine of await testEngines()) {
  describe(`live streams (${engine})`, () => {
    let database: TestDatabase;
    let live: LiveApp;
    let adminToken: string;
    const open: SseReader[] = [];
    const stream = async (path: string, token?: string, headers?: Record<string, string>) => {
      const reader = await live.stream(path, token, headers);
      open.push(reader);
      return reader;
    };

    before(async () => {
      database = await createTestDatabase(engine);
      live = await startLive(database, { live: { idleReleaseMs: 0 } });
      adminToken = await live.admin();
    });
    after(async () => {
      for (const reader of open) reader.close();
      await live.close();
      await database.drop();
    });

    test('readers, authors and moderators each get what they may see, as the REST API shows it', async () => {
      const storyId = await live.story('audiences');
      const poster = await live.signup('Poster');
      const held = await live.signup('Held');
      await live.call('POST', `/admin/users/${held.id}/premoderate`, adminToken, { on: true });

      const reader = await stream(`/stories/${storyId}/events`);
      assert.equal(reader.status, 200);
      assert.match(reader.headers?.get('content-type') ?? '', /^text\/event-stream/);
      assert.equal(reader.headers?.get('cache-control'), 'no-cache, no-transform');
      const posterStream = await stream(`/stories/${storyId}/events`, poster.token);
      const heldStream = await stream(`/stories/${storyId}/events`, held.token);
      const moderator = await stream(`/stories/${storyId}/events`, undefined, {
        authorization: `Bearer ${adminToken}`,
      });
      for (const s of [reader, posterStream, heldStream, moderator]) {
        await s.waitFor((e) => e.event === 'ready');
        assert.ok(s.retry !== undefined && s.retry >= 3000, 'retry: is sent');
      }

      // A published comment: everyone; its author sees their own view (source, edit window).
      const published = await live.call('POST', `/stories/${storyId}/comments`, poster.token, {
        body: 'Published at once',
      });
      const seen = await reader.waitFor((e) => e.event === 'comment.created');
      assert.equal(seen.data.comment.id, published.comment.id);
      assert.equal(seen.data.comment.status, 'approved');
      assert.equal(seen.data.comment.viewer.own, false);
      assert.equal(seen.data.comment.body, undefined);
      const own = await posterStream.waitFor((e) => e.event === 'comment.created');
      assert.deepEqual(own.data.comment, published.comment, 'the author gets the REST API view');
      const count = await reader.waitFor((e) => e.event === 'count');
      assert.deepEqual(count.data, { storyId, commentCount: 1 });

      // A held comment: its author and the moderator, not the reader.
      const pending = await live.call('POST', `/stories/${storyId}/comments`, held.token, {
        body: 'Held for review',
      });
      assert.equal(pending.comment.status, 'pending');
      const mine = await heldStream.waitFor(
        (e) => e.event === 'comment.created' && e.data.comment.id === pending.comment.id,
      );
      assert.deepEqual(mine.data.comment, pending.comment);
      const queued = await moderator.waitFor(
        (e) => e.event === 'comment.created' && e.data.comment.id === pending.comment.id,
      );
      assert.equal(queued.data.comment.status, 'pending');
      assert.equal(queued.data.comment.body, undefined);

      // Approval later reaches the reader (after nothing about the held comment before).
      await live.call('POST', `/admin/comments/${pending.comment.id}/approve`, adminToken);
      const approved = await reader.waitFor((e) => e.event === 'comment.approved');
      assert.equal(approved.data.comment.id, pending.comment.id);
      assert.equal(approved.data.comment.status, 'approved');
      const before = reader.events.slice(0, reader.events.indexOf(approved));
      assert.ok(
        !before.some((e) => JSON.stringify(e.data).includes(pending.comment.id)),
        'the reader heard nothing of the comment while it was held',
      );
      await reader.waitFor((e) => e.event === 'count' && e.data.commentCount === 2);

      // A reaction's count, to everyone.
      const fan = await live.signup('Fan');
      await live.call('PUT', `/comments/${pending.comment.id}/reaction`, fan.token);
      const reactions = await reader.waitFor((e) => e.event === 'reactions');
      assert.deepEqual(reactions.data, { commentId: pending.comment.id, reactionCount: 1 });

      // A rejection takes it off every page; its author is told why.
      const rejected = await live.call(
        'POST',
        `/admin/comments/${published.comment.id}/reject`,
        adminToken,
        { reason: 'SPAM', note: 'Links to a shop' },
      );
      const removed = await reader.waitFor((e) => e.event === 'comment.removed');
      assert.equal(removed.data.id, published.comment.id);
      assert.equal(removed.data.comment, null);
      await moderator.waitFor((e) => e.event === 'comment.removed');
      const told = await posterStream.waitFor(
        (e) => e.event === 'comment.updated' && e.data.comment.status === 'rejected',
      );
      assert.equal(told.data.comment.rejection.code, 'SPAM');
      assert.ok(!posterStream.events.some((e) => e.event === 'comment.removed'));
      await reader.waitFor((e) => e.event === 'count' && e.data.commentCount === 1);

      // Undoing the rejection publishes it again.
      await live.call('POST', `/admin/actions/${rejected.action.id}/undo`, adminToken);
      const back = await reader.waitFor(
        (e) => e.event === 'comment.approved' && e.data.comment.id === published.comment.id,
      );
      assert.equal(back.data.comment.status, 'approved');

      // Ids are the story's event numbers, increasing, each event once.
      const ids = reader.events.filter((e) => e.id !== undefined).map((e) => Number(e.id));
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
      );
      assert.equal(new Set(ids).size, ids.length);
    });

    test('an edit and a deletion by the author reach open pages', async () => {
      const storyId = await live.story('edits');
      const author = await live.signup('Editor');
      const reader = await stream(`/stories/${storyId}/events`);
      await reader.waitFor((e) => e.event === 'ready');
      const { comment } = await live.call('POST', `/stories/${storyId}/comments`, author.token, {
        body: 'First words',
      });
      await live.call('PATCH', `/comments/${comment.id}`, author.token, { body: 'Better words' });
      const edited = await reader.waitFor((e) => e.event === 'comment.updated');
      assert.match(edited.data.comment.html, /Better words/);
      await live.call('DELETE', `/comments/${comment.id}`, author.token);
      const gone = await reader.waitFor((e) => e.event === 'comment.removed');
      assert.deepEqual(
        { id: gone.data.id, comment: gone.data.comment },
        { id: comment.id, comment: null },
      );
    });

    test('a reconnect with Last-Event-ID gets what it missed, once and in order', async () => {
      const storyId = await live.story('replay');
      const author = await live.signup('Writer');
      const first = await stream(`/stories/${storyId}/events`);
      await first.waitFor((e) => e.event === 'ready');
      await live.call('POST', `/stories/${storyId}/comments`, author.token, { body: 'one' });
      await first.waitFor((e) => e.event === 'count' && e.data.commentCount === 1);
      const resumeAt = first.lastEventId;
      assert.ok(resumeAt);
      first.close();

      const missed: string[] = [];
      for (const body of ['two', 'three', 'four']) {
        const { comment } = await live.call('POST', `/stories/${storyId}/comments`, author.token, {
          body,
        });
        missed.push(comment.id);
      }
      const again = await stream(`/stories/${storyId}/events`, undefined, {
        'last-event-id': resumeAt,
      });
      await again.waitFor((e) => e.event === 'ready');
      const more = await live.call('POST', `/stories/${storyId}/comments`, author.token, {
        body: 'five, live',
      });
      await again.waitFor(
        (e) => e.event === 'comment.created' && e.data.comment.id === more.comment.id,
      );
      const created = again.events
        .filter((e) => e.event === 'comment.created')
        .map((e) => e.data.comment.id);
      assert.deepEqual(created, [...missed, more.comment.id]);
      const ids = again.events.filter((e) => e.event !== 'ready').map((e) => Number(e.id));
      assert.equal(ids[0], Number(resumeAt) + 1, 'the replay starts right after');
      for (let i = 1; i < ids.length; i++) assert.equal(ids[i], (ids[i - 1] as number) + 1);

      // An id from the future (another database) or a gap the log no longer holds: reset.
      const lost = await stream(`/stories/${storyId}/events`, undefined, {
        'last-event-id': '999999',
      });
      const reset = await lost.waitFor((e) => e.event === 'reset');
      assert.equal(reset.data.storyId, storyId);
      await live.parley.store.db
        .deleteFrom('live_events')
        .where('story_id', '=', storyId)
        .where('seq', '<=', 2)
        .execute();
      const pruned = await stream(`/stories/${storyId}/events`, undefined, {
        'last-event-id': '1',
      });
      await pruned.waitFor((e) => e.event === 'reset');
    });

    test('a rejected comment is not shown again by a replay', async () => {
      const storyId = await live.story('silenced');
      const author = await live.signup('Spammer');
      const { comment } = await live.call('POST', `/stories/${storyId}/comments`, author.token, {
        body: 'Buy now',
      });
      await live.call('POST', `/admin/comments/${comment.id}/reject`, adminToken, {
        reason: 'SPAM',
      });
      const replay = await stream(`/stories/${storyId}/events?lastEventId=0`);
      await replay.waitFor((e) => e.event === 'ready');
      assert.ok(!JSON.stringify(replay.events).includes('Buy now'));
      assert.ok(replay.events.some((e) => e.event === 'comment.removed'));
    });

    test('the dashboard feed: counts, and new pending items in the moderator’s sites', async () => {
      const storyId = await live.story('dashboard');
      const held = await live.signup('Queued');
      await live.call('POST', `/admin/users/${held.id}/premoderate`, adminToken, { on: true });
      const feed = await stream('/admin/events', adminToken);
      assert.equal(feed.status, 200);
      const initial = await feed.waitFor((e) => e.event === 'counts');
      const { comment } = await live.call('POST', `/stories/${storyId}/comments`, held.token, {
        body: 'Please review me',
      });
      const item = await feed.waitFor((e) => e.event === 'queue.item');
      assert.equal(item.data.comment.id, comment.id);
      const counts = await feed.waitFor(
        (e) => e.event === 'counts' && e.data.counts.pending === initial.data.counts.pending + 1,
      );
      assert.ok(counts);

      const reader = await live.signup('Not a moderator');
      const refused = await live.stream('/admin/events', reader.token);
      assert.equal(refused.status, 403);
    });

    test('tokens: a bad one is refused, and none is logged', async () => {
      const storyId = await live.story('tokens');
      const bad = await live.stream(`/stories/${storyId}/events`, 'x'.repeat(40));
      assert.equal(bad.status, 401);
      const missing = await live.stream('/stories/01AAAAAAAAAAAAAAAAAAAAAAAA/events');
      assert.equal(missing.status, 404);
      const logged = serializeRequest({
        method: 'GET',
        url: `/api/v1/stories/${storyId}/events?lastEventId=3&token=secret-token-value`,
        host: 'x',
        ip: '127.0.0.1',
        socket: { remotePort: 1 },
      } as unknown as FastifyRequest);
      assert.equal(logged.url, `/api/v1/stories/${storyId}/events?lastEventId=3&token=[redacted]`);
    });

    test("a moderator's action on an account closes that account's open streams", async () => {
      const storyId = await live.story('dropped');
      const moderator = await live.signup('Soon demoted');
      await live.call('PUT', `/admin/users/${moderator.id}/role`, adminToken, {
        role: 'moderator',
      });
      const bystander = await stream(`/stories/${storyId}/events`);
      const theirs = await stream(`/stories/${storyId}/events`, moderator.token);
      await theirs.waitFor((e) => e.event === 'ready');
      await bystander.waitFor((e) => e.event === 'ready');

      // Demoted: the stream that carried a moderator's view ends, so the client reconnects and
      // gets a reader's view; other readers are untouched.
      await live.call('PUT', `/admin/users/${moderator.id}/role`, adminToken, {
        role: 'commenter',
      });
      await theirs.waitEnd();
      assert.equal(bystander.isOpen, true);
    });

    test('closing streams lets go of the story and of the bus', async () => {
      const storyId = await live.story('cleanup');
      const readers = await Promise.all([1, 2, 3].map(() => stream(`/stories/${storyId}/events`)));
      await Promise.all(readers.map((r) => r.waitFor((e) => e.event === 'ready')));
      const during = live.parley.live.stats();
      assert.ok(during.stories >= 1);
      for (const r of readers) r.close();
      const others = () => open.filter((r) => r.isOpen && !readers.includes(r)).length;
      await eventually(() => live.parley.live.stats().connections <= others());
      const stats = live.parley.live.stats();
      assert.equal(stats.connections, others());
    });
  });
}

for (const engine of (await testEngines()).slice(0, 1)) {
  describe(`live stream limits (${engine})`, () => {
    test('per address and in all; the heartbeat; the longest lifetime', async () => {
      const database = await createTestDatabase(engine);
      const live = await startLive(database, {
        env: { PARLEY_MAX_SSE_PER_IP: '2', PARLEY_MAX_SSE: '3' },
        live: { heartbeatMs: 100, maxConnectionMs: 60_000 },
      });
      try {
        const storyId = await live.story('limits');
        const a = await live.stream(`/stories/${storyId}/events`);
        const b = await live.stream(`/stories/${storyId}/events`);
        await a.waitFor((e) => e.event === 'ready');
        const c = await live.stream(`/stories/${storyId}/events`);
        assert.equal(c.status, 429);
        assert.match(c.body, /RATE_LIMITED/);
        // Every 100 ms; waited for rather than counted after a fixed sleep, which a busy machine
        // may outlast before the second one has been read.
        await eventually(() => a.comments >= 2);
        assert.ok(a.comments >= 2, `heartbeat comments arrive (${a.comments})`);
        a.close();
        await eventually(() => live.parley.live.stats().connections <= 1);
        const d = await live.stream(`/stories/${storyId}/events`);
        assert.equal(d.status, 200, 'a freed place can be taken again');
        b.close();
        d.close();
      } finally {
        await live.close();
        await database.drop();
      }
    });
  });
}

for (const engine of await testEngines()) {
  describe(`live switches and quiet stories (${engine})`, () => {
    test('a story whose live updates are turned off closes its streams and refuses new ones', async () => {
      const database = await createTestDatabase(engine);
      const live = await startLive(database);
      try {
        const admin = await live.admin();
        const storyId = await live.story('switched-off');
        const reader = await live.stream(`/stories/${storyId}/events`);
        await reader.waitFor((e) => e.event === 'ready');

        const answer = await live.call('PATCH', `/admin/stories/${storyId}`, admin, {
          liveUpdates: false,
        });
        assert.equal(answer.story.liveUpdates, false);
        const closed = await reader.waitFor((e) => e.event === 'closed');
        assert.deepEqual(closed.data, { storyId, reason: 'disabled' });
        await reader.waitEnd();
        const refused = await live.stream(`/stories/${storyId}/events`);
        assert.equal(refused.status, 409);
        assert.match(refused.body, /LIVE_DISABLED/);
        assert.match(refused.body, /story has live updates turned off/);

        // Another story of the site is not affected.
        const other = await live.stream(`/stories/${await live.story('still-live')}/events`);
        assert.equal(other.status, 200);
        other.close();

        await live.call('PATCH', `/admin/stories/${storyId}`, admin, { liveUpdates: true });
        const back = await live.stream(`/stories/${storyId}/events`);
        assert.equal(back.status, 200);
        back.close();
      } finally {
        await live.close();
        await database.drop();
      }
    });

    test('a quiet story lets its streams go and takes readers again once it wakes up', async () => {
      const database = await createTestDatabase(engine);
      // The story's quiet clock starts when it is created; the times below are counted from
      // there (not from when the stream opened), and leave the requests in between seconds, not
      // a few hundred milliseconds, on a loaded machine.
      const QUIET_MS = 4000;
      const live = await startLive(database, {
        live: { quietStoryMs: QUIET_MS, heartbeatMs: 100 },
      });
      const sleepUntil = (at: number) => sleep(Math.max(0, at - Date.now()));
      try {
        const poster = await live.signup('Poster');
        const storyId = await live.story('quiet');
        const storyAt = Date.now(); // the story was created (its quiet clock started) before this
        const reader = await live.stream(`/stories/${storyId}/events`);
        await reader.waitFor((e) => e.event === 'ready');
        // An event half-way through keeps it awake past the moment it would have gone quiet.
        await sleepUntil(storyAt + QUIET_MS / 2);
        const postedAt = Date.now(); // the event is no older than this
        await live.call('POST', `/stories/${storyId}/comments`, poster.token, { body: 'Awake' });
        await reader.waitFor((e) => e.event === 'comment.created');
        await sleepUntil(storyAt + QUIET_MS + 300);
        const checkedAt = Date.now();
        assert.equal(
          reader.isOpen,
          true,
          'an event less than quietStoryMs ago keeps it open ' +
            `(posted ${postedAt - storyAt} ms, checked ${checkedAt - storyAt} ms after the story)`,
        );

        // Then nothing for longer than quietStoryMs: the stream is closed, and new ones refused.
        const closed = await reader.waitFor((e) => e.event === 'closed', QUIET_MS + 5000);
        assert.deepEqual(closed.data, { storyId, reason: 'quiet' });
        await reader.waitEnd();
        const refused = await live.stream(`/stories/${storyId}/events`);
        assert.equal(refused.status, 409);
        assert.match(refused.body, /LIVE_QUIET/);

        // A new comment wakes it (the widget's count poll sees it, and its next try gets a stream).
        await live.call('POST', `/stories/${storyId}/comments`, poster.token, { body: 'Again' });
        const woken = await live.stream(`/stories/${storyId}/events`);
        assert.equal(woken.status, 200);
        woken.close();
      } finally {
        await live.close();
        await database.drop();
      }
    });
  });
}
