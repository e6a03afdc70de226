/** What route plugins receive: the store, the configuration and the shared policies. */
import type { Config } from '../config.ts';
import type { Store } from '../store/db.ts';
import type { ThreadCache } from '../services/thread-cache.ts';
import type { RepliesPage, ThreadPage } from '../services/threads.ts';
import type { CommentRecord, Story } from '../store/rows.ts';
import type { CommentModerator } from '../services/moderation.ts';
import type { SiteDirectory } from '../services/site-directory.ts';
import type { FastifyRequest } from 'fastify';
import type { SessionCache } from './auth.ts';
import type { LiveHub } from '../live/hub.ts';

/**
 * What the thread cache keeps of a story, as every reader sees it (the site is looked up per
 * request): its thread pages, and the further reply pages of its comments.
 */
export type SharedPage =
  | { kind: 'thread'; story: Story; page: ThreadPage }
  | { kind: 'replies'; parent: CommentRecord; page: RepliesPage };

export interface RouteContext {
  store: Store;
  /** Signed-in users by token, briefly (auth.ts); forget a user whose account changes. */
  sessions: SessionCache;
  config: Config;
  sites: SiteDirectory;
  threads: ThreadCache<SharedPage>;
  moderator: CommentModerator;
  /** The open live event streams of this process (src/live/). */
  live: LiveHub;
}

/** Rate-limit settings for a route (see @fastify/rate-limit), keyed by user when signed in. */
export function limitPerUser(max: number) {
  return {
    max,
    timeWindow: 60_000,
    keyGenerator: (request: FastifyRequest) =>
      request.viewer ? `user:${request.viewer.id}` : `ip:${request.ip}`,
  };
}

export function limitPerIp(max: number) {
  return { max, timeWindow: 60_000, keyGenerator: (request: FastifyRequest) => `ip:${request.ip}` };
}
