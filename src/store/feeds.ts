/**
 * SQL for the comment feeds (src/server/routes/feeds.ts): a story's or a site's latest published
 * comments, newest first, each with its author's name and its story's address. Each is a range
 * scan, newest first, on the (story, status, id) or (site, status, id) index of migration 0002.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import { toIso } from './rows.ts';

type Db = Kysely<Database>;

export interface FeedComment {
  id: string;
  storyId: string;
  storyUrl: string;
  storyTitle: string | null;
  authorName: string;
  html: string;
  createdAt: string;
  editedAt: string | null;
}

export async function latestPublished(
  db: Db,
  where: { storyId: string } | { siteId: string },
  limit: number,
): Promise<FeedComment[]> {
  let page = db
    .selectFrom('comments')
    .select(['id', 'story_id', 'author_id', 'html', 'created_at', 'edited_at'])
    .where('status', '=', 'approved')
    .where('deleted_at', 'is', null);
  page =
    'storyId' in where
      ? page.where('story_id', '=', where.storyId)
      : page.where('site_id', '=', where.siteId);
  page = page.orderBy('id', 'desc').limit(limit);
  const rows = await db
    .selectFrom(page.as('c'))
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .innerJoin('stories as s', 's.id', 'c.story_id')
    .select([
      'c.id',
      'c.story_id',
      'c.html',
      'c.created_at',
      'c.edited_at',
      'u.display_name',
      's.url',
      's.title',
    ])
    .execute();
  rows.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return rows.map((row) => ({
    id: row.id,
    storyId: row.story_id,
    storyUrl: row.url,
    storyTitle: row.title,
    authorName: row.display_name,
    html: row.html,
    createdAt: toIso(row.created_at),
    editedAt: toIso(row.edited_at),
  }));
}
