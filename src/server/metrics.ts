/**
 * Prometheus metrics: request durations by route and status, plus the process defaults. They tell
 * a stranger how busy the site is and which routes it serves, so with `PARLEY_METRICS_TOKEN` set
 * only a scraper that sends `Authorization: Bearer <token>` may read them.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { ParleyError } from '../domain/errors.ts';

export interface Metrics {
  registry: Registry;
  commentsPosted: Counter;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Whether the request carries the token. Compared as digests, in constant time: equal lengths
 * whatever was sent, and no early exit that would time how much of a guess was right.
 */
function presentsToken(request: FastifyRequest, token: string): boolean {
  const match = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '');
  return match?.[1] !== undefined && timingSafeEqual(digest(match[1].trim()), digest(token));
}

export function installMetrics(
  app: FastifyInstance,
  options: { token?: string | null } = {},
): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'parley_' });
  const duration = new Histogram({
    name: 'parley_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const commentsPosted = new Counter({
    name: 'parley_comments_posted_total',
    help: 'Comments accepted by the API',
    registers: [registry],
  });
  app.addHook('onResponse', async (request, reply) => {
    duration.observe(
      {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      },
      reply.elapsedTime / 1000,
    );
  });
  const { token } = options;
  app.get(
    '/metrics',
    {
      schema: { hide: true },
      // The token is this route's own, not a reader's session.
      config: { ownAuthorization: true },
      ...(token && {
        onRequest: async (request: FastifyRequest, reply: FastifyReply) => {
          if (presentsToken(request, token)) return;
          void reply.header('WWW-Authenticate', 'Bearer realm="metrics"');
          throw new ParleyError(
            'UNAUTHENTICATED',
            'Metrics need the Authorization header "Bearer <PARLEY_METRICS_TOKEN>".',
          );
        },
      }),
    },
    async (_request, reply) => {
      void reply.type(registry.contentType);
      return registry.metrics();
    },
  );
  return { registry, commentsPosted };
}
