/**
 * SQL for comments, reactions and reports. Every list is a range scan on one of the thread indexes
 * (story, shown-under parent, status, sort key, id); counts are kept on the rows they describe and
 * changed in the same transaction as the write, never computed by scanning.
 */
import { sql, type Kysely } from 'kysely';
import { newId } from '../domain/ids.ts';
import type { Cursor, Sort } from '../domain/thread.ts';
import type { CommentStatus, Database } from './schema.ts';
import { commentFromRow, type CommentRecord, type CommentRow } from './rows.ts';

type Db = Kysely<Database>;

function selectComments(db: Db) {
  return db
    .selectFrom('comments as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .leftJoin('comments as p', (join) =>
      join.onRef('p.id', '=', 'c.parent_id').onRef('c.parent_id', '!=', 'c.thread_parent_id'),
    )
    .leftJoin('users as pu', 'pu.id', 'p.author_id')
    .select([
      'c.id',
      'c.site_id',
      'c.story_id',
      'c.parent_id',
      'c.thread_parent_id',
      'c.depth',
      'c.author_id',
      'u.display_name as author_name',
      'u.role as author_role',
      'pu.display_name as reply_to_name',
      'c.body',
      'c.html',
      'c.status',
      'c.reply_count',
      'c.reaction_count',
      'c.created_at',
      'c.edited_at',
      'c.deleted_at',
    ]);
}

export async function getComment(db: Db, id: string): Promise<CommentRecord | undefined> {
  const row = await selectComments(db).where('c.id', '=', id).executeTakeFirst();
  return row && commentFromRow(row as CommentRow);
}

export interface ThreadQuery {
  storyId: string;
  /** null for top-level comments. */
  threadParentId: string | null;
  sort: Sort;
  cursor: Cursor | null;
  limit: number;
}

const SORT_COLUMN = { replies: 'c.reply_count', reactions: 'c.reaction_count' } as const;

/** One page of approved comments shown under a parent (or at top level), in the given order. */
export async function listThread(
  db: Db,
  q: ThreadQuery,
): Promise<{ comments: CommentRecord[]; last: CommentRecord | undefined; more: boolean }> {
  let query = selectComments(db)
    .where('c.story_id', '=', q.storyId)
    .where('c.thread_parent_id', q.threadParentId === null ? 'is' : '=', q.threadParentId)
    .where('c.status', '=', 'approved');
  const cursor = q.cursor;
  if (q.sort === 'newest' || q.sort === 'oldest') {
    const direction = q.sort === 'newest' ? 'desc' : 'asc';
    if (cursor) query = query.where('c.id', direction === 'desc' ? '<' : '>', cursor.id);
    query = query.orderBy('c.id', direction);
  } else {
    const column = SORT_COLUMN[q.sort];
    if (cursor) {
      query = query.where((eb) =>
        eb(eb.refTuple(column, 'c.id'), '<', eb.tuple(cursor.key ?? 0, cursor.id)),
      );
    }
    query = query.orderBy(column, 'desc').orderBy('c.id', 'desc');
  }
  const rows = (await query.limit(q.limit + 1).execute()) as CommentRow[];
  const more = rows.length > q.limit;
  const comments = rows.slice(0, q.limit).map(commentFromRow);
  return { comments, last: comments.at(-1), more };
}

/** The first `perParent` approved replies (oldest first) under each parent, in one round trip. */
export async function listFirstReplies(
  db: Db,
  storyId: string,
  parentIds: string[],
  perParent: number,
): Promise<Map<string, CommentRecord[]>> {
  const byParent = new Map<string, CommentRecord[]>();
  if (parentIds.length === 0 || perParent === 0) return byParent;
  const arm = (parentId: string, index: number) =>
    db
      .selectFrom(
        selectComments(db)
          .where('c.story_id', '=', storyId)
          .where('c.thread_parent_id', '=', parentId)
          .where('c.status', '=', 'approved')
          .orderBy('c.id', 'asc')
          .limit(perParent)
          .as(`r${index}`),
      )
      .selectAll();
  let query = arm(parentIds[0] as string, 0);
  parentIds.slice(1).forEach((id, i) => {
    query = query.unionAll(arm(id, i + 1));
  });
  const rows = (await query.execute()) as CommentRow[];
  for (const row of rows) {
    const comment = commentFromRow(row);
    const key = comment.threadParentId as string;
    const list = byParent.get(key) ?? [];
    list.push(comment);
    byParent.set(key, list);
  }
  for (const list of byParent.values()) list.sort((a, b) => (a.id < b.id ? -1 : 1));
  return byParent;
}

/** The viewer's own comments on a story that are waiting for a moderator (newest first). */
export async function listOwnPending(
  db: Db,
  storyId: string,
  authorId: string,
  limit = 20,
): Promise<CommentRecord[]> {
  const rows = (await selectComments(db)
    .where('c.author_id', '=', authorId)
    .where('c.story_id', '=', storyId)
    .where('c.status', '=', 'pending')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute()) as CommentRow[];
  return rows.map(commentFromRow);
}

export interface NewComment {
  siteId: string;
  storyId: string;
  parentId: string | null;
  threadParentId: string | null;
  depth: number;
  authorId: string;
  body: string;
  html: string;
  status: CommentStatus;
  /** When it was written; now unless importing or seeding. */
  createdAt?: Date;
}

/** Inserts a comment and moves the counts it changes, in one transaction. */
export async function insertComment(db: Db, input: NewComment): Promise<CommentRecord> {
  const createdAt = input.createdAt ?? new Date();
  const id = newId(createdAt.getTime());
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('comments')
      .values({
        id,
        site_id: input.siteId,
        story_id: input.storyId,
        parent_id: input.parentId,
        thread_parent_id: input.threadParentId,
        depth: input.depth,
        author_id: input.authorId,
        body: input.body,
        html: input.html,
        status: input.status,
        reply_count: 0,
        reaction_count: 0,
        created_at: createdAt.toISOString(),
        edited_at: null,
        deleted_at: null,
      })
      .execute();
    if (input.status === 'approved') await moveCounts(trx, input, +1);
  });
  const stored = await getComment(db, id);
  if (!stored) throw new Error(`comment ${id} vanished after insert`);
  return stored;
}

async function moveCounts(
  db: Db,
  comment: { storyId: string; threadParentId: string | null },
  delta: 1 | -1,
): Promise<void> {
  await db
    .updateTable('stories')
    .set({ comment_count: sql`comment_count + ${delta}` })
    .where('id', '=', comment.storyId)
    .execute();
  if (comment.threadParentId) {
    await db
      .updateTable('comments')
      .set({ reply_count: sql`reply_count + ${delta}` })
      .where('id', '=', comment.threadParentId)
      .execute();
  }
}

export async function updateCommentBody(
  db: Db,
  id: string,
  body: string,
  html: string,
): Promise<void> {
  await db
    .updateTable('comments')
    .set({ body, html, edited_at: new Date().toISOString() })
    .where('id', '=', id)
    .execute();
}

/**
 * Deletes a comment for its author. One with replies stays as a tombstone (still listed, text
 * erased) so the replies keep their place; one without replies leaves the thread.
 */
export async function deleteComment(db: Db, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .selectFrom('comments')
      .select(['status', 'reply_count', 'story_id', 'thread_parent_id', 'deleted_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row || row.deleted_at !== null || row.status === 'deleted') return;
    const now = new Date().toISOString();
    const keepAsTombstone = row.status === 'approved' && row.reply_count > 0;
    await trx
      .updateTable('comments')
      .set({
        body: '',
        html: '',
        deleted_at: now,
        ...(keepAsTombstone ? {} : { status: 'deleted' as const }),
      })
      .where('id', '=', id)
      .execute();
    if (row.status !== 'approved') return;
    if (keepAsTombstone) {
      await trx
        .updateTable('stories')
        .set({ comment_count: sql`comment_count - 1` })
        .where('id', '=', row.story_id)
        .execute();
    } else {
      await moveCounts(trx, { storyId: row.story_id, threadParentId: row.thread_parent_id }, -1);
    }
  });
}

/** Adds or removes the user's reaction; returns the comment's reaction count afterwards. */
export async function setReaction(
  db: Db,
  commentId: string,
  userId: string,
  reacted: boolean,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    let changed: boolean;
    if (reacted) {
      const inserted = await trx
        .insertInto('reactions')
        .values({ comment_id: commentId, user_id: userId, created_at: new Date().toISOString() })
        .onConflict((oc) => oc.columns(['comment_id', 'user_id']).doNothing())
        .executeTakeFirst();
      changed = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
    } else {
      const deleted = await trx
        .deleteFrom('reactions')
        .where('comment_id', '=', commentId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      changed = Number(deleted.numDeletedRows) > 0;
    }
    if (changed) {
      await trx
        .updateTable('comments')
        .set({ reaction_count: sql`reaction_count + ${reacted ? 1 : -1}` })
        .where('id', '=', commentId)
        .execute();
    }
    const row = await trx
      .selectFrom('comments')
      .select('reaction_count')
      .where('id', '=', commentId)
      .executeTakeFirstOrThrow();
    return row.reaction_count;
  });
}

/** Records a report; returns false when this user already reported this comment. */
export async function insertReport(
  db: Db,
  report: { commentId: string; userId: string; reason: string; note: string | null },
): Promise<boolean> {
  const result = await db
    .insertInto('reports')
    .values({
      id: newId(),
      comment_id: report.commentId,
      user_id: report.userId,
      reason: report.reason,
      note: report.note,
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.columns(['comment_id', 'user_id']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Which of these comments the user has reacted to and reported. */
export async function viewerMarks(
  db: Db,
  userId: string,
  commentIds: string[],
): Promise<{ reacted: Set<string>; reported: Set<string> }> {
  if (commentIds.length === 0) return { reacted: new Set(), reported: new Set() };
  const [reactions, reports] = await Promise.all([
    db
      .selectFrom('reactions')
      .select('comment_id')
      .where('user_id', '=', userId)
      .where('comment_id', 'in', commentIds)
      .execute(),
    db
      .selectFrom('reports')
      .select('comment_id')
      .where('user_id', '=', userId)
      .where('comment_id', 'in', commentIds)
      .execute(),
  ]);
  return {
    reacted: new Set(reactions.map((r) => r.comment_id)),
    reported: new Set(reports.map((r) => r.comment_id)),
  };
}
