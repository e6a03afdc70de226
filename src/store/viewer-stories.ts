/**
 * The stories a reader has left anything on: a comment of theirs (in any state), a reaction or a
 * report. A signed-in reader of any other story sees it as everyone does, so their page needs no
 * query of its own (src/server/routes/stories.ts). Each part is an index range scan on the reader
 * (comments_author_story, reactions_user, reports_user), so it costs what the reader has done,
 * not what the stories hold.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Up to `limit` distinct story ids (more than `limit - 1` means "too many to keep"). */
export async function listMarkedStories(
  db: Kysely<Database>,
  userId: string,
  limit: number,
): Promise<string[]> {
  const rows = await db
    .selectFrom('comments')
    .select('story_id')
    .where('author_id', '=', userId)
    .union(
      db
        .selectFrom('reactions')
        .innerJoin('comments', 'comments.id', 'reactions.comment_id')
        .select('comments.story_id')
        .where('reactions.user_id', '=', userId),
    )
    .union(
      db
        .selectFrom('reports')
        .innerJoin('comments', 'comments.id', 'reports.comment_id')
        .select('comments.story_id')
        .where('reports.user_id', '=', userId),
    )
    .limit(limit)
    .execute();
  return rows.map((r) => r.story_id);
}
