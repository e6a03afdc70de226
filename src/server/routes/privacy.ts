/**
 * Data export and account deletion (docs/identity.md, "Privacy"): for the signed-in reader, and
 * for publishers' systems acting on their SSO readers through the admin API.
 */
import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { ParleyError } from '../../domain/errors.ts';
import {
  cancelDeletion,
  eraseAccount,
  exportAccount,
  exportFileName,
  requestDeletion,
  type ExportRequest,
} from '../../services/privacy.ts';
import { findIdentityUser } from '../../store/identities.ts';
import type { User } from '../../store/rows.ts';
import { requireRole, requireViewer } from '../auth.ts';
import { limitPerUser, type RouteContext } from '../context.ts';
import { presentViewer } from '../presenters.ts';
import { ErrorBody, Id, Viewer } from '../schemas.ts';

const security = [{ bearer: [] }];
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Time = Type.String({ format: 'date-time' });

/** The export's shape, for the OpenAPI document (the body is streamed, not serialised). */
const ExportBody = Type.Object(
  {
    exportedAt: Time,
    profile: Type.Object({
      id: Id,
      email: Type.String(),
      displayName: Type.String(),
      role: Type.String(),
      createdAt: Time,
      emailVerified: Type.Boolean(),
      locale: Nullable(Type.String()),
      avatarUrl: Nullable(Type.String()),
      badges: Type.Array(Type.String()),
      identities: Type.Array(
        Type.Object({ provider: Type.String(), subject: Type.String(), createdAt: Time }),
      ),
      deletionDueAt: Nullable(Time),
      restrictions: Type.Object({}, { additionalProperties: true }),
    }),
    comments: Type.Array(
      Type.Object(
        {
          id: Id,
          body: Type.String(),
          status: Type.String(),
          createdAt: Time,
          story: Type.Object({ id: Id, url: Type.String(), title: Nullable(Type.String()) }),
          site: Type.Object({ id: Id, name: Type.String() }),
        },
        { additionalProperties: true },
      ),
    ),
    reactions: Type.Array(Type.Object({ commentId: Id, createdAt: Time })),
    reports: Type.Array(
      Type.Object({
        commentId: Id,
        reason: Type.String(),
        note: Nullable(Type.String()),
        createdAt: Time,
      }),
    ),
    sessions: Type.Array(
      Type.Object({
        createdAt: Time,
        lastRefreshedAt: Nullable(Time),
        method: Nullable(Type.String()),
        ip: Nullable(Type.String()),
        userAgent: Nullable(Type.String()),
        current: Type.Boolean(),
      }),
    ),
  },
  {
    description:
      'A JSON attachment (`parley-data-<date>.json`), written as it is read: every comment ' +
      '(any status, with its story and site), reaction, report and session of the account.',
  },
);

const DeletionBody = Type.Object(
  { password: Type.Optional(Type.String({ maxLength: 256 })) },
  { additionalProperties: false },
);
const DeletionScheduled = Type.Object({ deletionDueAt: Time });
const AdminDeletionBody = Type.Object(
  {
    immediate: Type.Optional(
      Type.Boolean({
        description: 'Erase now, in this request, instead of after the grace period',
      }),
    ),
  },
  { additionalProperties: false },
);
const AdminDeletionState = Type.Object({
  deletionDueAt: Nullable(Time),
  deleted: Type.Boolean({ description: 'The account has been erased' }),
});
const SsoUserParams = Type.Object({
  siteId: Id,
  sub: Type.String({ minLength: 1, maxLength: 255, description: "The publisher's `sub`" }),
});

function sendExport(reply: FastifyReply, ctx: RouteContext, request: ExportRequest) {
  return reply
    .header('content-type', 'application/json; charset=utf-8')
    .header('content-disposition', `attachment; filename="${exportFileName()}"`)
    .header('cache-control', 'no-store')
    .send(Readable.from(exportAccount(ctx.store.db, request)));
}

export function privacyRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, sites } = ctx;
  // An export reads every row of an account: a few per minute are plenty.
  const exports = limitPerUser(5);
  const writes = limitPerUser(ctx.config.writeRateLimit);
  // Asking for a deletion checks a password: few tries a minute for whoever holds the token.
  const deletions = limitPerUser(5);

  /** The publisher's reader `sub` on a site (admins only); 404 when Parley has never seen them. */
  async function requireSsoUser(siteId: string, sub: string): Promise<User> {
    if (!(await sites.get(siteId))) {
      throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
    }
    const user = await findIdentityUser(store.db, `sso:${siteId}`, sub);
    if (!user || user.deletedAt !== null) {
      throw new ParleyError('USER_NOT_FOUND', 'No reader with that id has signed in on this site.');
    }
    return user;
  }

  return async (app) => {
    app.get(
      '/auth/me/export',
      {
        config: { rateLimit: exports },
        schema: {
          tags: ['privacy'],
          summary: 'Download your data',
          security,
          response: { 200: ExportBody, '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const user = requireViewer(request);
        return sendExport(reply, ctx, { user, currentTokenHash: request.tokenHash });
      },
    );

    app.post(
      '/auth/me/deletion',
      {
        config: { rateLimit: deletions },
        schema: {
          tags: ['privacy'],
          summary: 'Delete your account after the grace period',
          description:
            'Accounts with a password confirm with it (401 INVALID_CREDENTIALS otherwise). Mails ' +
            'when it will happen and how to cancel. Asking again keeps the date already set.',
          security,
          body: DeletionBody,
          response: { 202: DeletionScheduled, '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const user = requireViewer(request);
        const deletionDueAt = await requestDeletion(ctx, user, {
          password: request.body.password,
          checkPassword: true,
        });
        return reply.status(202).send({ deletionDueAt });
      },
    );

    app.delete(
      '/auth/me/deletion',
      {
        config: { rateLimit: writes },
        schema: {
          tags: ['privacy'],
          summary: 'Cancel the deletion of your account',
          security,
          response: { 200: Type.Object({ user: Viewer }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        const user = await cancelDeletion(ctx, requireViewer(request).id);
        return { user: presentViewer(user) };
      },
    );

    app.get(
      '/admin/sites/:siteId/sso-users/:sub/export',
      {
        config: { rateLimit: writes },
        schema: {
          tags: ['privacy'],
          summary: "Download a publisher's reader's data (admins)",
          security,
          params: SsoUserParams,
          response: { 200: ExportBody, '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        requireRole(request, 'admin');
        const user = await requireSsoUser(request.params.siteId, request.params.sub);
        return sendExport(reply, ctx, { user, currentTokenHash: null });
      },
    );

    app.post(
      '/admin/sites/:siteId/sso-users/:sub/deletion',
      {
        config: { rateLimit: writes },
        // A publisher's system may post no body at all: that means `{}`.
        preValidation: async (request) => {
          request.body ??= {};
        },
        schema: {
          tags: ['privacy'],
          summary: "Delete a publisher's reader's account (admins)",
          description:
            'After the grace period (202), or at once with `immediate: true` (200). The reader is ' +
            'mailed either way.',
          security,
          params: SsoUserParams,
          body: AdminDeletionBody,
          response: { 200: AdminDeletionState, 202: AdminDeletionState, '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        requireRole(request, 'admin');
        const user = await requireSsoUser(request.params.siteId, request.params.sub);
        if (request.body.immediate) {
          await eraseAccount(ctx, user.id, { immediate: true });
          return reply.status(200).send({ deletionDueAt: null, deleted: true });
        }
        const deletionDueAt = await requestDeletion(ctx, user, { checkPassword: false });
        return reply.status(202).send({ deletionDueAt, deleted: false });
      },
    );

    app.delete(
      '/admin/sites/:siteId/sso-users/:sub/deletion',
      {
        config: { rateLimit: writes },
        schema: {
          tags: ['privacy'],
          summary: "Cancel the deletion of a publisher's reader's account (admins)",
          security,
          params: SsoUserParams,
          response: { 200: AdminDeletionState, '4xx': ErrorBody },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        const user = await requireSsoUser(request.params.siteId, request.params.sub);
        await cancelDeletion(ctx, user.id);
        return { deletionDueAt: null, deleted: false };
      },
    );
  };
}
