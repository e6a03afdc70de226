/**
 * The audit log as moderators read it (docs/moderation-api.md): every decision, automatic or
 * human, newest first, within the caller's scope (src/store/audit.ts says what that covers).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { listAuditEntries } from '../../../store/audit.ts';
import type { RouteContext } from '../../context.ts';
import { AuditEntry, AuditQuery } from '../../admin-schemas.ts';
import { ErrorBody } from '../../schemas.ts';
import { moderatorOf, reads, scopedLookups, security, tags } from './moderator.ts';

export function auditRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store } = ctx;
  const { requireSite } = scopedLookups(ctx);

  return async (app) => {
    app.get(
      '/admin/audit',
      {
        config: reads,
        schema: {
          tags,
          summary: 'Every decision, automatic or human, newest first',
          description:
            'Each entry names who acted, the comment (an excerpt of its text, plain), its author ' +
            'and story, or the account acted on, and for an undo the entry it took back. Filters ' +
            'combine: siteId, commentId, userId, actorId (or "pipeline"), action, storyId.',
          security,
          querystring: AuditQuery,
          response: {
            200: Type.Object({
              entries: Type.Array(AuditEntry),
              nextCursor: Type.Union([Type.String(), Type.Null()]),
            }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const { siteId, commentId, userId, actorId, action, storyId, cursor, limit } =
          request.query;
        if (siteId) await requireSite(moderator, siteId);
        // One query for the page (entries joined with their names, comment, story), scoped.
        return listAuditEntries(
          store.db,
          {
            scope: moderator.scope,
            viewerId: moderator.user.id,
            siteId,
            commentId,
            userId,
            actorId,
            action,
            storyId,
          },
          { cursor, limit: limit ?? 50 },
        );
      },
    );
  };
}
