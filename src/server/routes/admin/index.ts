/**
 * The moderation API under /api/v1/admin (docs/moderation-api.md), one plugin per subject: the
 * queues and one comment in its context, actions on comments with undo, accounts, the audit log,
 * statistics, and the settings moderators manage. moderator.ts holds what they share: every route
 * resolves the caller to a moderator with a site scope, and a moderator of some sites finds every
 * other site's comments, stories and audit entries "not found", as if they did not exist.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RouteContext } from '../../context.ts';
import { actionRoutes } from './actions.ts';
import { auditRoutes } from './audit.ts';
import { queueRoutes } from './queues.ts';
import { settingsRoutes } from './settings.ts';
import { statsRoutes } from './stats.ts';
import { userRoutes } from './users.ts';

export function adminRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  return async (app) => {
    await app.register(queueRoutes(ctx));
    await app.register(actionRoutes(ctx));
    await app.register(userRoutes(ctx));
    await app.register(auditRoutes(ctx));
    await app.register(statsRoutes(ctx));
    await app.register(settingsRoutes(ctx));
  };
}
