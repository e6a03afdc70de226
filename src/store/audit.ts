/**
 * SQL for the audit log (moderation_actions): every decision, automatic or human, with what it
 * changed before and after.
 *
 * Written by the actions themselves: an entry is inserted in the transaction of the change it
 * records, so the log can never disagree with the data; undo locks an entry, asks whether anything
 * was done since, and marks it undone.
 *
 * Read as a newsroom reads it: each entry with who acted (the moderator's name), on whose comment
 * (an excerpt of its text, its author, its story) or on whose account, and, for an undo, which
 * entry it took back. A page is one query (the entries joined with their actor, comment, story and
 * subject account on primary keys) and one batched lookup of the entries the page's undos refer
 * to, never a query per entry.
 *
 * Scoping is the moderation API's: a moderator of some sites sees those sites' entries and the
 * entries about the accounts of their readers (which belong to no site), not other site-less ones.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { commentExcerpt } from '../domain/excerpt.ts';
import { newId } from '../domain/ids.ts';
import type { Database, ModerationActionTable } from './schema.ts';
import type { SiteScope } from './moderation/filters.ts';
import { commentedOn } from './moderation/users.ts';
import { toFlag, toIso } from './rows.ts';

type Db = Kysely<Database>;

// ---------------------------------------------------------------------------------------------
// Writing, locking and undoing entries

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

// ---------------------------------------------------------------------------------------------
// Reading the log

/** Characters of a comment's stored HTML read for its excerpt (enough for EXCERPT of text). */
const HTML_READ = 2000;
/** How long an entry's excerpt of a comment is, in characters. */
export const AUDIT_EXCERPT_LENGTH = 200;

/** Someone named in an entry; an erased account has no name left. */
export interface AuditPerson {
  id: string;
  name: string | null;
  erased: boolean;
}

/** An entry of the audit log: the action, with what a reader of the log needs to make sense of it. */
export interface AuditEntryRecord extends Omit<ActionRecord, 'actor'> {
  /** Null: the pipeline (or another automatic process) acted. */
  actor: AuditPerson | null;
  /** The comment acted on; `excerpt` null when it is deleted (or gone). */
  comment: { id: string; excerpt: string | null; deleted: boolean; status: string | null } | null;
  /** The comment's story. */
  story: { id: string; title: string | null; url: string } | null;
  /** The comment's author, or the account acted on. */
  user: AuditPerson | null;
  /** For an undo: the entry it took back. */
  undoOf: { id: string; action: string; at: string; actor: AuditPerson | null } | null;
}

export interface AuditFilter {
  scope: SiteScope;
  /** Whose view this is: a moderator of some sites sees their own entries about any account. */
  viewerId?: string | undefined;
  siteId?: string | undefined;
  commentId?: string | undefined;
  userId?: string | undefined;
  /** The moderator who acted, or 'pipeline' for the automatic decisions. */
  actorId?: string | undefined;
  action?: string | undefined;
  /** Entries about the comments of this story. */
  storyId?: string | undefined;
}

const person = (
  id: string | null,
  name: string | null,
  erasedAt: string | Date | null,
): AuditPerson | null => {
  if (id === null) return null;
  const erased = erasedAt !== null;
  return { id, name: erased ? null : (name ?? null), erased };
};

/** The id an undo entry names in its reason (`undo <id>`). */
const undoneId = (action: string, reason: string | null): string | null =>
  action.endsWith('.undo') && reason?.startsWith('undo ') ? reason.slice(5).trim() || null : null;

/** The audit log, newest first, a page at a time. */
export async function listAuditEntries(
  db: Db,
  filter: AuditFilter,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ entries: AuditEntryRecord[]; nextCursor: string | null }> {
  let q = db
    .selectFrom('moderation_actions as a')
    .leftJoin('users as actor', 'actor.id', 'a.actor_id')
    .leftJoin('comments as c', 'c.id', 'a.comment_id')
    .leftJoin('stories as s', 's.id', 'c.story_id')
    // The comment's author when there is a comment; otherwise the account acted on.
    .leftJoin('users as subject', (join) =>
      join.on(
        'subject.id',
        '=',
        sql<string>`coalesce(${sql.ref('c.author_id')}, ${sql.ref('a.user_id')})`,
      ),
    )
    .selectAll('a')
    .select([
      'actor.display_name as actor_name',
      'actor.deleted_at as actor_erased_at',
      'c.id as c_id',
      'c.status as c_status',
      'c.deleted_at as c_deleted_at',
      sql<string | null>`substr(${sql.ref('c.html')}, 1, ${sql.lit(HTML_READ)})`.as('c_html'),
      's.id as s_id',
      's.title as s_title',
      's.url as s_url',
      'subject.id as subject_id',
      'subject.display_name as subject_name',
      'subject.deleted_at as subject_erased_at',
    ]);
  const scope = filter.scope;
  if (scope !== null) {
    // Entries about accounts have no site: those about the readers of the sites in scope are
    // shown, and the viewer's own; other site-less entries (API keys) are admins' only.
    q = q.where((eb) => {
      const theirs = eb('a.actor_id', '=', filter.viewerId ?? null);
      const aboutReaders = eb.and([
        eb('a.site_id', 'is', null),
        eb('a.user_id', 'is not', null),
        scope.length > 0 ? eb.or([commentedOn('a.user_id', scope), theirs]) : theirs,
      ]);
      return scope.length > 0 ? eb.or([eb('a.site_id', 'in', scope), aboutReaders]) : aboutReaders;
    });
  }
  if (filter.siteId) q = q.where('a.site_id', '=', filter.siteId);
  if (filter.commentId) q = q.where('a.comment_id', '=', filter.commentId);
  if (filter.userId) q = q.where('a.user_id', '=', filter.userId);
  if (filter.actorId === 'pipeline') q = q.where('a.actor_id', 'is', null);
  else if (filter.actorId) q = q.where('a.actor_id', '=', filter.actorId);
  if (filter.action) q = q.where('a.action', '=', filter.action);
  if (filter.storyId) q = q.where('c.story_id', '=', filter.storyId);
  if (page.cursor) q = q.where('a.id', '<', page.cursor);
  const rows = await q
    .orderBy('a.id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const shown = rows.slice(0, page.limit);

  // The entries this page's undos took back, in one query.
  const undoneIds = [
    ...new Set(shown.map((row) => undoneId(row.action, row.reason)).filter((id) => id !== null)),
  ];
  const undone = new Map<string, AuditEntryRecord['undoOf']>();
  if (undoneIds.length > 0) {
    const found = await db
      .selectFrom('moderation_actions as a')
      .leftJoin('users as actor', 'actor.id', 'a.actor_id')
      .select([
        'a.id',
        'a.action',
        'a.created_at',
        'a.actor_id',
        'actor.display_name as actor_name',
        'actor.deleted_at as actor_erased_at',
      ])
      .where('a.id', 'in', undoneIds)
      .execute();
    for (const row of found) {
      undone.set(row.id, {
        id: row.id,
        action: row.action,
        at: toIso(row.created_at),
        actor: person(row.actor_id, row.actor_name, row.actor_erased_at),
      });
    }
  }

  const entries = shown.map((row): AuditEntryRecord => {
    const deleted = row.comment_id !== null && (row.c_id === null || row.c_deleted_at !== null);
    const undoOfId = undoneId(row.action, row.reason);
    return {
      id: row.id,
      at: toIso(row.created_at),
      actor: person(row.actor_id, row.actor_name, row.actor_erased_at),
      action: row.action,
      siteId: row.site_id,
      commentId: row.comment_id,
      userId: row.user_id,
      reason: row.reason,
      before: parseJson(row.before),
      after: parseJson(row.after),
      undoable: toFlag(row.undoable),
      undoneAt: toIso(row.undone_at),
      comment:
        row.comment_id === null
          ? null
          : {
              id: row.comment_id,
              excerpt:
                deleted || row.c_html === null
                  ? null
                  : commentExcerpt(row.c_html, AUDIT_EXCERPT_LENGTH),
              deleted,
              status: deleted ? 'deleted' : (row.c_status ?? null),
            },
      story: row.s_id === null ? null : { id: row.s_id, title: row.s_title, url: row.s_url ?? '' },
      user: person(row.subject_id, row.subject_name, row.subject_erased_at),
      undoOf: undoOfId === null ? null : (undone.get(undoOfId) ?? null),
    };
  });
  return {
    entries,
    nextCursor: rows.length > page.limit ? (entries.at(-1)?.id ?? null) : null,
  };
}
