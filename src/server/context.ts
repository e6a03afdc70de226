/** What route plugins receive: the store, the configuration and the shared policies. */
import type { Config } from '../config.ts';
import type { Store } from '../store/db.ts';
import type { ThreadCache } from '../services/thread-cache.ts';
import type { SiteDirectory } from '../services/site-directory.ts';
import type { FastifyRequest } from 'fastify';

export interface RouteContext {
  store: Store;
  config: Config;
  sites: SiteDirectory;
  threads: ThreadCache;
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
