/** The live hub's limits and timings (src/server/live/hub.ts); tests shorten them. */

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
