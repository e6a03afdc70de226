/**
 * The SSE hub: holds the open event streams of this process and writes each story's events to
 * its readers, each in the form the REST API would show that reader. The parts, each in its file:
 *
 * - streams.ts: the open streams, admitted within the limits of admission.ts (streams per address
 *   and in all), a heartbeat comment so proxies keep them open, a longest lifetime (the client
 *   reconnects and the viewer is checked again), and a stream whose client does not read is
 *   dropped rather than buffered without end.
 * - story-channels.ts: one channel per story with readers here, delivering its numbered events
 *   strictly in order, from the bus or, when the bus skipped one, from the event log.
 * - replay.ts: a reader who reconnects with `Last-Event-ID: n` gets the story's events after n from
 *   the log, then the live ones, each exactly once; a gap the log no longer covers gets `reset`.
 * - frames.ts: audiences. The author of a comment gets their own view (source text, edit window,
 *   rejection), moderators of the site get pending comments, everyone else what a reader may see.
 * - viewer-channels.ts: a signed-in reader's own events (notifications), on every stream they hold.
 * - moderators-feed.ts: the dashboard's stream of new pending comments and queue counts.
 *
 * Quiet stories (no event for `quietStoryMs`) hold no streams: theirs are closed with a `closed`
 * event and new ones refused, and the widget polls the count until the story wakes up.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Bus } from '../../live/bus.ts';
import { pruneEventLog } from '../../live/record.ts';
import type { Store } from '../../store/db.ts';
import type { SiteScope } from '../../store/moderation/filters.ts';
import type { User } from '../../store/rows.ts';
import { frame, Rendered } from './frames.ts';
import { ModeratorsFeed } from './moderators-feed.ts';
import { DEFAULT_HUB_OPTIONS, type HubOptions } from './options.ts';
import { parseEventId, replayAfter } from './replay.ts';
import { StoryChannels, type StoryStream } from './story-channels.ts';
import { Streams, type Connection } from './streams.ts';
import { ViewerChannels } from './viewer-channels.ts';

export class LiveHub {
  readonly options: HubOptions;
  private readonly streams: Streams;
  private readonly stories: StoryChannels;
  private readonly viewers: ViewerChannels;
  private readonly moderators: ModeratorsFeed;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly store: Store,
    bus: Bus,
    options: Partial<HubOptions> = {},
    private readonly log: { warn(message: string): void } = console,
  ) {
    this.options = { ...DEFAULT_HUB_OPTIONS, ...options };
    this.streams = new Streams(this.options, (conn) => this.forget(conn));
    this.stories = new StoryChannels(store, bus, this.options, this.streams, log);
    this.viewers = new ViewerChannels(bus, this.streams, log);
    this.moderators = new ModeratorsFeed(store, bus, this.options, this.streams, log);
    const heartbeat = setInterval(() => this.sweep(), this.options.heartbeatMs);
    const prune = setInterval(() => void this.prune(), this.options.pruneEveryMs);
    heartbeat.unref();
    prune.unref();
    this.timers.push(heartbeat, prune);
    const resync = (bus as { onResync?: (listener: () => void) => void }).onResync;
    resync?.call(bus, () => this.stories.resync());
  }

  /** How many streams the client address holds open (other connections are capped apart). */
  streamsFrom(ip: string): number {
    return this.streams.streamsFrom(ip);
  }

  /** Open streams, stories held and addresses seen (metrics and tests). */
  stats() {
    return {
      connections: this.streams.count,
      stories: this.stories.count,
      addresses: this.streams.addresses,
    };
  }

  /**
   * When this process last saw an event of the story, if it holds the story's channel (then no
   * query is needed to tell whether the story is quiet; thousands of readers arrive at once).
   */
  knownLastEventAt(storyId: string): number | undefined {
    return this.stories.knownLastEventAt(storyId);
  }

  /** Whether a story whose last event was at `lastEventAt` is too quiet to hold streams open. */
  isQuiet(lastEventAt: number, now = Date.now()): boolean {
    return this.stories.isQuiet(lastEventAt, now);
  }

  /** Closes every stream of a story (its live updates were turned off, or it went quiet). */
  dropStory(storyId: string, reason: 'disabled' | 'quiet' = 'disabled'): number {
    const conns = this.stories.readersOf(storyId);
    for (const conn of conns) {
      this.streams.write(conn, frame('closed', { storyId, reason }));
      this.streams.drop(conn);
    }
    return conns.length;
  }

  /**
   * Closes every stream this user holds in this process (signed out, sessions revoked, banned or
   * demoted): each client reconnects, and its token and rights are checked again. Streams in other
   * processes keep the old rights until their longest lifetime (maxConnectionMs) ends them.
   */
  dropUser(userId: string): number {
    return this.streams.dropViewer(userId);
  }

  /** Opens a reader's stream of a story. */
  async connectStory(
    request: FastifyRequest,
    reply: FastifyReply,
    stream: StoryStream,
  ): Promise<void> {
    const conn = this.streams.admit(request, false, stream.scope);
    conn.viewerId = stream.viewer?.id ?? null;
    const upTo = await this.stories.join(conn, stream);
    this.streams.open(conn, reply);
    this.viewers.join(conn);
    const { storyId, editWindowSeconds } = stream;
    const after = parseEventId(stream.lastEventId);
    const replay =
      after === undefined
        ? null
        : await replayAfter(this.store.db, storyId, after, this.options.replayLimit, this.log);
    if (conn.closed) return;
    if (replay === null) {
      conn.cursor = upTo;
    } else if (replay.reset) {
      conn.cursor = upTo;
      this.streams.write(conn, frame('reset', { storyId, reason: 'gap' }));
    } else {
      conn.cursor = replay.after;
      for (const event of replay.events) {
        this.stories.send(conn, event, new Rendered(event, editWindowSeconds));
      }
    }
    conn.cursor = Math.max(conn.cursor, upTo);
    this.streams.write(conn, frame('ready', { storyId }, conn.cursor));
    const held = conn.pending ?? [];
    conn.pending = null;
    for (const event of held) {
      this.stories.send(conn, event, new Rendered(event, editWindowSeconds));
    }
  }

  /** Opens a reader's own stream (their notifications, wherever they are). */
  async connectUser(request: FastifyRequest, reply: FastifyReply, viewer: User): Promise<void> {
    const conn = this.streams.admit(request, false, undefined);
    conn.viewerId = viewer.id;
    this.streams.open(conn, reply);
    this.viewers.join(conn);
    this.streams.write(conn, frame('ready', {}));
  }

  /** Opens a moderator's dashboard stream: queue counts and new items in their sites. */
  async connectAdmin(request: FastifyRequest, reply: FastifyReply, scope: SiteScope) {
    const conn = this.streams.admit(request, true, scope);
    await this.moderators.connect(conn, reply);
  }

  /** Ends every stream (clients reconnect to another process) and lets go of the bus. */
  async close(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.moderators.stopCounting();
    this.streams.close();
    const unsubscribing = this.stories.close();
    this.moderators.release();
    await Promise.allSettled(unsubscribing);
  }

  /** A stream ended: whatever held it lets it go. */
  private forget(conn: Connection): void {
    if (conn.admin) this.moderators.leave(conn);
    this.viewers.leave(conn);
    this.stories.leave(conn);
  }

  private sweep(): void {
    const now = Date.now();
    for (const storyId of this.stories.quietStories(now)) this.dropStory(storyId, 'quiet');
    this.streams.beat(now);
  }

  private async prune(): Promise<void> {
    try {
      await pruneEventLog(this.store.db, this.options.retentionMs);
    } catch (error) {
      this.log.warn(`live: pruning the event log failed: ${String(error)}`);
    }
  }
}
