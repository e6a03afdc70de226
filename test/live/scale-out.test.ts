/**
 * Two Parley instances on one database and one Redis, as two processes behind a load balancer
 * would be: a comment posted through one reaches readers connected to the other, in order and
 * once; a reader who moves from one instance to the other with Last-Event-ID misses nothing.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { createTestDatabase, testEngines } from '../helpers/engines.ts';
import { REDIS_URL, redisUp, startLive } from './helpers.ts';

const up = await redisUp();

for (const engine of await testEngines()) {
  describe(`two instances on ${engine} + Redis`, () => {
    test(
      'a comment posted through one reaches readers of both',
      { skip: !up && 'Redis is not running' },
      async () => {
        const database = await createTestDatabase(engine);
        const options = {
          env: { REDIS_URL },
          live: { redisPrefix: `parley:test:${randomBytes(4).toString('hex')}:` },
        };
        const one = await startLive(database, options);
        const two = await startLive(database, options);
        try {
          const storyId = await one.story('scale-out');
          const author = await one.signup('Writer');
          const onOne = await one.stream(`/stories/${storyId}/events`);
          const onTwo = await two.stream(`/stories/${storyId}/events`);
          await onOne.waitFor((e) => e.event === 'ready');
          await onTwo.waitFor((e) => e.event === 'ready');

          const posted: string[] = [];
          for (let i = 0; i < 5; i++) {
            const via = i % 2 === 0 ? one : two;
            const { comment } = await via.call(
              'POST',
              `/stories/${storyId}/comments`,
              author.token,
              {
                body: `comment ${i}`,
              },
            );
            posted.push(comment.id);
          }
          for (const reader of [onOne, onTwo]) {
            await reader.waitFor((e) => e.event === 'count' && e.data.commentCount === 5);
            const created = reader.events
              .filter((e) => e.event === 'comment.created')
              .map((e) => e.data.comment.id);
            assert.deepEqual(created, posted, 'every comment once, in order');
          }

          // A reader of one moves to two (the first went away) and misses nothing.
          const resumeAt = onOne.lastEventId as string;
          onOne.close();
          const late = await one.call('POST', `/stories/${storyId}/comments`, author.token, {
            body: 'while moving',
          });
          const moved = await two.stream(`/stories/${storyId}/events`, undefined, {
            'last-event-id': resumeAt,
          });
          const got = await moved.waitFor((e) => e.event === 'comment.created');
          assert.equal(got.data.comment.id, late.comment.id);
          assert.equal(Number(got.id), Number(resumeAt) + 1);
          moved.close();
          onTwo.close();
        } finally {
          await one.close();
          await two.close();
          await database.drop();
        }
      },
    );
  });
}
