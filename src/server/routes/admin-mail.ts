/** The mail outbox as admins read it in the dashboard (docs/identity.md). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';

export function adminMailRoutes(_ctx: RouteContext): FastifyPluginAsyncTypebox {
  return async () => {};
}
