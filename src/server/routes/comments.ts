/** Comments: posting, replies, editing, deleting, reactions and reports. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { ParleyError } from '../../domain/errors.ts';
import type { Site, User } from '../../store/rows.ts';
import {
  deleteOwnComment,
  editComment,
  postComment,
  requireStory,
  requireVisibleComment,
  setCommentReaction,
} from '../../services/comments.ts';
import { reportComment } from '../../services/reports.ts';
import {
  noMarks,
  readMarks,
  readReplies,
  unopenedRepliesCursor,
  type ViewerMarks,
} from '../../services/threads.ts';
import { requireViewer } from '../auth.ts';
import { addressLimit } from '../address-limit.ts';
import {
  limitPerIp,
  limitPerUser,
  sendSharedPage,
  type RouteContext,
  type SharedPage,
} from '../context.ts';
import { presentComment } from '../presenters.ts';
import {
  Comment,
  CommentBody,
  EditBody,
  ErrorBody,
  IdParams,
  RepliesQuery,
  ReplyComment,
  ReportBody,
  StoryParams,
} from '../schemas.ts';

const security = [{ bearer: [] }];
const CommentResponse = Type.Object({ comment: Comment });
const ReactionResponse = Type.Object({ reactionCount: Type.Integer(), reacted: Type.Boolean() });

function presentReplies(
  shared: Extract<SharedPage, { kind: 'replies' }>,
  viewer: User | null,
  site: Site,
  marks: ViewerMarks,
) {
  return {
    comments: shared.page.comments.map((c) => ({
      ...presentComment(c, viewer, site.editWindowSeconds, marks),
      repliesCursor: unopenedRepliesCursor(c),
    })),
    nextCursor: shared.page.nextCursor,
  };
}

export function commentRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, config, sites, threads, moderator } = ctx;
  const rateLimit = limitPerUser(config.writeRateLimit);
  // Reply pages are kept in the thread cache under their story, so a cached page is found without
  // a query only if the comment's story is known; which story a comment is on never changes.
  const storyOfParent = new Map<string, string>();
  const rememberStory = (commentId: string, storyId: string) => {
    if (storyOfParent.size >= 10_000)
      storyOfParent.delete(storyOfParent.keys().next().value as string);
    storyOfParent.set(commentId, storyId);
  };

  /** A browser may write to a story only from its site's pages (or Parley's own). */
  function checkOrigin(request: FastifyRequest, site: Site): void {
    const origin = request.headers.origin;
    if (origin && !sites.isOwn(origin) && !site.allowedOrigins.includes(origin)) {
      throw new ParleyError(
        'ORIGIN_NOT_ALLOWED',
        'This site does not allow comments from that origin.',
      );
    }
  }

  async function loadForWrite(request: FastifyRequest, id: string) {
    const viewer = requireViewer(request);
    const comment = await requireVisibleComment(store, id, viewer);
    const { site } = await requireStory(store, sites, comment.storyId);
    checkOrigin(request, site);
    return { viewer, comment, site };
  }

  return async (app) => {
    // Several accounts behind one address share a wider limit as well.
    const preHandler = addressLimit(config.writeRateLimit * 5);

    app.post(
      '/stories/:storyId/comments',
      {
        config: { rateLimit },
        preHandler,
        schema: {
          tags: ['comments'],
          summary: 'Post a comment or a reply',
          security,
          params: StoryParams,
          body: CommentBody,
          response: { 201: CommentResponse, '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const author = requireViewer(request);
        const { story, site } = await requireStory(store, sites, request.params.storyId);
        checkOrigin(request, site);
        const comment = await postComment(store, config, moderator, {
          story,
          site,
          author,
          body: request.body.body,
          parentId: request.body.parentId ?? null,
          postAnyway: request.body.postAnyway ?? false,
          client: { ip: request.ip, userAgent: request.headers['user-agent'] },
        });
        threads.storyChanged(story.id);
        return reply
          .status(201)
          .send({ comment: presentComment(comment, author, site.editWindowSeconds) });
      },
    );

    app.get(
      '/comments/:id/replies',
      {
        config: { rateLimit: limitPerIp(config.readRateLimit) },
        schema: {
          tags: ['comments'],
          summary: 'Further replies shown under a comment (oldest first)',
          params: IdParams,
          querystring: RepliesQuery,
          response: {
            200: Type.Object({
              comments: Type.Array(ReplyComment),
              nextCursor: Type.Union([Type.String(), Type.Null()]),
            }),
            304: Type.Null({ description: 'Not modified (If-None-Match matched the ETag)' }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const { cursor, limit = 20 } = request.query;
        const viewer = request.viewer;
        const key = `replies ${id} ${limit} ${cursor ?? ''}`;
        const knownStory = storyOfParent.get(id);
        let cached = knownStory === undefined ? undefined : threads.get(knownStory, key);
        let shared = cached?.value;
        if (!shared) {
          const parent = await requireVisibleComment(store, id, viewer);
          const version = threads.version(parent.storyId);
          const page = await readReplies(store, { parent, cursor, limit });
          shared = { kind: 'replies', parent, page };
          // Not kept under a comment awaiting review: its replies are its author's alone to see.
          if (parent.status === 'approved') {
            cached = threads.set(parent.storyId, key, shared, version);
            rememberStory(id, parent.storyId);
          }
        }
        if (shared.kind !== 'replies') throw new Error(`thread cache: ${key} holds ${shared.kind}`);
        const site = await sites.get(shared.parent.siteId);
        if (!site) throw new ParleyError('COMMENT_NOT_FOUND', 'That comment does not exist.');
        if (viewer || !cached) {
          const marks = await readMarks(store, viewer, shared.page.comments);
          return presentReplies(shared, viewer, site, marks);
        }
        const replies = shared;
        return sendSharedPage(request, reply, threads, cached, site, () =>
          presentReplies(replies, null, site, noMarks),
        );
      },
    );

    app.patch(
      '/comments/:id',
      {
        config: { rateLimit },
        preHandler,
        schema: {
          tags: ['comments'],
          summary: 'Edit your own comment within the edit window',
          security,
          params: IdParams,
          body: EditBody,
          response: { 200: CommentResponse, '4xx': ErrorBody },
        },
      },
      async (request) => {
        const { viewer, site } = await loadForWrite(request, request.params.id);
        const comment = await editComment(store, sites, config, moderator, {
          id: request.params.id,
          viewer,
          body: request.body.body,
        });
        threads.storyChanged(comment.storyId);
        return { comment: presentComment(comment, viewer, site.editWindowSeconds) };
      },
    );

    app.delete(
      '/comments/:id',
      {
        config: { rateLimit },
        preHandler,
        schema: {
          tags: ['comments'],
          summary: 'Delete your own comment',
          description:
            'A comment with replies stays as a tombstone (returned, `deleted: true`, text erased) so ' +
            'its replies keep their place; one without replies leaves the thread (`comment: null`).',
          security,
          params: IdParams,
          response: {
            200: Type.Object({ comment: Type.Union([Comment, Type.Null()]) }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const { viewer, site, comment: target } = await loadForWrite(request, request.params.id);
        const tombstone = await deleteOwnComment(store, { id: target.id, viewer });
        threads.storyChanged(target.storyId);
        return {
          comment: tombstone ? presentComment(tombstone, viewer, site.editWindowSeconds) : null,
        };
      },
    );

    for (const reacted of [true, false]) {
      app.route({
        method: reacted ? 'PUT' : 'DELETE',
        url: '/comments/:id/reaction',
        config: { rateLimit },
        preHandler,
        schema: {
          tags: ['reactions'],
          summary: reacted ? 'Give a comment your "Respect"' : 'Take your "Respect" back',
          security,
          params: IdParams,
          response: { 200: ReactionResponse, '4xx': ErrorBody },
        },
        handler: async (request) => {
          const { viewer, comment } = await loadForWrite(request, request.params.id);
          const reactionCount = await setCommentReaction(store, { comment, viewer, reacted });
          threads.storyChanged(comment.storyId);
          return { reactionCount, reacted };
        },
      });
    }

    app.post(
      '/comments/:id/reports',
      {
        config: { rateLimit },
        preHandler,
        schema: {
          tags: ['reports'],
          summary: 'Report a comment to the moderators',
          security,
          params: IdParams,
          body: ReportBody,
          response: { 201: Type.Object({ reported: Type.Boolean() }), '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const { viewer, comment } = await loadForWrite(request, request.params.id);
        const { reason, note, ...notice } = request.body;
        await reportComment(
          store,
          { comment, reporter: viewer, reason, note, notice },
          request.log,
        );
        // The reporter's page now says so (src/server/viewer-page.ts keeps their answer per version).
        threads.storyChanged(comment.storyId);
        return reply.status(201).send({ reported: true });
      },
    );
  };
}
