/**
 * Readers' notification mail (docs/notifications.md, "Mail"): the jobs that turn notifications
 * into mail, in the reader's language and under the publisher's brand.
 *
 * - `notify.email` {notificationId}: one notification, sent at once. The dispatcher
 *   (./notifications.ts) queues it with the notification when the reader's mail is "immediate".
 * - `notify.digest` {period, at}: every reader's waiting notifications (`email_state = 'digest'`),
 *   grouped by site and story, capped, one mail per reader and site. An hourly job at the top of
 *   each hour, a daily one at PARLEY_DIGEST_HOUR (UTC); each plans the next (the job's id is its
 *   period and time, so however many processes plan it, it exists once).
 *
 * Mail is sent at most once: a notification is claimed (its state set from `immediate` or
 * `digest` to `sent`) in the same transaction that writes the outbox row and its delivery job, so
 * a job run twice, by two workers or after a crash, finds nothing left to claim. Everything is
 * checked again at sending time, since minutes or hours may have passed: the comment must still be
 * published (or, for a rejection, still rejected), the reader still there, their address confirmed
 * and not bounced, and their choices must still ask for this mail; otherwise the notification is
 * marked `skipped` (or, for a reader who has chosen a digest since, left to the digest).
 */
import type { FastifyBaseLogger } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Config } from '../config.ts';
import type { Branding } from '../domain/branding.ts';
import { enqueueJob, type Job } from '../jobs/queue.ts';
import type { JobHandler } from '../jobs/worker.ts';
import { commentExcerpt } from '../domain/excerpt.ts';
import { permalink } from '../domain/permalink.ts';
import { queueMail } from '../mail/outbox.ts';
import type {
  DigestItem,
  DigestStory,
  ListKind,
  MailBrand,
  MailParams,
} from '../mail/templates.ts';
import { getSiteBranding } from '../store/branding.ts';
import type { Store } from '../store/db.ts';
import {
  getNotificationSettings,
  mailKindOf,
  type NotificationSettings,
} from '../store/notifications.ts';
import type { Database, EmailMode, NotificationKind } from '../store/schema.ts';
import { isStatementOfReasons, NOTIFY_EMAIL_JOB } from './notifications.ts';
import { decidedAppealOf } from '../store/appeals.ts';
import { unsubscribeKey, unsubscribeUrl } from './unsubscribe.ts';

type Db = Kysely<Database>;

export { NOTIFY_EMAIL_JOB };
export const NOTIFY_DIGEST_JOB = 'notify.digest';

export interface NotifyEmailPayload {
  notificationId: string;
}

export type DigestPeriod = 'hourly' | 'daily';

export interface NotifyDigestPayload {
  period: DigestPeriod;
  /** The time the digest is for (the top of the hour; the day's digest hour), ISO 8601. */
  at: string;
}

/** A digest shows at most this many notifications; the rest are counted ("and 12 more"). */
export const DIGEST_MAX_ITEMS = 20;
/** Readers handled per query of the digest job (never all of them in memory at once). */
const DIGEST_BATCH = 200;
/** Ids per `IN (…)` list (SQLite allows 32,766 parameters, PostgreSQL 65,535). */
const CHUNK = 500;
/** How long a digest job keeps its claim after each batch (the worker's lock is 60 s). */
const DIGEST_LOCK_MS = 120_000;

const HOUR_MS = 3_600_000;

export { permalink };

// ---------------------------------------------------------------------------------------------
// Schedule

/** The latest time the period's digest was due at or before `now`. */
export function digestTime(period: DigestPeriod, now: Date, digestHour: number): Date {
  const hour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  if (period === 'hourly') return new Date(hour);
  const day = new Date(hour);
  day.setUTCHours(digestHour, 0, 0, 0);
  if (day.getTime() > now.getTime()) day.setUTCDate(day.getUTCDate() - 1);
  return day;
}

function nextDigestTime(period: DigestPeriod, at: Date, digestHour: number): Date {
  if (period === 'hourly') return new Date((Math.floor(at.getTime() / HOUR_MS) + 1) * HOUR_MS);
  const next = new Date(at.getTime());
  next.setUTCDate(next.getUTCDate() + 1);
  next.setUTCHours(digestHour, 0, 0, 0);
  return next;
}

/** One job per period and time, whichever process plans it. */
export const digestJobId = (period: DigestPeriod, at: Date) =>
  `${NOTIFY_DIGEST_JOB}:${period}:${at.toISOString().slice(0, 13)}`;

/** The payload of a period's digest job for a time (the bench queues one by hand). */
export const digestJobPayload = (period: DigestPeriod, at: Date): NotifyDigestPayload => ({
  period,
  at: at.toISOString(),
});
/** Another name of the digest job's kind. */
export const DIGEST_JOB = NOTIFY_DIGEST_JOB;

async function planDigest(db: Db, period: DigestPeriod, at: Date): Promise<void> {
  await enqueueJob(db, NOTIFY_DIGEST_JOB, digestJobPayload(period, at), {
    id: digestJobId(period, at),
    runAt: at,
  });
}

/**
 * Makes sure the current hourly and daily digests are planned (a process that runs jobs calls it
 * when it starts). A digest already run is not run again; one missed while no process ran is run
 * now, and each plans its successor.
 */
export async function scheduleDigests(store: Store, config: Config, now = new Date()) {
  for (const period of ['hourly', 'daily'] as const) {
    await planDigest(store.db, period, digestTime(period, now, config.digestHour));
  }
}

// ---------------------------------------------------------------------------------------------
// What a notification is about

interface NotificationRow {
  id: string;
  user_id: string;
  site_id: string;
  story_id: string;
  comment_id: string;
  kind: NotificationKind;
  comment_status: string;
  comment_deleted_at: string | Date | null;
}

interface ReaderRow {
  email: string;
  display_name: string;
  locale: string | null;
  email_verified_at: string | Date | null;
  mail_bounced_at: string | Date | null;
  deleted_at: string | Date | null;
  imported_at: string | Date | null;
}

async function readerOf(db: Db, userId: string): Promise<ReaderRow | undefined> {
  return db
    .selectFrom('users')
    .select([
      'email',
      'display_name',
      'locale',
      'email_verified_at',
      'mail_bounced_at',
      'deleted_at',
      'imported_at',
    ])
    .where('id', '=', userId)
    .executeTakeFirst();
}

/** A reader who can be mailed: there, with a confirmed address that has not bounced. */
const mailable = (reader: ReaderRow | undefined): reader is ReaderRow =>
  reader !== undefined &&
  reader.deleted_at === null &&
  reader.imported_at === null &&
  reader.email_verified_at !== null &&
  reader.mail_bounced_at === null &&
  reader.email.includes('@');

/** The comment is still what the notification said: published, or for a rejection, rejected. */
const stillTrue = (row: NotificationRow) =>
  row.comment_deleted_at === null &&
  // An appeal's outcome is news whatever the comment's state (upheld: still rejected).
  (row.kind === 'appeal' ||
    row.comment_status === (row.kind === 'rejected' ? 'rejected' : 'approved'));

const wanted = (settings: NotificationSettings, kind: NotificationKind) =>
  settings.kinds[mailKindOf(kind)];

function notificationsQuery(db: Db) {
  return db
    .selectFrom('notifications as n')
    .innerJoin('comments as c', 'c.id', 'n.comment_id')
    .select([
      'n.id',
      'n.user_id',
      'n.site_id',
      'n.story_id',
      'n.comment_id',
      'n.kind',
      'c.status as comment_status',
      'c.deleted_at as comment_deleted_at',
    ]);
}

/** What mail quotes of a comment and where it is. */
interface CommentDetail {
  id: string;
  html: string;
  authorName: string;
  rejectionCode: string | null;
  rejectionNote: string | null;
  storyUrl: string;
  storyTitle: string | null;
}

async function commentDetails(db: Db, ids: string[]): Promise<Map<string, CommentDetail>> {
  const details = new Map<string, CommentDetail>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    const rows = await db
      .selectFrom('comments as c')
      .innerJoin('users as a', 'a.id', 'c.author_id')
      .innerJoin('stories as s', 's.id', 'c.story_id')
      .select([
        'c.id',
        'c.html',
        'c.rejection_code',
        'c.rejection_note',
        'a.display_name',
        's.url',
        's.title',
      ])
      .where('c.id', 'in', ids.slice(i, i + CHUNK))
      .execute();
    for (const row of rows) {
      details.set(row.id, {
        id: row.id,
        html: row.html,
        authorName: row.display_name,
        rejectionCode: row.rejection_code,
        rejectionNote: row.rejection_note,
        storyUrl: row.url,
        storyTitle: row.title,
      });
    }
  }
  return details;
}

async function markSkipped(db: Db, ids: string[]): Promise<void> {
  for (let i = 0; i < ids.length; i += CHUNK) {
    await db
      .updateTable('notifications')
      .set({ email_state: 'skipped' })
      .where('id', 'in', ids.slice(i, i + CHUNK))
      .execute();
  }
}

const brandOf = (siteName: string, branding: Branding): MailBrand => ({ siteName, ...branding });

const notifyTemplate = (kind: NotificationKind) => `notify-${kind}` as const;

// ---------------------------------------------------------------------------------------------
// Jobs

export function notificationMailJobs(
  store: Store,
  config: Config,
  log: FastifyBaseLogger,
): Record<string, JobHandler> {
  const link = (key: Buffer, userId: string, kind: ListKind) =>
    unsubscribeUrl(config.publicUrl, key, userId, kind);

  /** One notification, now (or nothing, if it is no longer due or no longer wanted). */
  const sendOne: JobHandler = async (payload) => {
    const { notificationId } = (payload ?? {}) as Partial<NotifyEmailPayload>;
    if (typeof notificationId !== 'string') throw new Error('notify.email needs a notificationId');
    // Read before the transaction: on SQLite the transaction holds the only connection.
    const key = await unsubscribeKey(store.db);
    const outcome = await store.db.transaction().execute(async (trx) => {
      // The claim comes first: it takes the row's lock, so a second run waits, then finds it taken.
      const claimed = await trx
        .updateTable('notifications')
        .set({ email_state: 'sent' })
        .where('id', '=', notificationId)
        .where('email_state', '=', 'immediate')
        .returning('id')
        .executeTakeFirst();
      if (!claimed) return 'not due';
      const row = await notificationsQuery(trx)
        .where('n.id', '=', notificationId)
        .executeTakeFirst();
      const reader = row && (await readerOf(trx, row.user_id));
      const settings = row && (await getNotificationSettings(trx, row.user_id));
      const site = row && (await getSiteBranding(trx, row.site_id));
      const comment = row && (await commentDetails(trx, [row.comment_id])).get(row.comment_id);
      // A statement of reasons (an appeal's outcome) goes whatever the reader's mail settings.
      const statement = row !== undefined && isStatementOfReasons(row.kind);
      // The reader has chosen a digest since: the notification waits for it instead.
      if (
        row &&
        !statement &&
        settings &&
        (settings.email === 'hourly' || settings.email === 'daily') &&
        wanted(settings, row.kind) &&
        stillTrue(row)
      ) {
        await trx
          .updateTable('notifications')
          .set({ email_state: 'digest' })
          .where('id', '=', notificationId)
          .execute();
        return 'to the digest';
      }
      if (
        !row ||
        !mailable(reader) ||
        !settings ||
        (!statement && (settings.email !== 'immediate' || !wanted(settings, row.kind))) ||
        !stillTrue(row) ||
        !site ||
        !comment
      ) {
        await markSkipped(trx, [notificationId]);
        return 'skipped';
      }
      const brand = brandOf(site.siteName, site.branding);
      const base = {
        name: reader.display_name,
        siteName: site.siteName,
        storyTitle: comment.storyTitle?.trim() || comment.storyUrl,
        actor: comment.authorName,
        excerpt: commentExcerpt(comment.html),
        link: permalink(comment.storyUrl, comment.id),
      };
      const list = mailKindOf(row.kind);
      const request = {
        userId: row.user_id,
        to: reader.email,
        locale: reader.locale,
        brand,
        // A statement of reasons is not a list one leaves: no unsubscribe link.
        ...(!statement && { unsubscribe: { list, unsubscribeUrl: link(key, row.user_id, list) } }),
      };
      if (row.kind === 'rejected') {
        await queueMail(trx, {
          ...request,
          template: 'notify-rejected',
          params: {
            ...base,
            reasonCode: comment.rejectionCode ?? 'OTHER',
            note: comment.rejectionNote?.trim() || null,
            guidelinesLink: site.branding.guidelinesUrl,
          },
        });
      } else if (row.kind === 'appeal') {
        const appeal = await decidedAppealOf(trx, row.comment_id);
        if (!appeal || (appeal.state !== 'upheld' && appeal.state !== 'reversed')) {
          await markSkipped(trx, [notificationId]);
          return 'skipped';
        }
        await queueMail(trx, {
          ...request,
          template: 'notify-appeal',
          params: { ...base, outcome: appeal.state, note: appeal.reviewNote?.trim() || null },
        });
      } else {
        await queueMail(trx, { ...request, template: notifyTemplate(row.kind), params: base });
      }
      return 'sent';
    });
    log.debug({ notificationId, outcome }, 'notification mail');
  };

  /** Keeps the digest job's claim while it works through the readers. */
  const holdLock = (job: Job) =>
    store.db
      .updateTable('jobs')
      .set({ locked_until: new Date(Date.now() + DIGEST_LOCK_MS).toISOString() })
      .where('id', '=', job.id)
      .where('done_at', 'is', null)
      .execute();

  /** Which readers' waiting notifications a period's digest takes. */
  const takes = (period: DigestPeriod, mode: EmailMode) =>
    period === 'daily'
      ? mode === 'daily'
      : // The hourly run also empties the waiting notifications of readers who have since chosen
        // immediate mail (sent as a digest) or no mail (skipped): none waits for ever.
        mode !== 'daily';

  type SiteBrand = { siteName: string; branding: Branding } | undefined;

  /** One reader's digest of a period: one transaction, one mail per site. */
  async function digestFor(
    key: Buffer,
    userId: string,
    period: DigestPeriod,
    sites: Map<string, SiteBrand>,
  ): Promise<number> {
    return store.db.transaction().execute(async (trx) => {
      const settings = await getNotificationSettings(trx, userId);
      if (!takes(period, settings.email)) return 0;
      const claimed = await trx
        .updateTable('notifications')
        .set({ email_state: 'sent' })
        .where('user_id', '=', userId)
        .where('email_state', '=', 'digest')
        .returning('id')
        .execute();
      if (claimed.length === 0) return 0;
      const ids = claimed.map((row) => row.id);
      const reader = await readerOf(trx, userId);
      if (settings.email === 'off' || !mailable(reader)) {
        await markSkipped(trx, ids);
        return 0;
      }
      const rows: NotificationRow[] = [];
      for (let i = 0; i < ids.length; i += CHUNK) {
        rows.push(
          ...(await notificationsQuery(trx)
            .where('n.id', 'in', ids.slice(i, i + CHUNK))
            .execute()),
        );
      }
      // Oldest first: ids are time-ordered.
      rows.sort((a, b) => (a.id < b.id ? -1 : 1));
      const due = rows.filter((row) => wanted(settings, row.kind) && stillTrue(row));
      const dueIds = new Set(due.map((row) => row.id));
      await markSkipped(
        trx,
        ids.filter((id) => !dueIds.has(id)),
      );
      const bySite = new Map<string, NotificationRow[]>();
      for (const row of due) bySite.set(row.site_id, [...(bySite.get(row.site_id) ?? []), row]);
      let mails = 0;
      for (const [siteId, siteRows] of bySite) {
        // A site's brand is read once per run.
        if (!sites.has(siteId)) sites.set(siteId, await getSiteBranding(trx, siteId));
        const site = sites.get(siteId);
        if (!site) continue;
        const params = await digestParams(
          trx,
          reader.display_name,
          site.siteName,
          period,
          siteRows,
        );
        await queueMail(trx, {
          userId,
          to: reader.email,
          locale: reader.locale,
          template: 'notify-digest',
          params,
          brand: brandOf(site.siteName, site.branding),
          unsubscribe: { list: 'digest', unsubscribeUrl: link(key, userId, 'digest') },
        });
        mails++;
      }
      return mails;
    });
  }

  const sendDigests: JobHandler = async (payload, job) => {
    const { period, at } = (payload ?? {}) as Partial<NotifyDigestPayload>;
    const time = new Date(at ?? '');
    if ((period !== 'hourly' && period !== 'daily') || Number.isNaN(time.getTime())) {
      throw new Error('notify.digest needs a period (hourly or daily) and a time');
    }
    // The next run is planned first, so that a failing run does not end the schedule.
    await planDigest(store.db, period, nextDigestTime(period, time, config.digestHour));
    const key = await unsubscribeKey(store.db);
    const sites = new Map<string, SiteBrand>();
    let after = '';
    let mails = 0;
    for (;;) {
      const readers = await store.db
        .selectFrom('notifications')
        .select('user_id')
        .distinct()
        // A literal, so that SQLite sees the partial index's condition hold (notifications_digest).
        .where('email_state', '=', sql.lit('digest'))
        .where('user_id', '>', after)
        .orderBy('user_id')
        .limit(DIGEST_BATCH)
        .execute();
      if (readers.length === 0) break;
      const userIds = readers.map((row) => row.user_id);
      const modes = new Map(
        (
          await store.db
            .selectFrom('notification_settings')
            .select(['user_id', 'email'])
            .where('user_id', 'in', userIds)
            .execute()
        ).map((row) => [row.user_id, row.email]),
      );
      for (const userId of userIds) {
        // No settings row: the defaults, no mail (the hourly run clears what waits).
        if (takes(period, modes.get(userId) ?? 'off'))
          mails += await digestFor(key, userId, period, sites);
      }
      after = userIds.at(-1) as string;
      await holdLock(job);
    }
    log.info({ period, at: time.toISOString(), mails }, 'notification digests queued');
  };

  return { [NOTIFY_EMAIL_JOB]: sendOne, [NOTIFY_DIGEST_JOB]: sendDigests };
}

/**
 * A digest's content for one site: its notifications grouped by story in order, at most
 * DIGEST_MAX_ITEMS of them shown, each story's further ones counted under it, and those of stories
 * left out entirely counted at the end.
 */
async function digestParams(
  db: Db,
  name: string,
  siteName: string,
  period: DigestPeriod,
  rows: NotificationRow[],
): Promise<MailParams['notify-digest']> {
  const byStory = new Map<string, NotificationRow[]>();
  for (const row of rows) byStory.set(row.story_id, [...(byStory.get(row.story_id) ?? []), row]);
  const shown: NotificationRow[] = [];
  for (const storyRows of byStory.values()) {
    if (shown.length >= DIGEST_MAX_ITEMS) break;
    shown.push(...storyRows.slice(0, DIGEST_MAX_ITEMS - shown.length));
  }
  const details = await commentDetails(db, [...new Set(shown.map((row) => row.comment_id))]);
  const stories: DigestStory[] = [];
  let more = 0;
  for (const storyRows of byStory.values()) {
    const items: DigestItem[] = [];
    let url = '';
    let title = '';
    for (const row of storyRows) {
      const detail = shown.includes(row) ? details.get(row.comment_id) : undefined;
      if (!detail) continue;
      url = detail.storyUrl;
      title = detail.storyTitle?.trim() || detail.storyUrl;
      items.push({
        kind: row.kind,
        author: detail.authorName,
        excerpt: commentExcerpt(detail.html),
        link: permalink(detail.storyUrl, detail.id),
        reasonCode: row.kind === 'rejected' ? (detail.rejectionCode ?? 'OTHER') : null,
      });
    }
    if (items.length === 0) {
      more += storyRows.length;
      continue;
    }
    stories.push({ title, link: url, items, more: storyRows.length - items.length });
  }
  return { name, siteName, period, stories, more };
}
