/** What route plugins receive: the store, the configuration and the shared policies. */
import type { Config } from '../config.ts';
import type { Store } from '../store/db.ts';
import type { ThreadCache } from '../services/thread-cache.ts';
import type { ThreadPage } from '../services/threads.ts';
import type { Site, Story } from '../store/rows.ts';
import type { SiteDirectory } from '../services/site-directory.ts';
import type { FastifyRequest } from 'fastify';

/** A thread page as every reader sees it, with the story and site it belongs to. */
export interface SharedPage {
  story: Story;
  site: Site;
  page: ThreadPage;
}

export interface RouteContext {
  store: Store;
  config: Config;
  sites: SiteDirectory;
  threads: ThreadCache<SharedPage>;
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
