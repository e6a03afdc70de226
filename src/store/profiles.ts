/**
 * SQL for readers' public profiles (docs/profiles.md): whether a reader keeps their history
 * private, and a page of their approved comments on one site's stories, newest first.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { toFlag, toIso } from './rows.ts';

type Db = Kysely<Database>;

/** Whether the reader keeps their comment history off their profile (false: no row, the default). */
export async function isProfilePrivate(db: Db, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('profile_settings')
    .select('private')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row ? toFlag(row.private) : false;
}

export async function setProfilePrivate(db: Db, userId: string, value: boolean): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto('profile_settings')
    .values({ user_id: userId, private: value ? 1 : 0, updated_at: now })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({ private: value ? 1 : 0, updated_at: now }),
    )
    .execute();
}

export async function deleteProfileSettings(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('profile_settings').where('user_id', '=', userId).execute();
}

/** One of a reader's approved comments as their profile lists it, with its story. */
export interface ProfileComment {
  id: string;
  html: string;
  createdAt: string;
  editedAt: string | null;
  replyCount: number;
  reactionCount: number;
  story: { id: string; title: string | null; url: string };
}

/**
 * Up to `limit` of the author's approved, undeleted comments on the site's stories, older than
 * the comment `before` (ids are time-ordered), newest first.
 */
export async function listProfileComments(
  db: Db,
  query: { userId: string; siteId: string; before: string | null; limit: number },
): Promise<ProfileComment[]> {
  let select = db
    .selectFrom('comments as c')
    .innerJoin('stories as s', 's.id', 'c.story_id')
    .select([
      'c.id',
      'c.html',
      'c.created_at',
      'c.edited_at',
      'c.reply_count',
      'c.reaction_count',
      's.id as story_id',
      's.title as story_title',
      's.url as story_url',
    ])
    .where('c.author_id', '=', query.userId)
    .where('c.site_id', '=', query.siteId)
    .where('s.site_id', '=', query.siteId)
    .where('c.status', '=', 'approved')
    .where('c.deleted_at', 'is', null);
  if (query.before !== null) select = select.where('c.id', '<', query.before);
  const rows = await select.orderBy('c.id', 'desc').limit(query.limit).execute();
  return rows.map((row) => ({
    id: row.id,
    html: row.html,
    createdAt: toIso(row.created_at),
    editedAt: toIso(row.edited_at),
    replyCount: row.reply_count,
    reactionCount: row.reaction_count,
    story: { id: row.story_id, title: row.story_title, url: row.story_url },
  }));
}

/** How many approved comments the author has on the site (shown on the profile when public). */
export async function countProfileComments(
  db: Db,
  userId: string,
  siteId: string,
): Promise<number> {
  const row = await db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('author_id', '=', userId)
    .where('site_id', '=', siteId)
    .where('status', '=', 'approved')
    .where('deleted_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
