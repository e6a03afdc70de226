/**
 * Moderators' alerts (docs/notifications.md, "Moderator alerts"): each moderator chooses, per site
 * they cover, to be told when a comment waits in the pending or reported queue (at once, or in a
 * digest every N minutes), when a comment is reported more than N times, and when a story draws N
 * comments in an hour; by email, to a chat incoming webhook (Slack, Microsoft Teams or Discord
 * format), or both.
 *
 * How each alert is decided, and why it is sent once:
 *
 * - Held comments: `alertConsumer`, called by the dispatcher (./dispatcher.ts) inside its
 *   transaction for every comment change, queues an `alert.send` job per moderator and channel
 *   when a comment becomes pending. The job's id is made of the comment, the moderator and the
 *   channel, so a redelivered event queues nothing new. Nothing touches the network there.
 * - Reports: `alertOnReport`, called by the reports route once a report is stored. A comment's
 *   open reports form a run until a moderator deals with them; the run is named by its first
 *   report, and the job ids carry that name: one "reported" alert per run (its first report), one
 *   "threshold" alert per run (when the open reports pass the moderator's threshold).
 * - Digests: the `alert.digest` job runs every minute (its id is the minute, so several processes
 *   plan it once). For each moderator whose digest is due and whose queues received comments since
 *   the last one, it queues the digest (counts and the first five) and moves `digest_sent_at` on.
 * - Spikes: the `alert.spike` job runs every five minutes and queues one alert per story and
 *   moderator at most once an hour (the jobs already queued are the memory of what was sent).
 *
 * `alert.send` reads everything again when it runs: a moderator who has lost the role or the site,
 * or turned the alert off, is not told; a comment already dealt with is not announced. Chat
 * webhooks get a POST (src/notify/outbound.ts: public addresses only unless
 * PARLEY_WEBHOOK_ALLOW_PRIVATE); their URL is a secret, never logged and shown back masked.
 */
import type { Config } from '../config.ts';
import { ParleyError } from '../domain/errors.ts';
import { commentExcerpt } from '../domain/excerpt.ts';
import { inScope } from '../domain/moderation/scope.ts';
import { permalink } from '../domain/permalink.ts';
import { enqueueJob } from '../jobs/queue.ts';
import type { JobHandler } from '../jobs/worker.ts';
import { queueMail } from '../mail/outbox.ts';
import type { MailParams } from '../mail/templates.ts';
import type { Store } from '../store/db.ts';
import type { Queue } from '../domain/vocabulary.ts';
import type { SiteScope } from '../store/moderation/filters.ts';
import { getRecord, type ModerationRecord } from '../store/moderation/records.ts';
import {
  advanceDigest,
  alertComment,
  busyStories,
  digestRecipients,
  firstOpenReport,
  getAlertRow,
  getRecipient,
  immediateRecipients,
  jobQueuedSince,
  latestOnStory,
  pendingInWindow,
  pruneDoneJobs,
  reportedInWindow,
  saveAlertRow,
  spikeRecipients,
  thresholdRecipients,
  waitingCounts,
  type AlertRecipient,
  type AlertRow,
  type Window,
} from '../store/moderator-alerts.ts';
import type { User } from '../store/rows.ts';
import type { AlertMode, ChatFormat } from '../store/schema.ts';
import { getSite } from '../store/sites.ts';
import { getStory } from '../store/stories.ts';
import { chatPayload, type AlertItem, type AlertKind, type AlertMessage } from './chat-formats.ts';
import type { Consumer, Db } from './events.ts';
import { checkTargetUrl, maskUrl, nonPublicHost, postJson, type PostResult } from './outbound.ts';

export const ALERT_SEND_JOB = 'alert.send';
export const ALERT_DIGEST_JOB = 'alert.digest';
export const ALERT_SPIKE_JOB = 'alert.spike';

export const ALERT_MODES = ['off', 'immediate', 'digest'] as const satisfies readonly AlertMode[];
/** Items a digest lists (the counts say how many more there are). */
export const DIGEST_ITEMS = 5;
/** The story's latest comments a spike alert shows. */
const SPIKE_ITEMS = 3;
export const SPIKE_EVERY_MINUTES = 5;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;
/** Attempts of a chat alert: the first, then after 2, 4 and 8 seconds. */
const CHAT_ATTEMPTS = 4;
const CHAT_TIMEOUT_MS = 10_000;
/** Queuing the mail (the `mail.send` job then retries delivery itself). */
const MAIL_QUEUE_ATTEMPTS = 3;

export type AlertChannel = 'email' | 'chat';

/** What the `alert.send` job carries. */
export interface AlertJobPayload {
  kind: Exclude<AlertKind, 'test'>;
  userId: string;
  siteId: string;
  channel: AlertChannel;
  commentId?: string;
  storyId?: string;
  /** Comments on the story in the hour (spikes). */
  count?: number;
  /** The digest's window, ISO 8601. */
  since?: string;
  until?: string;
}

/** What the alert services need of the app. */
export interface AlertDeps {
  store: Store;
  config: Pick<Config, 'publicUrl' | 'webhooks'>;
  log: { warn(message: string): void; info(message: string): void };
}

// ---------------------------------------------------------------------------------------------
// Settings

/** A moderator's alert settings for one site, as the API shows them (the chat URL masked). */
export interface AlertSettings {
  siteId: string;
  pending: AlertMode;
  reported: AlertMode;
  digestMinutes: number;
  reportThreshold: number;
  spikePerHour: number;
  byEmail: boolean;
  /** Where mail alerts go: the moderator's own address. */
  email: string;
  /** Scheme, host and the last four characters; null: none. */
  chatUrl: string | null;
  chatFormat: ChatFormat;
  digestSentAt: string | null;
  /** Null: never saved (these are the defaults). */
  updatedAt: string | null;
}

export interface AlertSettingsChange {
  pending?: AlertMode | undefined;
  reported?: AlertMode | undefined;
  digestMinutes?: number | undefined;
  reportThreshold?: number | undefined;
  spikePerHour?: number | undefined;
  byEmail?: boolean | undefined;
  /** A new URL; null removes it; left out (or sent back masked, as shown) keeps it. */
  chatUrl?: string | null | undefined;
  chatFormat?: ChatFormat | undefined;
}

export const ALERT_LIMITS = {
  digestMinutes: { min: 1, max: 1440 },
  threshold: { min: 0, max: 10_000 },
  chatUrlLength: 2000,
} as const;

/** Everything off; mail is the channel once something is turned on. */
const defaultRow = (userId: string, siteId: string): AlertRow => ({
  userId,
  siteId,
  pending: 'off',
  reported: 'off',
  digestMinutes: 60,
  reportThreshold: 0,
  spikePerHour: 0,
  byEmail: true,
  chatUrl: null,
  chatFormat: 'slack',
  digestSentAt: null,
  updatedAt: '',
});

/** `https://hooks.slack.com/…AbCd`: enough to recognise, not enough to use. */
export const maskChatUrl = maskUrl;

/**
 * Whether a chat URL may be stored: http(s) without credentials, not too long, and (unless the
 * operator allows private addresses) not a literal loopback or private address. Names are checked
 * again on every send, on the addresses DNS returns.
 */
export function checkChatUrl(value: string, allowPrivate: boolean): string | null {
  if (value.length > ALERT_LIMITS.chatUrlLength) {
    return `must be at most ${ALERT_LIMITS.chatUrlLength} characters`;
  }
  const invalid = checkTargetUrl(value);
  if (invalid) return invalid;
  if (!allowPrivate && nonPublicHost(new URL(value))) return 'must be a public address';
  return null;
}

function present(row: AlertRow, email: string, saved: boolean): AlertSettings {
  return {
    siteId: row.siteId,
    pending: row.pending,
    reported: row.reported,
    digestMinutes: row.digestMinutes,
    reportThreshold: row.reportThreshold,
    spikePerHour: row.spikePerHour,
    byEmail: row.byEmail,
    email,
    chatUrl: row.chatUrl === null ? null : maskChatUrl(row.chatUrl),
    chatFormat: row.chatFormat,
    digestSentAt: row.digestSentAt,
    updatedAt: saved ? row.updatedAt : null,
  };
}

/** Who manages their alerts: a moderator's account and the sites they cover (from asModerator). */
interface Moderator {
  user: User;
  scope: SiteScope;
}

function requireCovered(moderator: Moderator, siteId: string): void {
  if (!inScope(moderator.scope, siteId)) {
    throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
  }
}

/** The caller's own settings for a site they cover (the defaults when never saved). */
export async function getAlertSettings(
  db: Db,
  moderator: Moderator,
  siteId: string,
): Promise<AlertSettings> {
  requireCovered(moderator, siteId);
  const row = await getAlertRow(db, moderator.user.id, siteId);
  return present(row ?? defaultRow(moderator.user.id, siteId), moderator.user.email, !!row);
}

/** Changes some of the caller's settings for a site they cover; returns them all as they are now. */
export async function updateAlertSettings(
  db: Db,
  moderator: Moderator,
  siteId: string,
  change: AlertSettingsChange,
  options: { allowPrivateAddresses: boolean; now?: Date },
): Promise<AlertSettings> {
  requireCovered(moderator, siteId);
  const invalid = (message: string) => new ParleyError('VALIDATION_FAILED', message);
  const { digestMinutes: dm, threshold } = ALERT_LIMITS;
  if (change.digestMinutes !== undefined) {
    if (
      !Number.isInteger(change.digestMinutes) ||
      change.digestMinutes < dm.min ||
      change.digestMinutes > dm.max
    ) {
      throw invalid(`digestMinutes must be a whole number from ${dm.min} to ${dm.max}.`);
    }
  }
  for (const key of ['reportThreshold', 'spikePerHour'] as const) {
    const value = change[key];
    if (
      value !== undefined &&
      (!Number.isInteger(value) || value < threshold.min || value > threshold.max)
    ) {
      throw invalid(`${key} must be a whole number from ${threshold.min} to ${threshold.max}.`);
    }
  }
  const now = (options.now ?? new Date()).toISOString();
  return db.transaction().execute(async (trx) => {
    const stored = await getAlertRow(trx, moderator.user.id, siteId);
    const before = stored ?? defaultRow(moderator.user.id, siteId);
    let chatUrl = before.chatUrl;
    if (change.chatUrl === null || change.chatUrl?.trim() === '') {
      chatUrl = null;
    } else if (change.chatUrl !== undefined) {
      const given = change.chatUrl.trim();
      // The masked form shown back means "keep the one stored".
      if (!(before.chatUrl !== null && given === maskChatUrl(before.chatUrl))) {
        const problem = checkChatUrl(given, options.allowPrivateAddresses);
        if (problem) throw new ParleyError('INVALID_URL', `The chat webhook URL ${problem}.`);
        chatUrl = given;
      }
    }
    const next: AlertRow = {
      ...before,
      ...(change.pending !== undefined && { pending: change.pending }),
      ...(change.reported !== undefined && { reported: change.reported }),
      ...(change.digestMinutes !== undefined && { digestMinutes: change.digestMinutes }),
      ...(change.reportThreshold !== undefined && { reportThreshold: change.reportThreshold }),
      ...(change.spikePerHour !== undefined && { spikePerHour: change.spikePerHour }),
      ...(change.byEmail !== undefined && { byEmail: change.byEmail }),
      ...(change.chatFormat !== undefined && { chatFormat: change.chatFormat }),
      chatUrl,
      updatedAt: now,
    };
    // A digest turned on covers what arrives from now on, not the queue's whole past.
    const hadDigest = before.pending === 'digest' || before.reported === 'digest';
    const hasDigest = next.pending === 'digest' || next.reported === 'digest';
    if (hasDigest && (!hadDigest || next.digestSentAt === null)) next.digestSentAt = now;
    await saveAlertRow(trx, next);
    return present(next, moderator.user.email, true);
  });
}

// ---------------------------------------------------------------------------------------------
// Who is told

/**
 * Whether the row's moderator covers the site today: admins every site, moderators theirs (every
 * site when unrestricted); never an erased account or one that lost the role.
 */
export function covers(recipient: AlertRecipient, siteId: string): boolean {
  if (recipient.deletedAt !== null) return false;
  if (recipient.role === 'admin') return true;
  if (recipient.role !== 'moderator') return false;
  if (recipient.moderatorSiteIds === null) return true;
  try {
    const ids: unknown = JSON.parse(recipient.moderatorSiteIds);
    return Array.isArray(ids) && ids.includes(siteId);
  } catch {
    return false;
  }
}

const channelsOf = (recipient: AlertRow): AlertChannel[] => [
  ...(recipient.byEmail ? (['email'] as const) : []),
  ...(recipient.chatUrl !== null ? (['chat'] as const) : []),
];

/** Queues one `alert.send` per channel, each with an id made from `key`, the moderator and the channel. */
async function queueAlert(
  db: Db,
  recipient: AlertRow,
  key: string,
  payload: Omit<AlertJobPayload, 'userId' | 'siteId' | 'channel'>,
  /** Told apart from earlier alerts with the same key (a spike's period). */
  suffix?: string,
): Promise<number> {
  let queued = 0;
  for (const channel of channelsOf(recipient)) {
    const job: AlertJobPayload = {
      ...payload,
      userId: recipient.userId,
      siteId: recipient.siteId,
      channel,
    };
    await enqueueJob(db, ALERT_SEND_JOB, job, {
      id: `alert:${key}:${recipient.userId}:${channel}${suffix ? `:${suffix}` : ''}`,
      maxAttempts: channel === 'chat' ? CHAT_ATTEMPTS : MAIL_QUEUE_ATTEMPTS,
    });
    queued++;
  }
  return queued;
}

/**
 * The dispatcher's consumer: a comment that has become pending is announced to the site's
 * moderators who want held comments at once.
 */
export const alertConsumer: Consumer = async (trx, event) => {
  const comment = event.comment;
  if (!comment || comment.status !== 'pending' || comment.deletedAt !== null) return;
  if (event.previous !== null && event.previous.status === 'pending') return;
  for (const recipient of await immediateRecipients(trx, event.siteId, 'pending')) {
    if (!covers(recipient, event.siteId)) continue;
    await queueAlert(trx, recipient, `pending:${comment.id}`, {
      kind: 'pending',
      commentId: comment.id,
    });
  }
};

/**
 * After a report is stored (the reports route): the first open report of a comment alerts those
 * who want reports at once; passing a moderator's threshold alerts them once. Returns the jobs
 * queued.
 */
export async function alertOnReport(db: Db, commentId: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const comment = await alertComment(trx, commentId);
    if (!comment || comment.deleted || comment.status !== 'approved') return 0;
    const run = await firstOpenReport(trx, commentId, comment.openReports);
    if (!run) return 0;
    let queued = 0;
    for (const recipient of await immediateRecipients(trx, comment.siteId, 'reported')) {
      if (!covers(recipient, comment.siteId)) continue;
      queued += await queueAlert(trx, recipient, `reported:${run}`, {
        kind: 'reported',
        commentId,
      });
    }
    for (const recipient of await thresholdRecipients(trx, comment.siteId, comment.openReports)) {
      if (!covers(recipient, comment.siteId)) continue;
      queued += await queueAlert(trx, recipient, `threshold:${run}`, {
        kind: 'threshold',
        commentId,
      });
    }
    return queued;
  });
}

// ---------------------------------------------------------------------------------------------
// Digests and spikes

const digestModes = (row: AlertRow) => ({
  pending: row.pending === 'digest',
  reported: row.reported === 'digest',
});

/** What a digest window holds for a moderator's chosen queues. */
async function digestContent(db: Db, row: AlertRow, window: Window, first: number) {
  const modes = digestModes(row);
  const none = { count: 0, ids: [] as string[] };
  const [pending, reported] = await Promise.all([
    modes.pending ? pendingInWindow(db, row.siteId, window, first) : none,
    modes.reported ? reportedInWindow(db, row.siteId, window, first) : none,
  ]);
  return { pending, reported };
}

/**
 * Plans the digests that are due at `now`: for each, queues its sending with the window it
 * covers and moves `digest_sent_at` to `now`. A digest with nothing new waits (the window grows)
 * so the next comment is told as soon as it arrives. Returns the digests queued.
 */
export async function planDigests(store: Store, now = new Date()): Promise<number> {
  let planned = 0;
  for (const row of await digestRecipients(store.db)) {
    if (!covers(row, row.siteId)) continue;
    const until = now.toISOString();
    if (row.digestSentAt === null) {
      await advanceDigest(store.db, row.userId, row.siteId, null, until);
      continue;
    }
    if (Date.parse(row.digestSentAt) + row.digestMinutes * MINUTE_MS > now.getTime()) continue;
    const window = { since: row.digestSentAt, until };
    const content = await digestContent(store.db, row, window, 0);
    if (content.pending.count + content.reported.count === 0) continue;
    await store.db.transaction().execute(async (trx) => {
      if (!(await advanceDigest(trx, row.userId, row.siteId, row.digestSentAt, until))) return;
      await queueAlert(trx, row, `digest:${row.siteId}:${window.since}`, {
        kind: 'digest',
        since: window.since,
        until,
      });
      planned++;
    });
  }
  return planned;
}

/** Queues spike alerts for stories that drew their moderators' number of comments in the hour. */
export async function planSpikes(store: Store, now = new Date()): Promise<number> {
  const rows = (await spikeRecipients(store.db)).filter((row) => covers(row, row.siteId));
  if (rows.length === 0) return 0;
  const lowest = Math.min(...rows.map((row) => row.spikePerHour));
  const hourAgo = new Date(now.getTime() - HOUR_MS);
  const stories = await busyStories(
    store.db,
    [...new Set(rows.map((r) => r.siteId))],
    hourAgo,
    lowest,
  );
  let planned = 0;
  for (const story of stories) {
    for (const row of rows) {
      if (row.siteId !== story.siteId || story.count < row.spikePerHour) continue;
      const key = `spike:${story.storyId}`;
      // Told within the hour already (by any channel): not again.
      if (await jobQueuedSince(store.db, `alert:${key}:${row.userId}:`, hourAgo)) continue;
      planned += await queueAlert(
        store.db,
        row,
        key,
        { kind: 'spike', storyId: story.storyId, count: story.count },
        // Unique per plan: the check above is what keeps it to one an hour.
        String(now.getTime()),
      );
    }
  }
  return planned;
}

// ---------------------------------------------------------------------------------------------
// Sending

interface LinkMaker {
  queue(queue: Queue, siteId: string): string;
  comment(queue: Queue, siteId: string, commentId: string): string;
  stories(siteId: string): string;
}

/** Links into the dashboard (web/admin: /admin/queues/<queue>, /admin/stories). */
export function dashboardLinks(publicUrl: string): LinkMaker {
  const base = `${publicUrl.replace(/\/+$/, '')}/admin`;
  return {
    queue: (queue, siteId) => `${base}/queues/${queue}?site=${encodeURIComponent(siteId)}`,
    comment: (queue, siteId, commentId) =>
      `${base}/queues/${queue}?site=${encodeURIComponent(siteId)}&comment=${encodeURIComponent(commentId)}`,
    stories: (siteId) => `${base}/stories?site=${encodeURIComponent(siteId)}`,
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

const REPORT_REASON_NAMES: Record<string, string> = {
  abuse: 'abuse',
  spam: 'spam',
  off_topic: 'off topic',
  misinformation: 'misinformation',
  other: 'other',
};

function heldReason(record: ModerationRecord): string {
  const reasons = record.comment.moderation.reasons.map((r) => r.message).filter(Boolean);
  if (reasons.length > 0) return `Held: ${reasons.join('; ')}`;
  return 'Held for review';
}

function reportReason(record: ModerationRecord): string {
  const reasons = Object.entries(record.comment.reports.byReason)
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${REPORT_REASON_NAMES[reason] ?? reason} ${n}`);
  const open = record.comment.openReports;
  return `${plural(open, 'open report')}${reasons.length ? ` (${reasons.join(', ')})` : ''}`;
}

/** Where a comment is found in the dashboard, and what the alert says of it. */
function placeOf(record: ModerationRecord, about: 'pending' | 'reported' | 'recent') {
  if (about === 'pending') return { queue: 'pending' as const, reason: heldReason(record) };
  if (about === 'reported') return { queue: 'reported' as const, reason: reportReason(record) };
  switch (record.comment.status) {
    case 'pending':
      return { queue: 'pending' as const, reason: heldReason(record) };
    case 'rejected':
      return { queue: 'rejected' as const, reason: 'Rejected' };
    default:
      return record.comment.openReports > 0
        ? { queue: 'reported' as const, reason: `Published; ${reportReason(record)}` }
        : { queue: 'approved' as const, reason: 'Published' };
  }
}

function itemOf(
  record: ModerationRecord,
  about: 'pending' | 'reported' | 'recent',
  links: LinkMaker,
): AlertItem {
  const { queue, reason } = placeOf(record, about);
  return {
    author: record.author.name,
    excerpt: commentExcerpt(record.comment.html, 280),
    reason,
    link: links.comment(queue, record.comment.siteId, record.comment.id),
    storyTitle: record.story.title ?? record.story.url,
    permalink: permalink(record.story.url, record.comment.id),
  };
}

async function records(db: Db, ids: string[]): Promise<ModerationRecord[]> {
  const found = await Promise.all(ids.map((id) => getRecord(db, id)));
  return found.filter((r): r is ModerationRecord => r !== undefined);
}

/**
 * The message of an alert as it stands now, or null when it no longer matters (the comment was
 * dealt with, the digest's comments were all decided).
 */
export async function buildAlertMessage(
  db: Db,
  job: AlertJobPayload,
  siteName: string,
  links: LinkMaker,
): Promise<AlertMessage | null> {
  const { kind, siteId } = job;
  if (kind === 'pending' || kind === 'reported' || kind === 'threshold') {
    const record = job.commentId ? await getRecord(db, job.commentId) : undefined;
    if (!record || record.comment.deleted || record.comment.siteId !== siteId) return null;
    const queue = kind === 'pending' ? 'pending' : 'reported';
    if (queue === 'pending' && record.comment.status !== 'pending') return null;
    if (
      queue === 'reported' &&
      (record.comment.status !== 'approved' || record.comment.openReports === 0)
    ) {
      return null;
    }
    const item = itemOf(record, queue, links);
    const open = record.comment.openReports;
    const title =
      kind === 'pending'
        ? `Comment held for review on ${siteName}`
        : kind === 'reported'
          ? `Comment reported on ${siteName}`
          : `Comment reported ${plural(open, 'time')} on ${siteName}`;
    const summary =
      kind === 'pending'
        ? `${record.author.name} wrote a comment that waits for a moderator.`
        : `${record.author.name}’s comment has ${plural(open, 'open report')}.`;
    return {
      kind,
      siteName,
      title,
      summary,
      count: 1,
      facts: [],
      items: [item],
      more: 0,
      link: item.link,
      linkLabel: 'Open the queue in the dashboard',
    };
  }
  if (kind === 'spike') {
    const story = job.storyId ? await getStory(db, job.storyId) : undefined;
    if (!story || story.siteId !== siteId) return null;
    const count = job.count ?? 0;
    const title = story.title ?? story.url;
    const latest = await records(db, await latestOnStory(db, story.id, SPIKE_ITEMS));
    return {
      kind,
      siteName,
      title: `Busy story on ${siteName}`,
      summary: `${plural(count, 'comment')} in the last hour on “${title}”.`,
      count,
      facts: [],
      items: latest.map((record) => itemOf(record, 'recent', links)),
      more: 0,
      link: links.stories(siteId),
      linkLabel: 'Open the stories in the dashboard',
      story: { title, url: story.url },
    };
  }
  // A digest.
  if (!job.since || !job.until) return null;
  const row = await getAlertRow(db, job.userId, siteId);
  if (!row) return null;
  const window = { since: job.since, until: job.until };
  const content = await digestContent(db, row, window, DIGEST_ITEMS);
  const total = content.pending.count + content.reported.count;
  if (total === 0) return null;
  const waiting = await waitingCounts(db, siteId);
  const facts: string[] = [];
  if (digestModes(row).pending) {
    facts.push(`Pending: ${content.pending.count} new, ${waiting.pending} waiting`);
  }
  if (digestModes(row).reported) {
    facts.push(`Reported: ${content.reported.count} new, ${waiting.reported} waiting`);
  }
  const pendingRecords = await records(db, content.pending.ids);
  const reportedRecords = await records(db, content.reported.ids);
  const items = [
    ...pendingRecords.map((r) => itemOf(r, 'pending', links)),
    ...reportedRecords.map((r) => itemOf(r, 'reported', links)),
  ].slice(0, DIGEST_ITEMS);
  const queue = content.pending.count > 0 ? 'pending' : 'reported';
  const modes = digestModes(row);
  const waitingTotal =
    (modes.pending ? waiting.pending : 0) + (modes.reported ? waiting.reported : 0);
  return {
    kind,
    siteName,
    title: `${plural(total, 'new comment')} for review on ${siteName}`,
    summary: `Since ${new Date(job.since).toUTCString()}: ${facts.join('; ')}.`,
    // All those waiting in the digest's queues (the new ones at least).
    count: Math.max(total, waitingTotal),
    facts,
    items,
    more: Math.max(0, total - items.length),
    link: links.queue(queue, siteId),
    linkLabel: 'Open the queues in the dashboard',
  };
}

/** A chat webhook's answer as a sentence (never the URL). */
export function describePost(result: PostResult): string {
  if (result.status === null) return result.error ?? 'no answer';
  const answer = result.body.trim().slice(0, 200);
  return `answered ${result.status}${answer ? `: ${answer}` : ''}`;
}

const retryable = (result: PostResult) =>
  result.status === null || result.status === 408 || result.status === 429 || result.status >= 500;

/** Posts a message to a chat webhook. */
export async function postToChat(
  url: string,
  format: ChatFormat,
  message: AlertMessage,
  allowPrivateAddresses: boolean,
): Promise<PostResult> {
  return postJson(url, JSON.stringify(chatPayload(format, message)), {
    timeoutMs: CHAT_TIMEOUT_MS,
    allowPrivateAddresses,
    headers: { 'user-agent': 'Parley alerts' },
  });
}

/** Mail params for the moderator-alert template. */
function mailParams(
  recipient: AlertRecipient,
  message: AlertMessage,
): MailParams['moderator-alert'] {
  return {
    name: recipient.displayName,
    siteName: message.siteName,
    kind: message.kind,
    count: message.count,
    storyTitle: message.story?.title ?? message.items[0]?.storyTitle ?? null,
    items: message.items.map((item) => ({
      author: item.author,
      excerpt: item.excerpt,
      reason: item.reason,
      link: item.link,
    })),
    link: message.link,
  };
}

export async function mailAlert(
  db: Db,
  recipient: AlertRecipient,
  message: AlertMessage,
): Promise<string> {
  return queueMail(db, {
    userId: recipient.userId,
    siteId: recipient.siteId,
    to: recipient.email,
    template: 'moderator-alert',
    locale: recipient.locale,
    params: mailParams(recipient, message),
  });
}

/** Whether the row still asks for this kind of alert. */
function stillWanted(row: AlertRow, kind: AlertJobPayload['kind']): boolean {
  switch (kind) {
    case 'pending':
      return row.pending === 'immediate';
    case 'reported':
      return row.reported === 'immediate';
    case 'threshold':
      return row.reportThreshold > 0;
    case 'spike':
      return row.spikePerHour > 0;
    case 'digest':
      return row.pending === 'digest' || row.reported === 'digest';
  }
}

function readPayload(payload: unknown): AlertJobPayload {
  const p = payload as Partial<AlertJobPayload> | null;
  if (
    !p ||
    typeof p.userId !== 'string' ||
    typeof p.siteId !== 'string' ||
    typeof p.kind !== 'string'
  ) {
    throw new Error(`${ALERT_SEND_JOB} needs a kind, a userId and a siteId`);
  }
  return p as AlertJobPayload;
}

/** Runs one `alert.send` job: re-reads who and what, then mails or posts. */
export async function sendAlert(
  deps: AlertDeps,
  job: AlertJobPayload,
): Promise<'sent' | 'skipped'> {
  const { db } = deps.store;
  const recipient = await getRecipient(db, job.userId, job.siteId);
  if (!recipient || !covers(recipient, job.siteId) || !stillWanted(recipient, job.kind)) {
    return 'skipped';
  }
  const site = await getSite(db, job.siteId);
  if (!site) return 'skipped';
  const message = await buildAlertMessage(
    db,
    job,
    site.name,
    dashboardLinks(deps.config.publicUrl),
  );
  if (!message) return 'skipped';
  if (job.channel === 'email') {
    if (!recipient.byEmail || recipient.mailBouncedAt !== null) return 'skipped';
    await mailAlert(db, recipient, message);
    return 'sent';
  }
  if (recipient.chatUrl === null) return 'skipped';
  const result = await postToChat(
    recipient.chatUrl,
    recipient.chatFormat,
    message,
    deps.config.webhooks.allowPrivate,
  );
  if (result.status !== null && result.status >= 200 && result.status < 300) return 'sent';
  const what = `chat alert (${job.kind}) for moderator ${job.userId} on site ${job.siteId}: ${describePost(result)}`;
  // Worth another try: no answer, too many requests, the receiver's own failure.
  if (retryable(result)) throw new Error(what);
  deps.log.warn(`${what}; not retried`);
  return 'skipped';
}

/** Finished alert jobs are forgotten after a week (the planning jobs after a day). */
const KEEP_SENT_MS = 7 * 24 * HOUR_MS;
const KEEP_PLANS_MS = 24 * HOUR_MS;

const digestJobId = (minute: number) =>
  `${ALERT_DIGEST_JOB}:${new Date(minute * MINUTE_MS).toISOString()}`;
const spikeJobId = (period: number) =>
  `${ALERT_SPIKE_JOB}:${new Date(period * SPIKE_EVERY_MINUTES * MINUTE_MS).toISOString()}`;

/**
 * Makes sure this minute's digest check and this period's spike check are queued (a process that
 * runs jobs calls it at start; the ids are the times, so several processes queue each once).
 */
export async function scheduleAlerts(store: Store, now = new Date()): Promise<void> {
  const minute = Math.floor(now.getTime() / MINUTE_MS);
  const period = Math.floor(now.getTime() / (SPIKE_EVERY_MINUTES * MINUTE_MS));
  await enqueueJob(store.db, ALERT_DIGEST_JOB, {}, { id: digestJobId(minute) });
  await enqueueJob(store.db, ALERT_SPIKE_JOB, {}, { id: spikeJobId(period) });
}

export function alertJobs(deps: AlertDeps): Record<string, JobHandler> {
  const { store } = deps;
  return {
    [ALERT_SEND_JOB]: async (payload) => {
      await sendAlert(deps, readPayload(payload));
    },
    [ALERT_DIGEST_JOB]: async () => {
      const now = new Date();
      // The next run is planned first, so that a failing run does not end the schedule.
      const next = Math.floor(now.getTime() / MINUTE_MS) + 1;
      await enqueueJob(
        store.db,
        ALERT_DIGEST_JOB,
        {},
        {
          id: digestJobId(next),
          runAt: new Date(next * MINUTE_MS),
        },
      );
      await planDigests(store, now);
    },
    [ALERT_SPIKE_JOB]: async () => {
      const now = new Date();
      const next = Math.floor(now.getTime() / (SPIKE_EVERY_MINUTES * MINUTE_MS)) + 1;
      await enqueueJob(
        store.db,
        ALERT_SPIKE_JOB,
        {},
        {
          id: spikeJobId(next),
          runAt: new Date(next * SPIKE_EVERY_MINUTES * MINUTE_MS),
        },
      );
      await planSpikes(store, now);
      await pruneDoneJobs(
        store.db,
        [ALERT_DIGEST_JOB, ALERT_SPIKE_JOB],
        new Date(now.getTime() - KEEP_PLANS_MS),
      );
      await pruneDoneJobs(store.db, [ALERT_SEND_JOB], new Date(now.getTime() - KEEP_SENT_MS));
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A test alert

export interface TestOutcome {
  channel: AlertChannel;
  ok: boolean;
  /** What happened, in a sentence (never the webhook's URL). */
  detail: string;
  /** The chat webhook's status code (null: no answer). */
  status?: number | null;
}

/** Sends a test alert now on the caller's saved channels for the site, and says what happened. */
export async function sendTestAlert(
  deps: AlertDeps,
  moderator: Moderator,
  siteId: string,
): Promise<TestOutcome[]> {
  requireCovered(moderator, siteId);
  const { db } = deps.store;
  const site = await getSite(db, siteId);
  if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
  const row =
    (await getAlertRow(db, moderator.user.id, siteId)) ?? defaultRow(moderator.user.id, siteId);
  if (!row.byEmail && row.chatUrl === null) {
    throw new ParleyError(
      'VALIDATION_FAILED',
      'No channel to test: turn on email or save a chat webhook URL first.',
    );
  }
  const links = dashboardLinks(deps.config.publicUrl);
  const message: AlertMessage = {
    kind: 'test',
    siteName: site.name,
    title: `Test alert from ${site.name}`,
    summary: `${moderator.user.displayName} asked for a test: alerts for ${site.name} reach this channel.`,
    count: 0,
    facts: [],
    items: [],
    more: 0,
    link: links.queue('pending', siteId),
    linkLabel: 'Open the queues in the dashboard',
  };
  const outcomes: TestOutcome[] = [];
  if (row.byEmail) {
    const user = moderator.user;
    if (user.email) {
      const recipient = {
        ...row,
        role: user.role,
        moderatorSiteIds: null,
        email: user.email,
        displayName: user.displayName,
        locale: user.locale,
        deletedAt: null,
        mailBouncedAt: null,
      } satisfies AlertRecipient;
      await mailAlert(db, recipient, message);
      outcomes.push({ channel: 'email', ok: true, detail: `Queued a message to ${user.email}.` });
    }
  }
  if (row.chatUrl !== null) {
    const result = await postToChat(
      row.chatUrl,
      row.chatFormat,
      message,
      deps.config.webhooks.allowPrivate,
    );
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    outcomes.push({
      channel: 'chat',
      ok,
      status: result.status,
      detail: `The ${row.chatFormat} webhook ${describePost(result)}.`,
    });
  }
  return outcomes;
}
