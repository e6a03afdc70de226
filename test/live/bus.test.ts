/**
 * The bus: in memory, and on Redis (two bus instances, as two processes would have, see each
 * other's events; a story's subscription is dropped with its last listener).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { EVERYONE, MemoryBus, type Bus, type LiveEvent } from '../../src/live/bus.ts';
import { RedisBus } from '../../src/live/redis-bus.ts';
import { audienceOf, planCommentEvents } from '../../src/live/record.ts';
import type { CommentRecord } from '../../src/store/rows.ts';
import { REDIS_URL, redisUp, sleep } from './helpers.ts';

function event(storyId: string, seq: number): LiveEvent {
  return {
    storyId,
    seq,
    siteId: 'site',
    kind: 'count',
    audience: EVERYONE,
    authorId: null,
    commentId: null,
    data: JSON.stringify({ storyId, commentCount: seq }),
    createdAt: new Date().toISOString(),
  };
}

async function until(test: () => boolean, ms = 3000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(10);
  }
}

describe('memory bus', () => {
  test('delivers per story and to everything, and forgets a story with its last listener', async () => {
    const bus = new MemoryBus();
    const a: number[] = [];
    const all: string[] = [];
    const stopA = await bus.subscribe('a', (e) => a.push(e.seq));
    const stopAll = await bus.subscribeAll((e) => all.push(`${e.storyId}${e.seq}`));
    await bus.publish(event('a', 1));
    await bus.publish(event('b', 1));
    await bus.publish(event('a', 2));
    await until(() => all.length === 3);
    assert.deepEqual(a, [1, 2]);
    assert.deepEqual(all, ['a1', 'b1', 'a2']);
    assert.equal(bus.subscribedStories, 1);
    await stopA();
    await stopAll();
    assert.equal(bus.subscribedStories, 0);
    await bus.publish(event('a', 3));
    await sleep(20);
    assert.deepEqual(a, [1, 2]);
  });
});

describe('redis bus', async () => {
  const up = await redisUp();
  test(
    'two instances see each other’s events',
    { skip: !up && 'Redis is not running' },
    async () => {
      const prefix = `parley:test:${randomBytes(4).toString('hex')}:`;
      const one: Bus = await RedisBus.connect({ url: REDIS_URL, prefix });
      const two: Bus = await RedisBus.connect({ url: REDIS_URL, prefix });
      try {
        const heardByTwo: number[] = [];
        const heardByOne: number[] = [];
        const everything: string[] = [];
        const stopTwo = await two.subscribe('story', (e) => heardByTwo.push(e.seq));
        const stopOne = await one.subscribe('story', (e) => heardByOne.push(e.seq));
        const stopAll = await two.subscribeAll((e) => everything.push(`${e.storyId}:${e.seq}`));
        await one.publish(event('story', 1));
        await two.publish(event('story', 2));
        await one.publish(event('other', 1));
        await until(
          () => heardByTwo.length === 2 && heardByOne.length === 2 && everything.length === 3,
        );
        assert.deepEqual(heardByTwo, [1, 2]);
        assert.deepEqual(heardByOne, [1, 2]);
        assert.deepEqual(everything.sort(), ['other:1', 'story:1', 'story:2']);
        const received = heardByTwo.length;
        await stopTwo();
        await stopAll();
        await one.publish(event('story', 3));
        await until(() => heardByOne.length === 3);
        await sleep(50);
        assert.equal(heardByTwo.length, received, 'no events after unsubscribing');
        await stopOne();
      } finally {
        await one.close();
        await two.close();
      }
    },
  );
});

describe('who receives a change', () => {
  const comment = (status: CommentRecord['status'], deletedAt: string | null = null) =>
    ({
      id: 'c',
      siteId: 's',
      storyId: 'st',
      authorId: 'u',
      parentId: null,
      threadParentId: null,
      status,
      deletedAt,
    }) as CommentRecord;
  const plan = (before: Parameters<typeof planCommentEvents>[0], after: CommentRecord) =>
    planCommentEvents(before, after).map((e) => `${e.kind}:${e.audience}`);

  test('audiences follow what the REST API shows', () => {
    assert.equal(audienceOf({ status: 'approved', deleted: false }), 7);
    assert.equal(audienceOf({ status: 'pending', deleted: false }), 6);
    assert.equal(audienceOf({ status: 'rejected', deleted: false }), 2);
    assert.equal(audienceOf({ status: 'deleted', deleted: true }), 0);
    assert.deepEqual(plan(null, comment('approved')), ['comment.created:7']);
    assert.deepEqual(plan(null, comment('pending')), ['comment.created:6']);
    assert.deepEqual(plan(null, comment('rejected')), ['comment.created:2']);
    const pending = { status: 'pending' as const, deleted: false };
    const approved = { status: 'approved' as const, deleted: false };
    assert.deepEqual(plan(pending, comment('approved')), ['comment.approved:7']);
    // Rejected: removed for readers and moderators, updated for the author.
    assert.deepEqual(plan(approved, comment('rejected')), [
      'comment.updated:2',
      'comment.removed:5',
    ]);
    assert.deepEqual(plan(pending, comment('rejected')), [
      'comment.updated:2',
      'comment.removed:4',
    ]);
    // An edit sent back for review leaves readers' pages.
    assert.deepEqual(plan(approved, comment('pending')), [
      'comment.updated:6',
      'comment.removed:1',
    ]);
    assert.deepEqual(plan(approved, comment('approved')), ['comment.updated:7']);
    assert.deepEqual(plan(approved, comment('deleted', 'now')), ['comment.removed:7']);
    assert.deepEqual(plan(pending, comment('deleted', 'now')), ['comment.removed:6']);
  });
});
