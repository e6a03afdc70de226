/** What route plugins receive: the store, the configuration and the shared policies. */
import type { Config } from '../config.ts';
import type { Store } from '../store/db.ts';
import type { CachedPage, ThreadCache } from '../services/thread-cache.ts';
import type { RepliesPage, ThreadPage } from '../services/threads.ts';
import type { QuestionsPage } from '../services/qa.ts';
import type { CommentRecord, Site, Story } from '../store/rows.ts';
import type { CommentModerator } from '../services/moderation.ts';
import type { SiteDirectory } from '../services/site-directory.ts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionCache } from './auth.ts';
import type { LiveHub } from './live/hub.ts';

/**
 * What the thread cache keeps of a story, as every reader sees it (the site is looked up per
 * request): its thread pages, and the further reply pages of its comments.
 */
export type SharedPage =
  | { kind: 'thread'; story: Story; page: ThreadPage }
  | { kind: 'replies'; parent: CommentRecord; page: RepliesPage }
  // A tab of a Q&A story's questions (src/server/routes/qa.ts).
  | { kind: 'questions'; story: Story; page: QuestionsPage };

/**
 * Answers an anonymous reader with a cached page's bytes: serialised by the route's own serializer
 * once per page and site settings (`render` gives what to serialise), with an ETag, and 304 when
 * the reader already has them.
 */
export function sendSharedPage(
  request: FastifyRequest,
  reply: FastifyReply,
  threads: ThreadCache<SharedPage>,
  cached: CachedPage<SharedPage>,
  site: Site,
  render: () => unknown,
) {
  const { body, etag } = threads.serialised(cached, site, () =>
    Buffer.from(reply.serialize(render()) as string),
  );
  void reply.header('etag', etag).header('cache-control', 'no-cache');
  if (request.headers['if-none-match'] === etag) return reply.status(304).send(null);
  // Fastify sends bytes as they are.
  return reply.type('application/json; charset=utf-8').send(body);
}

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
