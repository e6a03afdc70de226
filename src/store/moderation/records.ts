/**
 * Comments as moderators read them: each with its story, its author's standing and history counts,
 * the pipeline's outcome, readers' reports, notices of illegal content and the latest appeal; one
 * comment with its surroundings; a user's latest comments; a page of records behind a cursor.
 */
import type { Kysely } from 'kysely';
import { appealsOf, illegalNoticesOf, type AppealRecord, type IllegalNotice } from '../appeals.ts';
import type { CommentsQuery, StoredModeration } from '../comments.ts';
import { toFlag, toIso } from '../rows.ts';
import type { CommentStatus, Database } from '../schema.ts';
import type { SiteScope } from './filters.ts';
import { getModeratedUsers, type ModeratedUser } from './users.ts';

type Db = Kysely<Database>;

export interface ModerationRecord {
  comment: {
    id: string;
    siteId: string;
    storyId: string;
    parentId: string | null;
    body: string;
    html: string;
    status: CommentStatus;
    deleted: boolean;
    createdAt: string;
    editedAt: string | null;
    featured: boolean;
    reviewedAt: string | null;
    replyCount: number;
    reactionCount: number;
    moderation: StoredModeration;
    rejection: { code: string; note: string | null } | null;
    openReports: number;
    reports: { total: number; byReason: Record<string, number> };
    /** Notices of illegal content (docs/dsa.md), oldest first. */
    illegalNotices: IllegalNotice[];
    /** The latest appeal of a decision on the comment, if any. */
    appeal: AppealRecord | null;
  };
  story: { id: string; title: string | null; url: string; siteId: string };
  author: ModeratedUser;
}

const NO_MODERATION: StoredModeration = { decidedBy: null, reasons: [], scores: {}, tags: [] };

function readStoredModeration(json: string): StoredModeration {
  try {
    const value = JSON.parse(json) as Partial<StoredModeration>;
    return {
      decidedBy: typeof value.decidedBy === 'string' ? value.decidedBy : null,
      reasons: Array.isArray(value.reasons) ? value.reasons : [],
      scores: value.scores && typeof value.scores === 'object' ? value.scores : {},
      tags: Array.isArray(value.tags) ? value.tags : [],
      highlights: Array.isArray(value.highlights) ? value.highlights : [],
    };
  } catch {
    return NO_MODERATION;
  }
}

/** Reads a page of comments (chosen by `page`) with their stories, authors and reports. */
async function readRecords(
  db: Db,
  page: CommentsQuery,
  ascending = false,
): Promise<ModerationRecord[]> {
  const rows = await db
    .selectFrom(page.as('c'))
    .innerJoin('stories as s', 's.id', 'c.story_id')
    .select([
      'c.id',
      'c.site_id',
      'c.story_id',
      'c.parent_id',
      'c.author_id',
      'c.body',
      'c.html',
      'c.status',
      'c.created_at',
      'c.edited_at',
      'c.deleted_at',
      'c.featured',
      'c.reviewed_at',
      'c.reply_count',
      'c.reaction_count',
      'c.moderation',
      'c.rejection_code',
      'c.rejection_note',
      'c.open_reports',
      's.title as story_title',
      's.url as story_url',
    ])
    .execute();
  rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) * (ascending ? 1 : -1));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [authors, reports, notices, appeals] = await Promise.all([
    getModeratedUsers(db, [...new Set(rows.map((r) => r.author_id))]),
    db
      .selectFrom('reports')
      .select(['comment_id', 'reason', (eb) => eb.fn.countAll<number>().as('n')])
      .where('comment_id', 'in', ids)
      .groupBy(['comment_id', 'reason'])
      .execute(),
    illegalNoticesOf(db, ids),
    appealsOf(db, ids),
  ]);
  const reportsOf = new Map<string, { total: number; byReason: Record<string, number> }>();
  for (const r of reports) {
    const entry = reportsOf.get(r.comment_id) ?? { total: 0, byReason: {} };
    entry.total += Number(r.n);
    entry.byReason[r.reason] = Number(r.n);
    reportsOf.set(r.comment_id, entry);
  }
  return rows.map((row) => ({
    comment: {
      id: row.id,
      siteId: row.site_id,
      storyId: row.story_id,
      parentId: row.parent_id,
      body: row.body,
      html: row.html,
      status: row.status,
      deleted: row.deleted_at !== null || row.status === 'deleted',
      createdAt: toIso(row.created_at),
      editedAt: toIso(row.edited_at),
      featured: toFlag(row.featured),
      reviewedAt: toIso(row.reviewed_at),
      replyCount: row.reply_count,
      reactionCount: row.reaction_count,
      moderation: readStoredModeration(row.moderation),
      rejection: row.rejection_code ? { code: row.rejection_code, note: row.rejection_note } : null,
      openReports: row.open_reports,
      reports: reportsOf.get(row.id) ?? { total: 0, byReason: {} },
      illegalNotices: notices.get(row.id) ?? [],
      appeal: appeals.get(row.id) ?? null,
    },
    story: { id: row.story_id, title: row.story_title, url: row.story_url, siteId: row.site_id },
    author: authors.get(row.author_id) as ModeratedUser,
  }));
}

/**
 * A page of records: `query` asks for one more than `limit`, which tells whether there is a next
 * page (its cursor is the last record shown).
 */
export async function readPage(
  db: Db,
  query: CommentsQuery,
  limit: number,
  ascending: boolean,
): Promise<{ records: ModerationRecord[]; nextCursor: string | null }> {
  const records = await readRecords(db, query, ascending);
  const more = records.length > limit;
  const shown = records.slice(0, limit);
  return { records: shown, nextCursor: more ? (shown.at(-1)?.comment.id ?? null) : null };
}

export async function getRecord(db: Db, id: string): Promise<ModerationRecord | undefined> {
  const [record] = await readRecords(
    db,
    db.selectFrom('comments').selectAll().where('id', '=', id),
  );
  return record;
}

/** The comment's parent, its first replies (oldest first) and its author's latest comments. */
export async function recordSurroundings(
  db: Db,
  record: ModerationRecord,
  scope: SiteScope,
): Promise<{
  parent: ModerationRecord | null;
  replies: ModerationRecord[];
  authorRecent: ModerationRecord[];
}> {
  const { comment, author } = record;
  const [parent, replies, authorRecent] = await Promise.all([
    comment.parentId ? getRecord(db, comment.parentId) : undefined,
    readRecords(
      db,
      db
        .selectFrom('comments')
        .selectAll()
        .where('parent_id', '=', comment.id)
        .where('status', '!=', 'deleted')
        .orderBy('id', 'asc')
        .limit(10),
      true,
    ),
    authorComments(db, author.id, scope, 10),
  ]);
  return { parent: parent ?? null, replies, authorRecent };
}

/** A user's latest comments on the sites in scope, newest first. */
export function authorComments(
  db: Db,
  authorId: string,
  scope: SiteScope,
  limit: number,
): Promise<ModerationRecord[]> {
  let q = db
    .selectFrom('comments')
    .selectAll()
    .where('author_id', '=', authorId)
    .where('status', '!=', 'deleted');
  if (scope !== null) q = q.where('site_id', 'in', scope);
  return readRecords(db, q.orderBy('id', 'desc').limit(limit));
}
