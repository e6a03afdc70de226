/**
 * SQL for privacy: reading everything an account holds (the data export, page by page), marking
 * an account for deletion, erasing it, and the retention sweep that forgets client addresses and
 * spent mailed links. The erasure steps take the caller's transaction; the service
 * (src/services/privacy.ts) runs them in order, in one transaction.
 */
import { sql, type Kysely } from 'kysely';
import { readAuthSettings } from '../domain/auth-settings.ts';
import { storeBestKey } from './comments.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database>;

/** Rows per query when reading or erasing an account with many comments. */
export const PAGE_SIZE = 500;

/** What an erased account's name becomes (the author of comments kept anonymised). */
export const DELETED_NAME = '[deleted]';

/** The address an erased account keeps: `users.email` is unique and not null, `.invalid` never routes. */
export const erasedEmail = (userId: string) => `deleted-${userId}@invalid`;

// ---------------------------------------------------------------------------------------------
// Export

export async function listIdentities(db: Db, userId: string) {
  return db
    .selectFrom('user_identities')
    .select(['provider', 'subject', 'created_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at')
    .execute();
}

/** A page of the user's comments (every status), oldest first, with their stories and sites. */
export async function exportCommentsPage(db: Db, userId: string, afterId: string | null) {
  let q = db
    .selectFrom('comments as c')
    .innerJoin('stories as s', 's.id', 'c.story_id')
    .innerJoin('sites as t', 't.id', 'c.site_id')
    .select([
      'c.id',
      'c.body',
      'c.status',
      'c.created_at',
      'c.edited_at',
      'c.deleted_at',
      'c.parent_id',
      'c.reaction_count',
      'c.reply_count',
      'c.featured',
      'c.rejection_code',
      'c.rejection_note',
      'c.author_ip',
      'c.author_user_agent',
      's.id as story_id',
      's.url as story_url',
      's.title as story_title',
      't.id as site_id',
      't.name as site_name',
    ])
    .where('c.author_id', '=', userId);
  if (afterId) q = q.where('c.id', '>', afterId);
  return q.orderBy('c.id').limit(PAGE_SIZE).execute();
}

/** A page of the comments the user gave their "Respect" to (only the ids: the text is others'). */
export async function exportReactionsPage(db: Db, userId: string, afterCommentId: string | null) {
  let q = db
    .selectFrom('reactions')
    .select(['comment_id', 'created_at'])
    .where('user_id', '=', userId);
  if (afterCommentId) q = q.where('comment_id', '>', afterCommentId);
  return q.orderBy('comment_id').limit(PAGE_SIZE).execute();
}

/** A page of the reports the user made, with what a notice of illegal content said. */
export async function exportReportsPage(db: Db, userId: string, afterId: string | null) {
  let q = db
    .selectFrom('reports')
    .select([
      'id',
      'comment_id',
      'reason',
      'note',
      'created_at',
      'legal_ground',
      'explanation',
      'reporter_name',
      'reporter_email',
      'good_faith',
    ])
    .where('user_id', '=', userId);
  if (afterId) q = q.where('id', '>', afterId);
  return q.orderBy('id').limit(PAGE_SIZE).execute();
}

/** A page of the appeals the user filed (docs/dsa.md), with their outcome. */
export async function exportAppealsPage(db: Db, userId: string, afterId: string | null) {
  let q = db
    .selectFrom('appeals')
    .select(['id', 'comment_id', 'text', 'created_at', 'state', 'reviewed_at', 'review_note'])
    .where('author_id', '=', userId);
  if (afterId) q = q.where('id', '>', afterId);
  return q.orderBy('id').limit(PAGE_SIZE).execute();
}

/**
 * Empties the user's appeals of what they wrote, here and in the audit log's `appeal.file`
 * entries; the appeals stay (their outcome counts in the transparency report), as text-less rows.
 */
export async function scrubAppealsOf(trx: Db, userId: string): Promise<void> {
  await trx.updateTable('appeals').set({ text: '' }).where('author_id', '=', userId).execute();
  const filed = await trx
    .selectFrom('moderation_actions')
    .select(['id', 'after'])
    .where('actor_id', '=', userId)
    .where('action', '=', 'appeal.file')
    .execute();
  for (const entry of filed) {
    let kept: Record<string, unknown> = {};
    try {
      const after = JSON.parse(entry.after ?? 'null') as Record<string, unknown> | null;
      kept = { appealId: after?.appealId ?? null, decisionId: after?.decisionId ?? null };
    } catch {
      // Not JSON: nothing of it is kept.
    }
    await trx
      .updateTable('moderation_actions')
      .set({ after: JSON.stringify(kept) })
      .where('id', '=', entry.id)
      .execute();
  }
}

/** The user's sessions that can still be used (a session is a device, there are few). */
export async function exportSessions(db: Db, userId: string) {
  return db
    .selectFrom('sessions')
    .select(['token_hash', 'created_at', 'last_refreshed_at', 'method', 'ip', 'user_agent'])
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at')
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Scheduling a deletion

/** Marks the account for erasure at `dueAt`; false when it is gone or already erased. */
export async function markForDeletion(db: Db, userId: string, dueAt: Date): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ deletion_requested_at: new Date().toISOString(), deletion_due_at: dueAt.toISOString() })
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Cancels a pending deletion (the queued job then finds nothing due). */
export async function clearDeletion(db: Db, userId: string): Promise<void> {
  await db
    .updateTable('users')
    .set({ deletion_requested_at: null, deletion_due_at: null })
    .where('id', '=', userId)
    .where('deleted_at', 'is', null)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Erasure (each step inside the caller's transaction)

/**
 * Locks the account row for the erasure (on PostgreSQL, the row lock of a no-op update; SQLite
 * serialises writers anyway) and returns what the erasure needs, or undefined when it is gone.
 */
export async function lockAccount(trx: Db, userId: string) {
  return trx
    .updateTable('users')
    .set({ deletion_due_at: sql`deletion_due_at` })
    .where('id', '=', userId)
    .returning(['id', 'email', 'display_name', 'locale', 'deletion_due_at', 'deleted_at'])
    .executeTakeFirst();
}

/** Every site's policy for a deleted account's comments (there are few sites). */
export async function deletedCommentPolicies(
  trx: Db,
): Promise<Map<string, 'anonymise' | 'remove'>> {
  const rows = await trx.selectFrom('sites').select(['id', 'auth']).execute();
  return new Map(rows.map((row) => [row.id, readAuthSettings(row.auth).deletedComments]));
}

/** A page of the user's comments, newest first (replies before the comments they answer). */
export async function authoredCommentsPage(trx: Db, userId: string, beforeId: string | null) {
  let q = trx
    .selectFrom('comments')
    .select(['id', 'site_id', 'story_id', 'status', 'deleted_at'])
    .where('author_id', '=', userId);
  if (beforeId) q = q.where('id', '<', beforeId);
  return q.orderBy('id', 'desc').limit(PAGE_SIZE).execute();
}

/**
 * Empties removed comments completely: the text (removeComment already did, this catches
 * comments deleted before), the pipeline's notes, which may quote it, and the moderator's note.
 */
export async function blankComments(trx: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await trx
    .updateTable('comments')
    .set({ body: '', html: '', moderation: '{}', rejection_note: null })
    .where('id', 'in', ids)
    .execute();
}

/** Forgets the client address and user agent of all the user's comments. */
export async function forgetCommentAddresses(trx: Db, userId: string): Promise<void> {
  await trx
    .updateTable('comments')
    .set({ author_ip: null, author_user_agent: null })
    .where('author_id', '=', userId)
    .where((eb) =>
      eb.or([eb('author_ip', 'is not', null), eb('author_user_agent', 'is not', null)]),
    )
    .execute();
}

/**
 * Deletes the live events of the user's comments (they carry the text and the author's name), and
 * replaces the name in the events of replies that quote it (`replyToName`). Replay skips the gaps.
 */
export async function deleteLiveEventsOf(
  trx: Db,
  userId: string,
  displayName: string,
): Promise<void> {
  await trx
    .deleteFrom('live_events')
    .where(
      'comment_id',
      'in',
      trx.selectFrom('comments').select('comments.id').where('author_id', '=', userId),
    )
    .execute();
  await trx.deleteFrom('live_events').where('author_id', '=', userId).execute();
  const quoted = `"replyToName":${JSON.stringify(displayName)}`;
  const replaced = `"replyToName":${JSON.stringify(DELETED_NAME)}`;
  await trx
    .updateTable('live_events')
    .set({ data: sql`replace(data, ${quoted}, ${replaced})` })
    .where('data', 'like', `%${escapeLike(quoted)}%`)
    .execute();
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The events recorded for the erasure itself (removals) name no one: no author id. */
export async function anonymiseLiveEvents(trx: Db, userId: string): Promise<void> {
  await trx
    .updateTable('live_events')
    .set({ author_id: null })
    .where('author_id', '=', userId)
    .execute();
}

/**
 * Takes back the user's reactions: each comment's count goes down by one, with its Best key
 * recomputed from the new count (as a reaction taken back does), then the rows go. Returns the
 * stories whose counts changed (their cached pages are stale).
 */
export async function deleteReactionsOf(trx: Db, userId: string): Promise<string[]> {
  const reacted = trx.selectFrom('reactions').select('comment_id').where('user_id', '=', userId);
  const stories = await trx
    .selectFrom('comments')
    .select('story_id')
    .distinct()
    .where('id', 'in', reacted)
    .execute();
  await trx
    .updateTable('comments')
    .set({ reaction_count: sql`reaction_count - 1` })
    .where('id', 'in', reacted)
    .where('reaction_count', '>', 0)
    .execute();
  const changed = await trx
    .selectFrom('comments')
    .select(['id', 'reaction_count', 'view_count', 'created_at'])
    .where('id', 'in', reacted)
    .orderBy('id') // one lock order for every writer
    .execute();
  for (const row of changed) await storeBestKey(trx, row.id, row);
  await trx.deleteFrom('reactions').where('user_id', '=', userId).execute();
  return stories.map((s) => s.story_id);
}

/**
 * Withdraws the user's reports. A report is still open (counted in `open_reports`, the reported
 * queue) when it came after the last time a moderator reviewed the comment: approving or
 * rejecting sets `reviewed_at` and closes the reports then open. Those are taken off the count.
 */
export async function deleteReportsOf(trx: Db, userId: string): Promise<void> {
  await trx
    .updateTable('comments')
    .set({ open_reports: sql`open_reports - 1` })
    .where('open_reports', '>', 0)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('reports as r')
          .select('r.id')
          .where('r.user_id', '=', userId)
          .whereRef('r.comment_id', '=', 'comments.id')
          .where((inner) =>
            inner.or([
              inner('comments.reviewed_at', 'is', null),
              inner('r.created_at', '>', inner.ref('comments.reviewed_at')),
            ]),
          ),
      ),
    )
    .execute();
  await trx.deleteFrom('reports').where('user_id', '=', userId).execute();
}

/**
 * Deletes what is about the account and nothing else: sessions, identities, mailed links,
 * moderators' notes about the user (and their text in the audit log), and mail to the address.
 */
export async function deleteAccountRecords(trx: Db, userId: string, email: string): Promise<void> {
  await trx.deleteFrom('sessions').where('user_id', '=', userId).execute();
  await trx.deleteFrom('user_identities').where('user_id', '=', userId).execute();
  await trx.deleteFrom('email_tokens').where('user_id', '=', userId).execute();
  await trx.deleteFrom('user_notes').where('user_id', '=', userId).execute();
  // The audit log keeps that a note was written and by whom, not what it said about the person.
  await trx
    .updateTable('moderation_actions')
    .set({ after: null })
    .where('user_id', '=', userId)
    .where('action', '=', 'user.note')
    .execute();
  await trx
    .deleteFrom('mail_outbox')
    .where((eb) => eb.or([eb('user_id', '=', userId), eb('to_address', '=', email)]))
    .execute();
  // Their bell, their mail choices and their alert settings (a chat address is a secret). The row
  // stays, so the cascades on users never fire: each is deleted here.
  await trx.deleteFrom('notifications').where('user_id', '=', userId).execute();
  await trx.deleteFrom('notification_settings').where('user_id', '=', userId).execute();
  await trx.deleteFrom('moderator_alerts').where('user_id', '=', userId).execute();
}

/**
 * Erases the profile. The row stays (the author of kept comments, the subject of audit log
 * entries) with nothing that names or reaches the person, no rights and no way to sign in.
 */
export async function eraseProfile(trx: Db, userId: string): Promise<void> {
  await trx
    .updateTable('users')
    .set({
      email: erasedEmail(userId),
      display_name: DELETED_NAME,
      password_hash: null,
      role: 'commenter',
      moderator_site_ids: null,
      avatar_url: null,
      badges: null,
      locale: null,
      email_verified_at: null,
      display_name_changed_at: null,
      ban_reason: null,
      suspend_reason: null,
      warning: null,
      deletion_requested_at: null,
      deletion_due_at: null,
      deleted_at: new Date().toISOString(),
    })
    .where('id', '=', userId)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Retention

const DAY_MS = 86_400_000;

/** What one sweep erased or pruned, per kind (for the log and tests). */
export interface SweepCounts {
  commentAddresses: number;
  sessionAddresses: number;
  endedSessions: number;
  emailTokens: number;
  deletedAccountMail: number;
  /** Notification and alert mail whose bodies were emptied. */
  quotingMail: number;
}

/**
 * Forgets client addresses and user agents recorded before `cutoff` (comments through the partial
 * index comments_with_address; sessions by when they opened), deletes sessions a day after they
 * ended (revoked, or past their refresh token's life: one row per device and sign-in, which would
 * otherwise pile up for good) and mailed links a day after they were used or expired, and empties
 * the farewell mail of erased accounts a day after it was dealt with. (Spent SSO token ids, OIDC states and sign-in backoff are pruned by their stores.)
 */
export async function sweepRetention(db: Db, cutoff: Date, now = new Date()): Promise<SweepCounts> {
  const dayAgo = new Date(now.getTime() - DAY_MS).toISOString();
  const count = (result: { numUpdatedRows?: bigint; numDeletedRows?: bigint }) =>
    Number(result.numUpdatedRows ?? result.numDeletedRows ?? 0);

  const commentAddresses = await db
    .updateTable('comments')
    .set({ author_ip: null, author_user_agent: null })
    .where('author_ip', 'is not', null)
    .where('created_at', '<', cutoff.toISOString())
    .executeTakeFirst();
  const sessionAddresses = await db
    .updateTable('sessions')
    .set({ ip: null, user_agent: null })
    .where((eb) => eb.or([eb('ip', 'is not', null), eb('user_agent', 'is not', null)]))
    // The address is written when the session opens (a refresh does not record it again).
    .where('created_at', '<', cutoff.toISOString())
    .executeTakeFirst();
  const endedSessions = await db
    .deleteFrom('sessions')
    .where((eb) =>
      eb.or([
        eb('revoked_at', '<', dayAgo),
        eb('refresh_expires_at', '<', dayAgo),
        eb.and([eb('refresh_expires_at', 'is', null), eb('expires_at', '<', dayAgo)]),
      ]),
    )
    .executeTakeFirst();
  const emailTokens = await db
    .deleteFrom('email_tokens')
    .where((eb) => eb.or([eb('used_at', '<', dayAgo), eb('expires_at', '<', dayAgo)]))
    .executeTakeFirst();
  // The farewell mail to an erased account keeps the address until it has been dealt with (sent,
  // held for the dashboard, or given up); a day later it is emptied like the rest.
  const deletedAccountMail = await db
    .updateTable('mail_outbox')
    .set({ to_address: '', subject: '', text_body: '', html_body: '', last_error: null })
    .where('template', '=', 'account-deleted')
    .where('state', '!=', 'queued')
    .where('to_address', '!=', '')
    .where('created_at', '<', dayAgo)
    .executeTakeFirst();
  // Notification and alert mail quotes other people's words and names: once dealt with (sent,
  // held or given up) and a day old, its bodies are emptied, so an erasure or a moderator's removal
  // does not live on in the outbox.
  const quotingMail = await db
    .updateTable('mail_outbox')
    .set({ subject: '', text_body: '', html_body: '' })
    .where((eb) =>
      eb.or([eb('template', 'like', 'notify-%'), eb('template', '=', 'moderator-alert')]),
    )
    .where('state', '!=', 'queued')
    .where('text_body', '!=', '')
    .where('created_at', '<', dayAgo)
    .executeTakeFirst();
  return {
    commentAddresses: count(commentAddresses),
    sessionAddresses: count(sessionAddresses),
    endedSessions: count(endedSessions),
    emailTokens: count(emailTokens),
    deletedAccountMail: count(deletedAccountMail),
    quotingMail: count(quotingMail),
  };
}
