/**
 * A reader's notifications (docs/notifications.md): the bell's list, unread count and "mark read",
 * the reader's mail choices, their own live stream (for pages other than a story's), the names the
 * widget offers after `@`, and a comment with the comments above it (what a permalink opens).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ParleyError } from '../../domain/errors.ts';
import { requireStory, requireVisibleComment } from '../../services/comments.ts';
import {
  changeMailChoices,
  markRead,
  mentionCandidates,
  readMailChoices,
  readNotifications,
} from '../../services/notifications.ts';
import { getComment } from '../../store/comments.ts';
import { EMAIL_MODES, MAIL_KINDS, NOTIFICATION_KINDS } from '../../store/notifications.ts';
import type { CommentRecord } from '../../store/rows.ts';
import { requireViewer, streamViewer } from '../auth.ts';
import { limitPerIp, limitPerUser, type RouteContext } from '../context.ts';
import { presentComment } from '../presenters.ts';
import { Comment, ErrorBody, Id, IdParams, StoryParams } from '../schemas.ts';

const security = [{ bearer: [] }];
const tags = ['notifications'];

const literals = <T extends string>(values: readonly T[]) =>
  Type.Unsafe<T>(Type.Union(values.map((value) => Type.Literal(value))));

export const NotificationItem = Type.Object({
  id: Type.String(),
  kind: literals(NOTIFICATION_KINDS),
  siteId: Type.String(),
  storyId: Type.String(),
  storyTitle: Type.Union([Type.String(), Type.Null()]),
  storyUrl: Type.String(),
  commentId: Type.String(),
  actorName: Type.String({ description: 'Who wrote the comment' }),
  excerpt: Type.String({ description: "The comment's text as one line of plain text" }),
  rejection: Type.Union([
    Type.Object({ code: Type.String(), note: Type.Union([Type.String(), Type.Null()]) }),
    Type.Null(),
  ]),
  appeal: Type.Optional(
    Type.Union([
      Type.Object(
        {
          outcome: Type.Union([Type.Literal('upheld'), Type.Literal('reversed')]),
          note: Type.Union([Type.String(), Type.Null()]),
        },
        {
          description:
            "For kind 'appeal': how the appeal was decided, and the moderator's explanation",
        },
      ),
      Type.Null(),
    ]),
  ),
  createdAt: Type.String(),
  readAt: Type.Union([Type.String(), Type.Null()]),
});

const Kinds = Type.Object(
  Object.fromEntries(MAIL_KINDS.map((kind) => [kind, Type.Boolean()])) as Record<
    (typeof MAIL_KINDS)[number],
    ReturnType<typeof Type.Boolean>
  >,
);

const Choices = Type.Object({
  email: literals(EMAIL_MODES),
  kinds: Kinds,
  emailConfirmed: Type.Boolean({ description: 'Mail goes only to a confirmed address' }),
  bounced: Type.Boolean({ description: 'The address refused mail; confirm it again to resume' }),
});

const ChoicesBody = Type.Object(
  {
    email: Type.Optional(literals(EMAIL_MODES)),
    kinds: Type.Optional(Type.Partial(Kinds, { additionalProperties: false })),
  },
  { additionalProperties: false },
);

const ListQuery = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  cursor: Type.Optional(Id),
});

const ReadBody = Type.Object(
  {
    ids: Type.Optional(Type.Array(Id, { maxItems: 100 })),
    all: Type.Optional(Type.Literal(true)),
  },
  { additionalProperties: false },
);

const StreamQuery = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 200, description: 'Session token (see docs)' })),
});

const MentionQuery = Type.Object({
  q: Type.String({ minLength: 1, maxLength: 40, description: 'The start of a name' }),
});

export function notificationRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, config, sites, live } = ctx;
  const reads = { rateLimit: limitPerUser(config.readRateLimit) };
  const writes = { rateLimit: limitPerUser(config.writeRateLimit) };

  return async (app) => {
    app.get(
      '/notifications',
      {
        config: reads,
        schema: {
          tags,
          summary: "Your notifications, newest first, with the unread count (the widget's bell)",
          security,
          querystring: ListQuery,
          response: {
            200: Type.Object({
              items: Type.Array(NotificationItem),
              unread: Type.Integer(),
              nextCursor: Type.Union([Type.String(), Type.Null()]),
            }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const viewer = requireViewer(request);
        const { limit = 20, cursor } = request.query;
        return readNotifications(store, viewer, { limit, cursor });
      },
    );

    app.post(
      '/notifications/read',
      {
        config: writes,
        schema: {
          tags,
          summary: 'Mark some of your notifications read (`ids`), or all of them (`all: true`)',
          security,
          body: ReadBody,
          response: { 200: Type.Object({ unread: Type.Integer() }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        const viewer = requireViewer(request);
        const { ids, all } = request.body;
        if (!all && !ids) {
          throw new ParleyError('VALIDATION_FAILED', 'Say which notifications: `ids` or `all`.');
        }
        return { unread: await markRead(store, viewer, all ? 'all' : { ids: ids ?? [] }) };
      },
    );

    app.get(
      '/notifications/settings',
      {
        config: reads,
        schema: {
          tags,
          summary: 'Your mail choices for notifications',
          security,
          response: { 200: Choices, '4xx': ErrorBody },
        },
      },
      async (request) => readMailChoices(store, requireViewer(request)),
    );

    app.put(
      '/notifications/settings',
      {
        config: writes,
        schema: {
          tags,
          summary: 'Change your mail choices (mail is off until you turn it on)',
          description:
            '`email`: off, immediate, hourly or daily (a digest). `kinds` turns each kind of ' +
            'mail on or off. Mail goes only to a confirmed address: with an unconfirmed one the ' +
            'choice is kept and `emailConfirmed` is false.',
          security,
          body: ChoicesBody,
          response: { 200: Choices, '4xx': ErrorBody },
        },
      },
      async (request) => changeMailChoices(store, requireViewer(request), request.body),
    );

    app.get(
      '/notifications/events',
      {
        config: { rateLimit: limitPerIp(config.sseConnectRateLimit) },
        schema: {
          tags,
          summary: 'Your own live stream of notifications (Server-Sent Events)',
          description:
            'A `text/event-stream` of `notification` events ({notification, unread}) for the ' +
            "signed-in reader, wherever they are. A story's stream carries them too. See " +
            'docs/notifications.md.',
          querystring: StreamQuery,
          security,
          response: { '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const viewer = await streamViewer(store, request, request.query.token);
        if (!viewer) throw new ParleyError('UNAUTHENTICATED', 'Log in to do this.');
        await live.connectUser(request, reply, viewer);
        return reply;
      },
    );

    app.get(
      '/stories/:storyId/mentions',
      {
        config: reads,
        schema: {
          tags,
          summary:
            'Names of readers of the story starting with `q` (the widget offers them after @)',
          security,
          params: StoryParams,
          querystring: MentionQuery,
          response: { 200: Type.Object({ names: Type.Array(Type.String()) }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        requireViewer(request);
        const { story } = await requireStory(store, sites, request.params.storyId);
        return { names: await mentionCandidates(store, story.id, request.query.q.trim()) };
      },
    );

    app.get(
      '/comments/:id/context',
      {
        config: { rateLimit: limitPerIp(config.readRateLimit) },
        schema: {
          tags: ['comments'],
          summary: 'A comment and the comments above it, root first (what a permalink opens)',
          params: IdParams,
          response: {
            200: Type.Object({ comment: Comment, ancestors: Type.Array(Comment) }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const viewer = request.viewer;
        const comment = await requireVisibleComment(store, request.params.id, viewer);
        const site = await sites.get(comment.siteId);
        if (!site) throw new ParleyError('COMMENT_NOT_FOUND', 'That comment does not exist.');
        const ancestors: CommentRecord[] = [];
        let parentId = comment.parentId;
        for (let hops = 0; parentId !== null && hops < 64; hops++) {
          const parent = await getComment(store.db, parentId);
          if (!parent) break;
          ancestors.unshift(parent);
          parentId = parent.parentId;
        }
        const show = (c: CommentRecord) => presentComment(c, viewer, site.editWindowSeconds);
        // A comment above that this viewer may not read (rejected since, or held) keeps its
        // place in the chain as a removed one, without its words.
        const shown = (c: CommentRecord) =>
          c.status === 'approved' || c.authorId === viewer?.id
            ? show(c)
            : show({ ...c, body: '', html: '', deletedAt: c.deletedAt ?? c.createdAt });
        return { comment: show(comment), ancestors: ancestors.map(shown) };
      },
    );
  };
}
