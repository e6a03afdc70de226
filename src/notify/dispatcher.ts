/**
 * The dispatcher: hands every story's live event log (src/store/live-events.ts), in order and once,
 * to the consumers that turn comment changes into readers' notifications, moderators' alerts and
 * publishers' webhooks (./events.ts).
 *
 * Why the event log, and not a call in each place that changes a comment: the log is already
 * written in the transaction of every change (posting, editing, deleting, moderating, erasing), in
 * commit order per story, with who could see the comment before and after. Reading it afterwards
 * costs the write path nothing (posting stays one statement on PostgreSQL), and a change that a
 * later one undoes before dispatch (a reply deleted at once) was silenced in the log by then, so
 * nobody is told of it.
 *
 * Each story's `live_streams.dispatched_seq` says how far it has been handed on. A story is
 * dispatched in one transaction: its new events are read, every consumer writes what it makes
 * (notification rows, deliveries, jobs), and the cursor moves; all commit together or none does,
 * so each event is handled exactly once even if the process dies. Several processes may run the
 * dispatcher: on PostgreSQL a story is taken with a transaction-level advisory lock (others skip it
 * and take another), and the cursor is moved last, so the story's row, which every post to it
 * updates, is locked only for the moment before the commit. SQLite runs one writer at a time.
 */
import { sql } from 'kysely';
import type { LiveEvent } from '../live/bus.ts';
import type { CommentEventData, RemovedData, Seen } from '../live/record.ts';
import type { Store } from '../store/db.ts';
import { readLiveEvents } from '../store/live-events.ts';
import type { AfterCommit, CommentChange, CommentEvent, Consumer, Db } from './events.ts';

export interface DispatcherOptions {
  /** How often to look for undispatched events when the last look found none. */
  pollMs: number;
  /** Stories taken per look. */
  storiesPerPass: number;
  /**
   * Events of one story handled per transaction. Small: on SQLite the transaction holds the only
   * writer, and posts wait behind it.
   */
  eventsPerStory: number;
  /**
   * After this many failures in a row, a story's next event is passed over (logged as an error,
   * handed to no consumer), so that one event no consumer can handle does not stop its story.
   */
  maxFailures: number;
  /** The first pause after a failure; it doubles with each further one, up to a minute. */
  failurePauseMs: number;
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  pollMs: 250,
  storiesPerPass: 50,
  eventsPerStory: 50,
  maxFailures: 5,
  failurePauseMs: 1000,
};

/** A story whose dispatch failed: how often in a row, and not before when to try again. */
interface Failing {
  count: number;
  until: number;
}

/** What a logged event means for the consumers; null: nothing they act on (counts, edits). */
export function commentEventOf(event: LiveEvent): CommentEvent | null {
  if (event.commentId === null || event.audience === 0) return null;
  const base = {
    siteId: event.siteId,
    storyId: event.storyId,
    seq: event.seq,
    at: event.createdAt,
    commentId: event.commentId,
  };
  const make = (change: CommentChange, data: CommentEventData): CommentEvent => ({
    ...base,
    change,
    comment: data.comment,
    previous: data.previous ?? null,
  });
  switch (event.kind) {
    case 'comment.created':
      return make('created', JSON.parse(event.data) as CommentEventData);
    case 'comment.approved':
      return make('approved', JSON.parse(event.data) as CommentEventData);
    case 'comment.updated': {
      const data = JSON.parse(event.data) as CommentEventData;
      const previous: Seen | undefined = data.previous;
      if (!previous) return null;
      if (data.comment.status === 'rejected' && previous.status !== 'rejected') {
        return make('rejected', data);
      }
      if (data.comment.featured && previous.featured === false) return make('featured', data);
      return null;
    }
    case 'comment.removed': {
      const removed = JSON.parse(event.data) as RemovedData;
      // A rejection takes the comment away from readers too: that is its own change.
      if (!removed.deleted) return null;
      return {
        ...base,
        change: 'deleted',
        comment: removed.comment,
        previous: removed.previous ?? null,
      };
    }
    default:
      return null;
  }
}

export class Dispatcher {
  readonly options: DispatcherOptions;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> = Promise.resolve(0);
  private stopped = false;
  private readonly failing = new Map<string, Failing>();

  constructor(
    private readonly store: Store,
    private readonly consumers: Consumer[],
    private readonly log: { warn(message: string): void },
    options: Partial<DispatcherOptions> = {},
  ) {
    this.options = { ...DEFAULT_DISPATCHER_OPTIONS, ...options };
  }

  start(): void {
    if (this.timer || this.stopped) return;
    this.timer = setTimeout(() => this.tick(), this.options.pollMs);
    this.timer.unref();
  }

  /** Dispatches until nothing is left (tests, and at shutdown); resolves with the events handled. */
  drain(): Promise<number> {
    const next = this.running.then(async () => {
      let total = 0;
      for (;;) {
        const handled = await this.pass();
        total += handled;
        if (handled === 0) return total;
      }
    });
    this.running = next.catch(() => 0);
    return next;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running.catch(() => 0);
  }

  private tick(): void {
    this.timer = null;
    this.running = this.running
      .then(() => this.pass())
      .catch((error: unknown) => {
        this.log.warn(`dispatch: a pass failed: ${String(error)}`);
        return 0;
      })
      .then((handled) => {
        // Straight on while there is work; otherwise wait.
        if (!this.stopped) {
          this.timer = setTimeout(() => this.tick(), handled > 0 ? 0 : this.options.pollMs);
          this.timer.unref();
        }
        return handled;
      });
  }

  /** One look: dispatches the stories that have new events; returns the events handled. */
  async pass(): Promise<number> {
    const now = Date.now();
    // Stories waiting out a failure are left out of the look, so that they cannot fill it.
    const waiting = [...this.failing].filter(([, f]) => f.until > now).map(([id]) => id);
    let query = this.store.db
      .selectFrom('live_streams')
      .select('story_id')
      .where(sql.ref('last_seq'), '>', sql.ref('dispatched_seq'))
      .orderBy('last_event_at')
      .limit(this.options.storiesPerPass);
    if (waiting.length > 0) query = query.where('story_id', 'not in', waiting.slice(0, 500));
    const rows = await query.execute();
    let handled = 0;
    for (const { story_id: storyId } of rows) {
      if (this.stopped) break;
      const failing = this.failing.get(storyId);
      try {
        const passOver = (failing?.count ?? 0) >= this.options.maxFailures;
        handled += await this.dispatchStory(storyId, passOver);
        this.failing.delete(storyId);
      } catch (error) {
        // Left where it was, tried again after a pause that doubles (a consumer's bug must not
        // stop other stories, nor fill the log every 250 ms).
        const count = (failing?.count ?? 0) + 1;
        const pause = Math.min(60_000, this.options.failurePauseMs * 2 ** (count - 1));
        this.failing.set(storyId, { count, until: Date.now() + pause });
        this.log.warn(`dispatch: story ${storyId} (failure ${count}): ${String(error)}`);
      }
    }
    return handled;
  }

  /**
   * Dispatches the story's next events in one transaction. `passOver`: its first event, which
   * has failed `maxFailures` times, is skipped (the cursor moves past it, no consumer sees it).
   */
  private async dispatchStory(storyId: string, passOver = false): Promise<number> {
    const after: AfterCommit = [];
    const handled = await this.store.transact(async (trx) => {
      if (this.store.engine === 'postgres') {
        const { rows } = await sql<{ taken: boolean }>`
          select pg_try_advisory_xact_lock(hashtextextended(${`dispatch:${storyId}`}, 0)) as taken`.execute(
          trx,
        );
        if (!rows[0]?.taken) return 0;
      }
      const stream = await trx
        .selectFrom('live_streams')
        .select(['dispatched_seq', 'last_seq'])
        .where('story_id', '=', storyId)
        .executeTakeFirst();
      if (!stream) return 0;
      const from = Number(stream.dispatched_seq);
      if (Number(stream.last_seq) <= from) return 0;
      const limit = passOver ? 1 : this.options.eventsPerStory;
      const events = await readLiveEvents(trx, storyId, from, limit);
      // Pruned events (the process was stopped for longer than the log is kept) are skipped.
      let upTo = events.at(-1)?.seq ?? Number(stream.last_seq);
      for (const event of events) {
        if (passOver) {
          this.log.warn(
            `dispatch: story ${storyId}: event ${event.seq} (${event.kind}) failed ` +
              `${this.options.maxFailures} times and is passed over`,
          );
          continue;
        }
        const change = commentEventOf(event);
        if (change) await this.hand(trx, change, after);
        upTo = event.seq;
      }
      const moved = await trx
        .updateTable('live_streams')
        .set({ dispatched_seq: upTo })
        .where('story_id', '=', storyId)
        .where('dispatched_seq', '=', from)
        .executeTakeFirst();
      // Someone else moved it meanwhile: what the consumers wrote is rolled back with this.
      if (Number(moved.numUpdatedRows) !== 1) {
        throw new Error(`the cursor of story ${storyId} moved during dispatch`);
      }
      return events.length;
    });
    for (const work of after) {
      try {
        work();
      } catch (error) {
        this.log.warn(`dispatch: after commit: ${String(error)}`);
      }
    }
    return Math.max(handled, 0);
  }

  private async hand(trx: Db, event: CommentEvent, after: AfterCommit): Promise<void> {
    for (const consumer of this.consumers) await consumer(trx, event, after);
  }
}
