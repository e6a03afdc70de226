/**
 * A comment's moderation state (status, featured, review, open reports, rejection) as moderators'
 * actions lock, check and write it (src/services/moderation-actions.ts keeps it before and after
 * in the audit log).
 */
import { sql, type Kysely } from 'kysely';
import { toFlag, toIso } from '../rows.ts';
import type { CommentStatus, Database } from '../schema.ts';

type Db = Kysely<Database>;

/** What a moderator's action on a comment changes, kept before and after in the audit log. */
export interface CommentState {
  status: CommentStatus;
  featured: boolean;
  reviewedAt: string | null;
  openReports: number;
  rejection: { code: string; note: string | null } | null;
}

/** Locks the comment for this transaction (PostgreSQL row lock; SQLite holds the write lock). */
export async function lockCommentState(
  trx: Db,
  id: string,
): Promise<
  | (CommentState & {
      siteId: string;
      storyId: string;
      parentId: string | null;
      threadParentId: string | null;
      authorId: string;
      deleted: boolean;
    })
  | undefined
> {
  const row = await trx
    .updateTable('comments')
    .set({ status: sql`status` })
    .where('id', '=', id)
    .returning([
      'site_id',
      'story_id',
      'parent_id',
      'thread_parent_id',
      'author_id',
      'status',
      'featured',
      'reviewed_at',
      'open_reports',
      'rejection_code',
      'rejection_note',
      'deleted_at',
    ])
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    siteId: row.site_id,
    storyId: row.story_id,
    parentId: row.parent_id,
    threadParentId: row.thread_parent_id,
    authorId: row.author_id,
    deleted: row.deleted_at !== null || row.status === 'deleted',
    status: row.status,
    featured: toFlag(row.featured),
    reviewedAt: toIso(row.reviewed_at),
    openReports: row.open_reports,
    rejection: row.rejection_code ? { code: row.rejection_code, note: row.rejection_note } : null,
  };
}

/** Whether a comment is published and not deleted (a reply under it can be shown). */
export async function isLivePublished(trx: Db, id: string): Promise<boolean> {
  const row = await trx
    .selectFrom('comments')
    .select('id')
    .where('id', '=', id)
    .where('status', '=', 'approved')
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

export async function writeCommentState(trx: Db, id: string, state: CommentState): Promise<void> {
  await trx
    .updateTable('comments')
    .set({
      status: state.status,
      featured: state.featured ? 1 : 0,
      reviewed_at: state.reviewedAt,
      open_reports: state.openReports,
      rejection_code: state.rejection?.code ?? null,
      rejection_note: state.rejection?.note ?? null,
    })
    .where('id', '=', id)
    .execute();
}
