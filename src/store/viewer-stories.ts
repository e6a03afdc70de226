/**
 * Who has anything of their own on a page of a thread, read once per page (not once per reader):
 * the reactions and reports on the page's comments, and on a first page the authors of the
 * story's comments awaiting review or rejected, with the reactions and reports on those. A
 * signed-in reader found nowhere in it sees the page as everyone does, so their page needs no
 * query of its own (src/server/routes/stories.ts). One statement (UNION ALL), each part an index
 * range scan: reactions_pk and reports_once_per_user by comment, comments_story_status for the
 * unpublished ones; so it costs what the page's comments have gathered, not what the story holds.
 */
import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { Database } from './schema.ts';

export interface PageMarkRow {
  /** `r`: a reaction; `p`: a report; `u`: an unpublished comment (`user_id` is its author). */
  kind: 'r' | 'p' | 'u';
  user_id: string;
  comment_id: string;
}

const UNPUBLISHED = ['pending', 'rejected'] as const;

/** Up to `limit` rows (more than `limit - 1` means "too many to keep"). */
export async function listPageMarks(
  db: Kysely<Database>,
  input: { storyId: string; commentIds: string[]; firstPage: boolean; limit: number },
): Promise<PageMarkRow[]> {
  const { storyId, commentIds } = input;
  const kind = (k: PageMarkRow['kind']) => sql<PageMarkRow['kind']>`${sql.lit(k)}`.as('kind');
  const parts = [
    ...(commentIds.length > 0
      ? [
          db
            .selectFrom('reactions')
            .select([kind('r'), 'user_id', 'comment_id'])
            .where('comment_id', 'in', commentIds),
          db
            .selectFrom('reports')
            .select([kind('p'), 'user_id', 'comment_id'])
            .where('comment_id', 'in', commentIds),
        ]
      : []),
    ...(input.firstPage
      ? [
          db
            .selectFrom('comments')
            .select([kind('u'), 'author_id as user_id', 'id as comment_id'])
            .where('story_id', '=', storyId)
            .where('status', 'in', UNPUBLISHED),
          db
            .selectFrom('reactions')
            .innerJoin('comments', 'comments.id', 'reactions.comment_id')
            .select([kind('r'), 'reactions.user_id', 'reactions.comment_id'])
            .where('comments.story_id', '=', storyId)
            .where('comments.status', 'in', UNPUBLISHED),
          db
            .selectFrom('reports')
            .innerJoin('comments', 'comments.id', 'reports.comment_id')
            .select([kind('p'), 'reports.user_id', 'reports.comment_id'])
            .where('comments.story_id', '=', storyId)
            .where('comments.status', 'in', UNPUBLISHED),
        ]
      : []),
  ];
  const [head, ...rest] = parts;
  if (!head) return [];
  // (The parts read different tables into the same columns.)
  let query = head as SelectQueryBuilder<Database, 'reactions', PageMarkRow>;
  for (const part of rest) query = query.unionAll(part);
  return (await query.limit(input.limit).execute()) as PageMarkRow[];
}
