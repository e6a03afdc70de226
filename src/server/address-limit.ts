/**
 * A second, wider write limit per client address, beside @fastify/rate-limit's per-account one
 * (that plugin runs a single limiter per request). Fixed one-minute windows held in memory.
 */
import type { FastifyRequest } from 'fastify';
import { ParleyError } from '../domain/errors.ts';

export function addressLimit(max: number, windowMs = 60_000) {
  const windows = new Map<string, { count: number; resetAt: number }>();
  let nextSweep = Date.now() + windowMs;

  return async (
    request: FastifyRequest,
    reply: { header(name: string, value: string): unknown },
  ) => {
    const now = Date.now();
    if (now >= nextSweep) {
      for (const [key, window] of windows) if (window.resetAt <= now) windows.delete(key);
      nextSweep = now + windowMs;
    }
    let window = windows.get(request.ip);
    if (!window || window.resetAt <= now) {
      window = { count: 0, resetAt: now + windowMs };
      windows.set(request.ip, window);
    }
    window.count++;
    if (window.count > max) {
      const seconds = Math.ceil((window.resetAt - now) / 1000);
      reply.header('retry-after', String(seconds));
      throw new ParleyError(
        'RATE_LIMITED',
        `Too many writes from your address; try again in ${seconds} s.`,
      );
    }
  };
}
