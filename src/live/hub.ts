/**
 * The SSE hub: holds the open event streams of this process and writes each story's events to
 * its readers, each in the form the REST API would show that reader.
 *
 * - One channel per story with readers here: it subscribes to the story on the bus when its first
 *   reader arrives and lets go shortly after its last leaves. Events are numbered per story; the
 *   channel delivers them strictly in order, and reads the event log when the bus skipped one.
 * - A reader who reconnects with `Last-Event-ID: n` gets the story's events after n from the log,
 *   then the live ones, each exactly once. A gap the log no longer covers (older than the retention)
 *   gets a `reset` event: reload the page.
 * - Audiences: the author of a comment gets their own view (source text, edit window, rejection),
 *   moderators of the site get pending comments, everyone else what a reader may see.
 * - Quiet stories (no event for `quietStoryMs`) hold no streams: theirs are closed with a `closed`
 *   event and new ones refused, and the widget polls the count until the story wakes up.
 * - Limits: streams per address and in all, a heartbeat comment so proxies keep them open, a
 *   longest lifetime (the client reconnects and the viewer is checked again), and a stream whose
 *   client does not read is dropped rather than buffered without end.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ParleyError } from '../domain/errors.ts';
import type { Store } from '../store/db.ts';
import { lastLiveSeq, pruneLiveEvents, readLiveEvents } from '../store/live-events.ts';
import { queueCounts, type SiteScope } from '../store/moderation.ts';
import type { CommentRecord, User } from '../store/rows.ts';
import { presentComment } from '../server/presenters.ts';
import { inScope } from '../services/moderation-actions.ts';
import { AUTHOR, MODERATORS, READERS, type Bus, type LiveEvent } from './bus.ts';
import type { RemovedData } from './record.ts';

export interface HubOptions {
  /** Open streams in this process, all kinds together. */
  maxConnections: number;
  /** Open streams from one client address. */
  maxPerIp: number;
  heartbeatMs: number;
  /** The `retry:` sent to clients (EventSource's reconnection delay); jittered by up to half. */
  retryMs: number;
  /** Streams are closed after this long (jittered), and the client reconnects. */
  maxConnectionMs: number;
  /** How long events are kept for replay. */
  retentionMs: number;
  pruneEveryMs: number;
  /** How long a story's bus subscription outlives its last reader here. */
  idleReleaseMs: number;
  /**
   * A story without events for this long is quiet: its streams are closed and new ones refused,
   * and widgets poll its count instead (0: never).
   */
  quietStoryMs: number;
  /** A client that leaves this much unread is disconnected (it reconnects and catches up). */
  maxBufferedBytes: number;
  /** Most events replayed after a reconnect; a longer gap gets `reset`. */
  replayLimit: number;
  /** Moderators' queue counts are sent at most this often. */
  countsEveryMs: number;
}

export const DEFAULT_HUB_OPTIONS: HubOptions = {
  maxConnections: 10_000,
  maxPerIp: 20,
  heartbeatMs: 25_000,
  retryMs: 3_000,
  maxConnectionMs: 30 * 60_000,
  retentionMs: 60 * 60_000,
  pruneEveryMs: 5 * 60_000,
  idleReleaseMs: 10_000,
  quietStoryMs: 2 * 60 * 60_000,
  maxBufferedBytes: 1024 * 1024,
  replayLimit: 1000,
  countsEveryMs: 1000,
};

interface Connection {
  /** Null until the stream is opened. */
  res: ServerResponse | null;
  ip: string;
  viewerId: string | null;
  /** The sites this viewer moderates (null: every site); undefined: not a moderator. */
  scope: SiteScope | undefined;
  /** The last event number considered for this stream. */
  cursor: number;
  /** Events held back while this stream's replay is being written. */
  pending: LiveEvent[] | null;
  closesAt: number;
  channel: Channel | null;
  admin: boolean;
  countsDue: boolean;
  closed: boolean;
}

/** A signed-in viewer's streams in this process, and the bus subscription to their own channel. */
interface ViewerChannel {
  conns: Set<Connection>;
  unsubscribe: Promise<(() => Promise<void>) | null>;
}

/**
 * The bus channel of one reader's own events (their notifications, src/notify/): published with
 * `storyId` set to this, received by every stream the reader holds open, whichever story it is.
 */
export const userChannel = (userId: string): string => `user:${userId}`;

/** The kind of a reader's own events on their channel. */
export const NOTIFICATION_EVENT = 'notification';

interface Channel {
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

const COMMENT_KINDS = new Set(['comment.created', 'comment.updated', 'comment.approved']);

/**
 * What one viewer class receives for an event: the payload rendered and encoded once per class,
 * and the same bytes written to every stream of that class (a string would be encoded again for
 * each of thousands of sockets, and the copies left for the garbage collector).
 */
class Rendered {
  private own: Buffer | null | undefined;
  private other: Buffer | null | undefined;
  private readonly data: unknown;

  constructor(
    private readonly event: LiveEvent,
    private readonly editWindowSeconds: number,
  ) {
    this.data = JSON.parse(event.data);
  }

  frame(viewerClass: number): Buffer | null {
    if (!(this.event.audience & viewerClass)) return null;
    const own = viewerClass === AUTHOR;
    if (own) return (this.own ??= this.render(true));
    return (this.other ??= this.render(false));
  }

  private render(own: boolean): Buffer {
    const { event } = this;
    const viewer = own ? ({ id: event.authorId } as User) : null;
    const show = (c: CommentRecord) => presentComment(c, viewer, this.editWindowSeconds);
    let payload: unknown;
    if (COMMENT_KINDS.has(event.kind)) {
      payload = { comment: show((this.data as { comment: CommentRecord }).comment) };
    } else if (event.kind === 'comment.removed') {
      const removed = this.data as RemovedData;
      payload = {
        id: removed.id,
        storyId: event.storyId,
        parentId: removed.parentId,
        threadParentId: removed.threadParentId,
        comment: removed.comment ? show(removed.comment) : null,
      };
    } else {
      payload = this.data;
    }
    return Buffer.from(frame(event.kind, payload, event.seq));
  }
}

/** What an open stream's request keeps of its headers (see `open`), shared by every stream. */
const NO_HEADERS: IncomingHttpHeaders = Object.freeze({});
const NO_HEADERS_DISTINCT: NodeJS.Dict<string[]> = Object.freeze({});
const NO_RAW_HEADERS = Object.freeze([]) as unknown as string[];

/** The heartbeat: an SSE comment line that keeps proxies from timing the stream out. */
const HEARTBEAT = Buffer.from(':\n\n');

function frame(kind: string, payload: unknown, id?: number): string {
  return `${id === undefined ? '' : `id: ${id}\n`}event: ${kind}\ndata: ${JSON.stringify(payload)}\n\n`;
}

function classOf(conn: Connection, event: LiveEvent): number {
  if (conn.viewerId !== null && conn.viewerId === event.authorId) return AUTHOR;
  if (conn.scope !== undefined && inScope(conn.scope, event.siteId)) return MODERATORS;
  return READERS;
}

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

export class LiveHub {
  readonly options: HubOptions;
  private readonly channels = new Map<string, Channel>();
  private readonly all = new Set<Connection>();
  private readonly admins = new Set<Connection>();
  private readonly viewers = new Map<string, ViewerChannel>();
  private readonly perIp = new Map<string, number>();
  /** Open streams by their response, for `ended` (one listener for every stream, no closures). */
  private readonly byResponse = new Map<ServerResponse, Connection>();
  /** A stream's response closed or failed (`this`: the response). */
  private readonly ended: (this: ServerResponse) => void;
  private everything: Promise<() => Promise<void>> | null = null;
  private countsTimer: NodeJS.Timeout | null = null;
  private readonly timers: NodeJS.Timeout[] = [];
  private closing = false;

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    options: Partial<HubOptions> = {},
    private readonly log: { warn(message: string): void } = console,
  ) {
    this.options = { ...DEFAULT_HUB_OPTIONS, ...options };
    const { byResponse } = this;
    const drop = (conn: Connection) => this.drop(conn);
    this.ended = function (this: ServerResponse) {
      const conn = byResponse.get(this);
      if (!conn) return;
      byResponse.delete(this);
      drop(conn);
    };
    const heartbeat = setInterval(() => this.sweep(), this.options.heartbeatMs);
    const prune = setInterval(() => void this.prune(), this.options.pruneEveryMs);
    heartbeat.unref();
    prune.unref();
    this.timers.push(heartbeat, prune);
    const resync = (bus as { onResync?: (listener: () => void) => void }).onResync;
    resync?.call(bus, () => this.resync());
  }

  /** How many streams the client address holds open (other connections are capped apart). */
  streamsFrom(ip: string): number {
    return this.perIp.get(ip) ?? 0;
  }

  /** Open streams, stories held and addresses seen (metrics and tests). */
  stats() {
    return { connections: this.all.size, stories: this.channels.size, addresses: this.perIp.size };
  }

  /**
   * When this process last saw an event of the story, if it holds the story's channel (then no
   * query is needed to tell whether the story is quiet; thousands of readers arrive at once).
   */
  knownLastEventAt(storyId: string): number | undefined {
    const channel = this.channels.get(storyId);
    return channel && !channel.released ? channel.lastEventAt : undefined;
  }

  /** Whether a story whose last event was at `lastEventAt` is too quiet to hold streams open. */
  isQuiet(lastEventAt: number, now = Date.now()): boolean {
    return this.options.quietStoryMs > 0 && now - lastEventAt > this.options.quietStoryMs;
  }

  /** Closes every stream of a story (its live updates were turned off, or it went quiet). */
  dropStory(storyId: string, reason: 'disabled' | 'quiet' = 'disabled'): number {
    const channel = this.channels.get(storyId);
    if (!channel) return 0;
    const conns = [...channel.conns];
    for (const conn of conns) {
      this.write(conn, frame('closed', { storyId, reason }));
      this.drop(conn);
    }
    return conns.length;
  }

  /**
   * Closes every stream this user holds in this process (signed out, sessions revoked, banned or
   * demoted): each client reconnects, and its token and rights are checked again. Streams in other
   * processes keep the old rights until their longest lifetime (maxConnectionMs) ends them.
   */
  dropUser(userId: string): number {
    let dropped = 0;
    for (const conn of this.all) {
      if (conn.viewerId === userId) {
        this.drop(conn);
        dropped++;
      }
    }
    return dropped;
  }

  // Admission and the connection's life ------------------------------------------------------

  private admit(request: FastifyRequest, admin: boolean, scope: SiteScope | undefined) {
    if (this.closing) throw new ParleyError('RATE_LIMITED', 'The server is shutting down.');
    if (this.all.size >= this.options.maxConnections) {
      throw new ParleyError('RATE_LIMITED', 'Too many live connections; try again later.');
    }
    const ip = request.ip;
    const count = this.perIp.get(ip) ?? 0;
    if (count >= this.options.maxPerIp) {
      throw new ParleyError('RATE_LIMITED', 'Too many live connections from your address.');
    }
    this.perIp.set(ip, count + 1);
    const jitter = 1 - Math.random() * 0.2;
    const conn: Connection = {
      res: null,
      ip,
      viewerId: request.viewer?.id ?? null,
      scope,
      cursor: 0,
      pending: null,
      closesAt: Date.now() + this.options.maxConnectionMs * jitter,
      channel: null,
      admin,
      countsDue: false,
      closed: false,
    };
    this.all.add(conn);
    return conn;
  }

  /** Takes the response over from Fastify and starts the event stream. */
  private open(conn: Connection, reply: FastifyReply): void {
    reply.hijack();
    const res = reply.raw;
    conn.res = res;
    const headers: Record<string, string | number | string[]> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) headers[name] = value;
    }
    res.writeHead(200, {
      ...headers,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx: do not buffer this response.
      'x-accel-buffering': 'no',
    });
    res.socket?.setNoDelay(true);
    const retry = Math.round(this.options.retryMs * (1 + Math.random() * 0.5));
    // Node keeps the response head (a string) for as long as the stream lasts. Written on its
    // own, the socket's write flattens it in place (0.8 KB); joined to the first line, as a
    // first write() does, it stays a tree of some 75 string pieces (2.4 KB). Corked: the same
    // bytes go out in the same packet as before.
    res.cork();
    res.flushHeaders();
    res.write(`retry: ${retry}\n\n`);
    res.uncork();
    this.byResponse.set(res, conn);
    res.on('close', this.ended);
    res.on('error', this.ended);
    // Node keeps the request's headers for as long as the stream lasts too (a browser's come
    // to 1.5 KB), and nothing reads them once it is open: the viewer, the address and
    // Last-Event-ID were taken before, and the onResponse hooks and Fastify's log read none.
    const req = reply.request.raw;
    req.headers = NO_HEADERS;
    req.headersDistinct = NO_HEADERS_DISTINCT;
    req.rawHeaders = NO_RAW_HEADERS;
  }

  private write(conn: Connection, chunk: string | Buffer): void {
    if (conn.closed || !conn.res) return;
    if (conn.res.writableLength > this.options.maxBufferedBytes) {
      conn.res.destroy();
      this.drop(conn);
      return;
    }
    conn.res.write(chunk);
  }

  private drop(conn: Connection): void {
    if (conn.closed) return;
    conn.closed = true;
    this.all.delete(conn);
    const count = (this.perIp.get(conn.ip) ?? 1) - 1;
    if (count <= 0) this.perIp.delete(conn.ip);
    else this.perIp.set(conn.ip, count);
    if (conn.res) {
      this.byResponse.delete(conn.res);
      if (!conn.res.writableEnded) conn.res.end();
    }
    if (conn.admin) {
      this.admins.delete(conn);
      if (this.admins.size === 0) this.releaseEverything();
    }
    this.leaveViewer(conn);
    const channel = conn.channel;
    if (channel) {
      channel.conns.delete(conn);
      this.maybeRelease(channel);
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const channel of this.channels.values()) {
      if (channel.conns.size > 0 && this.isQuiet(channel.lastEventAt, now)) {
        this.dropStory(channel.storyId, 'quiet');
      }
    }
    for (const conn of this.all) {
      if (!conn.res) continue;
      if (now >= conn.closesAt) this.drop(conn);
      else this.write(conn, HEARTBEAT);
    }
  }

  private async prune(): Promise<void> {
    try {
      await pruneLiveEvents(this.store.db, new Date(Date.now() - this.options.retentionMs));
    } catch (error) {
      this.log.warn(`live: pruning the event log failed: ${String(error)}`);
    }
  }

  // A reader's own channel -----------------------------------------------------------------------

  /** Listens to the viewer's own channel while they hold a stream open in this process. */
  private joinViewer(conn: Connection): void {
    const userId = conn.viewerId;
    if (userId === null || conn.closed) return;
    let viewer = this.viewers.get(userId);
    if (!viewer) {
      const subscribing = this.bus
        .subscribe(userChannel(userId), (event) => this.heardByViewer(event))
        .catch((error: unknown) => {
          this.log.warn(`live: subscribing to a reader's channel failed: ${String(error)}`);
          return null;
        });
      viewer = { conns: new Set(), unsubscribe: subscribing };
      this.viewers.set(userId, viewer);
    }
    viewer.conns.add(conn);
  }

  private leaveViewer(conn: Connection): void {
    const userId = conn.viewerId;
    const viewer = userId === null ? undefined : this.viewers.get(userId);
    if (!viewer || !viewer.conns.delete(conn) || viewer.conns.size > 0) return;
    this.viewers.delete(userId as string);
    viewer.unsubscribe
      .then((unsubscribe) => unsubscribe?.())
      .catch((error: unknown) => this.log.warn(`live: unsubscribing: ${String(error)}`));
  }

  /** A reader's own event: written, as it came, to each of their streams in this process. */
  private heardByViewer(event: LiveEvent): void {
    if (event.kind !== NOTIFICATION_EVENT || event.authorId === null) return;
    const viewer = this.viewers.get(event.authorId);
    if (!viewer) return;
    const text = Buffer.from(`event: ${event.kind}\ndata: ${event.data}\n\n`);
    for (const conn of viewer.conns) this.write(conn, text);
  }

  /** Opens a reader's own stream (their notifications, wherever they are). */
  async connectUser(request: FastifyRequest, reply: FastifyReply, viewer: User): Promise<void> {
    const conn = this.admit(request, false, undefined);
    conn.viewerId = viewer.id;
    this.open(conn, reply);
    this.joinViewer(conn);
    this.write(conn, frame('ready', {}));
  }

  // Story channels -----------------------------------------------------------------------------

  private channelFor(storyId: string, editWindowSeconds: number, lastEventAt: number): Channel {
    const known = this.channels.get(storyId);
    if (known && !known.released && known.failed === undefined) {
      if (known.releaseTimer) clearTimeout(known.releaseTimer);
      known.releaseTimer = null;
      known.editWindowSeconds = editWindowSeconds;
      known.lastEventAt = Math.max(known.lastEventAt, lastEventAt);
      return known;
    }
    const channel: Channel = {
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

  private step(channel: Channel, work: () => Promise<void> | void): Promise<void> {
    const next = channel.queue.then(work);
    channel.queue = next.catch((error: unknown) => {
      this.log.warn(`live: story ${channel.storyId}: ${String(error)}`);
    });
    return next;
  }

  private maybeRelease(channel: Channel): void {
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
    if (this.options.idleReleaseMs <= 0 || this.closing) release();
    else channel.releaseTimer = setTimeout(release, this.options.idleReleaseMs);
  }

  /** An event from the bus. */
  private heard(event: LiveEvent): void {
    const channel = this.channels.get(event.storyId);
    if (!channel || channel.released || event.seq <= 0) return;
    void this.step(channel, () => this.catchUp(channel, event));
  }

  /** Delivers the hinted event if it is the next one, otherwise reads what is missing. */
  private async catchUp(channel: Channel, hint: LiveEvent | null): Promise<void> {
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

  private deliver(channel: Channel, events: LiveEvent[]): void {
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

  private send(conn: Connection, event: LiveEvent, rendered: Rendered): void {
    if (event.seq <= conn.cursor) return;
    conn.cursor = event.seq;
    const text = rendered.frame(classOf(conn, event));
    if (text) this.write(conn, text);
  }

  /** Reads the whole log again for every story held (after the bus may have lost messages). */
  private resync(): void {
    for (const channel of this.channels.values()) {
      void this.step(channel, () => this.catchUp(channel, null));
    }
  }

  /** Opens a reader's stream of a story. */
  async connectStory(
    request: FastifyRequest,
    reply: FastifyReply,
    stream: StoryStream,
  ): Promise<void> {
    const conn = this.admit(request, false, stream.scope);
    conn.viewerId = stream.viewer?.id ?? null;
    let channel: Channel | undefined;
    let upTo = 0;
    try {
      channel = this.channelFor(stream.storyId, stream.editWindowSeconds, stream.lastEventAt);
      channel.joining++;
      const joined = channel;
      // Join between two deliveries: from here on, live events wait in `pending`.
      await this.step(joined, () => {
        if (joined.failed !== undefined) throw joined.failed;
        conn.pending = [];
        conn.channel = joined;
        joined.conns.add(conn);
        upTo = joined.lastSeq;
      });
    } catch (error) {
      this.drop(conn);
      throw error;
    } finally {
      if (channel) {
        channel.joining--;
        this.maybeRelease(channel);
      }
    }
    this.open(conn, reply);
    this.joinViewer(conn);
    const storyId = stream.storyId;
    let reset = false;
    const after = parseEventId(stream.lastEventId);
    let replay: LiveEvent[] = [];
    if (after === undefined) {
      conn.cursor = upTo;
    } else if (after === null) {
      reset = true;
    } else {
      try {
        const limit = this.options.replayLimit;
        replay = await readLiveEvents(this.store.db, storyId, after, limit + 1);
        const first = replay[0];
        if (replay.length > limit || (first && first.seq !== after + 1)) reset = true;
        else if (!first && after > (await lastLiveSeq(this.store.db, storyId))) reset = true;
      } catch (error) {
        this.log.warn(`live: replay of ${storyId} failed: ${String(error)}`);
        reset = true;
      }
      conn.cursor = after;
    }
    if (conn.closed) return;
    if (reset) {
      replay = [];
      conn.cursor = upTo;
      this.write(conn, frame('reset', { storyId, reason: 'gap' }));
    }
    for (const event of replay) {
      this.send(conn, event, new Rendered(event, stream.editWindowSeconds));
    }
    conn.cursor = Math.max(conn.cursor, upTo);
    this.write(conn, frame('ready', { storyId }, conn.cursor));
    const held = conn.pending ?? [];
    conn.pending = null;
    for (const event of held) {
      this.send(conn, event, new Rendered(event, stream.editWindowSeconds));
    }
  }

  // The moderators' feed -------------------------------------------------------------------------

  /** Opens a moderator's dashboard stream: queue counts and new items in their sites. */
  async connectAdmin(request: FastifyRequest, reply: FastifyReply, scope: SiteScope) {
    const conn = this.admit(request, true, scope);
    try {
      this.everything ??= this.bus.subscribeAll((event) => this.heardByAdmins(event));
      await this.everything;
    } catch (error) {
      this.everything = null;
      this.drop(conn);
      throw error;
    }
    this.admins.add(conn);
    this.open(conn, reply);
    this.write(conn, frame('ready', {}));
    conn.countsDue = true;
    this.scheduleCounts(0);
  }

  private releaseEverything(): void {
    const subscription = this.everything;
    this.everything = null;
    subscription
      ?.then((unsubscribe) => unsubscribe())
      .catch((error: unknown) => this.log.warn(`live: unsubscribing: ${String(error)}`));
  }

  private heardByAdmins(event: LiveEvent): void {
    if (event.kind === NOTIFICATION_EVENT) return;
    let due = false;
    let item: string | null | undefined;
    for (const conn of this.admins) {
      if (conn.scope === undefined || !inScope(conn.scope, event.siteId)) continue;
      due = conn.countsDue = true;
      item ??= queueItem(event);
      if (item) this.write(conn, item);
    }
    if (due) this.scheduleCounts(this.options.countsEveryMs);
  }

  private scheduleCounts(delay: number): void {
    if (this.countsTimer) return;
    this.countsTimer = setTimeout(() => {
      this.countsTimer = null;
      void this.sendCounts();
    }, delay);
    this.countsTimer.unref();
  }

  /** Queue counts to every moderator whose sites changed, counted once per set of sites. */
  private async sendCounts(): Promise<void> {
    const byScope = new Map<string, Connection[]>();
    for (const conn of this.admins) {
      if (!conn.countsDue || conn.scope === undefined) continue;
      conn.countsDue = false;
      const key = JSON.stringify(conn.scope);
      byScope.set(key, [...(byScope.get(key) ?? []), conn]);
    }
    for (const conns of byScope.values()) {
      try {
        const counts = await queueCounts(this.store.db, { scope: conns[0]?.scope ?? null });
        const text = Buffer.from(frame('counts', { counts }));
        for (const conn of conns) this.write(conn, text);
      } catch (error) {
        this.log.warn(`live: counting queues failed: ${String(error)}`);
      }
    }
  }

  /** Ends every stream (clients reconnect to another process) and lets go of the bus. */
  async close(): Promise<void> {
    this.closing = true;
    for (const timer of this.timers) clearInterval(timer);
    if (this.countsTimer) clearTimeout(this.countsTimer);
    for (const conn of [...this.all]) this.drop(conn);
    const unsubscribing: Promise<unknown>[] = [];
    for (const channel of this.channels.values()) {
      if (channel.releaseTimer) clearTimeout(channel.releaseTimer);
      channel.released = true;
      if (channel.unsubscribe) unsubscribing.push(channel.unsubscribe());
    }
    this.channels.clear();
    this.releaseEverything();
    await Promise.allSettled(unsubscribing);
  }
}

/** A new or changed pending comment, as the dashboard's queue shows it; null: none. */
function queueItem(event: LiveEvent): string | null {
  if (!(event.audience & MODERATORS) || !COMMENT_KINDS.has(event.kind)) return null;
  const { comment } = JSON.parse(event.data) as { comment: CommentRecord };
  if (comment.status !== 'pending') return null;
  return frame('queue.item', { comment: presentComment(comment, null, 0) });
}

/** undefined: none given; null: not an event number of ours; otherwise the number. */
export function parseEventId(value: string | undefined): number | null | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  if (!/^\d{1,15}$/.test(value.trim())) return null;
  return Number(value.trim());
}
