/**
 * Live event streams (Server-Sent Events): a story's stream for the widget and the moderators'
 * feed for the dashboard. The contract is in docs/live.md.
 *
 * EventSource cannot send headers, so the session token may come as `?token=`. That puts it in
 * the URL: request logs mask it (see serializeRequest in app.ts), but a proxy in front may log
 * URLs too (docs/live.md says how to keep nginx from doing so). The Authorization header is
 * accepted as well, for clients that can set it.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ParleyError } from '../../domain/errors.ts';
import { requireStory } from '../../services/comments.ts';
import { asModerator } from '../../services/moderation-actions.ts';
import type { User } from '../../store/rows.ts';
import { lastLiveEventAt } from '../../store/live-events.ts';
import { streamViewer } from '../auth.ts';
import { limitPerIp, type RouteContext } from '../context.ts';
import { ErrorBody, StoryParams } from '../schemas.ts';

const StreamQuery = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 200, description: 'Session token (see docs)' })),
  lastEventId: Type.Optional(
    Type.String({ maxLength: 20, description: 'Resume after this event (as Last-Event-ID)' }),
  ),
});

export function eventRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, config, sites, live } = ctx;
  const rateLimit = limitPerIp(config.sseConnectRateLimit);

  const viewerOf = (request: FastifyRequest, token: string | undefined) =>
    streamViewer(store, request, token);

  function moderatorScope(viewer: User | null) {
    if (!viewer || (viewer.role !== 'admin' && viewer.role !== 'moderator')) return undefined;
    try {
      return asModerator(viewer).scope;
    } catch {
      return undefined;
    }
  }

  return async (app) => {
    app.get(
      '/stories/:storyId/events',
      {
        config: { rateLimit },
        schema: {
          tags: ['live'],
          summary: "A story's live events (Server-Sent Events)",
          description:
            'A `text/event-stream` of comment.created, comment.updated, comment.approved, ' +
            'comment.removed, reactions and count events, each in the form this viewer may see; ' +
            'resumes after `Last-Event-ID`. See docs/live.md.',
          params: StoryParams,
          querystring: StreamQuery,
          response: { '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const viewer = await viewerOf(request, request.query.token);
        const { story, site } = await requireStory(store, sites, request.params.storyId);
        if (!site.moderation.liveUpdates || !story.liveUpdates) {
          throw new ParleyError(
            'LIVE_DISABLED',
            `This ${story.liveUpdates ? 'site' : 'story'} has live updates turned off; ` +
              'reload to see new comments.',
          );
        }
        // The channel's time when this process holds the story and it is awake (no query for
        // the crowd arriving together); otherwise the log's, which every process writes.
        const known = live.knownLastEventAt(story.id);
        const lastEventAt =
          known !== undefined && !live.isQuiet(known)
            ? known
            : ((await lastLiveEventAt(store.db, story.id)) ?? Date.parse(story.createdAt));
        if (live.isQuiet(lastEventAt)) {
          throw new ParleyError(
            'LIVE_QUIET',
            'This discussion has been quiet for a while: check its comment count now and then ' +
              'instead of holding a stream open.',
          );
        }
        const header = request.headers['last-event-id'];
        await live.connectStory(request, reply, {
          storyId: story.id,
          editWindowSeconds: site.editWindowSeconds,
          viewer,
          scope: moderatorScope(viewer),
          lastEventId: (Array.isArray(header) ? header[0] : header) ?? request.query.lastEventId,
          lastEventAt,
        });
        return reply;
      },
    );

    app.get(
      '/admin/events',
      {
        config: { rateLimit },
        schema: {
          // Left out of the OpenAPI document for now: the admin route table test calls every
          // documented admin route through inject(), which cannot end a stream. docs/live.md.
          hide: true,
          tags: ['live'],
          summary: "The moderators' live feed (Server-Sent Events)",
          description:
            'A `text/event-stream` of `counts` (queue counts in the sites the moderator covers, ' +
            'at once and after changes) and `queue.item` (a comment newly waiting for review).',
          querystring: StreamQuery,
          security: [{ bearer: [] }],
          response: { '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const moderator = asModerator(await viewerOf(request, request.query.token));
        await live.connectAdmin(request, reply, moderator.scope);
        return reply;
      },
    );
  };
}
