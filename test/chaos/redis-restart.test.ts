/**
 * A fault test: Redis dies under live load and comes back. Two `parley start` processes on one
 * fresh PostgreSQL database share a Redis of the test's own (the bus between them, and the rate
 * limits); readers follow the story's stream on each process while clients post comments through
 * both without pause. Redis is killed (SIGKILL) and started again on its port two seconds later,
 * empty: every subscription is gone, and what was published meanwhile is lost.
 *
 * Both processes must live through it (and answer /healthz); every post must be answered 201 or
 * 503, never 500; every comment answered 201 must be stored; and every reader must end up with
 * every event of the story exactly once and in order (reconnecting with Last-Event-ID if its stream
 * breaks, as the widget does), the ones the bus lost read from the event log.
 *
 * Needs PostgreSQL and redis-server: skipped (with a message) when either is missing, except in CI
 * (CI=true), where that fails the run.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SITE_ORIGIN } from '../helpers/app.ts';
import { freePort } from '../helpers/process.ts';
import { sleep } from '../live/helpers.ts';
import {
  assertFollowed,
  chaosSkip,
  createScene,
  FollowingReader,
  ParleyChild,
  poster,
  readerLog,
  storedComments,
  TestRedis,
  waitUntil,
  waitForPosts,
  type Answer,
  type Scene,
} from './live-load.ts';

const skip = await chaosSkip();

describe('Redis restarted under live load', { skip }, () => {
  test(
    'both processes survive; posts get 201 or 503; readers get every event once, in order',
    { timeout: 90_000 },
    async () => {
      const started = Date.now();
      const redis = await TestRedis.start();
      const processes: ParleyChild[] = [];
      const readers: FollowingReader[] = [];
      let scene: Scene | undefined;
      const stop = { now: false };
      const answers: Answer[] = [];
      let posting: Promise<void[]> = Promise.resolve([]);
      try {
        const [portA, portB] = [await freePort(), await freePort()];
        scene = await createScene(4, async (databaseUrl) => {
          const env = { DATABASE_URL: databaseUrl, REDIS_URL: redis.url };
          processes.push(new ParleyChild('A', portA, env), new ParleyChild('B', portB, env));
          await Promise.all(processes.map((p) => p.start()));
          return processes[0] as ParleyChild;
        });
        const [a, b] = processes as [ParleyChild, ParleyChild];
        const s = scene;

        // Two readers on each process; a broken stream is resumed on the same process.
        for (const p of [a, b]) {
          for (let i = 0; i < 2; i++) {
            readers.push(
              await FollowingReader.open(`reader ${i} of ${p.name}`, s.storyId, () => p),
            );
          }
        }

        // Two writers through each process, without pause, until told to stop.
        posting = Promise.all(
          [a, a, b, b].map((p, writer) => poster(s, writer, () => p, stop, answers)),
        );
        await sleep(1500);
        const outageFrom = Date.now();
        await redis.kill();
        // A page load on each process while Redis is down: the thread is read all the same.
        const reads = [a, b].map(async (p) => {
          const from = Date.now();
          try {
            const response = await fetch(`${p.base}/api/v1/stories/${s.storyId}/comments`, {
              headers: { origin: SITE_ORIGIN },
              signal: AbortSignal.timeout(20_000),
            });
            await response.body?.cancel();
            return { via: p.name, status: response.status, ms: Date.now() - from };
          } catch (error) {
            return { via: p.name, status: String(error), ms: Date.now() - from };
          }
        });
        await sleep(2000);
        await redis.restart();
        const outageTo = Date.now();
        // Load on until posts through both processes go through again, and a little more.
        await Promise.all([a, b].map((p) => waitForPosts(answers, p, outageTo)));
        await sleep(1000);
        stop.now = true;
        await posting;
        const loadEnded = Date.now();
        const pageLoads = await Promise.all(reads);

        // Both processes alive and answering.
        for (const p of [a, b]) {
          assert.ok(p.alive, `${p.name} is alive:\n${p.output}`);
          assert.ok(await p.healthy(), `${p.name} answers /healthz`);
        }

        // Every post answered, 201 or 503 (never 500, never a dropped connection).
        const unexpected = answers.filter((x) => x.status !== 201 && x.status !== 503);
        assert.deepEqual(
          unexpected.slice(0, 5),
          [],
          `every answer 201 or 503 (${unexpected.length} of ${answers.length} were not)`,
        );
        const during = answers.filter((x) => x.startedAt < outageTo && x.endedAt > outageFrom);
        assert.ok(during.length > 0, 'posts were made while Redis was down');

        for (const read of pageLoads) {
          assert.equal(read.status, 200, `the thread read through ${read.via} during the outage`);
        }

        // Every acknowledged comment stored.
        const acknowledged = answers.flatMap((x) => (x.status === 201 && x.id ? [x.id] : []));
        const stored = await storedComments(s);
        assert.deepEqual(
          acknowledged.filter((id) => !stored.has(id)),
          [],
          'every comment answered 201 is in the database',
        );

        // Every reader catches up with the log, then holds exactly its events, in order.
        const log = await readerLog(s);
        const last = log[log.length - 1]?.seq ?? 0;
        await waitUntil(
          () => readers.every((r) => r.lastSeq >= last),
          20_000,
          () =>
            `readers stopped short of event ${last}: ` +
            readers.map((r) => `${r.label} at ${r.lastSeq}`).join(', '),
        );
        for (const reader of readers) assertFollowed(reader, log);
        const created = new Set(
          log.filter((e) => e.kind === 'comment.created').map((e) => e.commentId),
        );
        assert.deepEqual(
          acknowledged.filter((id) => !created.has(id)),
          [],
          'every acknowledged comment was announced',
        );

        const busy = answers.filter((x) => x.status === 503).length;
        const slowest = Math.max(...during.map((x) => x.endedAt - x.startedAt));
        console.log(
          `# ${answers.length} posts (${during.length} during the outage, the slowest ${slowest} ms): ` +
            `${acknowledged.length} acknowledged, ${busy} answered 503; ${log.length} events; ` +
            `reader reconnections: ${readers.map((r) => r.reconnections).join(', ')}; ` +
            `thread reads during the outage: ${pageLoads.map((r) => `${r.ms} ms`).join(', ')}; ` +
            `load ${loadEnded - outageFrom + 1500} ms, test ${Date.now() - started} ms`,
        );
      } catch (error) {
        for (const p of processes) console.log(`# ${p.name} output:\n${p.output}`);
        throw error;
      } finally {
        stop.now = true;
        await posting.catch(() => undefined);
        await Promise.all(readers.map((r) => r.close()));
        await Promise.all(processes.map((p) => p.stop()));
        await redis.stop();
        await scene?.database.drop();
      }
    },
  );
});
