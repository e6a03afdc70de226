/**
 * Readers' notifications: who is told of a comment change, and how (docs/notifications.md). A
 * consumer of the dispatcher (./dispatcher.ts), so it sees each change once, after it committed,
 * in the story's order.
 *
 * - A comment published (at once, or approved after review): the author of the comment it answers
 *   (reply), the authors of the comments above that when the writer is staff (staff: a journalist,
 *   moderator or admin answering anywhere under your comment), and readers of the story it names as
 *   `@Name` (mention). Each reader is told once per comment, by the strongest reason.
 * - The author of a comment approved after review, rejected (with the reason they already see) or
 *   featured.
 * - Nothing about a comment that is not published: a held reply tells nobody until it is approved;
 *   a reply rejected or deleted before anyone was told tells nobody, and one rejected or deleted
 *   afterwards is taken out of the bells and out of any mail not yet sent. Nothing about a comment
 *   whose author is banned on the site or suspended.
 *
 * The bell is written for every reader; mail only when the reader asked for it (opt-in), for that
 * kind, with a confirmed address that has not bounced: then `email_state` is `immediate` (a
 * `notify.email` job, written here, sends it) or `digest` (the hourly or daily digest collects it).
 */
import { enqueueJob } from '../jobs/queue.ts';
import { AUTHOR, type Bus } from '../live/bus.ts';
import { NOTIFICATION_EVENT, userChannel } from '../live/channels.ts';
import { newId } from '../domain/ids.ts';
import type { CommentRecord } from '../store/rows.ts';
import {
  getNotificationSettings,
  mailKindOf,
  storyAuthors,
  type NotificationItem,
  unreadCount,
} from '../store/notifications.ts';
import type { NotificationKind } from '../store/schema.ts';
import { isMarkedAnswer } from '../store/qa.ts';
import type { AfterCommit, CommentEvent, Consumer, Db } from './events.ts';
import { commentExcerpt, mentionedNames } from '../domain/excerpt.ts';
import { listIgnorersAmong } from '../store/ignores.ts';

export const NOTIFY_EMAIL_JOB = 'notify.email';

/** The roles whose replies reach everyone above them in the thread. */
const STAFF_ROLES = new Set(['staff', 'moderator', 'admin']);

/** At most this many readers are told of one comment by mentions (a list of names is not a call). */
const MAX_MENTIONED = 5;

interface Recipient {
  userId: string;
  kind: NotificationKind;
}

interface Person {
  id: string;
  banned: boolean;
  deleted: boolean;
}

async function person(trx: Db, userId: string, siteId: string): Promise<Person | undefined> {
  const row = await trx
    .selectFrom('users')
    .select(['id', 'banned_at', 'banned_site_ids', 'suspended_until', 'deleted_at'])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!row) return undefined;
  let bannedHere = false;
  if (row.banned_at) {
    const sites = row.banned_site_ids ? (JSON.parse(row.banned_site_ids) as string[]) : null;
    bannedHere = sites === null || sites.includes(siteId);
  }
  const suspended = row.suspended_until !== null && new Date(row.suspended_until) > new Date();
  return { id: row.id, banned: bannedHere || suspended, deleted: row.deleted_at !== null };
}

/**
 * The author of the comment `comment` answers (null when that comment is no longer published) and
 * the authors of the published comments further up, nearest first.
 */
async function authorsAbove(
  trx: Db,
  comment: CommentRecord,
): Promise<{ parent: string | null; further: string[] }> {
  let parent: string | null = null;
  const further: string[] = [];
  let parentId = comment.parentId;
  // Threads are shallow (a site's depth is capped); the bound guards against a broken chain.
  for (let hops = 0; parentId !== null && hops < 64; hops++) {
    const above = await trx
      .selectFrom('comments')
      .select(['author_id', 'parent_id', 'status', 'deleted_at'])
      .where('id', '=', parentId)
      .executeTakeFirst();
    if (!above) break;
    // A deleted or unpublished comment's author is not told of answers to it.
    const published = above.status === 'approved' && above.deleted_at === null;
    if (hops === 0) parent = published ? above.author_id : null;
    else if (published) further.push(above.author_id);
    parentId = above.parent_id;
  }
  return { parent, further };
}

/**
 * Readers of the story (authors of its published comments) whose names the comment mentions. The
 * names are compared here, lowercased by JavaScript: SQLite's lower() folds only ASCII, and
 * "@Élodie" must find Élodie.
 */
async function mentionedReaders(trx: Db, comment: CommentRecord): Promise<string[]> {
  const names = new Set(mentionedNames(comment.body));
  if (names.size === 0) return [];
  const found: string[] = [];
  for (const author of await storyAuthors(trx, comment.storyId)) {
    if (author.id === comment.authorId || !names.has(author.name.toLowerCase())) continue;
    found.push(author.id);
    if (found.length >= MAX_MENTIONED) break;
  }
  return found;
}

/** Who is told of a comment that has just been published, each once, by the strongest reason. */
async function publishedRecipients(trx: Db, comment: CommentRecord): Promise<Recipient[]> {
  const told = new Map<string, NotificationKind>();
  const tell = (userId: string, kind: NotificationKind) => {
    if (userId !== comment.authorId && !told.has(userId)) told.set(userId, kind);
  };
  const { parent, further } = await authorsAbove(trx, comment);
  // A Q&A answer (marked by ./qa.ts, which runs first) tells the asker by its own kind.
  if (parent !== null) tell(parent, (await isMarkedAnswer(trx, comment.id)) ? 'answer' : 'reply');
  if (STAFF_ROLES.has(comment.authorRole)) for (const id of further) tell(id, 'staff');
  for (const id of await mentionedReaders(trx, comment)) tell(id, 'mention');
  // A reader who ignores the author is not told of their replies or mentions (docs/profiles.md).
  const ignoring = await listIgnorersAmong(trx, comment.authorId, [...told.keys()]);
  return [...told]
    .filter(([userId]) => !ignoring.has(userId))
    .map(([userId, kind]) => ({ userId, kind }));
}

/** Who is told of a change, by kind. */
async function recipientsOf(trx: Db, event: CommentEvent): Promise<Recipient[]> {
  const { comment } = event;
  if (!comment) return [];
  switch (event.change) {
    case 'created':
      return comment.status === 'approved' && comment.deletedAt === null
        ? publishedRecipients(trx, comment)
        : [];
    case 'approved': {
      const others = await publishedRecipients(trx, comment);
      return [{ userId: comment.authorId, kind: 'approved' }, ...others];
    }
    case 'rejected':
      return [{ userId: comment.authorId, kind: 'rejected' }];
    case 'featured':
      return [{ userId: comment.authorId, kind: 'featured' }];
    case 'deleted':
      return [];
  }
}

/**
 * Takes back what was said about a comment no longer published: its bell entries, and so any mail
 * not yet sent (a rejected comment's own "rejected" entry stays).
 */
async function withdraw(trx: Db, commentId: string): Promise<void> {
  await trx
    .deleteFrom('notifications')
    .where('comment_id', '=', commentId)
    .where('kind', 'not in', ['rejected', 'appeal'])
    .execute();
}

export interface NotificationConsumerOptions {
  /** Where a reader's own events are published (the app's live bus); none in CLI commands. */
  bus?: Bus | undefined;
}

export function notificationConsumer(options: NotificationConsumerOptions = {}): Consumer {
  return async (trx, event, after) => {
    if (event.change === 'deleted' || event.change === 'rejected') {
      await withdraw(trx, event.commentId);
    }
    const comment = event.comment;
    if (!comment) return;
    const recipients = await recipientsOf(trx, event);
    if (recipients.length === 0) return;
    // The writer's standing decides for everyone but the writer's own moderation notices.
    const writer = await person(trx, comment.authorId, comment.siteId);
    const story = await trx
      .selectFrom('stories')
      .select(['title', 'url'])
      .where('id', '=', comment.storyId)
      .executeTakeFirst();
    // An erased writer's comments tell nobody anything (their words are gone or going).
    if (!writer || writer.deleted || !story) return;
    for (const recipient of recipients) {
      const own = recipient.userId === comment.authorId;
      if (!own && writer.banned) continue;
      const reader = own ? writer : await person(trx, recipient.userId, comment.siteId);
      if (!reader || reader.deleted) continue;
      const item = await notify(trx, comment, recipient, story);
      if (item && options.bus) {
        // The count is read in the transaction (it includes this one), sent after the commit.
        const unread = await unreadCount(trx, recipient.userId);
        publishAfter(after, options.bus, recipient.userId, item, unread);
      }
    }
  };
}

/** Writes one notification (and its mail job); undefined when the reader was already told. */
async function notify(
  trx: Db,
  comment: CommentRecord,
  recipient: Recipient,
  story: { title: string | null; url: string },
): Promise<NotificationItem | undefined> {
  const email = await emailStateFor(trx, recipient);
  const id = newId();
  const createdAt = new Date().toISOString();
  const inserted = await trx
    .insertInto('notifications')
    .values({
      id,
      user_id: recipient.userId,
      site_id: comment.siteId,
      story_id: comment.storyId,
      comment_id: comment.id,
      kind: recipient.kind,
      created_at: createdAt,
      read_at: null,
      email_state: email,
    })
    .onConflict((oc) => oc.columns(['user_id', 'comment_id', 'kind']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) return undefined;
  if (email === 'immediate') {
    await enqueueJob(trx, NOTIFY_EMAIL_JOB, { notificationId: id }, { maxAttempts: 6 });
  }
  return {
    id,
    kind: recipient.kind,
    siteId: comment.siteId,
    storyId: comment.storyId,
    storyTitle: story.title,
    storyUrl: story.url,
    commentId: comment.id,
    actorName: comment.authorName,
    excerpt: commentExcerpt(comment.html, 200),
    rejection: recipient.kind === 'rejected' ? comment.rejection : null,
    appeal: null,
    createdAt,
    readAt: null,
  };
}

/**
 * Tells the author how their appeal was decided (docs/dsa.md), in the transaction that decided it:
 * the bell at once (published after the commit), the mail as for a rejection (when the reader
 * asked for moderation mail). Not through the dispatcher: an upheld appeal changes no comment, so
 * the story's event log has nothing to say. A reader erased meanwhile is told nothing.
 */
export async function notifyAppealDecided(
  trx: Db,
  after: AfterCommit,
  bus: Bus | undefined,
  input: {
    comment: CommentRecord;
    outcome: 'upheld' | 'reversed';
    note: string;
  },
): Promise<void> {
  const { comment } = input;
  const author = await person(trx, comment.authorId, comment.siteId);
  const story = await trx
    .selectFrom('stories')
    .select(['title', 'url'])
    .where('id', '=', comment.storyId)
    .executeTakeFirst();
  if (!author || author.deleted || !story) return;
  // One bell entry per comment and kind: a later appeal's outcome replaces the earlier one.
  await trx
    .deleteFrom('notifications')
    .where('user_id', '=', comment.authorId)
    .where('comment_id', '=', comment.id)
    .where('kind', '=', 'appeal')
    .execute();
  const item = await notify(trx, comment, { userId: comment.authorId, kind: 'appeal' }, story);
  if (!item || !bus) return;
  const unread = await unreadCount(trx, comment.authorId);
  publishAfter(
    after,
    bus,
    comment.authorId,
    {
      ...item,
      appeal: { outcome: input.outcome, note: input.note },
    },
    unread,
  );
}

/**
 * An appeal's outcome is a statement of reasons (Digital Services Act, Article 20(4)): mailed at
 * once to a confirmed address that has not bounced, whatever the reader's mail settings.
 */
export const isStatementOfReasons = (kind: NotificationKind): boolean => kind === 'appeal';

/** Whether, and how, this notification goes by mail. */
async function emailStateFor(
  trx: Db,
  recipient: Recipient,
): Promise<'immediate' | 'digest' | null> {
  const settings = await getNotificationSettings(trx, recipient.userId);
  const statement = isStatementOfReasons(recipient.kind);
  if (!statement && (settings.email === 'off' || !settings.kinds[mailKindOf(recipient.kind)])) {
    return null;
  }
  const address = await trx
    .selectFrom('users')
    .select(['email_verified_at', 'mail_bounced_at'])
    .where('id', '=', recipient.userId)
    .executeTakeFirst();
  if (!address?.email_verified_at || address.mail_bounced_at) return null;
  return statement || settings.email === 'immediate' ? 'immediate' : 'digest';
}

/** Publishes the new notification, with the reader's unread count, once the dispatch commits. */
function publishAfter(
  after: AfterCommit,
  bus: Bus,
  userId: string,
  item: NotificationItem,
  unread: number,
): void {
  after.push(() => {
    bus
      .publish({
        storyId: userChannel(userId),
        seq: 0,
        siteId: item.siteId,
        kind: NOTIFICATION_EVENT,
        audience: AUTHOR,
        authorId: userId,
        commentId: item.commentId,
        data: JSON.stringify({ notification: item, unread }),
        createdAt: item.createdAt,
      })
      .catch((error: unknown) => {
        console.warn(`notify: publishing a notification failed: ${String(error)}`);
      });
  });
}
