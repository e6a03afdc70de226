/**
 * A reader's mark on a comment that is counted on the comment's row: a reaction ("Respect",
 * `reactions` and `reaction_count`) or a vote for a Q&A question (`question_votes` and
 * `vote_count`). Both are one row per reader and comment, given or taken back idempotently, with
 * the count moved in the same transaction only when the row really came or went.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

type Db = Kysely<Database>;

/** The mark tables and the count each keeps on `comments`. */
const COUNTS = {
  reactions: 'reaction_count',
  question_votes: 'vote_count',
} as const;

export type MarkTable = keyof typeof COUNTS;

/**
 * Gives (`on`) or takes back the user's mark and moves the comment's count with it; answers
 * whether anything changed. Inside the caller's transaction: the count's update locks the row.
 */
export async function toggleMark(
  trx: Db,
  table: MarkTable,
  commentId: string,
  userId: string,
  on: boolean,
): Promise<boolean> {
  let changed: boolean;
  if (on) {
    const inserted = await trx
      .insertInto(table)
      .values({ comment_id: commentId, user_id: userId, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.columns(['comment_id', 'user_id']).doNothing())
      .executeTakeFirst();
    changed = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
  } else {
    const deleted = await trx
      .deleteFrom(table)
      .where('comment_id', '=', commentId)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    changed = Number(deleted.numDeletedRows) > 0;
  }
  if (changed) {
    const count = sql.ref(COUNTS[table]);
    await trx
      .updateTable('comments')
      .set({ [COUNTS[table]]: sql`${count} + ${on ? 1 : -1}` })
      .where('id', '=', commentId)
      .execute();
  }
  return changed;
}
