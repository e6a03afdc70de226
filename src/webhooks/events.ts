/**
 * What publishers' webhook endpoints hear (docs/webhooks.md): the event types, the versioned
 * payload of each, and how an event becomes one delivery per subscribed endpoint of its site, in
 * the transaction of the change that caused it.
 *
 * Every payload is `{ "type", "version": 1, "timestamp", "data" }`. `version` is the payload's
 * version: fields may be added within a version, never removed or changed in meaning; a change
 * that would break receivers comes as version 2. Payloads carry no e-mail address or client
 * address; `user.deleted` carries the account's id and nothing else.
 *
 * Comment events come from the dispatcher (src/notify/dispatcher.ts), which calls
 * `webhookConsumer` once per comment change in each story's order; the others are enqueued where
 * their change is made (stories, moderation actions, erasure) with `enqueueWebhookEvent`.
 */
import { newId } from '../domain/ids.ts';
import type { AfterCommit, CommentChange, CommentEvent, Consumer, Db } from '../notify/events.ts';
import type { CommentRecord, Story } from '../store/rows.ts';
import {
  insertDeliveries,
  scrubUserFromDeliveries,
  sitesOfUser,
  subscribedEndpoints,
} from '../store/webhooks.ts';

export const PAYLOAD_VERSION = 1;

/** The event types an endpoint may subscribe to. */
export const WEBHOOK_EVENT_TYPES = [
  'comment.created',
  'comment.approved',
  'comment.rejected',
  'comment.featured',
  'comment.deleted',
  'story.created',
  'user.banned',
  'user.deleted',
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** Sent from the dashboard to one endpoint; never subscribed to. */
export const TEST_EVENT_TYPE = 'webhook.test';

export const isWebhookEventType = (value: string): value is WebhookEventType =>
  (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);

export interface WebhookPayload<T = unknown> {
  type: WebhookEventType | typeof TEST_EVENT_TYPE;
  version: typeof PAYLOAD_VERSION;
  /** When the change happened (ISO 8601). */
  timestamp: string;
  data: T;
}

/** A comment as endpoints see it: no e-mail, no client address, no moderator's private note. */
export interface CommentData {
  id: string;
  siteId: string;
  storyId: string;
  parentId: string | null;
  /** approved (published), pending, rejected, deleted. */
  status: string;
  /** What it was before this change (null for a new comment). */
  previousStatus: string | null;
  featured: boolean;
  author: { id: string; name: string } | null;
  /** The text as written (Markdown subset) and as shown (sanitised HTML); empty once deleted. */
  body: string;
  html: string;
  createdAt: string;
  editedAt: string | null;
  deletedAt: string | null;
  /** Why a moderator rejected it (the code only). */
  rejection: { code: string } | null;
}

export interface StoryData {
  id: string;
  siteId: string;
  externalId: string | null;
  url: string;
  title: string | null;
  createdAt: string;
}

export interface UserBannedData {
  id: string;
  name: string;
  /** The site this ban is on (each site's endpoints hear of their own). */
  siteId: string;
  bannedAt: string;
  reason: string | null;
}

export interface UserDeletedData {
  id: string;
}

export interface TestData {
  endpointId: string;
  message: string;
}

const COMMENT_TYPES: Record<CommentChange, WebhookEventType> = {
  created: 'comment.created',
  approved: 'comment.approved',
  rejected: 'comment.rejected',
  featured: 'comment.featured',
  deleted: 'comment.deleted',
};

/** A comment's data for an event; a deleted comment keeps its place, not its words or author. */
export function commentData(
  event: Pick<CommentEvent, 'commentId' | 'siteId' | 'storyId' | 'previous' | 'change'>,
  comment: CommentRecord | null,
): CommentData {
  const deleted = event.change === 'deleted' || !comment || comment.status === 'deleted';
  return {
    id: event.commentId,
    siteId: event.siteId,
    storyId: event.storyId,
    parentId: comment?.parentId ?? null,
    status: deleted ? 'deleted' : comment.status,
    previousStatus: event.previous ? event.previous.status : null,
    featured: !deleted && comment.featured,
    author: deleted ? null : { id: comment.authorId, name: comment.authorName },
    body: deleted ? '' : comment.body,
    html: deleted ? '' : comment.html,
    createdAt: comment?.createdAt ?? new Date().toISOString(),
    editedAt: comment?.editedAt ?? null,
    deletedAt: deleted ? (comment?.deletedAt ?? new Date().toISOString()) : null,
    rejection:
      !deleted && comment.status === 'rejected' && comment.rejection
        ? { code: comment.rejection.code }
        : null,
  };
}

export function storyData(story: Story): StoryData {
  return {
    id: story.id,
    siteId: story.siteId,
    externalId: story.externalId,
    url: story.url,
    title: story.title,
    createdAt: story.createdAt,
  };
}

/** A new event id (webhook-id): the same for every endpoint, attempt and "send again". */
export const newEventId = () => `msg_${newId()}`;

export function payloadText(
  type: WebhookPayload['type'],
  data: unknown,
  timestamp = new Date().toISOString(),
): string {
  const payload: WebhookPayload = { type, version: PAYLOAD_VERSION, timestamp, data };
  return JSON.stringify(payload);
}

/**
 * Queues the event for every enabled endpoint of the site subscribed to its type, in the caller's
 * transaction; deliveries with the same `orderingKey` reach an endpoint in the order queued.
 * Returns how many deliveries were queued.
 */
export async function enqueueWebhookEvent(
  db: Db,
  siteId: string,
  type: WebhookEventType,
  data: unknown,
  orderingKey: string,
  options: { timestamp?: string; eventId?: string } = {},
): Promise<number> {
  const endpoints = await subscribedEndpoints(db, siteId, type);
  if (endpoints.length === 0) return 0;
  const eventId = options.eventId ?? newEventId();
  const payload = payloadText(type, data, options.timestamp);
  await insertDeliveries(
    db,
    endpoints.map((endpointId) => ({
      endpointId,
      eventId,
      eventType: type,
      orderingKey,
      payload,
    })),
  );
  return endpoints.length;
}

/**
 * The dispatcher's consumer: each comment change becomes its event for the site's subscribed
 * endpoints, in the story's lane (ordering key: the story id).
 */
export const webhookConsumer: Consumer = async (
  trx: Db,
  event: CommentEvent,
  _after: AfterCommit,
): Promise<void> => {
  const type = COMMENT_TYPES[event.change];
  if (!event.comment && event.change !== 'deleted') return;
  await enqueueWebhookEvent(
    trx,
    event.siteId,
    type,
    commentData(event, event.comment),
    event.storyId,
    { timestamp: event.at },
  );
};

/** story.created, for a story really inserted (not one found). */
export function announceStory(db: Db, story: Story): Promise<number> {
  return enqueueWebhookEvent(db, story.siteId, 'story.created', storyData(story), story.id, {
    timestamp: story.createdAt,
  });
}

/** The lane of a reader's events: a ban and a later erasure arrive in that order. */
const userLane = (userId: string) => `user:${userId}`;

/** A ban's coverage: none ([]), some sites, or every site (null). */
interface BanState {
  bannedAt: string | null;
  bannedSiteIds: string[] | null;
  banReason?: string | null;
}

const coverage = (state: BanState): string[] | null =>
  state.bannedAt === null ? [] : state.bannedSiteIds;

/**
 * user.banned for the sites a change of ban state newly covers. A ban on named sites (or on a
 * moderator's own sites) is heard by those sites' endpoints, since their moderator chose them; a
 * ban on every site by an admin is heard only by the sites that know the reader (commented there
 * or signed in through the site), so that a publisher does not learn of readers it never had.
 */
export async function announceBan(
  db: Db,
  userId: string,
  before: BanState,
  after: BanState,
): Promise<number> {
  if (after.bannedAt === null) return 0;
  const was = coverage(before);
  if (was === null) return 0;
  const now = coverage(after);
  const covered = (now === null ? await sitesOfUser(db, userId) : now).filter(
    (id) => !was.includes(id),
  );
  if (covered.length === 0) return 0;
  const user = await db
    .selectFrom('users')
    .select('display_name')
    .where('id', '=', userId)
    .executeTakeFirst();
  let queued = 0;
  for (const siteId of covered) {
    const data: UserBannedData = {
      id: userId,
      name: user?.display_name ?? '',
      siteId,
      bannedAt: after.bannedAt,
      reason: after.banReason ?? null,
    };
    queued += await enqueueWebhookEvent(db, siteId, 'user.banned', data, userLane(userId));
  }
  return queued;
}

/**
 * user.deleted, once the account is erased (called in the erasure's transaction, before its
 * identities go): for the sites that knew the reader, with the account's id only. Deliveries
 * already queued or kept that carry the reader's name or words are emptied of them, and those
 * not yet sent are cancelled.
 */
export async function announceErasure(db: Db, userId: string): Promise<number> {
  await scrubUserFromDeliveries(db, userId);
  const data: UserDeletedData = { id: userId };
  const eventId = newEventId();
  let queued = 0;
  for (const siteId of await sitesOfUser(db, userId)) {
    queued += await enqueueWebhookEvent(db, siteId, 'user.deleted', data, userLane(userId), {
      eventId,
    });
  }
  return queued;
}

/** The test event for one endpoint, through the normal delivery path; returns the delivery id. */
export async function enqueueTestEvent(db: Db, endpointId: string): Promise<string> {
  const eventId = newEventId();
  const data: TestData = {
    endpointId,
    message: 'A test event sent from the Parley dashboard.',
  };
  const [id] = await insertDeliveries(db, [
    {
      endpointId,
      eventId,
      eventType: TEST_EVENT_TYPE,
      // A lane of its own: a test waits for nothing and holds nothing up.
      orderingKey: `test:${eventId}`,
      payload: payloadText(TEST_EVENT_TYPE, data),
    },
  ]);
  return id as string;
}
