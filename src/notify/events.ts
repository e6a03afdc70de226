/**
 * What the dispatcher (./dispatcher.ts) hands to the consumers of the live event log: readers'
 * notifications (./notifications.ts), moderators' alerts (./alerts.ts) and publishers' webhooks
 * (src/webhooks/). Each event is given to every consumer once, in the story's order, inside the
 * transaction that moves the story's dispatch cursor: whatever a consumer writes (a notification,
 * a delivery, a job) commits with the cursor or not at all.
 */
import type { Kysely } from 'kysely';
import type { Seen } from '../live/record.ts';
import type { CommentRecord } from '../store/rows.ts';
import type { Database } from '../store/schema.ts';

export type Db = Kysely<Database>;

/** What happened to a comment, as the dispatcher reads it from the event log. */
export type CommentChange =
  /** A new comment in any state (its status says which: published, pending or rejected). */
  | 'created'
  /** Published after review (it was pending or rejected). */
  | 'approved'
  /** Rejected by a moderator (it was pending or published). */
  | 'rejected'
  /** Featured by a moderator. */
  | 'featured'
  /** Deleted by its author or a moderator (`comment` is its tombstone, or null). */
  | 'deleted';

export interface CommentEvent {
  change: CommentChange;
  siteId: string;
  storyId: string;
  /** The story's event number (ordering within the story). */
  seq: number;
  /** When the change was recorded. */
  at: string;
  commentId: string;
  /** The comment as the change left it (null for a deletion leaving no tombstone). */
  comment: CommentRecord | null;
  /** The state it started from (null: new). */
  previous: Seen | null;
}

/**
 * A consumer: called once per change, in the story's order, inside the dispatch transaction.
 * Anything it wants done after the commit (a live notice) goes in `after`.
 */
export type Consumer = (trx: Db, event: CommentEvent, after: AfterCommit) => Promise<void>;

/** Work to do once the dispatch transaction has committed (publishing on the live bus). */
export type AfterCommit = Array<() => void>;
