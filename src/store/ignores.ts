/**
 * SQL for the readers a reader ignores (docs/profiles.md, "Ignore"): one row per pair, listed
 * newest first with the ignored reader's name and picture.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { toIso } from './rows.ts';

type Db = Kysely<Database>;

export interface IgnoredReader {
  userId: string;
  displayName: string;
  avatarUrl: string | null;
  since: string;
}

/** Everyone the reader ignores, newest first (at most the cap, so one page). */
export async function listIgnores(db: Db, userId: string): Promise<IgnoredReader[]> {
  const rows = await db
    .selectFrom('ignores as i')
    .innerJoin('users as u', 'u.id', 'i.ignored_user_id')
    .select(['i.ignored_user_id', 'i.created_at', 'u.display_name', 'u.avatar_url'])
    .where('i.user_id', '=', userId)
    .orderBy('i.created_at', 'desc')
    .orderBy('i.ignored_user_id', 'desc')
    .execute();
  return rows.map((row) => ({
    userId: row.ignored_user_id,
    displayName: row.display_name,
    avatarUrl: row.avatar_url,
    since: toIso(row.created_at),
  }));
}

export async function countIgnores(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('ignores')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Whether `userId` ignores `otherId`. */
export async function isIgnoring(db: Db, userId: string, otherId: string): Promise<boolean> {
  const row = await db
    .selectFrom('ignores')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('ignored_user_id', '=', otherId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Adds the pair (kept as it was when already there); returns whether it was new. */
export async function insertIgnore(db: Db, userId: string, otherId: string): Promise<boolean> {
  const result = await db
    .insertInto('ignores')
    .values({ user_id: userId, ignored_user_id: otherId, created_at: new Date().toISOString() })
    .onConflict((oc) => oc.columns(['user_id', 'ignored_user_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

export async function deleteIgnore(db: Db, userId: string, otherId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('ignores')
    .where('user_id', '=', userId)
    .where('ignored_user_id', '=', otherId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** Every row naming the reader, either way (their erasure). */
export async function deleteIgnoresOf(db: Db, userId: string): Promise<void> {
  await db
    .deleteFrom('ignores')
    .where((eb) => eb.or([eb('user_id', '=', userId), eb('ignored_user_id', '=', userId)]))
    .execute();
}

/** Which of `userIds` ignore `authorId` (they are not notified of that author's comments). */
export async function listIgnorersAmong(
  db: Db,
  authorId: string,
  userIds: readonly string[],
): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db
    .selectFrom('ignores')
    .select('user_id')
    .where('ignored_user_id', '=', authorId)
    .where('user_id', 'in', [...userIds])
    .execute();
  return new Set(rows.map((row) => row.user_id));
}
