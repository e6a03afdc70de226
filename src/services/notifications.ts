/**
 * A reader's notifications as they use them (docs/notifications.md): the bell's list and count,
 * marking read, their mail choices, and the one-click unsubscribe link of a mail. Who is told of
 * what is decided by src/notify/.
 */
import {
  checkUnsubscribeLink,
  unsubscribe,
  unsubscribeKey,
  type UnsubscribeLink,
} from '../notify/unsubscribe.ts';
import type { Store } from '../store/db.ts';
import {
  getNotificationSettings,
  listNotifications,
  mailAddressState,
  mentionNames,
  markNotificationsRead,
  unreadCount,
  updateNotificationSettings,
  type MailKinds,
  type NotificationItem,
  type NotificationSettings,
} from '../store/notifications.ts';
import type { User } from '../store/rows.ts';
import type { EmailMode } from '../store/schema.ts';

export interface NotificationPage {
  items: NotificationItem[];
  unread: number;
  nextCursor: string | null;
}

export async function readNotifications(
  store: Store,
  viewer: User,
  page: { cursor?: string | undefined; limit: number },
): Promise<NotificationPage> {
  const [list, unread] = await Promise.all([
    listNotifications(store.db, viewer.id, page),
    unreadCount(store.db, viewer.id),
  ]);
  return { ...list, unread };
}

export function markRead(
  store: Store,
  viewer: User,
  which: { ids: string[] } | 'all',
): Promise<number> {
  return markNotificationsRead(store.db, viewer.id, which);
}

/** The reader's choices, and what mail needs that is not a choice: a confirmed address. */
export interface MailChoices extends NotificationSettings {
  emailConfirmed: boolean;
  bounced: boolean;
}

async function choices(store: Store, viewer: User, settings: NotificationSettings) {
  return { ...settings, ...(await mailAddressState(store.db, viewer.id)) };
}

export async function readMailChoices(store: Store, viewer: User): Promise<MailChoices> {
  return choices(store, viewer, await getNotificationSettings(store.db, viewer.id));
}

/**
 * Changes the reader's choices. Asking for mail with an unconfirmed address is kept (mail starts
 * once it is confirmed); the answer says so with `emailConfirmed`.
 */
export async function changeMailChoices(
  store: Store,
  viewer: User,
  change: { email?: EmailMode | undefined; kinds?: Partial<MailKinds> | undefined },
): Promise<MailChoices> {
  return choices(store, viewer, await updateNotificationSettings(store.db, viewer.id, change));
}

/** Display names of readers with published comments in the story, starting with `prefix`. */
export function mentionCandidates(
  store: Store,
  storyId: string,
  prefix: string,
): Promise<string[]> {
  return mentionNames(store.db, storyId, prefix, 8);
}

/** What an unsubscribe link's query carries: the reader, the kind of mail, the signature. */
export type UnsubscribeQuery = { user?: unknown; kind?: unknown; token?: unknown };

/** The reader and kind of mail a signed unsubscribe link names; null when it is not valid. */
export async function readUnsubscribeLink(
  store: Store,
  query: UnsubscribeQuery,
): Promise<UnsubscribeLink | null> {
  return checkUnsubscribeLink(await unsubscribeKey(store.db), query);
}

/**
 * Stops the kind of mail a signed unsubscribe link names (src/notify/unsubscribe.ts); null when the
 * link is not valid. `locale` is the reader's interface language, null when their account is gone.
 */
export async function unsubscribeByLink(
  store: Store,
  query: UnsubscribeQuery,
): Promise<{ link: UnsubscribeLink; locale: string | null } | null> {
  const link = await readUnsubscribeLink(store, query);
  if (!link) return null;
  const done = await unsubscribe(store.db, link);
  return { link, locale: done?.locale ?? null };
}
