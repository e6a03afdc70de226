/**
 * Rate limits shared by every Parley process through Redis (when REDIS_URL is set), so that a
 * stranger cannot multiply a limit by the number of processes behind the load balancer. A store
 * for @fastify/rate-limit: one counter per route and key, created with the window's expiry on the
 * first hit of a window (SET NX PX, then INCR, which keeps the expiry), read back with its time
 * left. If Redis fails, requests go through (the plugin's skipOnError) rather than fail.
 */
import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import type { RedisClientType } from 'redis';

type Counter = Pick<RedisClientType, 'multi' | 'isReady'>;
type IncrCallback = Parameters<FastifyRateLimitStore['incr']>[1];
type RouteOptions = Parameters<FastifyRateLimitStore['child']>[0];

/** A store class bound to a Redis client and a key prefix (the plugin constructs it). */
export function redisRateLimitStore(client: Counter, prefix = 'parley:ratelimit:') {
  return class RedisRateLimitStore implements FastifyRateLimitStore {
    constructor(
      _globalOptions?: unknown,
      private readonly scope = '',
    ) {}

    incr(key: string, callback: IncrCallback, timeWindow: number): void {
      const name = `${prefix}${this.scope}${key}`;
      // While the connection is down the client queues commands until Redis is back (MULTI
      // ignores disableOfflineQueue), so every limited request would wait out the outage: answer
      // at once with an error instead, and skipOnError lets the request through.
      if (!client.isReady) {
        callback(new Error('Redis is not connected'));
        return;
      }
      client
        .multi()
        .set(name, '0', { condition: 'NX', expiration: { type: 'PX', value: timeWindow } })
        .incr(name)
        .pTTL(name)
        .exec()
        .then((replies) => {
          const current = Number(replies[1]);
          const ttl = Number(replies[2]);
          callback(null, { current, ttl: ttl > 0 ? ttl : timeWindow });
        })
        .catch((error: unknown) => callback(error as Error));
    }

    child(routeOptions: RouteOptions) {
      const route = `${String(routeOptions.method)}${routeOptions.url ?? routeOptions.path}:`;
      return new RedisRateLimitStore(undefined, `${this.scope}${route}`);
    }
  };
}
