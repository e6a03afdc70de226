/**
 * A fault test: `parley start` on PostgreSQL while eight clients post comments, and the database
 * terminates every connection of the process six times, a second apart (what a failover, a
 * restart or an operator's `pg_terminate_backend` does). The process must live through it and
 * answer /healthz afterwards; every post must be answered 201 or 503 BUSY (never 500, never a
 * dropped connection); and every comment acknowledged with 201 must be in the database.
 *
 * Needs PostgreSQL: skipped (with a message) when it is down, except in CI (CI=true), where that
 * fails the run.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { openStore } from '../../src/store/db.ts';
import { insertSite } from '../../src/store/sites.ts';
import { RELAXED_MODERATION, SITE_ORIGIN } from '../helpers/app.ts';
import { POSTGRES_URL, testEngines } from '../helpers/engines.ts';
import { startParley, type ParleyProcess } from '../helpers/process.ts';
import { signedInWriters } from '../helpers/writers.ts';

const postgres = (await testEngines()).includes('postgres');
const skip = postgres ? false : 'needs PostgreSQL (not reachable)';

const CLIENTS = 8;
const TERMINATIONS = 6;
/** The name Parley's connections carry, so that only they are terminated. */
const APPLICATION = 'parley-chaos';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  status: number | string;
  /** The comment's id (201) or the error's code (otherwise). */
  id?: string;
  code?: string;
  retryAfter?: string | null;
}

describe('PostgreSQL connections terminated while clients post', { skip }, () => {
  let parley: ParleyProcess;
  let databaseName: string;
  let storyId: string;
  const tokens: string[] = [];

  before(async () => {
    parley = await startParley({
      engine: 'postgres',
      env: {
        PGAPPNAME: APPLICATION,
        PARLEY_CLASSIFIER: '0',
        PARLEY_WRITE_RATE_LIMIT: '1000000',
        LOG_LEVEL: 'fatal',
      },
    });
    const { database } = parley;
    assert.equal(database.engine, 'postgres');
    databaseName = new URL(database.url).pathname.slice(1);
    const store = openStore(database);
    let siteId: string;
    try {
      // Made after the process read its site list: the story names it (the process looks it up).
      ({ id: siteId } = await insertSite(store.db, {
        name: 'Chaos News',
        allowedOrigins: [SITE_ORIGIN],
        editWindowSeconds: 300,
        maxDepth: 3,
        moderation: RELAXED_MODERATION,
      }));
      tokens.push(...(await signedInWriters(store, CLIENTS, 'chaos')));
    } finally {
      await store.close();
    }
    const resolved = await fetch(`${parley.url}/api/v1/stories/resolve`, {
      method: 'POST',
      headers: { origin: SITE_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${SITE_ORIGIN}/news/chaos`, storyId: 'chaos', siteId }),
    });
    assert.equal(resolved.status, 200, await resolved.clone().text());
    storyId = ((await resolved.json()) as { story: { id: string } }).story.id;
  });

  after(async () => {
    await parley?.stop();
  });

  /** One client: posts one comment after another until told to stop; returns every answer. */
  async function poster(client: number, stop: { now: boolean }): Promise<Answer[]> {
    const answers: Answer[] = [];
    for (let i = 0; !stop.now && i < 5000; i++) {
      const text = `Chaos comment ${i} from client ${client}.`;
      try {
        const response = await fetch(`${parley.url}/api/v1/stories/${storyId}/comments`, {
          method: 'POST',
          headers: {
            origin: SITE_ORIGIN,
            authorization: `Bearer ${tokens[client]}`,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ body: text }),
          signal: AbortSignal.timeout(15_000),
        });
        const json = (await response.json()) as {
          comment?: { id: string };
          error?: { code: string };
        };
        answers.push({
          status: response.status,
          id: json.comment?.id,
          code: json.error?.code,
          retryAfter: response.headers.get('retry-after'),
        });
        if (response.status !== 201) await sleep(20);
      } catch (error) {
        answers.push({ status: `no answer: ${(error as Error).message}` });
        await sleep(50);
      }
    }
    return answers;
  }

  /** Terminates every connection Parley holds; returns how many there were. */
  async function terminateParley(admin: pg.Client): Promise<number> {
    const { rows } = await admin.query<{ pid: number }>(
      `select pg_terminate_backend(pid), pid from pg_stat_activity
        where datname = $1 and application_name = $2 and pid <> pg_backend_pid()`,
      [databaseName, APPLICATION],
    );
    return rows.length;
  }

  test(
    'the process survives, answers 201 or 503, and keeps every acknowledged comment',
    { timeout: 120_000 },
    async () => {
      const admin = new pg.Client({ connectionString: POSTGRES_URL });
      await admin.connect();
      const stop = { now: false };
      const posting = Array.from({ length: CLIENTS }, (_, client) => poster(client, stop));
      const terminated: number[] = [];
      try {
        await sleep(1000);
        for (let round = 0; round < TERMINATIONS; round++) {
          terminated.push(await terminateParley(admin));
          await sleep(1000);
        }
      } finally {
        stop.now = true;
        await admin.end();
      }
      const answers = (await Promise.all(posting)).flat();

      assert.ok(
        terminated.some((count) => count > 0),
        `Parley's connections were found and terminated (${terminated.join(', ')})`,
      );
      assert.equal(parley.exitCode(), null, `the process is alive:\n${parley.output()}`);
      const health = await fetch(`${parley.url}/healthz`, { signal: AbortSignal.timeout(5000) });
      assert.equal(health.status, 200, 'answers /healthz after');

      const unexpected = answers.filter((a) => a.status !== 201 && a.status !== 503);
      assert.deepEqual(
        unexpected.slice(0, 5),
        [],
        `every answer 201 or 503 (${unexpected.length} of ${answers.length} were not)`,
      );
      for (const answer of answers.filter((a) => a.status === 503)) {
        assert.equal(answer.code, 'BUSY');
        assert.ok(Number(answer.retryAfter) >= 1, 'a 503 says when to retry (Retry-After)');
      }
      const acknowledged = answers.flatMap((a) => (a.status === 201 && a.id ? [a.id] : []));
      assert.ok(acknowledged.length > CLIENTS, `posts went through (${acknowledged.length})`);

      const store = openStore(parley.database);
      try {
        const rows = await store.db
          .selectFrom('comments')
          .select('id')
          .where('story_id', '=', storyId)
          .execute();
        const stored = new Set(rows.map((row) => row.id));
        const lost = acknowledged.filter((id) => !stored.has(id));
        assert.deepEqual(lost, [], 'every comment answered 201 is in the database');
      } finally {
        await store.close();
      }
      const busy = answers.filter((a) => a.status === 503).length;
      console.log(
        `${answers.length} posts: ${acknowledged.length} acknowledged, ${busy} answered 503; ` +
          `connections terminated per round: ${terminated.join(', ')}`,
      );
    },
  );
});
