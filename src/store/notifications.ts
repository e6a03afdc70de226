/**
 * Readers' notifications and their mail choices (docs/notifications.md). A notification is written
 * by the dispatcher (src/notify/notifications.ts) once per (reader, comment, kind); the bell lists
 * a reader's own, newest first, showing only comments that are still published (a reply deleted or
 * rejected after the fact disappears from the list and from any mail not yet sent).
 */
import type { Kysely } from 'kysely';
import type { Database, EmailMode, NotificationKind } from './schema.ts';
import { commentExcerpt } from '../domain/excerpt.ts';
import { toIso } from './rows.ts';
import { decidedAppealOf } from './appeals.ts';

type Db = Kysely<Database>;

export const EMAIL_MODES = [
  'off',
  'immediate',
  'hourly',
  'daily',
] as const satisfies readonly EmailMode[];
export const NOTIFICATION_KINDS = [
  'reply',
  'staff',
  'mention',
  'approved',
  'rejected',
  'featured',
  'appeal',
  // Q&A (docs/qa.md): the reader's question was answered.
  'answer',
] as const satisfies readonly NotificationKind[];

/**
 * The kinds of mail a reader turns on or off (and unsubscribes from in one click): approvals and
 * rejections travel together as "moderation".
 */
export const MAIL_KINDS = ['reply', 'staff', 'mention', 'moderation', 'featured'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];
export type MailKinds = Record<MailKind, boolean>;

export const mailKindOf = (kind: NotificationKind): MailKind =>
  kind === 'approved' || kind === 'rejected' || kind === 'appeal'
    ? 'moderation'
    : // An answer to one's question is mailed with the replies (the same switch).
      kind === 'answer'
      ? 'reply'
      : kind;

export interface NotificationSettings {
  email: EmailMode;
  kinds: MailKinds;
}

/** Mail is opt-in: off until the reader asks for it; once asked, every kind is on. */
export const DEFAULT_SETTINGS: NotificationSettings = {
  email: 'off',
  kinds: { reply: true, staff: true, mention: true, moderation: true, featured: true },
};

function readKinds(json: string): MailKinds {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    parsed = {};
  }
  const kinds = { ...DEFAULT_SETTINGS.kinds };
  if (parsed && typeof parsed === 'object') {
    for (const kind of MAIL_KINDS) {
      const value = (parsed as Record<string, unknown>)[kind];
      if (typeof value === 'boolean') kinds[kind] = value;
    }
  }
  return kinds;
}

export async function getNotificationSettings(
  db: Db,
  userId: string,
): Promise<NotificationSettings> {
  const row = await db
    .selectFrom('notification_settings')
    .select(['email', 'kinds'])
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (!row) return { email: DEFAULT_SETTINGS.email, kinds: { ...DEFAULT_SETTINGS.kinds } };
  const email = (EMAIL_MODES as readonly string[]).includes(row.email) ? row.email : 'off';
  return { email, kinds: readKinds(row.kinds) };
}

/** Changes some of a reader's choices; returns them all as they now are. */
export async function updateNotificationSettings(
  db: Db,
  userId: string,
  change: { email?: EmailMode | undefined; kinds?: Partial<MailKinds> | undefined },
): Promise<NotificationSettings> {
  const current = await getNotificationSettings(db, userId);
  const next: NotificationSettings = {
    email: change.email ?? current.email,
    kinds: { ...current.kinds },
  };
  for (const kind of MAIL_KINDS) {
    const value = change.kinds?.[kind];
    if (typeof value === 'boolean') next.kinds[kind] = value;
  }
  const now = new Date().toISOString();
  const kinds = JSON.stringify(next.kinds);
  await db
    .insertInto('notification_settings')
    .values({ user_id: userId, email: next.email, kinds, updated_at: now })
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({ email: next.email, kinds, updated_at: now }),
    )
    .execute();
  return next;
}

/** A notification as the bell shows it (and as mail describes it). */
export interface NotificationItem {
  id: string;
  kind: NotificationKind;
  siteId: string;
  storyId: string;
  storyTitle: string | null;
  storyUrl: string;
  commentId: string;
  /** Who wrote the comment (the replier, the mentioner); for moderation kinds, the reader. */
  actorName: string;
  /** The comment's text, cut to a line or two (plain text, never HTML). */
  excerpt: string;
  /** For a rejection: the reason code and the moderator's note the author already sees. */
  rejection: { code: string; note: string | null } | null;
  /** For an appeal decided (docs/dsa.md): the outcome and the reviewing moderator's explanation. */
  appeal?: { outcome: 'upheld' | 'reversed'; note: string | null } | null;
  createdAt: string;
  readAt: string | null;
}

/**
 * What the bell shows of a reader's notifications: those whose comment is still published (a
 * rejection notice stays with its author). A reply rejected or deleted after the fact is gone from
 * the list and the count at once, before the dispatcher has taken its rows back.
 */
function shown(db: Db, userId: string) {
  return db
    .selectFrom('notifications as n')
    .innerJoin('comments as c', 'c.id', 'n.comment_id')
    .where('n.user_id', '=', userId)
    .where('c.deleted_at', 'is', null)
    .where((eb) =>
      eb.or([eb('c.status', '=', 'approved'), eb('n.kind', 'in', ['rejected', 'appeal'])]),
    );
}

/** How many of the reader's notifications are unread. */
export async function unreadCount(db: Db, userId: string): Promise<number> {
  const row = await shown(db, userId)
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('n.read_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The reader's notifications, newest first (ids are time-ordered); cursor: the last id shown. */
export async function listNotifications(
  db: Db,
  userId: string,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ items: NotificationItem[]; nextCursor: string | null }> {
  let q = shown(db, userId)
    .innerJoin('stories as s', 's.id', 'n.story_id')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .select([
      'n.id',
      'n.kind',
      'n.site_id',
      'n.story_id',
      'n.comment_id',
      'n.created_at',
      'n.read_at',
      's.title',
      's.url',
      'u.display_name as author_name',
      'c.html',
      'c.rejection_code',
      'c.rejection_note',
    ])
    .orderBy('n.id', 'desc')
    .limit(page.limit + 1);
  if (page.cursor) q = q.where('n.id', '<', page.cursor);
  const rows = await q.execute();
  const appeals = new Map<string, NotificationItem['appeal']>();
  for (const row of rows.slice(0, page.limit)) {
    if (row.kind !== 'appeal' || appeals.has(row.comment_id)) continue;
    const appeal = await decidedAppealOf(db, row.comment_id);
    appeals.set(
      row.comment_id,
      appeal && (appeal.state === 'upheld' || appeal.state === 'reversed')
        ? { outcome: appeal.state, note: appeal.reviewNote }
        : null,
    );
  }
  const items = rows.slice(0, page.limit).map((row): NotificationItem => ({
    id: row.id,
    kind: row.kind,
    siteId: row.site_id,
    storyId: row.story_id,
    storyTitle: row.title,
    storyUrl: row.url,
    commentId: row.comment_id,
    actorName: row.author_name,
    excerpt: commentExcerpt(row.html, 200),
    rejection:
      row.kind === 'rejected' && row.rejection_code
        ? { code: row.rejection_code, note: row.rejection_note }
        : null,
    appeal: row.kind === 'appeal' ? (appeals.get(row.comment_id) ?? null) : null,
    createdAt: toIso(row.created_at),
    readAt: toIso(row.read_at),
  }));
  return { items, nextCursor: rows.length > page.limit ? (items.at(-1)?.id ?? null) : null };
}

/** Marks some (or all) of the reader's notifications read; returns the unread count after. */
export async function markNotificationsRead(
  db: Db,
  userId: string,
  which: { ids: string[] } | 'all',
): Promise<number> {
  if (which === 'all' || which.ids.length > 0) {
    let q = db
      .updateTable('notifications')
      .set({ read_at: new Date().toISOString() })
      .where('user_id', '=', userId)
      .where('read_at', 'is', null);
    if (which !== 'all') q = q.where('id', 'in', which.ids);
    await q.execute();
  }
  return unreadCount(db, userId);
}

/** Whether the reader's address can take notification mail: confirmed, and not bounced. */
export async function mailAddressState(
  db: Db,
  userId: string,
): Promise<{ emailConfirmed: boolean; bounced: boolean }> {
  const row = await db
    .selectFrom('users')
    .select(['email_verified_at', 'mail_bounced_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  return {
    emailConfirmed: Boolean(row?.email_verified_at),
    bounced: Boolean(row?.mail_bounced_at),
  };
}

/** The most authors of a story that mentions and suggestions look through. */
const MAX_STORY_AUTHORS = 20_000;

/**
 * The story's readers: the authors of its published comments (erased accounts left out), at most
 * MAX_STORY_AUTHORS of them, most recent commenters first being no concern: names are matched in
 * JavaScript, which folds the case of every script (SQLite's lower() folds only ASCII).
 */
export async function storyAuthors(
  db: Db,
  storyId: string,
): Promise<Array<{ id: string; name: string }>> {
  const rows = await db
    .selectFrom('comments as c')
    .innerJoin('users as u', 'u.id', 'c.author_id')
    .select(['u.id', 'u.display_name'])
    .distinct()
    .where('c.story_id', '=', storyId)
    .where('c.status', '=', 'approved')
    .where('c.deleted_at', 'is', null)
    .where('u.deleted_at', 'is', null)
    .limit(MAX_STORY_AUTHORS)
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.display_name }));
}

/** Display names of readers with published comments in the story that start with `prefix`. */
export async function mentionNames(
  db: Db,
  storyId: string,
  prefix: string,
  limit: number,
): Promise<string[]> {
  const start = prefix.toLowerCase();
  const names = new Set<string>();
  for (const author of await storyAuthors(db, storyId)) {
    if (author.name.toLowerCase().startsWith(start)) names.add(author.name);
  }
  return [...names].sort((a, b) => a.localeCompare(b)).slice(0, limit);
}
