/**
 * What moderators work from (docs/moderation-api.md): who they are and which sites they cover,
 * the queues (counts, and a queue a page at a time), one comment in its context, and search.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { inScope } from '../../../domain/moderation/scope.ts';
import type { Queue } from '../../../domain/vocabulary.ts';
import { listQueue, queueCounts, searchComments } from '../../../store/moderation/queues.ts';
import { recordSurroundings } from '../../../store/moderation/records.ts';
import { listSites } from '../../../store/sites.ts';
import type { RouteContext } from '../../context.ts';
import {
  ModerationItem,
  QueueName,
  QueueQuery,
  Filters,
  SearchQuery,
} from '../../admin-schemas.ts';
import { ErrorBody, Id, IdParams } from '../../schemas.ts';
import {
  ItemPage,
  moderatorOf,
  presenterFor,
  reads,
  scopedLookups,
  security,
  tags,
} from './moderator.ts';

export function queueRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store } = ctx;
  const { filterFor, requireRecord } = scopedLookups(ctx);

  return async (app) => {
    app.get(
      '/admin/me',
      {
        config: reads,
        schema: {
          tags,
          summary: 'Who is moderating, and which sites they may act on',
          security,
          response: {
            200: Type.Object({
              user: Type.Object({
                id: Id,
                name: Type.String(),
                role: Type.String(),
                moderatorSiteIds: Type.Union([Type.Array(Type.String()), Type.Null()]),
              }),
              sites: Type.Array(Type.Object({ id: Id, name: Type.String() })),
            }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const visible = (await listSites(store.db)).filter((site) =>
          inScope(moderator.scope, site.id),
        );
        return {
          user: {
            id: moderator.user.id,
            name: moderator.user.displayName,
            role: moderator.user.role,
            moderatorSiteIds: moderator.scope,
          },
          sites: visible.map((site) => ({ id: site.id, name: site.name })),
        };
      },
    );

    app.get(
      '/admin/queues/counts',
      {
        config: reads,
        schema: {
          tags,
          summary: 'How many comments wait in each queue',
          security,
          querystring: Filters,
          response: {
            200: Type.Object({ counts: Type.Record(Type.String(), Type.Integer()) }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        return { counts: await queueCounts(store.db, await filterFor(moderator, request.query)) };
      },
    );

    app.get(
      '/admin/queues/:queue',
      {
        config: reads,
        schema: {
          tags,
          summary: 'One queue, a page at a time (pending and reported oldest first)',
          security,
          params: Type.Object({ queue: QueueName }),
          querystring: QueueQuery,
          response: { 200: ItemPage, '4xx': ErrorBody },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const queue = request.params.queue as Queue;
        const { records, nextCursor } = await listQueue(
          store.db,
          queue,
          await filterFor(moderator, request.query),
          { cursor: request.query.cursor, limit: request.query.limit ?? 25 },
        );
        return { items: records.map(presenterFor(moderator)), nextCursor };
      },
    );

    app.get(
      '/admin/comments/:id',
      {
        config: reads,
        schema: {
          tags,
          summary: 'A comment with its parent, replies and its author’s latest comments',
          security,
          params: IdParams,
          response: {
            200: Type.Object({
              item: ModerationItem,
              parent: Type.Union([ModerationItem, Type.Null()]),
              replies: Type.Array(ModerationItem),
              authorRecent: Type.Array(ModerationItem),
            }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const record = await requireRecord(moderator, request.params.id);
        const around = await recordSurroundings(store.db, record, moderator.scope);
        const show = presenterFor(moderator);
        return {
          item: show(record),
          parent: around.parent && show(around.parent),
          replies: around.replies.map(show),
          authorRecent: around.authorRecent.map(show),
        };
      },
    );

    app.get(
      '/admin/search',
      {
        config: reads,
        schema: {
          tags,
          summary: 'Search comments by text, author, story, site, status and date',
          security,
          querystring: SearchQuery,
          response: { 200: ItemPage, '4xx': ErrorBody },
        },
      },
      async (request) => {
        const moderator = moderatorOf(request);
        const { q, authorId, author, status, from, to, cursor, limit } = request.query;
        const filter = await filterFor(moderator, request.query);
        const page = await searchComments(
          store.db,
          {
            ...filter,
            q: q?.trim() || undefined,
            authorId,
            author: author?.trim() || undefined,
            status,
            from: from ? new Date(from) : undefined,
            to: to ? new Date(to) : undefined,
          },
          { cursor, limit: limit ?? 25 },
        );
        return { items: page.records.map(presenterFor(moderator)), nextCursor: page.nextCursor };
      },
    );
  };
}
