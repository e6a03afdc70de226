/**
 * SQL for the sign-in backoff (docs/identity.md, "Brute force"): failed sign-ins counted per key
 * (`account:<hash of the address>`, `ip:<client address>`) and the time the key is blocked until.
 * The count is incremented in the upsert itself, so concurrent failures are all counted; an
 * account's attempts are counted before the password is checked (`claimAttempt`), so that
 * concurrent guesses cannot all pass the check before the first of them is counted.
 */
import { sql, type Kysely } from 'kysely';
import { takesRowLocks } from './db.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database>;

/** How long a key stays blocked (ms), or 0: the latest `blocked_until` among the keys. */
export async function throttleWaitMs(db: Db, keys: string[], now = Date.now()): Promise<number> {
  const rows = await db
    .selectFrom('auth_throttle')
    .select('blocked_until')
    .where('key', 'in', keys)
    .where('blocked_until', 'is not', null)
    .execute();
  let until = 0;
  for (const row of rows) {
    if (row.blocked_until) until = Math.max(until, new Date(row.blocked_until).getTime());
  }
  return Math.max(0, until - now);
}

/**
 * Counts one failure for the key (a count older than `windowMs` starts again) and returns the
 * new count. The caller decides the block and writes it with `blockUntil`.
 */
export async function countFailure(
  db: Db,
  key: string,
  windowMs: number,
  now = new Date(),
): Promise<number> {
  const at = now.toISOString();
  const windowStart = new Date(now.getTime() - windowMs).toISOString();
  const stale = sql<boolean>`auth_throttle.first_failure_at < ${windowStart}`;
  const row = await db
    .insertInto('auth_throttle')
    .values({ key, failures: 1, first_failure_at: at, blocked_until: null })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        failures: sql<number>`case when ${stale} then 1 else auth_throttle.failures + 1 end`,
        first_failure_at: sql<string>`case when ${stale} then ${at} else auth_throttle.first_failure_at end`,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return Number(row.failures);
}

/**
 * Counts an attempt for the key as a failure before it is checked, and blocks the key for
 * `waitMs(failures)` when the count reaches `allowed`, in one transaction with the key's row
 * locked; the caller clears the key when the attempt succeeds. Answers how long the key is
 * blocked (ms), or 0: the attempt may go ahead. Of concurrent attempts, then, only those counted
 * before the block go ahead, however many arrive together.
 *
 * With `failingWaitMs` (the client is blocked on another count), only a key without failures in
 * its window goes ahead, once; one with failures answers that wait.
 */
export async function claimAttempt(
  db: Db,
  key: string,
  rule: {
    allowed: number;
    windowMs: number;
    waitMs: (failures: number) => number;
    failingWaitMs?: number;
  },
  now = new Date(),
): Promise<number> {
  const at = now.toISOString();
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('auth_throttle')
      .values({ key, failures: 0, first_failure_at: at, blocked_until: null })
      .onConflict((oc) => oc.column('key').doNothing())
      .execute();
    const query = trx.selectFrom('auth_throttle').selectAll().where('key', '=', key);
    const row = await (takesRowLocks(trx) ? query.forUpdate() : query).executeTakeFirstOrThrow();
    const blockedFor = row.blocked_until
      ? new Date(row.blocked_until).getTime() - now.getTime()
      : 0;
    if (blockedFor > 0) return blockedFor;
    const stale = new Date(row.first_failure_at).getTime() < now.getTime() - rule.windowMs;
    const before = stale ? 0 : Number(row.failures);
    if (rule.failingWaitMs && before > 0) return rule.failingWaitMs;
    const failures = before + 1;
    await trx
      .updateTable('auth_throttle')
      .set({
        failures,
        ...(stale && { first_failure_at: at }),
        blocked_until:
          failures >= rule.allowed
            ? new Date(now.getTime() + rule.waitMs(failures)).toISOString()
            : null,
      })
      .where('key', '=', key)
      .execute();
    return 0;
  });
}

export async function blockUntil(db: Db, key: string, until: Date): Promise<void> {
  await db
    .updateTable('auth_throttle')
    .set({ blocked_until: until.toISOString() })
    .where('key', '=', key)
    .execute();
}

export async function clearThrottle(db: Db, key: string): Promise<void> {
  await db.deleteFrom('auth_throttle').where('key', '=', key).execute();
}

/** Forgets counts that started before `before` and block nobody any more (housekeeping). */
export async function pruneThrottle(db: Db, before: Date, now = new Date()): Promise<number> {
  const result = await db
    .deleteFrom('auth_throttle')
    .where('first_failure_at', '<', before.toISOString())
    .where((eb) =>
      eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<', now.toISOString())]),
    )
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
