/**
 * SQL for comments, reactions and reports. Every list is a range scan on one of the thread indexes
 * (story, shown-under parent, status, sort key, id); counts are kept on the rows they describe and
 * changed in the same transaction as the write, never computed by scanning.
 */
import { sql, type Kysely, type Selectable, type SelectQueryBuilder } from 'kysely';
import { bestKey } from '../domain/best.ts';
import { newId } from '../domain/ids.ts';
import type { Cursor, Sort } from '../domain/thread.ts';
import { isSiteStaff } from '../domain/moderation/scope.ts';
import { NEWSROOM_ROLES } from '../domain/vocabulary.ts';
import type { CommentStatus, CommentTable, Database, Role } from './schema.ts';
import type { Transact } from './group-commit.ts';
import { featuredFlag, takesRowLocks, type Store } from './db.ts';
import { toggleMark } from './marks.ts';
import {
  appendLiveEvents,
  STORY_COUNT,
  storyCountData,
  type LiveEventRow,
  type NewLiveEventRow,
} from './live-events.ts';
import { actionRow } from './audit.ts';
import { commentFromRow, type CommentRecord, type CommentRow } from './rows.ts';

type Db = Kysely<Database>;

export type CommentsQuery = SelectQueryBuilder<Database, 'comments', Selectable<CommentTable>>;

/**
 * Joins authors (and, for flattened replies, the name of the author answered) onto a page of
 * comment rows. The page is chosen first, from the comments table alone, so the planner can only
 * pick a comments index for it; the joins then touch just the page's rows.
 */
export function withAuthors(
  db: Db,
  page: CommentsQuery | ReturnType<typeof unionOfPages>,
  options: { moderation?: boolean; bestKey?: boolean } = {},
) {
  const joined = db
    .selectFrom(page.as('c'))
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .leftJoin('comments as p', (join) =>
      join
        .onRef('p.id', '=', 'c.parent_id')
        .onRef('c.parent_id', '!=', 'c.thread_parent_id')
        .on('p.deleted_at', 'is', null),
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
      'u.avatar_url as author_avatar_url',
      'u.badges as author_badges',
      'pu.display_name as reply_to_name',
      'c.body',
      'c.html',
      'c.status',
      'c.reply_count',
      'c.reaction_count',
      'c.created_at',
      'c.edited_at',
      'c.deleted_at',
      'c.featured',
      'c.rejection_code',
      'c.rejection_note',
    ]);
  // The Best order's pages carry their key (for the cursor); no record does.
  const query = options.bestKey ? joined.select('c.best_key') : joined;
  // The pipeline's findings are read only where an author is told why a comment waits: thread
  // pages never carry them.
  return options.moderation ? query.select('c.moderation') : query;
}

function unionOfPages(db: Db, pages: CommentsQuery[]) {
  // SQLite allows ORDER BY and LIMIT only on a whole compound select, so each page is wrapped.
  const wrapped = pages.map((page, i) => db.selectFrom(page.as(`p${i}`)).selectAll());
  return wrapped
    .slice(1)
    .reduce((union, page) => union.unionAll(page), wrapped[0] as (typeof wrapped)[number]);
}

export async function readPage(
  db: Db,
  page: CommentsQuery,
  options: { moderation?: boolean } = {},
): Promise<CommentRecord[]> {
  return ((await withAuthors(db, page, options).execute()) as CommentRow[]).map(commentFromRow);
}

export async function getComment(db: Db, id: string): Promise<CommentRecord | undefined> {
  const [comment] = await readPage(db, db.selectFrom('comments').selectAll().where('id', '=', id), {
    moderation: true,
  });
  return comment;
}

export interface ThreadQuery {
  storyId: string;
  /** null for top-level comments. */
  threadParentId: string | null;
  sort: Sort;
  cursor: Cursor | null;
  limit: number;
  /** Comments left out (the pinned ones, listed above the page). A few ids at most. */
  exclude?: string[];
}

const SORT_COLUMN = {
  replies: 'reply_count',
  reactions: 'reaction_count',
  best: 'best_key',
} as const;

function sortKey(comment: CommentRecord, sort: Sort): number {
  return sort === 'replies' ? comment.replyCount : sort === 'reactions' ? comment.reactionCount : 0;
}

/** Orders records as the thread query did (the join above does not keep the page's order). */
function compareFor(sort: Sort): (a: CommentRecord, b: CommentRecord) => number {
  const byId = (a: CommentRecord, b: CommentRecord) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  if (sort === 'oldest') return byId;
  return (a, b) => sortKey(b, sort) - sortKey(a, sort) || byId(b, a);
}

/**
 * One page of approved comments shown under a parent (or at top level), in the given order. Pages
 * of the Best order also say each comment's key (`bestKeys`), which their cursor carries.
 */
export async function listThread(
  db: Db,
  q: ThreadQuery,
): Promise<{
  comments: CommentRecord[];
  last: CommentRecord | undefined;
  more: boolean;
  bestKeys?: Map<string, number>;
}> {
  let page = db.selectFrom('comments').selectAll().where('status', '=', 'approved');
  if (q.exclude && q.exclude.length > 0) page = page.where('id', 'not in', q.exclude);
  page =
    q.threadParentId === null
      ? page.where('story_id', '=', q.storyId).where('thread_parent_id', 'is', null)
      : page.where('thread_parent_id', '=', q.threadParentId);
  const cursor = q.cursor;
  if (q.sort === 'newest' || q.sort === 'oldest') {
    const direction = q.sort === 'newest' ? 'desc' : 'asc';
    if (cursor) page = page.where('id', direction === 'desc' ? '<' : '>', cursor.id);
    page = page.orderBy('id', direction);
  } else {
    const column = SORT_COLUMN[q.sort];
    if (cursor) {
      page = page.where((eb) =>
        eb(eb.refTuple(column, 'id'), '<', eb.tuple(cursor.key ?? 0, cursor.id)),
      );
    }
    page = page.orderBy(column, 'desc').orderBy('id', 'desc');
  }
  if (q.sort === 'best') {
    const found = (await withAuthors(db, page.limit(q.limit + 1), {
      bestKey: true,
    }).execute()) as (CommentRow & { best_key: number | string })[];
    const bestKeys = new Map(found.map((row) => [row.id, Number(row.best_key)]));
    const key = (c: CommentRecord) => bestKeys.get(c.id) ?? 0;
    const rows = found
      .map(commentFromRow)
      .sort((a, b) => key(b) - key(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
    const comments = rows.slice(0, q.limit);
    return { comments, last: comments.at(-1), more: rows.length > q.limit, bestKeys };
  }
  const rows = (await readPage(db, page.limit(q.limit + 1))).sort(compareFor(q.sort));
  const comments = rows.slice(0, q.limit);
  return { comments, last: comments.at(-1), more: rows.length > q.limit };
}

/** The first `perParent` approved replies (oldest first) under each parent, in one round trip. */
export async function listFirstReplies(
  db: Db,
  parentIds: string[],
  perParent: number,
): Promise<Map<string, CommentRecord[]>> {
  const byParent = new Map<string, CommentRecord[]>();
  if (parentIds.length === 0 || perParent === 0) return byParent;
  const pages = parentIds.map((parentId) =>
    db
      .selectFrom('comments')
      .selectAll()
      .where('thread_parent_id', '=', parentId)
      .where('status', '=', 'approved')
      .orderBy('id', 'asc')
      .limit(perParent),
  );
  const rows = ((await withAuthors(db, unionOfPages(db, pages)).execute()) as CommentRow[])
    .map(commentFromRow)
    .sort(compareFor('oldest'));
  for (const comment of rows) {
    const key = comment.threadParentId as string;
    byParent.set(key, [...(byParent.get(key) ?? []), comment]);
  }
  return byParent;
}

/**
 * The viewer's own comments on a story that readers do not see: waiting for a moderator, or
 * rejected (with the moderator's reasons). Newest first.
 */
export async function listOwnUnpublished(
  db: Db,
  storyId: string,
  authorId: string,
  limit = 20,
): Promise<CommentRecord[]> {
  const rows = await readPage(
    db,
    db
      .selectFrom('comments')
      .selectAll()
      .where('author_id', '=', authorId)
      .where('story_id', '=', storyId)
      .where('status', 'in', ['pending', 'rejected'])
      .orderBy('id', 'desc')
      .limit(limit),
    { moderation: true },
  );
  return rows.sort(compareFor('newest'));
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
  /** The pipeline's outcome, kept with the comment and logged as its first decision. */
  moderation?: StoredModeration;
  /** Where it was posted from, for abuse handling (erased after PARLEY_IP_RETENTION_DAYS). */
  authorIp?: string | null;
  authorUserAgent?: string | null;
}

/** What the moderation pipeline found, as stored with a comment (JSON). */
export interface StoredModeration {
  decidedBy: string | null;
  reasons: { code: string; message: string }[];
  scores: Record<string, number>;
  tags: string[];
  /** What drove an automatic hold or rejection (absent on comments moderated before there were). */
  highlights?: { begin: number; end: number; labels: Record<string, number> }[];
}

/**
 * Takes the write lock on a live comment and returns it as it is now, or undefined when it is gone
 * or deleted: `FOR UPDATE` on PostgreSQL; a plain read on SQLite, which serialises writers (a no-op
 * update there would rewrite the row and every index on `status`).
 */
export async function lockLiveComment(db: Db, id: string) {
  const query = db
    .selectFrom('comments')
    .select(['status', 'reply_count', 'story_id', 'thread_parent_id'])
    .where('id', '=', id)
    .where('deleted_at', 'is', null)
    .where('status', '!=', 'deleted');
  return (takesRowLocks(db) ? query.forUpdate() : query).executeTakeFirst();
}

/**
 * Inserts a comment and moves the counts it changes, in one transaction (run by `transact`: the
 * store's, which on SQLite shares commits between writes arriving together), and reads it back.
 * For seeds, imports and tests; the API posts with `storeNewComment`. A reply is refused
 * (undefined) when the comment it answers was deleted or unpublished meanwhile.
 */
export async function insertComment(
  db: Db,
  input: NewComment,
  transact: Transact = (work) => db.transaction().execute(work),
): Promise<CommentRecord | undefined> {
  const dated = { ...input, createdAt: input.createdAt ?? new Date() };
  const id = newId(dated.createdAt.getTime());
  return transact(async (trx) =>
    (await writeComment(trx, id, dated)) ? getComment(trx, id) : undefined,
  );
}

/** A new comment with the time it was written fixed (its id, row, record and log agree). */
type DatedComment = NewComment & { createdAt: Date };

/** How readers will see a new comment's author, and the author of the comment it answers. */
export interface NewCommentNames {
  authorName: string;
  authorRole: Role;
  authorAvatarUrl?: string | null;
  authorBadges?: string[];
  /** Set when the reply is shown under another comment than the one it answers (flattened). */
  replyToName: string | null;
}

export interface PostedComment {
  comment: CommentRecord;
  /** Its live events, numbered; empty when they were written but their answer was lost. */
  events: LiveEventRow[];
}

/**
 * Stores a new comment with all that moves with it, all or nothing: the comment, the pipeline's
 * decision in the audit log, the counts it changes (its thread parent's replies, the story's
 * comments) and its live events (`events`, planned from the comment as it will read: it is built
 * here, not read back). Undefined when it answers a comment deleted or unpublished meanwhile.
 *
 * Every post to a story updates two of the story's rows, its count and its live sequence, and on
 * PostgreSQL each transaction holds them locked until it commits. As a transaction of statements,
 * each a round trip from a busy event loop, that was milliseconds per post, and posts to one story
 * queued behind each other (10 writers in one process: 82 posts a second to one story, 173 spread
 * over a hundred; as one statement, about 500 and 850). So on PostgreSQL the post is one statement, committed by the server as it ends
 * (`newCommentStatement`); SQLite, whose writers take turns anyway, uses the store's transactions.
 */
export async function storeNewComment(
  store: Pick<Store, 'db' | 'transact' | 'runAlone'>,
  input: NewComment,
  names: NewCommentNames,
  events: (comment: CommentRecord) => NewLiveEventRow[],
): Promise<PostedComment | undefined> {
  const dated = { ...input, createdAt: input.createdAt ?? new Date() };
  const id = newId(dated.createdAt.getTime());
  const comment = newCommentRecord(id, dated, names);
  const planned = events(comment);
  if (store.runAlone) {
    const now = new Date().toISOString();
    const rows = await store.runAlone(
      newCommentStatement(store.db, id, dated, planned, now),
      async (db) => (await getComment(db, id)) !== undefined,
    );
    if (rows === null) return { comment, events: [] };
    const [result] = rows;
    if (!result?.inserted) return undefined;
    return { comment, events: numberedEvents(input.storyId, planned, result, now) };
  }
  const written = await store.transact(async (trx) =>
    (await writeComment(trx, id, dated))
      ? appendLiveEvents(trx, input.storyId, planned)
      : undefined,
  );
  return written && { comment, events: written };
}

/** A new comment's record, as `getComment` will read it once stored. */
function newCommentRecord(id: string, input: DatedComment, names: NewCommentNames): CommentRecord {
  const rejection =
    input.status === 'rejected' && input.moderation && automatedRejection(input.moderation);
  return {
    id,
    siteId: input.siteId,
    storyId: input.storyId,
    parentId: input.parentId,
    threadParentId: input.threadParentId,
    depth: input.depth,
    authorId: input.authorId,
    authorName: names.authorName,
    authorRole: names.authorRole,
    authorAvatarUrl: names.authorAvatarUrl ?? null,
    authorBadges: names.authorBadges ?? [],
    replyToName: input.parentId !== input.threadParentId ? names.replyToName : null,
    body: input.body,
    html: input.html,
    status: input.status,
    replyCount: 0,
    reactionCount: 0,
    createdAt: input.createdAt.toISOString(),
    editedAt: null,
    deletedAt: null,
    featured: false,
    rejection: rejection
      ? { code: rejection.rejection_code, note: rejection.rejection_note }
      : null,
    ...(input.status === 'pending' &&
      input.moderation && { heldFor: input.moderation.reasons.map((r) => r.code) }),
  };
}

/** A new comment's row, as inserted. */
function commentRow(id: string, input: DatedComment) {
  return {
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
    best_key: bestKey({ respects: 0, views: 0, createdAt: input.createdAt }),
    created_at: input.createdAt.toISOString(),
    edited_at: null,
    deleted_at: null,
    ...(input.moderation && { moderation: JSON.stringify(input.moderation) }),
    author_ip: input.authorIp ?? null,
    author_user_agent: input.authorUserAgent ?? null,
    ...(input.status === 'rejected' && input.moderation && automatedRejection(input.moderation)),
  };
}

/** The pipeline's decision on a new comment, for the audit log. */
function creationAction(id: string, input: DatedComment, moderation: StoredModeration) {
  return pipelineAction({
    at: input.createdAt,
    event: 'create',
    siteId: input.siteId,
    commentId: id,
    authorId: input.authorId,
    status: input.status,
    moderation,
  });
}

/**
 * A new comment's writes, as statements in the caller's transaction; false (nothing written) when
 * it answers a comment deleted or unpublished meanwhile.
 */
async function writeComment(trx: Db, id: string, input: DatedComment): Promise<boolean> {
  if (input.parentId) {
    const parent = await lockLiveComment(trx, input.parentId);
    if (parent?.status !== 'approved') return false;
  }
  await trx.insertInto('comments').values(commentRow(id, input)).execute();
  if (input.moderation) {
    await trx
      .insertInto('moderation_actions')
      .values(creationAction(id, input, input.moderation))
      .execute();
  }
  // The story's row (its count) and then its live sequence are what every post to the story
  // waits for: they come last, after the thread parent (the order every writer locks in).
  if (input.status === 'approved') await moveCounts(trx, input, +1);
  return true;
}

interface NewCommentResult {
  inserted: number;
  /** The number of the comment's last event (null: it has none). */
  last_seq: number | null;
  /** The story's count after the post (null: the post did not change it). */
  comment_count: number | null;
}

/**
 * `writeComment` and `appendLiveEvents` as one PostgreSQL statement. Its parts run in the order
 * each waits for the one before (each refers to it), which is the order every writer locks in:
 * the comment answered (`for update`, so that it cannot be deleted or unpublished under the
 * reply), the thread parent's reply count, the story's count, the story's live sequence. Rows go
 * in through `jsonb_populate_record`, which gives each value its column's type.
 */
function newCommentStatement(
  db: Db,
  id: string,
  input: DatedComment,
  events: NewLiveEventRow[],
  now: string,
) {
  const counted = input.status === 'approved';
  const row = commentRow(id, input);
  const action = input.moderation && creationAction(id, input, input.moderation);
  const n = events.length;
  // Each event is numbered back from the story's new last number. The count event's data is made
  // from the story's new count; the others carry theirs.
  const eventRows = events.map((event, i) => ({
    back: n - 1 - i,
    site_id: event.siteId,
    kind: event.kind,
    audience: event.audience,
    author_id: event.authorId,
    comment_id: event.commentId,
    data: event.data === STORY_COUNT ? null : event.data,
  }));
  const columns = (values: object) => sql.join(Object.keys(values).map((c) => sql.ref(c)));
  const logged = action
    ? sql`, logged as (
        insert into moderation_actions (${columns(action)})
        select ${columns(action)}
        from jsonb_populate_record(null::moderation_actions, ${JSON.stringify(action)}::jsonb)
        where exists (select 1 from inserted)
      )`
    : sql``;
  return sql<NewCommentResult>`
    with answered as (
      select id from comments
      where id = ${input.parentId} and status = 'approved' and deleted_at is null
      for update
    ), inserted as (
      insert into comments (${columns(row)})
      select ${columns(row)}
      from jsonb_populate_record(null::comments, ${JSON.stringify(row)}::jsonb)
      where ${input.parentId}::text is null or exists (select 1 from answered)
      returning id
    )${logged}, replies as (
      update comments set reply_count = reply_count + 1
      where id = ${input.threadParentId} and ${counted} and exists (select 1 from inserted)
      returning id
    ), story as (
      update stories set comment_count = comment_count + 1
      where id = ${input.storyId} and ${counted} and exists (select 1 from inserted)
        and (select count(*) from replies) >= 0
      returning comment_count
    ), stream as (
      insert into live_streams (story_id, last_seq, last_event_at)
      select ${input.storyId}, ${n}::bigint, ${now}::timestamptz
      where ${n > 0} and exists (select 1 from inserted) and (select count(*) from story) >= 0
      on conflict (story_id) do update
        set last_seq = live_streams.last_seq + excluded.last_seq,
            last_event_at = excluded.last_event_at
      returning last_seq
    ), numbered as (
      insert into live_events
        (story_id, seq, site_id, kind, audience, author_id, comment_id, data, created_at)
      select ${input.storyId}, stream.last_seq - e.back, e.site_id, e.kind, e.audience,
        e.author_id, e.comment_id,
        coalesce(e.data, '{"storyId":' || to_json(${input.storyId}::text) || ',"commentCount":'
          || (select comment_count from story) || '}'),
        ${now}::timestamptz
      from stream, jsonb_to_recordset(${JSON.stringify(eventRows)}::jsonb) as e(
        back bigint, site_id text, kind text, audience int, author_id text, comment_id text,
        data text
      )
      returning seq
    )
    select (select count(*) from inserted)::int as inserted,
      (select max(seq) from numbered) as last_seq,
      (select comment_count from story) as comment_count
  `.compile(db);
}

/** The events the statement numbered, as `appendLiveEvents` returns them. */
function numberedEvents(
  storyId: string,
  events: NewLiveEventRow[],
  result: NewCommentResult,
  createdAt: string,
): LiveEventRow[] {
  const last = result.last_seq ?? 0;
  return events.map((event, i) => ({
    ...event,
    storyId,
    seq: last - (events.length - 1 - i),
    data:
      event.data === STORY_COUNT ? storyCountData(storyId, result.comment_count ?? 0) : event.data,
    createdAt,
  }));
}

/**
 * The statement of reasons an author sees beside a comment the pipeline rejected (a moderator's
 * rejection replaces it with their own reason code and note).
 */
function automatedRejection(moderation: StoredModeration) {
  return {
    rejection_code: 'OTHER',
    rejection_note: moderation.reasons.map((r) => r.message).join(' ') || null,
  };
}

/** The pipeline's decision on a comment, as an audit log row (actor: none, the pipeline). */
function pipelineAction(input: {
  at: Date;
  event: 'create' | 'edit';
  siteId: string;
  commentId: string;
  authorId: string;
  status: CommentStatus;
  moderation: StoredModeration;
  before?: unknown;
}) {
  const verb = { approved: 'approve', pending: 'hold', rejected: 'reject', deleted: 'delete' };
  return actionRow({
    at: input.at,
    actorId: null,
    action: `pipeline.${verb[input.status]}`,
    siteId: input.siteId,
    commentId: input.commentId,
    userId: input.authorId,
    reason: input.moderation.reasons.map((r) => r.code).join(', ') || null,
    before: input.before,
    after: { event: input.event, status: input.status, ...input.moderation },
    undoable: false,
  });
}

/**
 * Moves a published comment's counts: its parent's replies, then its story's comments. Every
 * writer locks in that order (comment, thread parents, story, then the story's live sequence), so
 * that concurrent writers on one thread cannot deadlock on PostgreSQL.
 */
export async function moveCounts(
  db: Db,
  comment: { storyId: string; threadParentId: string | null },
  delta: 1 | -1,
): Promise<void> {
  await moveReplyCount(db, comment.threadParentId, delta);
  await moveStoryCount(db, comment.storyId, delta);
}

async function moveReplyCount(db: Db, threadParentId: string | null, delta: 1 | -1) {
  if (!threadParentId) return;
  await db
    .updateTable('comments')
    .set({ reply_count: sql`reply_count + ${delta}` })
    .where('id', '=', threadParentId)
    .execute();
}

async function moveStoryCount(db: Db, storyId: string, delta: 1 | -1) {
  await db
    .updateTable('stories')
    .set({ comment_count: sql`comment_count + ${delta}` })
    .where('id', '=', storyId)
    .execute();
}

/**
 * Replaces a live comment's text; false when it was deleted meanwhile. With a moderation outcome,
 * the comment takes the status the pipeline gave the new text (an edit can send a published
 * comment back for review), counts follow, and the decision is logged.
 */
export async function updateCommentBody(
  db: Db,
  id: string,
  body: string,
  html: string,
  outcome?: { status: 'approved' | 'pending' | 'rejected'; moderation: StoredModeration },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const row = await lockLiveComment(trx, id);
    if (!row) return false;
    const now = new Date();
    // A rejected comment cannot publish itself by being edited: at best a person looks again.
    let status = outcome?.status ?? row.status;
    if (row.status === 'rejected' && status === 'approved') status = 'pending';
    await trx
      .updateTable('comments')
      .set({
        body,
        html,
        edited_at: now.toISOString(),
        status,
        ...(outcome && {
          moderation: JSON.stringify(outcome.moderation),
          reviewed_at: null,
          ...(status === 'rejected'
            ? automatedRejection(outcome.moderation)
            : { rejection_code: null, rejection_note: null }),
        }),
      })
      .where('id', '=', id)
      .execute();
    const place = { storyId: row.story_id, threadParentId: row.thread_parent_id };
    if (row.status === 'approved' && status !== 'approved') await moveCounts(trx, place, -1);
    if (row.status !== 'approved' && status === 'approved') await moveCounts(trx, place, +1);
    if (outcome) {
      const author = await trx
        .selectFrom('comments')
        .select(['author_id', 'site_id'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('moderation_actions')
        .values(
          pipelineAction({
            at: now,
            event: 'edit',
            siteId: author.site_id,
            commentId: id,
            authorId: author.author_id,
            status,
            moderation: outcome.moderation,
            before: { status: row.status },
          }),
        )
        .execute();
    }
    return true;
  });
}

/**
 * Removes tombstones left without replies, walking up the thread: once the last reply under a
 * deleted comment goes, the deleted comment has nothing left to hold a place for.
 */
async function dropEmptyTombstones(db: Db, threadParentId: string | null): Promise<void> {
  let id = threadParentId;
  while (id) {
    const dropped = await db
      .updateTable('comments')
      .set({ status: 'deleted' })
      .where('id', '=', id)
      .where('status', '=', 'approved')
      .where('deleted_at', 'is not', null)
      .where('reply_count', '=', 0)
      .returning('thread_parent_id')
      .executeTakeFirst();
    if (!dropped) return;
    id = dropped.thread_parent_id;
    if (id) {
      await db
        .updateTable('comments')
        .set({ reply_count: sql`reply_count - 1` })
        .where('id', '=', id)
        .execute();
    }
  }
}

/**
 * Deletes a comment for its author. One with replies stays as a tombstone (still listed, text
 * erased) so the replies keep their place; one without replies leaves the thread. Returns false
 * when it was already deleted (a double click, or two tabs), so counts move once.
 */
export async function deleteComment(db: Db, id: string): Promise<boolean> {
  return db.transaction().execute((trx) => removeComment(trx, id));
}

/** deleteComment's work, inside a transaction the caller holds (a moderator's delete logs it). */
export async function removeComment(trx: Db, id: string): Promise<boolean> {
  const row = await lockLiveComment(trx, id);
  if (!row) return false;
  const keepAsTombstone = row.status === 'approved' && row.reply_count > 0;
  await trx
    .updateTable('comments')
    .set({
      body: '',
      html: '',
      deleted_at: new Date().toISOString(),
      ...(keepAsTombstone ? {} : { status: 'deleted' as const }),
    })
    .where('id', '=', id)
    .execute();
  if (row.status !== 'approved') return true;
  if (!keepAsTombstone) {
    // The thread's comments first, up to the tombstones this leaves empty, then the story.
    await moveReplyCount(trx, row.thread_parent_id, -1);
    await dropEmptyTombstones(trx, row.thread_parent_id);
  }
  await moveStoryCount(trx, row.story_id, -1);
  return true;
}

/** Adds or removes the user's reaction; returns the comment's reaction count afterwards. */
export async function setReaction(
  db: Db,
  commentId: string,
  userId: string,
  reacted: boolean,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const changed = await toggleMark(trx, 'reactions', commentId, userId, reacted);
    const row = await trx
      .selectFrom('comments')
      .select(['reaction_count', 'view_count', 'created_at'])
      .where('id', '=', commentId)
      .executeTakeFirstOrThrow();
    // The Best key follows the respects (the row is locked by the update above until commit).
    if (changed) await storeBestKey(trx, commentId, row);
    return row.reaction_count;
  });
}

/**
 * Writes a comment's Best key from its counts as read (src/domain/best.ts): whatever changes a
 * comment's respects or views calls it in the same transaction (reactions, views, erasure).
 */
export async function storeBestKey(
  db: Db,
  id: string,
  row: { reaction_count: number; view_count: number; created_at: string | Date },
): Promise<void> {
  await db
    .updateTable('comments')
    .set({
      best_key: bestKey({
        respects: row.reaction_count,
        views: row.view_count,
        createdAt: row.created_at,
      }),
    })
    .where('id', '=', id)
    .execute();
}

/**
 * Which of `ids` are published comments of the story (approved, not deleted): the views route
 * remembers and counts only those. One range of the primary key, at most the ids asked for.
 */
export async function publishedCommentIds(
  db: Db,
  storyId: string,
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('comments')
    .select('id')
    .where('id', 'in', [...new Set(ids)])
    .where('story_id', '=', storyId)
    .where('status', '=', 'approved')
    .where('deleted_at', 'is', null)
    .execute();
  return rows.map((row) => row.id);
}

/**
 * Adds readers' views to comments of one story, each with its new Best key, in one transaction;
 * ids of other stories, and comments not published, are ignored. Returns the ids counted.
 */
export async function addViews(
  db: Db,
  storyId: string,
  views: Map<string, number>,
): Promise<string[]> {
  const ids = [...views.keys()].sort(); // one lock order for every writer
  if (ids.length === 0) return [];
  return db.transaction().execute(async (trx) => {
    const counted: string[] = [];
    for (const id of ids) {
      const row = await trx
        .updateTable('comments')
        .set({ view_count: sql`view_count + ${views.get(id) ?? 0}` })
        .where('id', '=', id)
        .where('story_id', '=', storyId)
        .where('status', '=', 'approved')
        .returning(['reaction_count', 'view_count', 'created_at'])
        .executeTakeFirst();
      if (!row) continue;
      await storeBestKey(trx, id, row);
      counted.push(id);
    }
    return counted;
  });
}

/**
 * Up to `limit` top-level comments that lead a story's default order when its site pins them:
 * the featured ones and those written by the site's newsroom (isSiteStaff: staff, admins and the
 * moderators of the story's site, not those of other sites only), newest first. Bounded index
 * ranges: the story by its key, its featured comments (comments_story_featured), and the
 * newsroom's accounts (users_role) with their comments on the story (comments_author_story).
 */
export async function listPinned(db: Db, storyId: string, limit: number): Promise<CommentRecord[]> {
  const featured = featuredOf(db, storyId)
    .where('thread_parent_id', 'is', null)
    .orderBy('id', 'desc')
    .limit(limit);
  const story = await db
    .selectFrom('stories')
    .select('site_id')
    .where('id', '=', storyId)
    .executeTakeFirst();
  const accounts = await db
    .selectFrom('users')
    .select(['id', 'role', 'moderator_site_ids', 'deleted_at'])
    .where('role', 'in', [...NEWSROOM_ROLES])
    .limit(5000)
    .execute();
  const newsroom = accounts.filter((u) =>
    isSiteStaff(
      {
        role: u.role,
        moderatorSiteIds:
          u.moderator_site_ids === null ? null : (JSON.parse(u.moderator_site_ids) as string[]),
        deletedAt: u.deleted_at === null ? null : String(u.deleted_at),
      },
      story?.site_id ?? null,
    ),
  );
  const pages: CommentsQuery[] = [featured];
  if (newsroom.length > 0) {
    // The newsroom's comments on the story are found by author (comments_author_story), in a
    // subquery of that index's conditions only: with the ordering by id beside them, SQLite took
    // the story's published comments by (story, status, id) and read them all.
    const authors = newsroom.map((u) => u.id);
    pages.push(
      db
        .selectFrom('comments')
        .selectAll()
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('comments')
            .select('id')
            .where('author_id', 'in', authors)
            .where('story_id', '=', storyId)
            .where('status', '=', 'approved'),
        )
        .where('thread_parent_id', 'is', null)
        .where('deleted_at', 'is', null)
        .orderBy('id', 'desc')
        .limit(limit),
    );
  }
  const rows = ((await withAuthors(db, unionOfPages(db, pages)).execute()) as CommentRow[]).map(
    commentFromRow,
  );
  const unique = [...new Map(rows.map((c) => [c.id, c])).values()];
  return unique.sort(compareFor('newest')).slice(0, limit);
}

/**
 * Records a report and counts it as open on the comment (the reported queue) until a moderator
 * acts; returns false when this user already reported this comment.
 */
export async function insertReport(
  db: Db,
  report: { commentId: string; userId: string; reason: string; note: string | null },
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const added = await addReport(trx, report);
    if (added) {
      await trx
        .updateTable('comments')
        .set({ open_reports: sql`open_reports + 1` })
        .where('id', '=', report.commentId)
        .execute();
    }
    return added;
  });
}

async function addReport(
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

/**
 * A story's featured comments that readers see. The featured ones are found through the partial
 * index comments_story_featured (the subquery, whose only conditions are the index's) and only
 * then checked for status: with all the conditions together, SQLite took the story's published
 * comments by (story, status) and read every one of them (45 ms a thread page at 8,000).
 */
function featuredOf(db: Db, storyId: string): CommentsQuery {
  return db
    .selectFrom('comments')
    .selectAll()
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('comments')
        .select('id')
        .where('story_id', '=', storyId)
        .where('featured', '=', featuredFlag(db)),
    )
    .where('status', '=', 'approved')
    .where('deleted_at', 'is', null);
}

/**
 * One page of a story's featured comments (top-level or replies alike), newest first. The range
 * is on comments_story_featured, which holds only featured rows, so a page costs the same however
 * long the story.
 */
export async function listFeatured(
  db: Db,
  q: { storyId: string; cursor: Cursor | null; limit: number },
): Promise<{ comments: CommentRecord[]; last: CommentRecord | undefined; more: boolean }> {
  let page = featuredOf(db, q.storyId);
  if (q.cursor) page = page.where('id', '<', q.cursor.id);
  const rows = (await readPage(db, page.orderBy('id', 'desc').limit(q.limit + 1))).sort(
    compareFor('newest'),
  );
  const comments = rows.slice(0, q.limit);
  return { comments, last: comments.at(-1), more: rows.length > q.limit };
}

/** How many featured comments readers see on a story (moderators pick few; an index range). */
export async function countFeatured(db: Db, storyId: string): Promise<number> {
  const row = await featuredOf(db, storyId)
    .clearSelect()
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
