/**
 * The job worker's loops: with a concurrency of two, a long job (a digest for many readers, a
 * slow SMTP server) holds up no other, and stopping waits for every job in hand.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import { enqueueJob } from '../../src/jobs/queue.ts';
import { startWorker } from '../../src/jobs/worker.ts';
import { openStore } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { createTestDatabase, testEngines } from '../helpers/engines.ts';

const log = { warn() {}, error() {}, info() {} } as unknown as FastifyBaseLogger;

for (const engine of await testEngines()) {
  describe(`the job worker (${engine})`, () => {
    it('runs short jobs while a long one is in hand, and stop waits for it', async () => {
      const database = await createTestDatabase(engine);
      const store = openStore(database.config);
      await migrate(store);
      let release: () => void = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const done: string[] = [];
      const worker = startWorker(
        store,
        {
          long: async () => {
            await held;
            done.push('long');
          },
          short: async (payload) => {
            done.push(`short ${(payload as { n: number }).n}`);
          },
        },
        log,
        { pollMs: 20, concurrency: 2 },
      );
      try {
        await enqueueJob(store.db, 'long', {});
        await sleep(100);
        for (let n = 0; n < 3; n++) await enqueueJob(store.db, 'short', { n });
        for (let i = 0; i < 100 && done.length < 3; i++) await sleep(20);
        assert.deepEqual(done, ['short 0', 'short 1', 'short 2'], 'the short jobs did not wait');
        const stopping = worker.stop();
        release();
        await stopping;
        assert.deepEqual(done.at(-1), 'long', 'stop waited for the long job');
      } finally {
        release();
        await worker.stop();
        await store.close();
        await database.drop();
      }
    });
  });
}
