/**
 * What a change to a comment means for the live streams: which events, for whom. The events are
 * written to the event log (in the caller's transaction, see `recordCommentChange`) and published
 * on the bus once that transaction has committed (`publishLive`).
 *
 * Audiences follow what the REST API shows each viewer: a published comment (or its tombstone) is
 * everyone's; a pending one its author's and the site's moderators'; a rejected one its author's
 * only. A change moves a comment between these sets: those who keep seeing it get the new state,
 * those who stop seeing it get `comment.removed`.
 */
import type { Kysely } from 'kysely';
import { getComment } from '../store/comments.ts';
import type { Store } from '../store/db.ts';
import {
  appendLiveEvents,
  pruneLiveEvents,
  silenceCommentEvents,
  STORY_COUNT,
  type NewLiveEventRow,
} from '../store/live-events.ts';
import type { CommentRecord } from '../store/rows.ts';
import type { CommentStatus, Database } from '../store/schema.ts';
import {
  AUTHOR,
  EVERYONE,
  MODERATORS,
  type Bus,
  type LiveEvent,
  type LiveEventKind,
} from './bus.ts';

type Db = Kysely<Database>;

/** The part of a comment's state that decides who sees it. */
export interface Seen {
  status: CommentStatus;
  deleted: boolean;
  /** Whether it was featured, where the change could feature or unfeature it. */
  featured?: boolean;
}

/** Who may see a comment in this state (see the audience bits in bus.ts). */
export function audienceOf(state: Seen | null | undefined): number {
  if (!state || state.status === 'deleted') return 0;
  if (state.status === 'approved') return EVERYONE;
  if (state.deleted) return 0;
  return state.status === 'pending' ? AUTHOR | MODERATORS : AUTHOR;
}

const seen = (c: CommentRecord): Seen => ({ status: c.status, deleted: c.deletedAt !== null });
const counted = (s: Seen | null) => s !== null && s.status === 'approved' && !s.deleted;

/** The data of a `comment.removed` event: where it was, and the tombstone if one stays. */
export interface RemovedData {
  comment: CommentRecord | null;
  id: string;
  parentId: string | null;
  threadParentId: string | null;
  /** The state the change started from (for the dispatcher, src/notify/; never sent to streams). */
  previous?: Seen;
  /** The comment was deleted (not merely hidden from this audience by a rejection). */
  deleted?: boolean;
}

/**
 * The data of a comment.created, comment.approved or comment.updated event. `previous` is the
 * state the change started from: the dispatcher (src/notify/) tells a rejection or a featuring
 * from other updates by it. Streams send only the comment (src/server/live/frames.ts).
 */
export interface CommentEventData {
  comment: CommentRecord;
  previous?: Seen;
}

interface Planned {
  kind: LiveEventKind;
  audience: number;
  data: unknown;
}

/** The events a change from `before` (null: new) to `after` makes. */
export function planCommentEvents(before: Seen | null, after: CommentRecord): Planned[] {
  const was = before === null ? 0 : audienceOf(before);
  const now = audienceOf(seen(after));
  const events: Planned[] = [];
  const gone = after.status === 'deleted' || after.deletedAt !== null;
  if (before === null) {
    if (now) events.push({ kind: 'comment.created', audience: now, data: { comment: after } });
  } else if (gone) {
    const removed: RemovedData = {
      comment: after.status === 'approved' ? after : null,
      id: after.id,
      parentId: after.parentId,
      threadParentId: after.threadParentId,
      previous: before,
      deleted: true,
    };
    if (was) events.push({ kind: 'comment.removed', audience: was, data: removed });
  } else if (after.status === 'approved' && before.status !== 'approved') {
    const data: CommentEventData = { comment: after, previous: before };
    events.push({ kind: 'comment.approved', audience: now, data });
  } else {
    const data: CommentEventData = { comment: after, previous: before };
    if (now) events.push({ kind: 'comment.updated', audience: now, data });
    const lost = was & ~now;
    if (lost) {
      const removed: RemovedData = {
        comment: null,
        id: after.id,
        parentId: after.parentId,
        threadParentId: after.threadParentId,
        previous: before,
        deleted: false,
      };
      events.push({ kind: 'comment.removed', audience: lost, data: removed });
    }
  }
  return events;
}

function row(comment: CommentRecord, planned: Planned): NewLiveEventRow {
  return {
    siteId: comment.siteId,
    kind: planned.kind,
    audience: planned.audience,
    authorId: comment.authorId,
    commentId: comment.id,
    data: JSON.stringify(planned.data),
  };
}

/**
 * The event rows a change to a comment makes, the story's new count among them when the change
 * moves it (its data is read by the store, in the writing transaction).
 */
export function commentEventRows(before: Seen | null, after: CommentRecord): NewLiveEventRow[] {
  const rows = planCommentEvents(before, after).map((p) => row(after, p));
  if (counted(before) !== counted(seen(after))) {
    rows.push({
      siteId: after.siteId,
      kind: 'count',
      audience: EVERYONE,
      authorId: after.authorId,
      commentId: after.id,
      data: STORY_COUNT,
    });
  }
  return rows;
}

/**
 * Records the events of a change to a comment, inside the transaction `trx` (the caller's, or one
 * of its own right after the change). `before` is the state the change started from (null: the
 * comment is new). The comment is read as it is now, in that transaction.
 */
export async function recordCommentChange(
  trx: Db,
  commentId: string,
  before: Seen | null,
): Promise<LiveEvent[]> {
  const after = await getComment(trx, commentId);
  if (!after) return [];
  const events = await appendLiveEvents(trx, after.storyId, commentEventRows(before, after));
  // Whoever stops seeing a comment is not shown its text again by a replay.
  // (Only the events before this change: its own notice to the author stays.)
  const removal = events.find((e) => e.kind === 'comment.removed');
  const first = events[0];
  if (removal && first) await silenceCommentEvents(trx, after.storyId, commentId, first.seq);
  return events;
}

/** Records a comment's new reaction count, for whoever may see the comment. */
export async function recordReactions(
  trx: Db,
  comment: CommentRecord,
  reactionCount: number,
): Promise<LiveEvent[]> {
  const audience = audienceOf(seen(comment));
  if (!audience) return [];
  return appendLiveEvents(trx, comment.storyId, [
    row(comment, { kind: 'reactions', audience, data: { commentId: comment.id, reactionCount } }),
  ]);
}

/** A report, for the moderators' feed only: published, not numbered or kept. */
export function reportEvent(comment: CommentRecord): LiveEvent {
  return {
    storyId: comment.storyId,
    seq: 0,
    siteId: comment.siteId,
    kind: 'report',
    audience: MODERATORS,
    authorId: comment.authorId,
    commentId: comment.id,
    data: '{}',
    createdAt: new Date().toISOString(),
  };
}

// Which bus a store's changes are published on. The services that change comments get the store,
// not the app, so the app registers its bus here; a store without a bus (a CLI command) still
// records events, which other processes deliver on their next event or reconnect.
const buses = new WeakMap<Store, Bus>();

export function attachBus(store: Store, bus: Bus): void {
  buses.set(store, bus);
}

/** The bus the store's changes are published on (none in CLI commands). */
export const busOf = (store: Store): Bus | undefined => buses.get(store);

export function detachBus(store: Store, bus: Bus): void {
  if (buses.get(store) === bus) buses.delete(store);
}

/** Publishes committed events; a failure is logged, never the writer's problem. */
export function publishLive(store: Store, events: LiveEvent[]): void {
  const bus = buses.get(store);
  if (!bus) return;
  for (const event of events) {
    bus.publish(event).catch((error: unknown) => {
      console.warn(`live: publishing ${event.kind} failed: ${String(error)}`);
    });
  }
}

/** Records a change in a transaction of its own (right after the change) and publishes it. */
export async function recordAndPublish(
  store: Store,
  work: (trx: Db) => Promise<LiveEvent[]>,
): Promise<void> {
  try {
    publishLive(store, await store.transact(work));
  } catch (error) {
    // The change itself is committed; its live event is lost, readers see it on their next load.
    console.warn(`live: recording an event failed: ${String(error)}`);
  }
}

/**
 * Forgets the events older than the retention. A stream that reconnects after longer than that is
 * told to reset instead of replaying (see src/server/live/replay.ts).
 */
export function pruneEventLog(db: Db, retentionMs: number, now = Date.now()): Promise<number> {
  return pruneLiveEvents(db, new Date(now - retentionMs));
}
