/**
 * Readers' profiles and the readers they ignore (docs/profiles.md): a reader's public profile on a
 * site (JSON here; the plain page is src/server/profile-page.ts), the reader's own profile choice
 * (keep their history private), and their ignore list. The rules live in src/services/profiles.ts
 * and src/services/ignores.ts; here are the schemas, limits and who may call what.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type TSchema } from 'typebox';
import { ParleyError } from '../../domain/errors.ts';
import { ignoreReader, readIgnores, unignoreReader } from '../../services/ignores.ts';
import { changeProfileChoices, readProfile, readProfileChoices } from '../../services/profiles.ts';
import { requireViewer } from '../auth.ts';
import { limitPerIp, limitPerUser, type RouteContext } from '../context.ts';
import { ErrorBody, Id, Role } from '../schemas.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const security = [{ bearer: [] }];
const tags = ['profiles'];

export const ProfileQuery = Type.Object({
  cursor: Type.Optional(Id),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
});

const ProfileComment = Type.Object({
  id: Id,
  html: Type.String({ description: 'Sanitised HTML; the only field to render as markup' }),
  createdAt: Type.String(),
  editedAt: Nullable(Type.String()),
  replyCount: Type.Integer(),
  reactionCount: Type.Integer(),
  story: Type.Object({ id: Id, title: Nullable(Type.String()), url: Type.String() }),
  link: Nullable(
    Type.String({ description: 'The comment on its article; null when off the site’s origins' }),
  ),
});

export const ProfileBody = Type.Object({
  user: Type.Object({
    id: Id,
    displayName: Type.String(),
    role: Role,
    avatarUrl: Nullable(Type.String()),
    badges: Type.Array(Type.String()),
    memberSince: Type.String(),
  }),
  private: Type.Boolean({ description: 'The reader keeps their comment history private' }),
  own: Type.Boolean({ description: 'The viewer is this reader (they see their own history)' }),
  commentCount: Nullable(Type.Integer()),
  comments: Type.Array(ProfileComment),
  nextCursor: Nullable(Type.String()),
});

const ProfileChoices = Type.Object({ private: Type.Boolean() });

export const IgnoredReader = Type.Object({
  userId: Id,
  displayName: Type.String(),
  avatarUrl: Nullable(Type.String()),
  since: Type.String(),
});

const UserParams = Type.Object({ userId: Id });
/** The site the reader ignores from: only its staff are refused (docs/profiles.md). */
const IgnoreQuery = Type.Object({ siteId: Type.Optional(Id) });

export function profileRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, config, sites } = ctx;
  // Anyone may read a profile: limited per address like the other public reads, and tighter,
  // since a profile is a way to walk through a reader's history.
  const publicReads = { rateLimit: limitPerIp(Math.max(1, Math.floor(config.readRateLimit / 4))) };
  const reads = { rateLimit: limitPerUser(config.readRateLimit) };
  const writes = { rateLimit: limitPerUser(config.writeRateLimit) };

  return async (app) => {
    app.get(
      '/sites/:siteId/users/:userId/profile',
      {
        config: publicReads,
        schema: {
          tags,
          summary:
            "A reader's profile on a site: name, picture, badges, and their approved comments there, newest first",
          params: Type.Object({ siteId: Id, userId: Id }),
          querystring: ProfileQuery,
          response: { 200: ProfileBody, '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const site = await sites.get(request.params.siteId);
        if (!site) throw new ParleyError('SITE_NOT_FOUND', 'No such site.');
        const { cursor, limit = 20 } = request.query;
        const profile = await readProfile(store, {
          site,
          userId: request.params.userId,
          viewer: request.viewer,
          cursor: cursor ?? null,
          limit,
        });
        // What a signed-in viewer sees may be their own history: never kept by a shared cache.
        void reply.header('cache-control', 'private, no-store');
        return profile;
      },
    );

    app.get(
      '/me/profile',
      {
        config: reads,
        schema: {
          tags,
          summary: 'Your profile choices (whether your comment history is private)',
          security,
          response: { 200: ProfileChoices, '4xx': ErrorBody },
        },
      },
      async (request) => readProfileChoices(store, requireViewer(request)),
    );

    app.patch(
      '/me/profile',
      {
        config: writes,
        schema: {
          tags,
          summary: 'Keep your comment history private on your profile, or show it again',
          security,
          body: Type.Object({ private: Type.Boolean() }, { additionalProperties: false }),
          response: { 200: ProfileChoices, '4xx': ErrorBody },
        },
      },
      async (request) => changeProfileChoices(store, requireViewer(request), request.body),
    );

    app.get(
      '/me/ignores',
      {
        config: reads,
        schema: {
          tags,
          summary: 'The readers you ignore, newest first',
          security,
          response: { 200: Type.Object({ items: Type.Array(IgnoredReader) }), '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        void reply.header('cache-control', 'private, no-store');
        return { items: await readIgnores(store, requireViewer(request)) };
      },
    );

    app.put(
      '/me/ignores/:userId',
      {
        config: writes,
        schema: {
          tags,
          summary: 'Ignore a reader: their comments collapse for you (they are not told)',
          security,
          params: UserParams,
          querystring: IgnoreQuery,
          response: {
            200: Type.Object({ ignored: Type.Literal(true), created: Type.Boolean() }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        // The body is optional; when sent, it is an empty object (nothing to say yet).
        const body: unknown = request.body;
        const empty =
          body === undefined ||
          body === null ||
          (typeof body === 'object' && !Array.isArray(body) && Object.keys(body).length === 0);
        if (!empty) throw new ParleyError('VALIDATION_FAILED', 'The body must be empty or {}.');
        const viewer = requireViewer(request);
        const { siteId } = request.query;
        if (siteId !== undefined && !(await sites.get(siteId))) {
          throw new ParleyError('SITE_NOT_FOUND', 'No such site.');
        }
        const created = await ignoreReader(store, viewer, request.params.userId, siteId ?? null);
        return { ignored: true as const, created };
      },
    );

    app.delete(
      '/me/ignores/:userId',
      {
        config: writes,
        schema: {
          tags,
          summary: 'Stop ignoring a reader',
          security,
          params: UserParams,
          response: {
            200: Type.Object({ ignored: Type.Literal(false), removed: Type.Boolean() }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const removed = await unignoreReader(store, requireViewer(request), request.params.userId);
        return { ignored: false as const, removed };
      },
    );
  };
}
