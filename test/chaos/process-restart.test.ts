/**
 * A fault test: a Parley process dies under write and live load and is started again. Two
 * `parley start` processes on one fresh PostgreSQL database share a Redis of the test's own;
 * readers follow the story's stream on each while clients post comments through both without
 * pause. One process is killed (SIGKILL: no goodbye to its readers, requests cut off mid-way, a
 * transaction perhaps committed but not published) and started again on its port.
 *
 * Its readers reconnect with Last-Event-ID, as the widget does: two to it, once it is back, two to
 * the other process. Every comment answered 201 must be stored; every reader must end up with
 * every event of the story exactly once and in order, whichever process it resumed on; the
 * surviving process never answers 500 (nor does the killed one, before or after: its posts get an
 * answer, 201 or 503, or none at all while it is down).
 *
 * Needs PostgreSQL and redis-server: skipped (with a message) when either is missing, except in CI
 * (CI=true), where that fails the run.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
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

describe('a Parley process restarted under write and live load', { skip }, () => {
  test(
    'every acknowledged comment stored; every reader gets every event once, in order',
    { timeout: 120_000 },
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

        // A (to be killed) has four readers: two resume on A once it is back, two move to B.
        // B has two, which resume on B should their stream break.
        const backToA: FollowingReader[] = [];
        const movedToB: FollowingReader[] = [];
        for (let i = 0; i < 2; i++) {
          const reader = await FollowingReader.open(
            `reader ${i} of A (back to A)`,
            s.storyId,
            () => a,
          );
          backToA.push(reader);
          readers.push(reader);
        }
        for (let i = 2; i < 4; i++) {
          let moved = false;
          const reader = await FollowingReader.open(`reader ${i} of A (to B)`, s.storyId, () => {
            const to = moved ? b : a;
            moved = true;
            return to;
          });
          movedToB.push(reader);
          readers.push(reader);
        }
        for (let i = 0; i < 2; i++) {
          readers.push(await FollowingReader.open(`reader ${i} of B`, s.storyId, () => b));
        }

        // Two writers through each process, without pause, until told to stop.
        posting = Promise.all(
          [a, a, b, b].map((p, writer) => poster(s, writer, () => p, stop, answers)),
        );
        await sleep(1500);
        const killedAt = Date.now();
        await a.stop('SIGKILL');
        await sleep(1000);
        await a.start();
        const backAt = Date.now();
        // Load on after the restart, until the readers have reconnected and posts through both
        // processes go through, and a little more.
        await waitUntil(
          () => readers.every((r) => r.streams.at(-1)?.isOpen === true),
          20_000,
          () => 'readers of the killed process did not reconnect',
        );
        await Promise.all([a, b].map((p) => waitForPosts(answers, p, backAt)));
        await sleep(1000);
        stop.now = true;
        await posting;
        const loadEnded = Date.now();

        // B lived through it; A is back; both answer.
        assert.ok(b.alive && b.runs === 1, `B never stopped:\n${b.output}`);
        assert.ok(a.alive && a.runs === 2, `A runs again:\n${a.output}`);
        for (const p of [a, b]) assert.ok(await p.healthy(), `${p.name} answers /healthz`);

        // Answers: 201 or 503 from either process, never 500; no answer only from A, while down.
        const fromB = answers.filter((x) => x.via === 'B');
        const badB = fromB.filter((x) => x.status !== 201 && x.status !== 503);
        assert.deepEqual(
          badB.slice(0, 5),
          [],
          `B answered every post 201 or 503 (${badB.length} of ${fromB.length} were not)`,
        );
        const fromA = answers.filter((x) => x.via === 'A');
        const badA = fromA.filter((x) => x.status !== 201 && x.status !== 503 && x.status !== 0);
        assert.deepEqual(badA.slice(0, 5), [], 'A answered 201 or 503 whenever it answered');
        const unanswered = fromA.filter((x) => x.status === 0);
        assert.ok(unanswered.length > 0, 'posts through A failed while it was down');
        for (const x of unanswered) {
          assert.ok(
            x.endedAt >= killedAt && x.startedAt <= backAt,
            `a post through A went unanswered only while A was down (${x.error})`,
          );
        }

        // Every acknowledged comment stored, and announced.
        const acknowledged = answers.flatMap((x) => (x.status === 201 && x.id ? [x.id] : []));
        const stored = await storedComments(s);
        assert.deepEqual(
          acknowledged.filter((id) => !stored.has(id)),
          [],
          'every comment answered 201 is in the database',
        );
        const log = await readerLog(s);
        const created = new Set(
          log.filter((e) => e.kind === 'comment.created').map((e) => e.commentId),
        );
        assert.deepEqual(
          acknowledged.filter((id) => !created.has(id)),
          [],
          'every acknowledged comment was announced',
        );

        // Every reader catches up with the log, then holds exactly its events, in order.
        const last = log[log.length - 1]?.seq ?? 0;
        await waitUntil(
          () => readers.every((r) => r.lastSeq >= last),
          20_000,
          () =>
            `readers stopped short of event ${last}: ` +
            readers.map((r) => `${r.label} at ${r.lastSeq}`).join(', '),
        );
        for (const reader of readers) assertFollowed(reader, log);
        for (const reader of [...backToA, ...movedToB]) {
          assert.ok(reader.reconnections >= 1, `${reader.label} reconnected`);
        }
        for (const reader of backToA) assert.equal(reader.openedOn.at(-1), 'A', reader.label);
        for (const reader of movedToB) assert.equal(reader.openedOn.at(-1), 'B', reader.label);

        const busy = answers.filter((x) => x.status === 503).length;
        console.log(
          `# ${answers.length} posts: ${acknowledged.length} acknowledged, ${busy} answered 503, ` +
            `${unanswered.length} unanswered while A was down; ${log.length} events; ` +
            `A down for ${backAt - killedAt} ms; reader reconnections: ` +
            `${readers.map((r) => r.reconnections).join(', ')}; ` +
            `load ${loadEnded - killedAt + 1500} ms, test ${Date.now() - started} ms`,
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
