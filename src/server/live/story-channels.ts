/**
 * One channel per story with readers in this process. It subscribes to the story on the bus when
 * its first reader arrives and lets go shortly after its last leaves. Events are numbered per
 * story; the channel delivers them strictly in order, and reads the event log when the bus skipped
 * one (or may have lost some: `resync`).
 */
import type { Bus, LiveEvent } from '../../live/bus.ts';
import type { Store } from '../../store/db.ts';
import { lastLiveSeq, readLiveEvents } from '../../store/live-events.ts';
import type { SiteScope } from '../../store/moderation/filters.ts';
import type { User } from '../../store/rows.ts';
import { classOf, Rendered } from './frames.ts';
import type { HubOptions } from './options.ts';
import type { Connection, Streams } from './streams.ts';

/** Events published without a number, never written to the log (src/services/qa.ts). */
const TRANSIENT_KINDS = new Set(['qa.answering']);

export interface StoryChannel {
  storyId: string;
  editWindowSeconds: number;
  lastSeq: number;
  conns: Set<Connection>;
  /** Readers between arriving and joining (the channel is not let go meanwhile). */
  joining: number;
  /** Every step that reads or moves lastSeq runs here, one after another. */
  queue: Promise<void>;
  failed: unknown;
  unsubscribe: (() => Promise<void>) | null;
  releaseTimer: NodeJS.Timeout | null;
  released: boolean;
  /** When the story last had an event (epoch ms): the channel is closed once it is quiet. */
  lastEventAt: number;
}

/** A reader's stream of a story, as the route asks for it. */
export interface StoryStream {
  storyId: string;
  editWindowSeconds: number;
  viewer: User | null;
  /** The sites the viewer moderates (null: every site); undefined: not a moderator. */
  scope: SiteScope | undefined;
  /** From the Last-Event-ID header (or query): resume after this event. */
  lastEventId: string | undefined;
  /** When the story last had an event (epoch ms), as the route found it. */
  lastEventAt: number;
}

export class StoryChannels {
  private readonly channels = new Map<string, StoryChannel>();

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly options: HubOptions,
    private readonly streams: Streams,
    private readonly log: { warn(message: string): void },
  ) {}

  /** Stories held in this process. */
  get count(): number {
    return this.channels.size;
  }

  /** When this process last saw an event of the story, if it holds the story's channel. */
  knownLastEventAt(storyId: string): number | undefined {
    const channel = this.channels.get(storyId);
    return channel && !channel.released ? channel.lastEventAt : undefined;
  }

  /** Whether a story whose last event was at `lastEventAt` is too quiet to hold streams open. */
  isQuiet(lastEventAt: number, now = Date.now()): boolean {
    return this.options.quietStoryMs > 0 && now - lastEventAt > this.options.quietStoryMs;
  }

  /** The stories held with readers that have gone quiet. */
  *quietStories(now: number): Generator<string> {
    for (const channel of this.channels.values()) {
      if (channel.conns.size > 0 && this.isQuiet(channel.lastEventAt, now)) {
        yield channel.storyId;
      }
    }
  }

  /** The streams reading a story in this process. */
  readersOf(storyId: string): Connection[] {
    return [...(this.channels.get(storyId)?.conns ?? [])];
  }

  /**
   * Adds an admitted stream to its story's channel, between two deliveries: from then on, live
   * events wait in `conn.pending`. Answers the last event number delivered at that moment. When
   * the channel cannot be had, the stream is dropped and the error thrown.
   */
  async join(conn: Connection, stream: StoryStream): Promise<number> {
    let channel: StoryChannel | undefined;
    let upTo = 0;
    try {
      channel = this.channelFor(stream.storyId, stream.editWindowSeconds, stream.lastEventAt);
      channel.joining++;
      const joined = channel;
      await this.step(joined, () => {
        if (joined.failed !== undefined) throw joined.failed;
        conn.pending = [];
        conn.channel = joined;
        joined.conns.add(conn);
        upTo = joined.lastSeq;
      });
    } catch (error) {
      this.streams.drop(conn);
      throw error;
    } finally {
      if (channel) {
        channel.joining--;
        this.maybeRelease(channel);
      }
    }
    return upTo;
  }

  /** A stream ended: its channel is let go once it has no readers left. */
  leave(conn: Connection): void {
    const channel = conn.channel;
    if (channel) {
      channel.conns.delete(conn);
      this.maybeRelease(channel);
    }
  }

  /** Writes the event to the stream in its viewer's form, unless the stream has had it. */
  send(conn: Connection, event: LiveEvent, rendered: Rendered): void {
    if (event.seq <= conn.cursor) return;
    conn.cursor = event.seq;
    const text = rendered.frame(classOf(conn, event));
    if (text) this.streams.write(conn, text);
  }

  /** Reads the whole log again for every story held (after the bus may have lost messages). */
  resync(): void {
    for (const channel of this.channels.values()) {
      void this.step(channel, () => this.catchUp(channel, null));
    }
  }

  /** Lets go of every story at once (shutting down); the unsubscriptions under way. */
  close(): Promise<void>[] {
    const unsubscribing: Promise<void>[] = [];
    for (const channel of this.channels.values()) {
      if (channel.releaseTimer) clearTimeout(channel.releaseTimer);
      channel.released = true;
      if (channel.unsubscribe) unsubscribing.push(channel.unsubscribe());
    }
    this.channels.clear();
    return unsubscribing;
  }

  private channelFor(
    storyId: string,
    editWindowSeconds: number,
    lastEventAt: number,
  ): StoryChannel {
    const known = this.channels.get(storyId);
    if (known && !known.released && known.failed === undefined) {
      if (known.releaseTimer) clearTimeout(known.releaseTimer);
      known.releaseTimer = null;
      known.editWindowSeconds = editWindowSeconds;
      known.lastEventAt = Math.max(known.lastEventAt, lastEventAt);
      return known;
    }
    const channel: StoryChannel = {
      storyId,
      editWindowSeconds,
      lastSeq: 0,
      conns: new Set(),
      joining: 0,
      queue: Promise.resolve(),
      failed: undefined,
      unsubscribe: null,
      releaseTimer: null,
      released: false,
      lastEventAt,
    };
    this.channels.set(storyId, channel);
    // Subscribe first, then read where the story stands: whatever commits after that read
    // arrives on the bus (or is read from the log when the bus skipped it).
    channel.queue = (async () => {
      channel.unsubscribe = await this.bus.subscribe(storyId, (event) => this.heard(event));
      channel.lastSeq = await lastLiveSeq(this.store.db, storyId);
    })().catch((error: unknown) => {
      channel.failed = error;
      channel.released = true;
      if (this.channels.get(storyId) === channel) this.channels.delete(storyId);
      void channel.unsubscribe?.();
    });
    return channel;
  }

  private step(channel: StoryChannel, work: () => Promise<void> | void): Promise<void> {
    const next = channel.queue.then(work);
    channel.queue = next.catch((error: unknown) => {
      this.log.warn(`live: story ${channel.storyId}: ${String(error)}`);
    });
    return next;
  }

  private maybeRelease(channel: StoryChannel): void {
    if (channel.conns.size > 0 || channel.joining > 0 || channel.released) return;
    if (channel.releaseTimer) clearTimeout(channel.releaseTimer);
    const release = () => {
      channel.releaseTimer = null;
      if (channel.conns.size > 0 || channel.joining > 0 || channel.released) return;
      channel.released = true;
      if (this.channels.get(channel.storyId) === channel) this.channels.delete(channel.storyId);
      channel.unsubscribe?.().catch((error: unknown) => {
        this.log.warn(`live: unsubscribing from ${channel.storyId}: ${String(error)}`);
      });
    };
    if (this.options.idleReleaseMs <= 0 || this.streams.closing) release();
    else channel.releaseTimer = setTimeout(release, this.options.idleReleaseMs);
  }

  /** An event from the bus. */
  private heard(event: LiveEvent): void {
    const channel = this.channels.get(event.storyId);
    if (!channel || channel.released) return;
    if (event.seq <= 0) {
      // Transient events (Q&A's "now answering") go to whoever reads the story now, in no order.
      if (TRANSIENT_KINDS.has(event.kind))
        void this.step(channel, () => this.broadcast(channel, event));
      return;
    }
    void this.step(channel, () => this.catchUp(channel, event));
  }

  /** Delivers the hinted event if it is the next one, otherwise reads what is missing. */
  private async catchUp(channel: StoryChannel, hint: LiveEvent | null): Promise<void> {
    if (hint && hint.seq <= channel.lastSeq) return;
    if (hint && hint.seq === channel.lastSeq + 1) {
      this.deliver(channel, [hint]);
      return;
    }
    const batch = 500;
    for (;;) {
      const rows = await readLiveEvents(this.store.db, channel.storyId, channel.lastSeq, batch);
      this.deliver(channel, rows);
      if (rows.length < batch) return;
    }
  }

  /** A transient event: written to every stream of the story that is not catching up. */
  private broadcast(channel: StoryChannel, event: LiveEvent): void {
    const rendered = new Rendered(event, channel.editWindowSeconds);
    for (const conn of channel.conns) {
      if (conn.pending) continue;
      const text = rendered.frame(classOf(conn, event));
      if (text) this.streams.write(conn, text);
    }
  }

  private deliver(channel: StoryChannel, events: LiveEvent[]): void {
    for (const event of events) {
      if (event.seq <= channel.lastSeq) continue;
      channel.lastSeq = event.seq;
      channel.lastEventAt = Date.now();
      const rendered = new Rendered(event, channel.editWindowSeconds);
      for (const conn of channel.conns) {
        if (conn.pending) conn.pending.push(event);
        else this.send(conn, event, rendered);
      }
    }
  }
}
