/**
 * SQL for moderators' alerts (src/notify/alerts.ts, docs/notifications.md): each moderator's
 * choices per site (`moderator_alerts`), who is to be told of a change, and what the digests and
 * the spike check read: the comments that entered a queue in a window of time, and the stories
 * that drew many comments in the last hour.
 *
 * Windows of time are ranges of ids (comments' and reports' ids are time-ordered), so each read is
 * a range scan on an index that exists for the queues.
 */
import type { Kysely } from 'kysely';
import { idFloor } from '../domain/ids.ts';
import type { AlertMode, ChatFormat, Database, Role } from './schema.ts';
import { toIso } from './rows.ts';

type Db = Kysely<Database>;

export interface AlertRow {
  userId: string;
  siteId: string;
  pending: AlertMode;
  reported: AlertMode;
  digestMinutes: number;
  reportThreshold: number;
  spikePerHour: number;
  byEmail: boolean;
  /** A secret: never logged, shown back masked. */
  chatUrl: string | null;
  chatFormat: ChatFormat;
  digestSentAt: string | null;
  updatedAt: string;
}

/** A row with what decides whether its moderator still covers the site. */
export interface AlertRecipient extends AlertRow {
  role: Role;
  moderatorSiteIds: string | null;
  email: string;
  displayName: string;
  locale: string | null;
  deletedAt: string | null;
  mailBouncedAt: string | null;
}

const ALERT_COLUMNS = [
  'a.user_id',
  'a.site_id',
  'a.pending',
  'a.reported',
  'a.digest_minutes',
  'a.report_threshold',
  'a.spike_per_hour',
  'a.by_email',
  'a.chat_url',
  'a.chat_format',
  'a.digest_sent_at',
  'a.updated_at',
] as const;

const RECIPIENT_COLUMNS = [
  ...ALERT_COLUMNS,
  'u.role',
  'u.moderator_site_ids',
  'u.email',
  'u.display_name',
  'u.locale',
  'u.deleted_at',
  'u.mail_bounced_at',
] as const;

interface RawAlertRow {
  user_id: string;
  site_id: string;
  pending: AlertMode;
  reported: AlertMode;
  digest_minutes: number;
  report_threshold: number;
  spike_per_hour: number;
  by_email: number;
  chat_url: string | null;
  chat_format: ChatFormat;
  digest_sent_at: string | Date | null;
  updated_at: string | Date;
}

interface RawRecipientRow extends RawAlertRow {
  role: Role;
  moderator_site_ids: string | null;
  email: string;
  display_name: string;
  locale: string | null;
  deleted_at: string | Date | null;
  mail_bounced_at: string | Date | null;
}

function alertFromRow(row: RawAlertRow): AlertRow {
  return {
    userId: row.user_id,
    siteId: row.site_id,
    pending: row.pending,
    reported: row.reported,
    digestMinutes: Number(row.digest_minutes),
    reportThreshold: Number(row.report_threshold),
    spikePerHour: Number(row.spike_per_hour),
    byEmail: Number(row.by_email) === 1 || (row.by_email as unknown) === true,
    chatUrl: row.chat_url,
    chatFormat: row.chat_format,
    digestSentAt: toIso(row.digest_sent_at),
    updatedAt: toIso(row.updated_at),
  };
}

function recipientFromRow(row: RawRecipientRow): AlertRecipient {
  return {
    ...alertFromRow(row),
    role: row.role,
    moderatorSiteIds: row.moderator_site_ids,
    email: row.email,
    displayName: row.display_name,
    locale: row.locale,
    deletedAt: toIso(row.deleted_at),
    mailBouncedAt: toIso(row.mail_bounced_at),
  };
}

const recipients = (db: Db) =>
  db
    .selectFrom('moderator_alerts as a')
    .innerJoin('users as u', 'u.id', 'a.user_id')
    .select(RECIPIENT_COLUMNS);

export async function getAlertRow(
  db: Db,
  userId: string,
  siteId: string,
): Promise<AlertRow | undefined> {
  const row = await db
    .selectFrom('moderator_alerts as a')
    .select(ALERT_COLUMNS)
    .where('a.user_id', '=', userId)
    .where('a.site_id', '=', siteId)
    .executeTakeFirst();
  return row && alertFromRow(row as RawAlertRow);
}

/** One moderator's row for one site, with their account. */
export async function getRecipient(
  db: Db,
  userId: string,
  siteId: string,
): Promise<AlertRecipient | undefined> {
  const row = await recipients(db)
    .where('a.user_id', '=', userId)
    .where('a.site_id', '=', siteId)
    .executeTakeFirst();
  return row && recipientFromRow(row as RawRecipientRow);
}

/** Writes a moderator's whole row for a site (inserted or replaced). */
export async function saveAlertRow(db: Db, row: AlertRow): Promise<void> {
  const values = {
    pending: row.pending,
    reported: row.reported,
    digest_minutes: row.digestMinutes,
    report_threshold: row.reportThreshold,
    spike_per_hour: row.spikePerHour,
    by_email: row.byEmail ? 1 : 0,
    chat_url: row.chatUrl,
    chat_format: row.chatFormat,
    digest_sent_at: row.digestSentAt,
    updated_at: row.updatedAt,
  };
  await db
    .insertInto('moderator_alerts')
    .values({ user_id: row.userId, site_id: row.siteId, ...values })
    .onConflict((oc) => oc.columns(['user_id', 'site_id']).doUpdateSet(values))
    .execute();
}

/** The moderators of a site who want this kind of change at once. */
export async function immediateRecipients(
  db: Db,
  siteId: string,
  queue: 'pending' | 'reported',
): Promise<AlertRecipient[]> {
  const rows = await recipients(db)
    .where('a.site_id', '=', siteId)
    .where(`a.${queue}`, '=', 'immediate')
    .execute();
  return (rows as RawRecipientRow[]).map(recipientFromRow);
}

/** The moderators of a site with a report threshold below `openReports` (alerted once it passes). */
export async function thresholdRecipients(
  db: Db,
  siteId: string,
  openReports: number,
): Promise<AlertRecipient[]> {
  const rows = await recipients(db)
    .where('a.site_id', '=', siteId)
    .where('a.report_threshold', '>', 0)
    .where('a.report_threshold', '<', openReports)
    .execute();
  return (rows as RawRecipientRow[]).map(recipientFromRow);
}

/** Every row with a digest: the digest job decides which are due. */
export async function digestRecipients(db: Db): Promise<AlertRecipient[]> {
  const rows = await recipients(db)
    .where((eb) => eb.or([eb('a.pending', '=', 'digest'), eb('a.reported', '=', 'digest')]))
    .execute();
  return (rows as RawRecipientRow[]).map(recipientFromRow);
}

/** Every row watching for spikes. */
export async function spikeRecipients(db: Db): Promise<AlertRecipient[]> {
  const rows = await recipients(db).where('a.spike_per_hour', '>', 0).execute();
  return (rows as RawRecipientRow[]).map(recipientFromRow);
}

/**
 * Moves a moderator's digest on to `to`, only if it still stands at `from` (a second run of the
 * same plan changes nothing); true when it moved.
 */
export async function advanceDigest(
  db: Db,
  userId: string,
  siteId: string,
  from: string | null,
  to: string,
): Promise<boolean> {
  let query = db
    .updateTable('moderator_alerts')
    .set({ digest_sent_at: to })
    .where('user_id', '=', userId)
    .where('site_id', '=', siteId);
  // Timestamps are compared as the engine stores them: text on SQLite, timestamptz on PostgreSQL.
  query =
    from === null
      ? query.where('digest_sent_at', 'is', null)
      : query.where('digest_sent_at', '=', from);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows ?? 0) > 0;
}

/** The state of a comment that decides whether an alert about it still matters. */
export interface AlertComment {
  id: string;
  siteId: string;
  storyId: string;
  status: string;
  deleted: boolean;
  openReports: number;
}

export async function alertComment(db: Db, id: string): Promise<AlertComment | undefined> {
  const row = await db
    .selectFrom('comments')
    .select(['id', 'site_id', 'story_id', 'status', 'deleted_at', 'open_reports'])
    .where('id', '=', id)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      siteId: row.site_id,
      storyId: row.story_id,
      status: row.status,
      deleted: row.deleted_at !== null || row.status === 'deleted',
      openReports: Number(row.open_reports),
    }
  );
}

/**
 * The comment's first report still open: reports are counted open from the newest back, so it is
 * the `openReports`-th newest. Its id names the run of reports a moderator has not yet dealt with
 * (an alert is sent once per run).
 */
export async function firstOpenReport(
  db: Db,
  commentId: string,
  openReports: number,
): Promise<string | undefined> {
  if (openReports <= 0) return undefined;
  const rows = await db
    .selectFrom('reports')
    .select('id')
    .where('comment_id', '=', commentId)
    .orderBy('id', 'desc')
    .limit(openReports)
    .execute();
  return rows.at(-1)?.id;
}

/** A window of time as ids: from `since` (inclusive) to `until` (exclusive). */
export interface Window {
  since: string;
  until: string;
}

const bounds = (window: Window) => ({
  from: idFloor(Date.parse(window.since)),
  to: idFloor(Date.parse(window.until)),
});

/** Comments of the site held for review that arrived in the window: how many, and the first. */
export async function pendingInWindow(
  db: Db,
  siteId: string,
  window: Window,
  first: number,
): Promise<{ count: number; ids: string[] }> {
  const { from, to } = bounds(window);
  const base = db
    .selectFrom('comments')
    .where('site_id', '=', siteId)
    .where('status', '=', 'pending')
    .where('id', '>=', from)
    .where('id', '<', to);
  const [counted, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    first > 0 ? base.select('id').orderBy('id', 'asc').limit(first).execute() : [],
  ]);
  return { count: Number(counted.n), ids: rows.map((r) => r.id) };
}

/**
 * Comments of the site in the reported queue (published, reports open) that were reported in the
 * window: how many, and the first (by their earliest report in it).
 */
export async function reportedInWindow(
  db: Db,
  siteId: string,
  window: Window,
  first: number,
): Promise<{ count: number; ids: string[] }> {
  const { from, to } = bounds(window);
  const rows = await db
    .selectFrom('reports as r')
    .innerJoin('comments as c', 'c.id', 'r.comment_id')
    .select(['c.id', (eb) => eb.fn.min('r.id').as('first_report')])
    .where('r.id', '>=', from)
    .where('r.id', '<', to)
    .where('c.site_id', '=', siteId)
    .where('c.open_reports', '>', 0)
    .where('c.status', '=', 'approved')
    .where('c.deleted_at', 'is', null)
    .groupBy('c.id')
    .execute();
  rows.sort((a, b) => (String(a.first_report) < String(b.first_report) ? -1 : 1));
  return { count: rows.length, ids: rows.slice(0, first).map((r) => r.id) };
}

/** How many comments wait in the site's pending and reported queues now. */
export async function waitingCounts(
  db: Db,
  siteId: string,
): Promise<{ pending: number; reported: number }> {
  const [pending, reported] = await Promise.all([
    db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('site_id', '=', siteId)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('site_id', '=', siteId)
      .where('open_reports', '>', 0)
      .where('status', '=', 'approved')
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow(),
  ]);
  return { pending: Number(pending.n), reported: Number(reported.n) };
}

/** Stories of these sites with at least `atLeast` comments (any state) since `since`. */
export async function busyStories(
  db: Db,
  siteIds: string[],
  since: Date,
  atLeast: number,
): Promise<{ siteId: string; storyId: string; count: number }[]> {
  if (siteIds.length === 0) return [];
  // The primary key's range holds just the last hour's comments, whichever site they are on.
  const rows = await db
    .selectFrom('comments')
    .select(['site_id', 'story_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('id', '>=', idFloor(since.getTime()))
    .where('site_id', 'in', siteIds)
    .groupBy(['site_id', 'story_id'])
    .having((eb) => eb.fn.countAll(), '>=', atLeast)
    .execute();
  return rows.map((r) => ({ siteId: r.site_id, storyId: r.story_id, count: Number(r.n) }));
}

/** The story's latest comments that are not deleted (a spike alert shows them), newest first. */
export async function latestOnStory(db: Db, storyId: string, limit: number): Promise<string[]> {
  const rows = await db
    .selectFrom('comments')
    .select('id')
    .where('story_id', '=', storyId)
    .where('status', 'in', ['approved', 'pending', 'rejected'])
    .where('deleted_at', 'is', null)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** Whether a job whose id starts with `prefix` was queued since `since` (a spike already told). */
export async function jobQueuedSince(db: Db, prefix: string, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom('jobs')
    .select('id')
    .where('id', 'like', `${prefix}%`)
    .where('created_at', '>=', since.toISOString())
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Forgets finished jobs of these kinds done before `before` (the alert jobs' own upkeep). */
export async function pruneDoneJobs(db: Db, kinds: string[], before: Date): Promise<number> {
  const result = await db
    .deleteFrom('jobs')
    .where('kind', 'in', kinds)
    .where('done_at', 'is not', null)
    .where('done_at', '<', before.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows ?? 0);
}
