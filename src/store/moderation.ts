/**
 * SQL for moderators: queues (each a range scan on one of the queue indexes of migration 0002),
 * one comment with its surroundings, the state moderators change (status, featured, review,
 * rejection, user restrictions), the audit log, notes, search and statistics.
 *
 * Reads return records with what a moderator needs beside the comment: its story, its author's
 * standing and history counts, the pipeline's outcome and readers' reports.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { idFloor, newId } from '../domain/ids.ts';
import { featuredFlag, type Engine } from './db.ts';
import type { CommentsQuery, StoredModeration } from './comments.ts';
import type {
  CommentStatus,
  Database,
  ModerationActionTable,
  Role,
  UserNoteTable,
} from './schema.ts';
import { toFlag, toIso, userFromRow, type User, type UserRestrictions } from './rows.ts';
import {
  appealsOf,
  illegalNoticesOf,
  openStandingAppeal,
  type AppealRecord,
  type IllegalNotice,
} from './appeals.ts';

type Db = Kysely<Database>;

import { QUEUES, type Queue } from '../domain/vocabulary.ts';

export { QUEUES, type Queue };

/** Which sites a query may see: null means every site. */
export type SiteScope = string[] | null;

export interface QueueFilter {
  scope: SiteScope;
  siteId?: string | undefined;
  storyId?: string | undefined;
}

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

export interface ModeratedUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  createdAt: string;
  bannedAt: string | null;
  banReason: string | null;
  bannedSiteIds: string[] | null;
  suspendedUntil: string | null;
  suspendReason: string | null;
  alwaysPremoderate: boolean;
  warning: string | null;
  warningAcknowledgedAt: string | null;
  moderatorSiteIds: string[] | null;
  counts: { approved: number; pending: number; rejected: number };
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

const siteIdList = (json: string | null): string[] | null =>
  json === null ? null : (JSON.parse(json) as string[]);

/** Restricts a comments query to the sites in scope (and to one site or story when asked). */
function scoped(query: CommentsQuery, filter: QueueFilter): CommentsQuery {
  let q = query;
  if (filter.scope !== null) q = q.where('site_id', 'in', filter.scope);
  if (filter.siteId) q = q.where('site_id', '=', filter.siteId);
  if (filter.storyId) q = q.where('story_id', '=', filter.storyId);
  return q;
}

/**
 * A notice of illegal content not yet decided: made after the comment's last review (an undone
 * decision puts the review time back, and the notice with it).
 */
const openIllegalNotice = sql<boolean>`exists (select 1 from reports r
  where r.comment_id = comments.id and r.reason = 'illegal'
  and (comments.reviewed_at is null or r.created_at > comments.reviewed_at))`;

/** The comments in a queue, before paging. Pending and reported are worked from the oldest. */
function queueQuery(db: Db, queue: Queue, filter: QueueFilter): CommentsQuery {
  let q = db.selectFrom('comments').selectAll();
  switch (queue) {
    case 'pending':
    case 'rejected':
      q = q.where('status', '=', queue);
      break;
    case 'approved':
      q = q.where('status', '=', 'approved').where('deleted_at', 'is', null);
      break;
    case 'reported':
    case 'illegal':
      q = q
        .where('open_reports', '>', 0)
        .where('status', '=', 'approved')
        .where('deleted_at', 'is', null)
        // Notices of illegal content have their queue: a comment is in one of the two.
        .where(queue === 'illegal' ? openIllegalNotice : sql<boolean>`not ${openIllegalNotice}`);
      break;
    case 'appeals':
      // Open appeals whose decision still stands (not undone, replaced, or the comment deleted).
      q = q.where(openStandingAppeal);
      break;
    case 'unmoderated':
      q = q
        .where('reviewed_at', 'is', null)
        .where('status', '=', 'approved')
        .where('deleted_at', 'is', null);
      break;
    case 'featured':
      q = q.where('featured', '=', featuredFlag(db)).where('deleted_at', 'is', null);
      break;
  }
  return scoped(q, filter);
}

export const oldestFirst = (queue: Queue): boolean =>
  queue === 'pending' || queue === 'reported' || queue === 'illegal' || queue === 'appeals';

export async function listQueue(
  db: Db,
  queue: Queue,
  filter: QueueFilter,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ records: ModerationRecord[]; nextCursor: string | null }> {
  const ascending = oldestFirst(queue);
  let q = queueQuery(db, queue, filter);
  if (page.cursor) q = q.where('id', ascending ? '>' : '<', page.cursor);
  q = q.orderBy('id', ascending ? 'asc' : 'desc').limit(page.limit + 1);
  return paged(db, q, page.limit, ascending);
}

async function paged(
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

export async function queueCounts(db: Db, filter: QueueFilter): Promise<Record<Queue, number>> {
  const counts = await Promise.all(
    QUEUES.map(async (queue) => {
      const row = await db
        .selectFrom(queueQuery(db, queue, filter).as('q'))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return [queue, Number(row.n)] as const;
    }),
  );
  return Object.fromEntries(counts) as Record<Queue, number>;
}

/** Reads a page of comments (chosen by `page`) with their stories, authors and reports. */
export async function readRecords(
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

/** Users with their restrictions and how many of their comments are in each state. */
export async function getModeratedUsers(
  db: Db,
  ids: string[],
): Promise<Map<string, ModeratedUser>> {
  if (ids.length === 0) return new Map();
  const [users, counts] = await Promise.all([
    db.selectFrom('users').selectAll().where('id', 'in', ids).execute(),
    // By author only: with a condition on status too, SQLite (without statistics) took the
    // status index and read every published comment of the installation (300 ms at 34,000).
    db
      .selectFrom('comments')
      .select(['author_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('author_id', 'in', ids)
      .where('deleted_at', 'is', null)
      .groupBy(['author_id', 'status'])
      .execute(),
  ]);
  const byUser = new Map<string, ModeratedUser>();
  for (const u of users) {
    byUser.set(u.id, {
      id: u.id,
      name: u.display_name,
      email: u.email,
      role: u.role,
      createdAt: toIso(u.created_at),
      bannedAt: toIso(u.banned_at),
      banReason: u.ban_reason,
      bannedSiteIds: siteIdList(u.banned_site_ids),
      suspendedUntil: toIso(u.suspended_until),
      suspendReason: u.suspend_reason,
      alwaysPremoderate: toFlag(u.always_premoderate),
      warning: u.warning,
      warningAcknowledgedAt: toIso(u.warning_acknowledged_at),
      moderatorSiteIds: siteIdList(u.moderator_site_ids),
      counts: { approved: 0, pending: 0, rejected: 0 },
    });
  }
  for (const c of counts) {
    const user = byUser.get(c.author_id);
    if (user && c.status !== 'deleted') user.counts[c.status] = Number(c.n);
  }
  return byUser;
}

export async function getModeratedUser(db: Db, id: string): Promise<ModeratedUser | undefined> {
  return (await getModeratedUsers(db, [id])).get(id);
}

/** Whether the user in `userColumn` has written a comment on one of these sites (not empty). */
export const commentedOn = (userColumn: 'users.id' | 'a.user_id', siteIds: string[]) =>
  sql<boolean>`exists (select 1 from comments where comments.author_id = ${sql.ref(userColumn)}
    and comments.site_id in (${sql.join(siteIds)}))`;

/**
 * Users by name or email (case-insensitive substring; email unless nameOnly) and role, newest
 * first; with `activeOn`, only those who have commented on one of those sites.
 */
export async function listUsers(
  db: Db,
  filter: {
    q?: string | undefined;
    role?: Role | undefined;
    nameOnly?: boolean;
    activeOn?: SiteScope;
  },
  page: { cursor?: string | undefined; limit: number },
): Promise<{ users: ModeratedUser[]; nextCursor: string | null }> {
  let q = db.selectFrom('users').select('id');
  const activeOn = filter.activeOn;
  if (activeOn) {
    if (activeOn.length === 0) return { users: [], nextCursor: null };
    q = q.where(commentedOn('users.id', activeOn));
  }
  if (filter.q) {
    const pattern = likePattern(filter.q);
    q = q.where((eb) =>
      eb.or([
        eb(sql<string>`lower(display_name)`, 'like', pattern),
        ...(filter.nameOnly ? [] : [eb(sql<string>`lower(email)`, 'like', pattern)]),
      ]),
    );
  }
  if (filter.role) q = q.where('role', '=', filter.role);
  if (page.cursor) q = q.where('id', '<', page.cursor);
  const ids = (
    await q
      .orderBy('id', 'desc')
      .limit(page.limit + 1)
      .execute()
  ).map((r) => r.id);
  const shown = ids.slice(0, page.limit);
  const users = await getModeratedUsers(db, shown);
  return {
    users: shown.map((id) => users.get(id) as ModeratedUser),
    nextCursor: ids.length > page.limit ? (shown.at(-1) ?? null) : null,
  };
}

/** A LIKE pattern matching the text anywhere, case-insensitively (with `\` as escape). */
export function likePattern(text: string): ReturnType<typeof sql<string>> {
  const escaped = text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql<string>`${`%${escaped}%`} escape '\\'`;
}

// ---------------------------------------------------------------------------------------------
// State moderators change

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

/**
 * Whether anything has been done to this comment (or, for an account action, to this account)
 * since the action, other than undoing: such an action can no longer be undone on its own.
 */
export async function laterActionExists(
  trx: Db,
  action: { id: string; commentId: string | null; userId: string | null },
): Promise<boolean> {
  let q = trx
    .selectFrom('moderation_actions')
    .select('id')
    .where('id', '>', action.id)
    .where('undone_at', 'is', null)
    .where('action', 'not like', '%.undo')
    .where('action', '!=', 'user.note')
    // Notices and appeals change nothing a later undo would find changed.
    .where('action', 'not in', ['report.illegal', 'appeal.file', 'appeal.decide']);
  if (action.commentId !== null) q = q.where('comment_id', '=', action.commentId);
  else q = q.where('user_id', '=', action.userId).where('comment_id', 'is', null);
  return (await q.limit(1).executeTakeFirst()) !== undefined;
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

/** What moderators change on an account (role, restrictions), before and after in the audit log. */
export type UserState = Pick<User, 'role' | 'moderatorSiteIds'> & UserRestrictions;

export async function lockUserState(trx: Db, id: string): Promise<UserState | undefined> {
  const row = await trx
    .updateTable('users')
    .set({ role: sql`role` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) return undefined;
  const user = userFromRow(row);
  return { role: user.role, moderatorSiteIds: user.moderatorSiteIds, ...user.restrictions };
}

const jsonList = (ids: string[] | null) => (ids === null ? null : JSON.stringify(ids));

export async function writeUserState(trx: Db, id: string, state: UserState): Promise<void> {
  await trx
    .updateTable('users')
    .set({
      role: state.role,
      moderator_site_ids: jsonList(state.moderatorSiteIds),
      banned_at: state.bannedAt,
      ban_reason: state.banReason,
      banned_site_ids: jsonList(state.bannedSiteIds),
      suspended_until: state.suspendedUntil,
      suspend_reason: state.suspendReason,
      warning: state.warning,
      warning_acknowledged_at: state.warningAcknowledgedAt,
      always_premoderate: state.alwaysPremoderate ? 1 : 0,
    })
    .where('id', '=', id)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// The audit log

export interface NewAction {
  /** When it happened (default now; the time a seeded or imported comment was written). */
  at?: Date;
  actorId: string | null;
  action: string;
  siteId: string | null;
  commentId: string | null;
  userId: string | null;
  reason: string | null;
  before: unknown;
  after: unknown;
  undoable: boolean;
}

export async function insertAction(trx: Db, action: NewAction): Promise<string> {
  const row = actionRow(action);
  await trx.insertInto('moderation_actions').values(row).execute();
  return row.id;
}

/** An audit log row, as inserted. */
export function actionRow(action: NewAction) {
  const now = action.at?.getTime() ?? Date.now();
  return {
    id: newId(now),
    created_at: new Date(now).toISOString(),
    actor_id: action.actorId,
    action: action.action,
    site_id: action.siteId,
    comment_id: action.commentId,
    user_id: action.userId,
    reason: action.reason,
    before: action.before === undefined ? null : JSON.stringify(action.before),
    after: action.after === undefined ? null : JSON.stringify(action.after),
    undoable: action.undoable ? 1 : 0,
  };
}

export interface ActionRecord {
  id: string;
  at: string;
  actor: { id: string; name: string } | null;
  action: string;
  siteId: string | null;
  commentId: string | null;
  userId: string | null;
  reason: string | null;
  before: unknown;
  after: unknown;
  undoable: boolean;
  undoneAt: string | null;
}

/** A JSON column (before/after of an action) as stored: text, or null. */
export const parseJson = (text: string | null): unknown =>
  text === null ? null : JSON.parse(text);

function actionFromRow(
  row: Selectable<ModerationActionTable> & { actor_name: string | null },
): ActionRecord {
  return {
    id: row.id,
    at: toIso(row.created_at),
    actor: row.actor_id ? { id: row.actor_id, name: row.actor_name ?? '' } : null,
    action: row.action,
    siteId: row.site_id,
    commentId: row.comment_id,
    userId: row.user_id,
    reason: row.reason,
    before: parseJson(row.before),
    after: parseJson(row.after),
    undoable: toFlag(row.undoable),
    undoneAt: toIso(row.undone_at),
  };
}

function actionsWithActors(db: Db) {
  return db
    .selectFrom('moderation_actions as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .selectAll('a')
    .select('u.display_name as actor_name');
}

export async function lockAction(trx: Db, id: string): Promise<ActionRecord | undefined> {
  const locked = await trx
    .updateTable('moderation_actions')
    .set({ action: sql`action` })
    .where('id', '=', id)
    .returning('id')
    .executeTakeFirst();
  if (!locked) return undefined;
  const row = await actionsWithActors(trx).where('a.id', '=', id).executeTakeFirst();
  return row && actionFromRow(row);
}

export async function markUndone(trx: Db, id: string): Promise<void> {
  await trx
    .updateTable('moderation_actions')
    .set({ undone_at: new Date().toISOString() })
    .where('id', '=', id)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Notes on users

export interface NoteRecord {
  id: string;
  text: string;
  by: { id: string; name: string };
  createdAt: string;
}

export async function insertNote(
  db: Db,
  note: { userId: string; authorId: string; text: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('user_notes')
    .values({
      id,
      user_id: note.userId,
      author_id: note.authorId,
      text: note.text,
      created_at: new Date().toISOString(),
    })
    .execute();
  return id;
}

export async function listNotes(db: Db, userId: string, limit = 50): Promise<NoteRecord[]> {
  const rows = await db
    .selectFrom('user_notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_id')
    .selectAll('n')
    .select('u.display_name as author_name')
    .where('n.user_id', '=', userId)
    .orderBy('n.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row: Selectable<UserNoteTable> & { author_name: string | null }) => ({
    id: row.id,
    text: row.text,
    by: { id: row.author_id ?? '', name: row.author_name ?? '[deleted]' },
    createdAt: toIso(row.created_at),
  }));
}

// ---------------------------------------------------------------------------------------------
// Search and statistics

export interface SearchFilter extends QueueFilter {
  q?: string | undefined;
  authorId?: string | undefined;
  author?: string | undefined;
  status?: CommentStatus | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/**
 * Comments matching every given filter, newest first. Dates bound the id range (ids are time
 * ordered), so a dated search reads only that stretch of the table; text is a substring match.
 */
export async function searchComments(
  db: Db,
  filter: SearchFilter,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ records: ModerationRecord[]; nextCursor: string | null }> {
  let q = scoped(db.selectFrom('comments').selectAll(), filter);
  if (filter.q) q = q.where(sql<string>`lower(body)`, 'like', likePattern(filter.q));
  if (filter.authorId) q = q.where('author_id', '=', filter.authorId);
  if (filter.author) {
    const pattern = likePattern(filter.author);
    q = q.where('author_id', 'in', (eb) =>
      eb
        .selectFrom('users')
        .select('id')
        .where(sql<string>`lower(display_name)`, 'like', pattern),
    );
  }
  if (filter.status) q = q.where('status', '=', filter.status);
  else q = q.where('status', '!=', 'deleted');
  if (filter.from) q = q.where('id', '>=', idFloor(filter.from.getTime()));
  if (filter.to) q = q.where('id', '<', idFloor(filter.to.getTime() + 1));
  if (page.cursor) q = q.where('id', '<', page.cursor);
  return paged(db, q.orderBy('id', 'desc').limit(page.limit + 1), page.limit, false);
}

export interface StatsBucket {
  approved: number;
  pending: number;
  rejected: number;
  reported: number;
}

/**
 * Comments by the status they have now, grouped by the day or hour they were written, and reports
 * by when they were made; the period is an id range, so only its rows are read.
 */
export async function commentStats(
  db: Db,
  engine: Engine,
  filter: QueueFilter,
  since: Date,
  unit: 'day' | 'hour',
): Promise<Map<string, StatsBucket>> {
  const width = unit === 'day' ? 10 : 13; // "2026-11-29" or "2026-11-29T04"
  const bucket = (column: string) =>
    engine === 'postgres'
      ? sql<string>`to_char(${sql.ref(column)} at time zone 'UTC', ${sql.lit(unit === 'day' ? 'YYYY-MM-DD' : 'YYYY-MM-DD"T"HH24')})`
      : sql<string>`substr(${sql.ref(column)}, 1, ${sql.lit(width)})`;
  const floor = idFloor(since.getTime());
  const comments = await scoped(db.selectFrom('comments').selectAll(), filter)
    .where('id', '>=', floor)
    .clearSelect()
    .select([bucket('created_at').as('bucket'), 'status', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy([bucket('created_at'), 'status'])
    .execute();
  let reportQuery = db
    .selectFrom('reports as r')
    .innerJoin('comments as c', 'c.id', 'r.comment_id')
    .select([bucket('r.created_at').as('bucket'), (eb) => eb.fn.countAll<number>().as('n')])
    .where('r.id', '>=', floor);
  if (filter.scope !== null) reportQuery = reportQuery.where('c.site_id', 'in', filter.scope);
  if (filter.siteId) reportQuery = reportQuery.where('c.site_id', '=', filter.siteId);
  if (filter.storyId) reportQuery = reportQuery.where('c.story_id', '=', filter.storyId);
  const reports = await reportQuery.groupBy(bucket('r.created_at')).execute();
  const buckets = new Map<string, StatsBucket>();
  const at = (key: string) => {
    let entry = buckets.get(key);
    if (!entry) {
      entry = { approved: 0, pending: 0, rejected: 0, reported: 0 };
      buckets.set(key, entry);
    }
    return entry;
  };
  for (const row of comments) {
    if (row.status === 'deleted') continue;
    at(row.bucket)[row.status] += Number(row.n);
  }
  for (const row of reports) at(row.bucket).reported += Number(row.n);
  return buckets;
}

/**
 * How the comments written since then were decided (pipeline phase, or "none"); deleted ones are
 * left out, as they are from the per-day and per-hour counts, so the two add up.
 */
export async function decidedByStats(
  db: Db,
  engine: Engine,
  filter: QueueFilter,
  since: Date,
): Promise<Record<string, number>> {
  const decidedBy =
    engine === 'postgres'
      ? sql<string | null>`(moderation::json ->> 'decidedBy')`
      : sql<string | null>`json_extract(moderation, '$.decidedBy')`;
  const rows = await scoped(db.selectFrom('comments').selectAll(), filter)
    .where('id', '>=', idFloor(since.getTime()))
    .where('status', '!=', 'deleted')
    .clearSelect()
    .select([decidedBy.as('phase'), (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(decidedBy)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.phase ?? 'none', Number(r.n)]));
}

/** The stories with the most open reports on the sites in scope. */
export async function topReportedStories(
  db: Db,
  filter: QueueFilter,
  limit = 5,
): Promise<{ story: { id: string; title: string | null; url: string }; reports: number }[]> {
  const open = scoped(db.selectFrom('comments').selectAll(), filter)
    .where('open_reports', '>', 0)
    .where('status', '=', 'approved')
    .where('deleted_at', 'is', null)
    .clearSelect()
    .select(['story_id', (eb) => eb.fn.sum<number>('open_reports').as('reports')])
    .groupBy('story_id');
  const rows = await db
    .selectFrom(open.as('o'))
    .innerJoin('stories as s', 's.id', 'o.story_id')
    .select(['s.id', 's.title', 's.url', 'o.reports'])
    .orderBy('o.reports', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    story: { id: r.id, title: r.title, url: r.url },
    reports: Number(r.reports),
  }));
}

// ---------------------------------------------------------------------------------------------
// Stories, as moderators manage them

export interface StorySettings {
  closed: boolean;
  premoderated: boolean;
  liveUpdates: boolean;
}

export async function lockStorySettings(
  trx: Db,
  id: string,
): Promise<(StorySettings & { siteId: string }) | undefined> {
  const row = await trx
    .updateTable('stories')
    .set({ closed: sql`closed` })
    .where('id', '=', id)
    .returning(['site_id', 'closed', 'premoderated', 'live_updates'])
    .executeTakeFirst();
  return (
    row && {
      siteId: row.site_id,
      closed: toFlag(row.closed),
      premoderated: toFlag(row.premoderated),
      liveUpdates: toFlag(row.live_updates),
    }
  );
}

export async function writeStorySettings(trx: Db, id: string, s: StorySettings): Promise<void> {
  await trx
    .updateTable('stories')
    .set({
      closed: s.closed ? 1 : 0,
      premoderated: s.premoderated ? 1 : 0,
      live_updates: s.liveUpdates ? 1 : 0,
    })
    .where('id', '=', id)
    .execute();
}

/** Stories on the sites in scope, newest first, optionally by title or URL. */
export async function listStories(
  db: Db,
  filter: { scope: SiteScope; siteId?: string | undefined; q?: string | undefined },
  page: { cursor?: string | undefined; limit: number },
): Promise<{ stories: Selectable<Database['stories']>[]; nextCursor: string | null }> {
  let q = db.selectFrom('stories').selectAll();
  if (filter.scope !== null) q = q.where('site_id', 'in', filter.scope);
  if (filter.siteId) q = q.where('site_id', '=', filter.siteId);
  if (filter.q) {
    const pattern = likePattern(filter.q);
    q = q.where((eb) =>
      eb.or([
        eb(sql<string>`lower(coalesce(title, ''))`, 'like', pattern),
        eb(sql<string>`lower(url)`, 'like', pattern),
      ]),
    );
  }
  if (page.cursor) q = q.where('id', '<', page.cursor);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const stories = rows.slice(0, page.limit);
  return {
    stories,
    nextCursor: rows.length > page.limit ? (stories.at(-1)?.id ?? null) : null,
  };
}
