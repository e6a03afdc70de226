/**
 * Notifications across processes: two Parley instances on one database and one Redis. A reply
 * posted through one, dispatched by the other, reaches the parent's author on every stream they
 * hold, whichever story it is and whichever instance serves it; and two dispatchers working the
 * same log at once hand each event to the consumers exactly once.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { Dispatcher } from '../../src/notify/dispatcher.ts';
import type { Consumer } from '../../src/notify/events.ts';
import { createTestDatabase, testEngines } from '../helpers/engines.ts';
import { REDIS_URL, redisUp, startLive } from '../live/helpers.ts';

const up = await redisUp();
const quiet = { warn: () => {} };

for (const engine of await testEngines()) {
  describe(`notifications across processes (${engine})`, () => {
    test(
      "a reply reaches the parent's author live, on another story's stream and their own",
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
          const here = await one.story('notify-here');
          const elsewhere = await one.story('notify-elsewhere');
          const amal = await one.signup('Amal');
          const ben = await one.signup('Ben');
          // Amal reads another story on instance two, and has her own stream open there too.
          const onStory = await two.stream(`/stories/${elsewhere}/events`, amal.token);
          const own = await two.stream('/notifications/events', amal.token);
          const stranger = await two.stream(`/stories/${elsewhere}/events`);
          await onStory.waitFor((e) => e.event === 'ready');
          await own.waitFor((e) => e.event === 'ready');
          await stranger.waitFor((e) => e.event === 'ready');

          const { comment: root } = await one.call(
            'POST',
            `/stories/${here}/comments`,
            amal.token,
            {
              body: 'Who wrote the report?',
            },
          );
          const { comment: reply } = await one.call(
            'POST',
            `/stories/${here}/comments`,
            ben.token,
            { body: 'The audit office.', parentId: root.id },
          );
          // Dispatched by instance two's dispatcher, published on Redis, delivered by two's hub.
          await two.parley.dispatcher.drain();
          for (const reader of [onStory, own]) {
            const event = await reader.waitFor((e) => e.event === 'notification');
            assert.equal(event.data.unread, 1);
            assert.equal(event.data.notification.kind, 'reply');
            assert.equal(event.data.notification.commentId, reply.id);
            assert.equal(event.data.notification.storyId, here);
            assert.equal(event.data.notification.actorName, 'Ben');
            assert.equal(event.id, undefined, 'not numbered: never replayed');
          }
          await one.call('POST', `/stories/${elsewhere}/comments`, ben.token, { body: 'Sync.' });
          await stranger.waitFor((e) => e.event === 'comment.created');
          assert.ok(
            !stranger.events.some((e) => e.event === 'notification'),
            "nobody else's stream hears of it",
          );
          onStory.close();
          own.close();
          stranger.close();
        } finally {
          await one.close();
          await two.close();
          await database.drop();
        }
      },
    );

    test('two dispatchers on one log hand each event over exactly once', async () => {
      const database = await createTestDatabase(engine);
      const env = { PARLEY_WRITE_RATE_LIMIT: '1000' };
      const one = await startLive(database, { env });
      try {
        const stories = await Promise.all(
          Array.from({ length: 6 }, (_, i) => one.story(`dispatch-${i}`)),
        );
        const writer = await one.signup('Writer');
        const seen: string[] = [];
        const counting: Consumer = async (_trx, event) => {
          seen.push(`${event.storyId}:${event.seq}`);
        };
        // The second dispatcher has its own database connections, like another process.
        const other = await startLive(database, { env });
        const a = new Dispatcher(one.parley.store, [counting], quiet, { storiesPerPass: 2 });
        const b = new Dispatcher(other.parley.store, [counting], quiet, { storiesPerPass: 2 });
        try {
          const posts: Promise<unknown>[] = [];
          for (let i = 0; i < 60; i++) {
            posts.push(
              one.call('POST', `/stories/${stories[i % stories.length]}/comments`, writer.token, {
                body: `comment ${i}`,
              }),
            );
          }
          await Promise.all(posts);
          // The apps' own dispatchers are not running (runJobs: false): only a and b hand over.
          await Promise.all([a.drain(), b.drain(), a.drain(), b.drain()]);
          await Promise.all([a.drain(), b.drain()]);
          assert.equal(seen.length, 60, 'every comment handed over');
          assert.equal(new Set(seen).size, 60, 'none twice');
          for (const storyId of stories) {
            const seqs = seen
              .filter((key) => key.startsWith(`${storyId}:`))
              .map((key) => Number(key.split(':')[1]));
            assert.deepEqual(
              seqs,
              [...seqs].sort((x, y) => x - y),
              'in the story order',
            );
          }
        } finally {
          await a.stop();
          await b.stop();
          await other.close();
        }
      } finally {
        await one.close();
        await database.drop();
      }
    });

    test('an event no consumer can handle holds up only its story, and is passed over in the end', async () => {
      const database = await createTestDatabase(engine);
      const one = await startLive(database);
      try {
        const [stuck, fine] = [await one.story('stuck'), await one.story('fine')];
        const writer = await one.signup('Writer');
        const { comment: bad } = await one.call(
          'POST',
          `/stories/${stuck}/comments`,
          writer.token,
          {
            body: 'The consumer fails on this one.',
          },
        );
        await one.call('POST', `/stories/${stuck}/comments`, writer.token, { body: 'After it.' });
        await one.call('POST', `/stories/${fine}/comments`, writer.token, { body: 'Elsewhere.' });
        const seen: string[] = [];
        let attempts = 0;
        const picky: Consumer = async (_trx, event) => {
          if (event.commentId === bad.id) {
            attempts++;
            throw new Error('cannot handle this');
          }
          seen.push(event.commentId);
        };
        const warnings: string[] = [];
        const dispatcher = new Dispatcher(
          one.parley.store,
          [picky],
          { warn: (message) => warnings.push(message) },
          { maxFailures: 3, failurePauseMs: 0 },
        );
        for (let i = 0; i < 6; i++) await dispatcher.pass();
        assert.equal(attempts, 3, 'tried maxFailures times');
        assert.equal(seen.length, 2, 'the other story, and the stuck one after the bad event');
        assert.ok(warnings.some((w) => w.includes('passed over')));
        const cursors = await one.parley.store.db
          .selectFrom('live_streams')
          .select(['last_seq', 'dispatched_seq'])
          .execute();
        for (const row of cursors) assert.equal(Number(row.dispatched_seq), Number(row.last_seq));
      } finally {
        await one.close();
        await database.drop();
      }
    });
  });
}
