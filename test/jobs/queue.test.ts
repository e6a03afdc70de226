/**
 * The job queue on real databases: a job is claimed once and locked while in hand, failures are
 * retried with exponential backoff until the last attempt, and on PostgreSQL workers claiming at
 * the same moment on different connections never get the same job.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import {
  claimJob,
  completeJob,
  enqueueJob,
  failJob,
  jobState,
  type Job,
} from '../../src/jobs/queue.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { toIso } from '../../src/store/rows.ts';
import {
  POSTGRES_URL,
  createTestDatabase,
  testEngines,
  type TestDatabase,
} from '../helpers/engines.ts';

const LOCK_MS = 60_000;

/**
 * Waits until no session is connected to the test database. pg's Pool.end() resolves before its
 * connections have closed; dropping the database WITH (FORCE) while one is still closing makes the
 * server terminate it, and that error reaches a client that no longer has an error listener.
 */
async function connectionsClosed(database: TestDatabase): Promise<void> {
  if (database.config.engine !== 'postgres') return;
  const name = new URL(database.config.url).pathname.slice(1);
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    for (let i = 0; i < 100; i++) {
      const result = await client.query<{ n: number }>(
        'select count(*)::int as n from pg_stat_activity where datname = $1',
        [name],
      );
      if (result.rows[0]?.n === 0) return;
      await sleep(20);
    }
  } finally {
    await client.end();
  }
}

for (const engine of await testEngines()) {
  describe(`job queue (${engine})`, () => {
    let database: TestDatabase;
    let store: Store;

    before(async () => {
      database = await createTestDatabase(engine);
      store = openStore(database.config);
      await migrate(store);
    });
    after(async () => {
      await store.close();
      await connectionsClosed(database);
      await database.drop();
    });
    beforeEach(async () => {
      await store.db.deleteFrom('jobs').execute();
    });

    const claim = (lockMs = LOCK_MS) => claimJob(store.db, store.engine, lockMs);
    const row = (id: string) =>
      store.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    /** Moves a job's next run into the past, as if its backoff had elapsed. */
    const makeDue = (id: string) =>
      store.db
        .updateTable('jobs')
        .set({ run_at: new Date(Date.now() - 1000).toISOString() })
        .where('id', '=', id)
        .execute();
    /** Moves a claimed job's lock into the past, as if its lockMs had elapsed. */
    const expireLock = (id: string) =>
      store.db
        .updateTable('jobs')
        .set({ locked_until: new Date(Date.now() - 1000).toISOString() })
        .where('id', '=', id)
        .execute();

    it('enqueue then claim returns the job once, with its payload', async () => {
      const payload = { storyId: '01HZY3M9QK8W5T2N4RBXJ6CDVE', nested: { n: 1, list: ['a', 'ü'] } };
      const id = await enqueueJob(store.db, 'test.kind', payload, { maxAttempts: 4 });
      const job = await claim();
      assert.deepEqual(job, { id, kind: 'test.kind', payload, attempts: 1, maxAttempts: 4 });
      assert.equal(
        await claim(),
        undefined,
        'a second claim finds nothing while the job is locked',
      );
      const locked = await row(id);
      assert.ok(locked.locked_until !== null);
      assert.ok(
        Date.parse(toIso(locked.locked_until)) > Date.now() + LOCK_MS - 5000,
        'locked for lockMs',
      );
    });

    it('a job whose lock expired is claimed again, counting the attempt', async () => {
      const id = await enqueueJob(store.db, 'test.kind', {});
      assert.equal((await claim())?.attempts, 1);
      assert.equal(await claim(), undefined, 'not claimed again while the lock holds');
      // The lock runs out (its length is checked above): moved into the past rather than waited
      // for. A short real lock (it was 50 ms) can run out before the second claim above on a
      // busy machine, which then gets the job again.
      await expireLock(id);
      const again = await claim();
      assert.equal(again?.id, id);
      assert.equal(again?.attempts, 2);
    });

    it('claims the job due first, and not one that is not due yet', async () => {
      const later = await enqueueJob(store.db, 'test.kind', { n: 'later' }, { delayMs: 60_000 });
      const first = await enqueueJob(store.db, 'test.kind', { n: 'first' });
      const second = await enqueueJob(store.db, 'test.kind', { n: 'second' });
      assert.equal((await claim())?.id, first);
      assert.equal((await claim())?.id, second);
      assert.equal(await claim(), undefined, `${later} is not due for a minute`);
    });

    it('a completed job is done and never claimed again', async () => {
      const id = await enqueueJob(store.db, 'test.kind', {});
      const job = await claim(50);
      assert.ok(job);
      await completeJob(store.db, job.id);
      const state = await jobState(store.db, id);
      assert.ok(state?.doneAt, 'done_at set');
      assert.equal(state.lastError, null);
      await sleep(100);
      assert.equal(await claim(), undefined);
    });

    it('failJob retries with exponential backoff, then gives up after maxAttempts', async () => {
      const id = await enqueueJob(store.db, 'test.kind', {}, { maxAttempts: 3 });
      const expectedDelays = [2000, 4000];
      for (const [index, delay] of expectedDelays.entries()) {
        const job = await claim();
        assert.equal(job?.id, id);
        assert.equal(job.attempts, index + 1);
        const failedAt = Date.now();
        await failJob(store.db, job, `boom ${job.attempts}`);
        const failed = await row(id);
        const retryIn = Date.parse(toIso(failed.run_at)) - failedAt;
        assert.ok(
          Math.abs(retryIn - delay) < 1000,
          `attempt ${job.attempts}: retry in ${retryIn} ms, expected ~${delay}`,
        );
        assert.equal(failed.locked_until, null, 'the lock is released');
        assert.deepEqual(await jobState(store.db, id), {
          attempts: job.attempts,
          doneAt: null,
          lastError: `boom ${job.attempts}`,
        });
        assert.equal(await claim(), undefined, 'not claimed again before the backoff has passed');
        await makeDue(id);
      }
      const last = await claim();
      assert.equal(last?.attempts, 3);
      await failJob(store.db, last, 'final failure');
      const state = await jobState(store.db, id);
      assert.ok(state?.doneAt, 'given up: done_at set');
      assert.equal(state.lastError, 'final failure', 'the last error is kept');
      assert.equal(state.attempts, 3);
      await makeDue(id);
      assert.equal(await claim(), undefined, 'a job given up on is never claimed again');
    });

    it('keeps at most 1000 characters of an error', async () => {
      await enqueueJob(store.db, 'test.kind', {});
      const job = (await claim()) as Job;
      await failJob(store.db, job, 'x'.repeat(5000));
      assert.equal((await jobState(store.db, job.id))?.lastError?.length, 1000);
    });

    it('20 jobs claimed by 4 workers on separate connections at once are each claimed exactly once', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 20; i++) ids.add(await enqueueJob(store.db, 'test.kind', { i }));
      const workers = Array.from({ length: 4 }, () => openStore(database.config));
      try {
        // Connect every worker first, so that each round's claims really are simultaneous.
        await Promise.all(workers.map((worker) => sql`select 1`.execute(worker.db)));
        const claimed: string[][] = workers.map(() => []);
        let rounds = 0;
        let sharedRounds = 0;
        while (claimed.flat().length < ids.size && rounds < 200) {
          rounds++;
          const jobs = await Promise.all(
            workers.map((worker) => claimJob(worker.db, worker.engine, LOCK_MS)),
          );
          jobs.forEach((job, index) => job && claimed[index]?.push(job.id));
          if (jobs.filter(Boolean).length > 1) sharedRounds++;
        }
        const all = claimed.flat();
        assert.equal(
          all.length,
          new Set(all).size,
          `a job was claimed twice: ${JSON.stringify(claimed)}`,
        );
        assert.deepEqual(new Set(all), ids, 'every job was claimed');
        assert.ok(sharedRounds > 0, 'several workers got a job in the same round');
        for (const id of ids)
          assert.equal((await jobState(store.db, id))?.attempts, 1, `${id} attempted once`);
        assert.equal(await claim(), undefined, 'nothing is left');
      } finally {
        await Promise.all(workers.map((worker) => worker.close()));
      }
    });
  });
}
