/**
 * The live bus: how a change made in one process reaches the SSE streams of every process. Events
 * are published per story after the transaction that recorded them commits; a process subscribes
 * to a story while it has readers of that story, and to everything while a moderator's dashboard
 * is connected. The bus may lose or reorder messages (a Redis reconnect): the hub fills any gap
 * from the event log in the database, so the bus only has to be fast, not reliable.
 */
import type { LiveEventRow } from '../store/live-events.ts';

/** Who receives an event (bits, combined). */
export const READERS = 1;
/** The author of the comment the event is about. */
export const AUTHOR = 2;
/** Moderators of the comment's site. */
export const MODERATORS = 4;
export const EVERYONE = READERS | AUTHOR | MODERATORS;

export type LiveEventKind =
  | 'comment.created'
  | 'comment.updated'
  | 'comment.approved'
  | 'comment.removed'
  | 'reactions'
  | 'count'
  /** A reader reported a comment (dashboard only; not numbered or kept). */
  | 'report'
  /** Q&A (docs/qa.md): a question's new vote count, and a question's first published answer. */
  | 'qa.votes'
  | 'qa.answered'
  /** Q&A: an expert is answering a question (transient: not numbered, kept or replayed). */
  | 'qa.answering';

/**
 * An event as recorded and published. `seq` is the story's event number (0 for events that are
 * not kept, such as reports); `data` is JSON (the comment as it was, or counts).
 */
export type LiveEvent = LiveEventRow;

export type Listener = (event: LiveEvent) => void;

export interface Bus {
  /** Sends the event to every process's subscribers of its story (and of everything). */
  publish(event: LiveEvent): Promise<void>;
  /** Listens to one story's events; the returned function stops listening. */
  subscribe(storyId: string, listener: Listener): Promise<() => Promise<void>>;
  /** Listens to every story's events (the moderators' feed). */
  subscribeAll(listener: Listener): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** The bus of one process: publishing calls the listeners on the next turn of the event loop. */
export class MemoryBus implements Bus {
  private readonly stories = new Map<string, Set<Listener>>();
  private readonly everything = new Set<Listener>();

  async publish(event: LiveEvent): Promise<void> {
    const listeners = [...(this.stories.get(event.storyId) ?? []), ...this.everything];
    if (listeners.length === 0) return;
    setImmediate(() => {
      for (const listener of listeners) listener(event);
    });
  }

  async subscribe(storyId: string, listener: Listener): Promise<() => Promise<void>> {
    let set = this.stories.get(storyId);
    if (!set) this.stories.set(storyId, (set = new Set()));
    set.add(listener);
    return async () => {
      set.delete(listener);
      if (set.size === 0 && this.stories.get(storyId) === set) this.stories.delete(storyId);
    };
  }

  async subscribeAll(listener: Listener): Promise<() => Promise<void>> {
    this.everything.add(listener);
    return async () => {
      this.everything.delete(listener);
    };
  }

  /** Stories with at least one listener (tests check that idle stories are let go). */
  get subscribedStories(): number {
    return this.stories.size;
  }

  async close(): Promise<void> {
    this.stories.clear();
    this.everything.clear();
  }
}
