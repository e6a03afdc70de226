/**
 * Local account lifecycle (docs/identity.md): verification, password reset and change, email and
 * display-name changes, refresh-token rotation, sign-out everywhere, sessions list.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../context.ts';

export function accountRoutes(_ctx: RouteContext): FastifyPluginAsyncTypebox {
  return async () => {};
}
