/**
 * Readers' notifications and their mail choices (docs/notifications.md). A notification is written
 * by the dispatcher (src/notify/notifications.ts) once per (reader, comment, kind); the bell lists
 * a reader's own, newest first, showing only comments that are still published (a reply deleted or
 * rejected after the fact disappears from the list and from any mail not yet sent).
 */
import type { Kysely } from 'kysely';
import type { Database, EmailMode, NotificationKind } from './schema.ts';
import { toIso } from './rows.ts';

type Db = Kysely<Database>;

export const EMAIL_MODES = ['off', 'immediate', 'hourly', 'daily'] as const satisfies readonly EmailMode[];
export const NOTIFICATION_KINDS = [
  'reply',
  'staff',
  'mention',
  'approved',
  'rejected',
  'featured',
] as const satisfies readonly NotificationKind[];

/**
 * The kinds of mail a reader turns on or off (and unsubscribes from in one click): approvals and
 * rejections travel together as "moderation".
 */
export const MAIL_KINDS = ['reply', 'staff', 'mention', 'moderation', 'featured'] as const;
export type MailKind = (typeof MAIL_KINDS)[number];
export type MailKinds = Record<MailKind, boolean>;

export const mailKindOf = (kind: NotificationKind): MailKind =>
  kind === 'approved' || kind === 'rejected' ? 'moderation' : kind;

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
  createdAt: string;
  readAt: string | null;
}

export { toIso };
