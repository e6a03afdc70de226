/**
 * Data export, account deletion after a grace period, and the retention of addresses
 * (docs/identity.md, "Privacy").
 *
 * - The export is written as it is read, a page of rows at a time, so memory stays the same
 *   however many comments an account has.
 * - A deletion is scheduled (users.deletion_due_at, an `account.delete` job and the
 *   `deletion-scheduled` mail, in one transaction) and carried out by the job once due, unless it
 *   was cancelled meanwhile: the job then finds nothing due and does nothing.
 * - The erasure runs in one transaction: the profile is emptied, each comment is removed or kept
 *   as "[deleted]" by its site's policy, and everything else the account holds goes.
 * - The hourly `retention.sweep` job forgets client addresses after PARLEY_IP_RETENTION_DAYS and
 *   prunes spent sign-in state.
 */
import type { Kysely } from 'kysely';
import { ParleyError } from '../domain/errors.ts';
import { ACCOUNT_DELETE_JOB } from '../jobs/kinds.ts';
import { enqueueJob } from '../jobs/queue.ts';
import type { JobHandler } from '../jobs/worker.ts';
import type { LiveEvent } from '../live/bus.ts';
import { publishLive, recordCommentChange } from '../live/record.ts';
import { queueMail } from '../mail/outbox.ts';
import type { Config } from '../config.ts';
import { verifyPassword } from '../credentials/passwords.ts';
import { pruneThrottle } from '../store/auth-throttle.ts';
import { removeComment } from '../store/comments.ts';
import type { Store } from '../store/db.ts';
import { pruneOidcStates, pruneSsoTokenUses } from '../store/identities.ts';
import {
  anonymiseLiveEvents,
  authoredCommentsPage,
  blankComments,
  clearDeletion,
  deleteAccountRecords,
  deletedCommentPolicies,
  deleteLiveEventsOf,
  deleteReactionsOf,
  deleteReportsOf,
  eraseProfile,
  exportCommentsPage,
  exportReactionsPage,
  exportAppealsPage,
  exportReportsPage,
  exportSessions,
  forgetCommentAddresses,
  listIdentities,
  scrubAppealsOf,
  lockAccount,
  markForDeletion,
  PAGE_SIZE,
  sweepRetention,
} from '../store/privacy.ts';
import { toFlag, toIso, type User } from '../store/rows.ts';
import type { Database } from '../store/schema.ts';
import { countRemainingAdmins, getUser } from '../store/users.ts';
import { announceErasure } from '../webhooks/events.ts';
import { deleteIgnoresOf, listIgnores } from '../store/ignores.ts';
import { deleteProfileSettings, isProfilePrivate } from '../store/profiles.ts';
import { exportQuestionVotesPage, removeUserExpertships, removeUserVotes } from '../store/qa.ts';

type Db = Kysely<Database>;

export const RETENTION_JOB = 'retention.sweep';

/** What the privacy services need of the app: the store, the configuration, the caches. */
export interface PrivacyContext {
  store: Store;
  config: Pick<Config, 'deletionGraceHours' | 'ipRetentionDays' | 'publicUrl'>;
  /** The signed-in users cached by the HTTP layer: an erased or locked account's are forgotten. */
  sessions: { forgetUser(userId: string): void };
  /** The cached thread pages: a story whose comments an erasure changed is read afresh. */
  threads: { storyChanged(storyId: string): void };
}

// ---------------------------------------------------------------------------------------------
// Export

/** Whose data, and which of their sessions asks (marked `current`; null: an admin asks). */
export interface ExportRequest {
  user: User;
  currentTokenHash: string | null;
}

function presentProfile(user: User, identities: Awaited<ReturnType<typeof listIdentities>>) {
  const r = user.restrictions;
  return {
    id: user.id,
    email: user.email,
    displayName: user.displayName,
    role: user.role,
    createdAt: user.createdAt,
    emailVerified: user.emailVerifiedAt !== null,
    locale: user.locale,
    avatarUrl: user.avatarUrl,
    badges: user.badges,
    identities: identities.map((i) => ({
      provider: i.provider,
      subject: i.subject,
      createdAt: toIso(i.created_at),
    })),
    deletionDueAt: user.deletionDueAt,
    restrictions: {
      ban: r.bannedAt && { at: r.bannedAt, reason: r.banReason, siteIds: r.bannedSiteIds },
      suspension: r.suspendedUntil && { until: r.suspendedUntil, reason: r.suspendReason },
      warning: r.warning && { message: r.warning, acknowledgedAt: r.warningAcknowledgedAt },
      alwaysPremoderated: r.alwaysPremoderate,
    },
  };
}

type CommentExportRow = Awaited<ReturnType<typeof exportCommentsPage>>[number];

function presentExportedComment(row: CommentExportRow) {
  return {
    id: row.id,
    body: row.body,
    status: row.deleted_at !== null ? 'deleted' : row.status,
    createdAt: toIso(row.created_at),
    editedAt: toIso(row.edited_at),
    deletedAt: toIso(row.deleted_at),
    parentId: row.parent_id,
    replyCount: row.reply_count,
    reactionCount: row.reaction_count,
    featured: toFlag(row.featured),
    rejection: row.rejection_code ? { code: row.rejection_code, note: row.rejection_note } : null,
    ip: row.author_ip,
    userAgent: row.author_user_agent,
    story: { id: row.story_id, url: row.story_url, title: row.story_title },
    site: { id: row.site_id, name: row.site_name },
  };
}

/** Writes `"name":[…]` from pages of rows, each page read only when the previous one is out. */
async function* jsonArray<R, K>(
  name: string,
  readPage: (after: K | null) => Promise<R[]>,
  keyOf: (row: R) => K,
  present: (row: R) => unknown,
): AsyncGenerator<string> {
  yield `${JSON.stringify(name)}:[`;
  let after: K | null = null;
  let first = true;
  for (;;) {
    const page = await readPage(after);
    if (page.length > 0) {
      yield (first ? '' : ',') + page.map((row) => JSON.stringify(present(row))).join(',');
      first = false;
    }
    const last = page.at(-1);
    if (last === undefined || page.length < PAGE_SIZE) break;
    after = keyOf(last);
  }
  yield ']';
}

/**
 * The account's data as JSON text, in chunks: the profile, then every comment (with its story and
 * site), reaction, vote for a Q&A question, report (with a notice's fields), appeal and session,
 * read a page (PAGE_SIZE rows) at a time.
 */
export async function* exportAccount(db: Db, request: ExportRequest): AsyncGenerator<string> {
  const { user } = request;
  const identities = await listIdentities(db, user.id);
  yield `{"exportedAt":${JSON.stringify(new Date().toISOString())},`;
  yield `"profile":${JSON.stringify(presentProfile(user, identities))},`;
  yield* jsonArray(
    'comments',
    (after: string | null) => exportCommentsPage(db, user.id, after),
    (row) => row.id,
    presentExportedComment,
  );
  yield ',';
  yield* jsonArray(
    'reactions',
    (after: string | null) => exportReactionsPage(db, user.id, after),
    (row) => row.comment_id,
    (row) => ({ commentId: row.comment_id, createdAt: toIso(row.created_at) }),
  );
  yield ',';
  // Votes for Q&A questions (docs/qa.md): which question, on which story, when; not its text.
  yield* jsonArray(
    'questionVotes',
    (after: string | null) => exportQuestionVotesPage(db, user.id, after, PAGE_SIZE),
    (row) => row.comment_id,
    (row) => ({
      commentId: row.comment_id,
      storyId: row.story_id,
      createdAt: toIso(row.created_at),
    }),
  );
  yield ',';
  yield* jsonArray(
    'reports',
    (after: string | null) => exportReportsPage(db, user.id, after),
    (row) => row.id,
    (row) => ({
      commentId: row.comment_id,
      reason: row.reason,
      note: row.note,
      createdAt: toIso(row.created_at),
      // A notice of illegal content (docs/dsa.md): what the reader said, and who they said they are.
      ...(row.reason === 'illegal' && {
        notice: {
          legalGround: row.legal_ground,
          explanation: row.explanation,
          name: row.reporter_name,
          email: row.reporter_email,
          goodFaith: row.good_faith !== null && toFlag(row.good_faith),
        },
      }),
    }),
  );
  yield ',';
  yield* jsonArray(
    'appeals',
    (after: string | null) => exportAppealsPage(db, user.id, after),
    (row) => row.id,
    (row) => ({
      commentId: row.comment_id,
      text: row.text,
      createdAt: toIso(row.created_at),
      state: row.state,
      reviewedAt: toIso(row.reviewed_at),
      reviewNote: row.review_note,
    }),
  );
  // The readers they ignore (at most the cap) and their profile choice (docs/profiles.md).
  const ignores = (await listIgnores(db, user.id)).map(({ userId, displayName, since }) => ({
    userId,
    displayName,
    since,
  }));
  yield `,"ignores":${JSON.stringify(ignores)}`;
  yield `,"profilePrivate":${JSON.stringify(await isProfilePrivate(db, user.id))}`;
  const sessions = await exportSessions(db, user.id);
  const presented = sessions.map((s) => ({
    createdAt: toIso(s.created_at),
    lastRefreshedAt: toIso(s.last_refreshed_at),
    method: s.method,
    ip: s.ip,
    userAgent: s.user_agent,
    current: s.token_hash === request.currentTokenHash,
  }));
  yield `,"sessions":${JSON.stringify(presented)}}`;
}

/** The download's file name: `parley-data-2026-05-01.json`. */
export const exportFileName = (now = new Date()) =>
  `parley-data-${now.toISOString().slice(0, 10)}.json`;

// ---------------------------------------------------------------------------------------------
// Scheduling and cancelling a deletion

/**
 * Schedules the erasure of the account after the grace period, with its job and the mail that
 * says when and how to cancel, in one transaction. Local accounts confirm with their password.
 * Asking again while a deletion is pending keeps the date already set.
 */
export async function requestDeletion(
  ctx: PrivacyContext,
  user: User,
  confirm: { password?: string | undefined; checkPassword: boolean },
): Promise<string> {
  if (confirm.checkPassword && user.passwordHash !== null) {
    if (!(await verifyPassword(user.passwordHash, confirm.password ?? ''))) {
      throw new ParleyError('INVALID_CREDENTIALS', 'The password is not right.');
    }
  }
  const current = await getUser(ctx.store.db, user.id);
  if (!current || current.deletedAt !== null) {
    throw new ParleyError('USER_NOT_FOUND', 'That account does not exist.');
  }
  if (current.deletionDueAt !== null) return current.deletionDueAt;
  await refuseLastAdmin(ctx.store.db, current);
  const graceMs = ctx.config.deletionGraceHours * 3_600_000;
  const dueAt = new Date(Date.now() + graceMs);
  await ctx.store.db.transaction().execute(async (trx) => {
    await markForDeletion(trx, current.id, dueAt);
    await enqueueJob(trx, ACCOUNT_DELETE_JOB, { userId: current.id }, { delayMs: graceMs });
    await queueMail(trx, {
      userId: current.id,
      to: current.email,
      template: 'deletion-scheduled',
      locale: current.locale,
      params: {
        name: current.displayName,
        dueAt: dueAt.toISOString(),
        cancelLink: `${ctx.config.publicUrl}/account`,
      },
    });
  });
  ctx.sessions.forgetUser(current.id);
  return dueAt.toISOString();
}

/**
 * Parley keeps an admin: the last one whose account is not being deleted may not delete it (two
 * admins asking at once would otherwise both count the other and leave none).
 */
async function refuseLastAdmin(db: Db, user: User): Promise<void> {
  if (user.role === 'admin' && (await countRemainingAdmins(db, user.id)) === 0) {
    throw new ParleyError(
      'FORBIDDEN',
      'This is the only admin account: make someone else an admin before deleting it.',
    );
  }
}

/** Cancels a pending deletion; returns the account as it is now. */
export async function cancelDeletion(ctx: PrivacyContext, userId: string): Promise<User> {
  await clearDeletion(ctx.store.db, userId);
  ctx.sessions.forgetUser(userId);
  const user = await getUser(ctx.store.db, userId);
  if (!user || user.deletedAt !== null) {
    throw new ParleyError('USER_NOT_FOUND', 'That account does not exist.');
  }
  return user;
}

// ---------------------------------------------------------------------------------------------
// Erasure

/** What an erasure changed outside the database: live events to publish, pages gone stale. */
interface Erased {
  events: LiveEvent[];
  stories: Set<string>;
}

/**
 * Erases the account if its deletion is due (or at once with `immediate`, for the admin API), in
 * one transaction; returns whether it did. A cancelled or postponed deletion is left alone.
 */
export async function eraseAccount(
  ctx: PrivacyContext,
  userId: string,
  options: { immediate?: boolean } = {},
): Promise<boolean> {
  if (options.immediate) {
    const user = await getUser(ctx.store.db, userId);
    if (user) await refuseLastAdmin(ctx.store.db, user);
  }
  const erased = await ctx.store.db.transaction().execute(async (trx) => {
    const account = await lockAccount(trx, userId);
    if (!account || account.deleted_at !== null) return null;
    const due = account.deletion_due_at === null ? null : toIso(account.deletion_due_at);
    if (!options.immediate && (due === null || Date.parse(due) > Date.now())) return null;

    // The sites that knew the reader hear of it (user.deleted, the id alone); read while the
    // comments and identities that say which sites those are still exist.
    await announceErasure(trx, userId);
    // The name goes first: the removal events recorded below carry the author's name.
    await eraseProfile(trx, userId);
    await deleteLiveEventsOf(trx, userId, account.display_name);
    const result = await eraseComments(trx, userId);
    await forgetCommentAddresses(trx, userId);
    await anonymiseLiveEvents(trx, userId);
    for (const story of await deleteReactionsOf(trx, userId)) result.stories.add(story);
    // Their votes for Q&A questions, and the counts with them (docs/qa.md).
    for (const vote of await removeUserVotes(trx, userId)) result.stories.add(vote.storyId);
    // Their namings as a Q&A expert: the stories stop listing them (docs/qa.md).
    for (const story of await removeUserExpertships(trx, userId)) result.stories.add(story);
    await deleteReportsOf(trx, userId);
    await scrubAppealsOf(trx, userId);
    await deleteAccountRecords(trx, userId, account.email);
    // Whom they ignored and who ignored them, and their profile choice (docs/profiles.md).
    await deleteIgnoresOf(trx, userId);
    await deleteProfileSettings(trx, userId);
    // The farewell is the one row left with the address: the retention sweep empties it a day
    // after it has been sent (or held, when no SMTP server is configured).
    await queueMail(trx, {
      userId: null,
      to: account.email,
      template: 'account-deleted',
      locale: account.locale,
      params: { name: account.display_name },
    });
    return result;
  });
  if (!erased) return false;
  publishLive(ctx.store, erased.events);
  ctx.sessions.forgetUser(userId);
  for (const story of erased.stories) ctx.threads.storyChanged(story);
  return true;
}

/**
 * Removes or keeps each of the user's comments by its site's policy. Removal goes through the
 * same path as an author's delete (tombstones, reply and comment counts, live events); the rows
 * are then emptied of everything that came from the text.
 */
async function eraseComments(trx: Db, userId: string): Promise<Erased> {
  const policies = await deletedCommentPolicies(trx);
  const result: Erased = { events: [], stories: new Set() };
  let before: string | null = null;
  for (;;) {
    const page = await authoredCommentsPage(trx, userId, before);
    const last = page.at(-1);
    if (!last) break;
    const removed: string[] = [];
    for (const comment of page) {
      result.stories.add(comment.story_id);
      if (policies.get(comment.site_id) !== 'remove') continue;
      removed.push(comment.id);
      const seen = { status: comment.status, deleted: comment.deleted_at !== null };
      if (seen.deleted || seen.status === 'deleted') continue;
      if (await removeComment(trx, comment.id)) {
        result.events.push(...(await recordCommentChange(trx, comment.id, seen)));
      }
    }
    await blankComments(trx, removed);
    before = last.id;
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Retention

/** The id of the sweep of the hour `at` falls in: one job per hour, whoever enqueues it. */
export const retentionJobId = (at: Date) => `retention:${at.toISOString().slice(0, 13)}`;

const HOUR_MS = 3_600_000;

/**
 * Enqueues this hour's sweep, once across processes (the id is the hour). Called when a process
 * that runs jobs starts; each sweep then plans the next hour's.
 */
export async function scheduleRetention(store: Store, now = new Date()): Promise<void> {
  await enqueueJob(store.db, RETENTION_JOB, {}, { id: retentionJobId(now) });
}

async function planNextSweep(store: Store, now: Date): Promise<void> {
  const next = new Date((Math.floor(now.getTime() / HOUR_MS) + 1) * HOUR_MS);
  await enqueueJob(store.db, RETENTION_JOB, {}, { id: retentionJobId(next), runAt: next });
}

// ---------------------------------------------------------------------------------------------
// Jobs

function userIdOf(payload: unknown): string {
  const userId = (payload as { userId?: unknown } | null)?.userId;
  if (typeof userId !== 'string') throw new Error('account.delete needs a userId');
  return userId;
}

export function privacyJobs(ctx: PrivacyContext): Record<string, JobHandler> {
  return {
    [ACCOUNT_DELETE_JOB]: async (payload) => {
      await eraseAccount(ctx, userIdOf(payload));
    },
    [RETENTION_JOB]: async () => {
      const now = new Date();
      // The next run is planned first, so that a failing sweep does not end the schedule.
      await planNextSweep(ctx.store, now);
      const { db } = ctx.store;
      const cutoff = new Date(now.getTime() - ctx.config.ipRetentionDays * 24 * HOUR_MS);
      await sweepRetention(db, cutoff, now);
      // Spent sign-in state (sign-ins also prune it now and then, this catches quiet sites).
      await pruneSsoTokenUses(db, now);
      await pruneOidcStates(db, now);
      await pruneThrottle(db, new Date(now.getTime() - 24 * HOUR_MS), now);
    },
  };
}
