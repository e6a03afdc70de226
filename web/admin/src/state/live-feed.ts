/**
 * The moderators' live feed (GET /api/v1/admin/events, docs/live.md): one EventSource per signed-in
 * dashboard, shared by its views. It hands on `counts` (the queue counts over all the moderator's
 * sites) and `queue.item` (a comment newly waiting for review, in its public form) and says whether
 * the dashboard is `live` or must poll.
 *
 * EventSource gives up on any answer but 200 (401, 429, 503) and retries lost connections at the
 * server's pace for ever; the feed instead closes the stream on every error and opens a new one
 * itself after a growing, jittered delay (2 s, 4 s, 8 s… up to a minute), polling meanwhile. A
 * stream that had been up for a while (the server ends streams after about 30 minutes) is reopened
 * after a second or two without showing "polling". Without EventSource the dashboard just polls.
 * The feed has no replay: after a gap, listeners reload what they show (see `status`).
 */
import type { QueueCounts } from '../api/types.js';
import { QUEUES } from '../api/types.js';

export type FeedStatus = 'connecting' | 'live' | 'polling';

/** A comment as `queue.item` carries it: the public view (no moderation details). */
export interface FeedComment {
  readonly id: string;
  readonly storyId: string;
  readonly status: string;
  readonly createdAt: string;
}

export interface FeedListener {
  /** The feed went live, lost the stream, or gave up for now. */
  readonly status?: (status: FeedStatus, previous: FeedStatus) => void;
  readonly counts?: (counts: QueueCounts) => void;
  readonly item?: (comment: FeedComment) => void;
}

/** What the feed needs of EventSource (tests pass a fake). */
export interface FeedSource {
  readonly readyState: number;
  onerror: ((event: Event) => void) | null;
  addEventListener(type: string, listener: (event: MessageEvent<string>) => void): void;
  close(): void;
}

export type FeedSourceConstructor = new (url: string) => FeedSource;

export interface LiveFeedOptions {
  /** The feed's URL with the session token, or null when signed out. */
  readonly url: () => string | null;
  /** EventSource, or undefined where the browser has none. */
  readonly EventSource: FeedSourceConstructor | undefined;
  readonly setTimeout?: (callback: () => void, ms: number) => unknown;
  readonly clearTimeout?: (handle: unknown) => void;
  readonly now?: () => number;
  readonly random?: () => number;
}

export interface LiveFeed {
  subscribe(listener: FeedListener): () => void;
  status(): FeedStatus;
  /** The last counts the feed sent, or null before the first. */
  counts(): QueueCounts | null;
  /** Ends the stream for good (signing out). */
  close(): void;
}

/** The first retry after a failure; doubled each time, up to MAX_RETRY_MS. */
export const FIRST_RETRY_MS = 2000;
export const MAX_RETRY_MS = 60_000;
/** A stream up at least this long ended normally: reopen it quickly, without showing "polling". */
export const STEADY_MS = 30_000;
const QUICK_RETRY_MS = 1000;

/** The delay before reconnecting after `failures` failures in a row (1, 2, …), before jitter. */
export function retryDelay(failures: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, failures - 1));
}

/** The `counts` of a feed event, or null when it is not what the contract says. */
export function parseCounts(data: string): QueueCounts | null {
  try {
    const counts = (JSON.parse(data) as { counts?: Record<string, unknown> }).counts;
    if (!counts || typeof counts !== 'object') return null;
    const result = {} as Record<string, number>;
    for (const queue of QUEUES) {
      const value = counts[queue];
      if (typeof value !== 'number' || !Number.isFinite(value)) return null;
      result[queue] = value;
    }
    return result as QueueCounts;
  } catch {
    return null;
  }
}

/** The `comment` of a `queue.item` event, or null when it is not what the contract says. */
export function parseQueueItem(data: string): FeedComment | null {
  try {
    const comment = (JSON.parse(data) as { comment?: Record<string, unknown> }).comment;
    if (!comment || typeof comment !== 'object') return null;
    const { id, storyId, status, createdAt } = comment;
    if (typeof id !== 'string' || typeof storyId !== 'string') return null;
    return {
      id,
      storyId,
      status: typeof status === 'string' ? status : 'pending',
      createdAt: typeof createdAt === 'string' ? createdAt : '',
    };
  } catch {
    return null;
  }
}

export function sameCounts(a: QueueCounts | null, b: QueueCounts | null): boolean {
  if (!a || !b) return a === b;
  return QUEUES.every((queue) => a[queue] === b[queue]);
}

export function createLiveFeed(options: LiveFeedOptions): LiveFeed {
  const schedule = options.setTimeout ?? ((callback, ms) => setTimeout(callback, ms));
  const cancel =
    options.clearTimeout ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const listeners = new Set<FeedListener>();
  let status: FeedStatus = options.EventSource ? 'connecting' : 'polling';
  let counts: QueueCounts | null = null;
  let source: FeedSource | null = null;
  let timer: unknown = null;
  let failures = 0;
  let liveSince = 0;
  let closed = false;

  const setStatus = (next: FeedStatus) => {
    if (next === status) return;
    const previous = status;
    status = next;
    for (const listener of [...listeners]) listener.status?.(next, previous);
  };

  const connect = () => {
    timer = null;
    const Source = options.EventSource;
    const url = options.url();
    if (closed || !Source) return;
    if (!url) {
      setStatus('polling'); // Signed out: the polls get 401 and sign the dashboard out.
      return;
    }
    let stream: FeedSource;
    try {
      stream = new Source(url);
    } catch {
      failed();
      return;
    }
    source = stream;
    stream.addEventListener('ready', () => {
      if (source !== stream) return;
      liveSince = now();
      setStatus('live');
    });
    stream.addEventListener('counts', (event) => {
      if (source !== stream) return;
      const next = parseCounts(event.data);
      if (!next) return;
      counts = next;
      for (const listener of [...listeners]) listener.counts?.(next);
    });
    stream.addEventListener('queue.item', (event) => {
      if (source !== stream) return;
      const comment = parseQueueItem(event.data);
      if (!comment) return;
      for (const listener of [...listeners]) listener.item?.(comment);
    });
    stream.onerror = () => {
      if (source !== stream) return;
      stream.close();
      source = null;
      failed();
    };
  };

  const failed = () => {
    if (closed) return;
    const steady = status === 'live' && now() - liveSince >= STEADY_MS;
    failures = steady ? 0 : failures + 1;
    // Jitter, so that dashboards dropped together do not all come back together.
    const base = steady ? QUICK_RETRY_MS : retryDelay(failures);
    const delay = Math.round(base * (1 + random() * 0.5));
    setStatus(steady ? 'connecting' : 'polling');
    timer = schedule(connect, delay);
  };

  if (options.EventSource) connect();

  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    status: () => status,
    counts: () => counts,
    close() {
      if (closed) return;
      closed = true;
      if (timer !== null) cancel(timer);
      timer = null;
      source?.close();
      source = null;
      setStatus('polling');
      listeners.clear();
    },
  };
}
