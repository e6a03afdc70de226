/**
 * With REDIS_URL, rate limits are counted across processes: two Parley instances behind one
 * address give a stranger the limit once, not once per process. Needs Redis (required with CI).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createTestDatabase } from '../helpers/engines.ts';
import { REDIS_URL, redisUp, startLive } from './helpers.ts';

const up = await redisUp();

test(
  'processes share their rate limits through Redis',
  { skip: !up && 'Redis is not running' },
  async () => {
    const database = await createTestDatabase('sqlite');
    const env = { REDIS_URL, PARLEY_AUTH_RATE_LIMIT: '4' };
    const shared = `parley:test:${randomBytes(4).toString('hex')}:`;
    const one = await startLive(database, { env, live: { redisPrefix: shared } });
    const two = await startLive(database, { env, live: { redisPrefix: shared } });
    const elsewhere = await startLive(database, {
      env,
      live: { redisPrefix: `parley:test:${randomBytes(4).toString('hex')}:` },
    });
    try {
      const login = async (base: string) =>
        (
          await fetch(`${base}/api/v1/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: 'nobody@example.com', password: 'not the password' }),
          })
        ).status;
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push(await login((i % 2 ? one : two).base));
      assert.deepEqual(statuses, [401, 401, 401, 401, 429, 429], 'four in all, not four each');
      // Another deployment (another prefix) on the same Redis keeps its own counts.
      assert.equal(await login(elsewhere.base), 401);
    } finally {
      await Promise.all([one.close(), two.close(), elsewhere.close()]);
      await database.drop();
    }
  },
);
