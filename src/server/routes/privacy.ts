/** Data export and account deletion, for readers and for publishers' systems (docs/identity.md). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';

export function privacyRoutes(_ctx: RouteContext): FastifyPluginAsyncTypebox {
  return async () => {};
}
