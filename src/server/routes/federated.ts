/** Publisher SSO (signed JWTs) and OpenID Connect sign-in (docs/identity.md). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';

export function federatedRoutes(_ctx: RouteContext): FastifyPluginAsyncTypebox {
  return async () => {};
}
