/**
 * Readers' views: the widget reports which comments a reader saw (docs/sorting.md), anonymously
 * (no cookie, no id: the address only decides what counts once). Only the story's published
 * comments are kept; counted in memory by src/services/views.ts and written in batches.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireStory } from '../../services/comments.ts';
import type { ViewCounter } from '../../services/views.ts';
import { limitPerIp, type RouteContext } from '../context.ts';
import { ErrorBody, Id, StoryParams } from '../schemas.ts';

/** The most comments one report names (a page of 100, or a few pages' worth of replies). */
export const MAX_VIEWED = 100;

export function viewRoutes(ctx: RouteContext, views: ViewCounter): FastifyPluginAsyncTypebox {
  const { store, config, sites } = ctx;
  return async (app) => {
    app.post(
      '/stories/:storyId/views',
      {
        config: { rateLimit: limitPerIp(config.writeRateLimit * 4) },
        schema: {
          tags: ['comments'],
          summary:
            'Report the comments a reader saw (the widget does, for the Best order); each address ' +
            'counts once per comment for hours',
          params: StoryParams,
          body: Type.Object(
            { commentIds: Type.Array(Id, { minItems: 1, maxItems: MAX_VIEWED }) },
            { additionalProperties: false },
          ),
          response: { 204: Type.Null({ description: 'Noted' }), '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const { story } = await requireStory(store, sites, request.params.storyId);
        await views.report(request.ip, story.id, request.body.commentIds);
        return reply.status(204).send(null);
      },
    );
  };
}
