/**
 * A fault test: another process holds SQLite's write lock (`BEGIN IMMEDIATE` on Parley's database
 * file) for six seconds while readers post. better-sqlite3 is synchronous, so a write waiting for
 * the lock inside SQLite would stop the whole process: here /healthz must keep answering quickly
 * while the posts wait, and every post must end 201 (once the lock is released) or 503 BUSY
 * (after waiting its bounded time), never 500; every comment answered 201 is in the database.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/store/db.ts';
import { insertSite } from '../../src/store/sites.ts';
import { RELAXED_MODERATION, SITE_ORIGIN } from '../helpers/app.ts';
import { startParley, type ParleyProcess } from '../helpers/process.ts';
import { signedInWriters } from '../helpers/writers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLIENTS = 4;
const LOCK_MS = 6000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Another process that takes the write lock, says so, holds it for `ms`, then lets it go. */
function holdWriteLock(file: string, ms: number): { locked: Promise<void>; done: Promise<number> } {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(process.argv[1], { timeout: 10000 });
    db.exec('BEGIN IMMEDIATE');
    console.log('locked');
    setTimeout(() => { db.exec('ROLLBACK'); db.close(); }, Number(process.argv[2]));
  `;
  const child = spawn(process.execPath, ['-e', script, file, String(ms)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const locked = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('locked')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
  });
  const done = new Promise<number>((resolve) => child.once('exit', (code) => resolve(code ?? -1)));
  return { locked, done };
}

describe('SQLite locked by another process', () => {
  let parley: ParleyProcess;
  let file: string;
  let storyId: string;
  const tokens: string[] = [];

  before(async () => {
    parley = await startParley({
      engine: 'sqlite',
      env: { PARLEY_CLASSIFIER: '0', PARLEY_WRITE_RATE_LIMIT: '1000000', LOG_LEVEL: 'fatal' },
    });
    if (parley.database.engine !== 'sqlite') throw new Error('expected a SQLite database');
    file = parley.database.file;
    const store = openStore(parley.database);
    let siteId: string;
    try {
      ({ id: siteId } = await insertSite(store.db, {
        name: 'Locked News',
        allowedOrigins: [SITE_ORIGIN],
        editWindowSeconds: 300,
        maxDepth: 3,
        moderation: RELAXED_MODERATION,
      }));
      tokens.push(...(await signedInWriters(store, CLIENTS, 'locked')));
    } finally {
      await store.close();
    }
    const resolved = await fetch(`${parley.url}/api/v1/stories/resolve`, {
      method: 'POST',
      headers: { origin: SITE_ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ url: `${SITE_ORIGIN}/news/locked`, storyId: 'locked', siteId }),
    });
    assert.equal(resolved.status, 200, await resolved.clone().text());
    storyId = ((await resolved.json()) as { story: { id: string } }).story.id;
  });

  after(async () => {
    await parley?.stop();
  });

  function post(client: number, text: string) {
    return fetch(`${parley.url}/api/v1/stories/${storyId}/comments`, {
      method: 'POST',
      headers: {
        origin: SITE_ORIGIN,
        authorization: `Bearer ${tokens[client]}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ body: text }),
      signal: AbortSignal.timeout(30_000),
    });
  }

  test(
    'the process keeps answering while writes wait; posts end 201 or 503, never 500',
    { timeout: 60_000 },
    async () => {
      // Warm up: the first post of a process compiles and caches what later ones reuse.
      for (let client = 0; client < CLIENTS; client++) {
        assert.equal((await post(client, `Warm-up from ${client}.`)).status, 201);
      }

      const lock = holdWriteLock(file, LOCK_MS);
      await lock.locked;
      const released = lock.done.then(() => Date.now());
      const stop = { now: false };

      const posting = Array.from({ length: CLIENTS }, async (_, client) => {
        const answers: { status: number; id?: string; code?: string; at: number }[] = [];
        for (let i = 0; !stop.now; i++) {
          const response = await post(client, `Comment ${i} from client ${client}.`);
          const json = (await response.json()) as {
            comment?: { id: string };
            error?: { code: string };
          };
          answers.push({
            status: response.status,
            id: json.comment?.id,
            code: json.error?.code,
            at: Date.now(),
          });
        }
        return answers;
      });

      const healthTimes: number[] = [];
      let lockOver = false;
      void released.then(() => (lockOver = true));
      while (!lockOver) {
        const started = performance.now();
        const response = await fetch(`${parley.url}/healthz`, {
          signal: AbortSignal.timeout(20_000),
        });
        healthTimes.push(performance.now() - started);
        assert.equal(response.status, 200);
        await sleep(50);
      }
      assert.equal(await lock.done, 0, 'the lock holder ran and let go');
      const releasedAt = await released;
      // Posts go on for a moment after the lock is released, and then go through.
      await sleep(1500);
      stop.now = true;
      const answers = (await Promise.all(posting)).flat();

      const slowest = Math.max(...healthTimes);
      assert.ok(slowest < 1000, `/healthz answered within 1 s while writes waited (${slowest} ms)`);
      assert.ok(healthTimes.length > 10, `/healthz was polled (${healthTimes.length} times)`);

      const unexpected = answers.filter((a) => a.status !== 201 && a.status !== 503);
      assert.deepEqual(unexpected, [], 'every post answered 201 or 503');
      for (const answer of answers.filter((a) => a.status === 503)) {
        assert.equal(answer.code, 'BUSY');
      }
      assert.ok(
        answers.some((a) => a.status === 201 && a.at > releasedAt),
        'posts go through once the lock is released',
      );

      const acknowledged = answers.flatMap((a) => (a.status === 201 && a.id ? [a.id] : []));
      const store = openStore(parley.database);
      try {
        const rows = await store.db
          .selectFrom('comments')
          .select('id')
          .where('story_id', '=', storyId)
          .execute();
        const stored = new Set(rows.map((row) => row.id));
        assert.deepEqual(
          acknowledged.filter((id) => !stored.has(id)),
          [],
          'every comment answered 201 is in the database',
        );
      } finally {
        await store.close();
      }
      console.log(
        `${answers.length} posts (${acknowledged.length} acknowledged, ` +
          `${answers.filter((a) => a.status === 503).length} answered 503); ` +
          `/healthz polled ${healthTimes.length} times while locked, slowest ${Math.round(slowest)} ms`,
      );
    },
  );
});
