/**
 * Sign-up, log-in, log-out and "who am I", with bearer tokens; acknowledging a moderator's
 * warning, which lets the viewer post again.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ParleyError } from '../../domain/errors.ts';
import { checkText } from '../../domain/text.ts';
import {
  acknowledgeWarning,
  deleteSession,
  findUserByEmail,
  getUser,
  insertUser,
} from '../../store/users.ts';
import {
  decoyPasswordHash,
  hashPassword,
  issueSession,
  requireViewer,
  verifyPassword,
} from '../auth.ts';
import { limitPerIp, limitPerUser, type RouteContext } from '../context.ts';
import { presentViewer } from '../presenters.ts';
import { ErrorBody, LoginBody, Session, SignupBody, Viewer } from '../schemas.ts';
import { Type } from 'typebox';

const normaliseEmail = (email: string) => email.trim().toLowerCase();

export function authRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store } = ctx;
  const rateLimit = limitPerIp(ctx.config.authRateLimit);
  return async (app) => {
    app.post(
      '/auth/signup',
      {
        config: { rateLimit },
        schema: {
          tags: ['auth'],
          summary: 'Create a reader account',
          body: SignupBody,
          response: { 201: Session, '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const displayName = checkText(request.body.displayName, {
          field: 'display name',
          maxLength: 50,
          multiline: false,
        });
        const user = await insertUser(store.db, {
          email: normaliseEmail(request.body.email),
          displayName,
          passwordHash: await hashPassword(request.body.password),
          role: 'commenter',
        });
        if (!user) {
          throw new ParleyError(
            'EMAIL_TAKEN',
            'An account with this email already exists; log in instead.',
          );
        }
        const session = await issueSession(store, user.id, {
          method: 'password',
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        return reply.status(201).send({ ...session, user: presentViewer(user) });
      },
    );

    app.post(
      '/auth/login',
      {
        config: { rateLimit },
        schema: {
          tags: ['auth'],
          summary: 'Log in with email and password',
          body: LoginBody,
          response: { 200: Session, '4xx': ErrorBody },
        },
      },
      async (request) => {
        const user = await findUserByEmail(store.db, normaliseEmail(request.body.email));
        const ok = await verifyPassword(
          user?.passwordHash ?? (await decoyPasswordHash()),
          request.body.password,
        );
        if (!user || !ok) {
          throw new ParleyError('INVALID_CREDENTIALS', 'The email or password is not right.');
        }
        const session = await issueSession(store, user.id, {
          method: 'password',
          ip: request.ip,
          userAgent: request.headers['user-agent'] ?? null,
        });
        return { ...session, user: presentViewer(user) };
      },
    );

    app.post(
      '/auth/logout',
      {
        schema: {
          tags: ['auth'],
          summary: 'Revoke the token used for this request',
          security: [{ bearer: [] }],
          response: { 204: Type.Null(), '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        requireViewer(request);
        if (request.tokenHash) {
          await deleteSession(store.db, request.tokenHash);
          ctx.sessions.forgetToken(request.tokenHash);
        }
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/auth/me',
      {
        schema: {
          tags: ['auth'],
          summary: 'The signed-in user',
          security: [{ bearer: [] }],
          response: { 200: Type.Object({ user: Viewer }), '4xx': ErrorBody },
        },
      },
      async (request) => ({ user: presentViewer(requireViewer(request)) }),
    );

    app.post(
      '/auth/me/warning/acknowledge',
      {
        config: { rateLimit: limitPerUser(ctx.config.writeRateLimit) },
        schema: {
          tags: ['auth'],
          summary: "Acknowledge the moderator's warning, so that the viewer may post again",
          description: 'Idempotent: without a warning to acknowledge it changes nothing.',
          security: [{ bearer: [] }],
          response: { 200: Type.Object({ user: Viewer }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        const viewer = requireViewer(request);
        const acknowledged = await acknowledgeWarning(store.db, viewer.id);
        if (acknowledged) ctx.sessions.forgetUser(viewer.id);
        const user = acknowledged ? await getUser(store.db, viewer.id) : viewer;
        return { user: presentViewer(user ?? viewer) };
      },
    );
  };
}
