/**
 * Moderators' actions on comments (docs/moderation-api.md): approve, reject, feature, unfeature
 * and delete, one comment or up to 100 at a time, and undo for any action that allows it
 * (src/services/moderation-actions.ts holds the rules and the audit entries).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { CommentActionKind, RejectionCode } from '../../../services/moderation-actions.ts';
import type { RouteContext } from '../../context.ts';
import { ActionRef, BulkBody, ModerationItem, RejectBody } from '../../admin-schemas.ts';
import { ErrorBody, Id, IdParams } from '../../schemas.ts';
import {
  moderationActions,
  moderatorOf,
  presenterFor,
  scopedLookups,
  security,
  tags,
  writes,
} from './moderator.ts';

const ItemResult = Type.Object({ item: ModerationItem, action: ActionRef });

const commentActions: { kind: CommentActionKind; summary: string }[] = [
  { kind: 'approve', summary: 'Publish a comment (and close its reports)' },
  { kind: 'feature', summary: 'Feature a published comment' },
  { kind: 'unfeature', summary: 'Stop featuring a comment' },
  { kind: 'delete', summary: 'Delete a comment for good (cannot be undone)' },
];

export function actionRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const actions = moderationActions(ctx);
  const { requireRecord } = scopedLookups(ctx);

  return async (app) => {
    for (const { kind, summary } of commentActions) {
      app.post(
        `/admin/comments/:id/${kind}`,
        {
          config: writes,
          schema: {
            tags,
            summary,
            security,
            params: IdParams,
            response: { 200: ItemResult, '4xx': ErrorBody },
          },
        },
        async (request) => {
          const moderator = moderatorOf(request);
          const action = await actions.onComment(moderator, request.params.id, kind);
          const record = await requireRecord(moderator, request.params.id);
          return { item: presenterFor(moderator)(record), action };
        },
      );
    }

    app.post(
      '/admin/comments/:id/reject',
      {
        config: writes,
        schema: {
          tags,
          summary: 'Reject a comment with a reason (and a note the author sees)',
          security,
          params: IdParams,
          body: RejectBody,
          response: { 200: ItemResult, '4xx': ErrorBody },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const action = await actions.onComment(moderator, request.params.id, 'reject', {
          reason: request.body.reason as RejectionCode,
          note: request.body.note,
        });
        const record = await requireRecord(moderator, request.params.id);
        return { item: presenterFor(moderator)(record), action };
      },
    );

    app.post(
      '/admin/comments/bulk',
      {
        config: writes,
        schema: {
          tags,
          summary: 'Approve or reject up to 100 comments',
          description:
            'Each comment is decided on its own; those that cannot be (deleted meanwhile, or not ' +
            'yours to moderate) are listed in `errors` and the rest go ahead.',
          security,
          body: BulkBody,
          response: {
            200: Type.Object({
              items: Type.Array(ModerationItem),
              actions: Type.Array(ActionRef),
              errors: Type.Array(
                Type.Object({ id: Id, code: Type.String(), message: Type.String() }),
              ),
            }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const { action, ids, reason, note } = request.body;
        const bulk = await actions.onComments(moderator, ids, action, {
          reason: reason as RejectionCode | undefined,
          note,
        });
        return {
          items: bulk.records.map(presenterFor(moderator)),
          actions: bulk.actions,
          errors: bulk.errors,
        };
      },
    );

    app.post(
      '/admin/actions/:id/undo',
      {
        config: writes,
        schema: {
          tags,
          summary: 'Undo an action (once, and only while nothing has changed it since)',
          security,
          params: IdParams,
          response: {
            200: Type.Object({ ok: Type.Literal(true), action: ActionRef }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const result = await actions.undo(moderatorOf(request), request.params.id);
        return { ok: true as const, action: { id: result.id, undoable: result.undoable } };
      },
    );
  };
}
