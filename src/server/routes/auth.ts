/**
 * Sign-up, log-in, log-out and "who am I", with bearer tokens; acknowledging a moderator's
 * warning, which lets the viewer post again. The rest of a local account's life (verification,
 * passwords, address, sessions) is in account.ts; both use src/services/accounts.ts.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireViewer } from '../auth.ts';
import { limitPerIp, limitPerUser, type RouteContext } from '../context.ts';
import { presentViewer } from '../presenters.ts';
import { ErrorBody, LoginBody, Session, SignupBody, Viewer } from '../schemas.ts';
import { accountsOf, Accepted, actionSite, clientOf, withRetryAfter } from './account.ts';

export function authRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const accounts = accountsOf(ctx);
  const rateLimit = limitPerIp(ctx.config.authRateLimit);
  return async (app) => {
    app.post(
      '/auth/signup',
      {
        config: { rateLimit },
        schema: {
          tags: ['auth'],
          summary: 'Create a reader account (its address is confirmed by a mailed link)',
          description:
            'Answers the same whether or not the address already has an account: a new address ' +
            'gets a verification link, a known one a "you already have an account" mail. With ' +
            '`siteId` the mail carries the site’s brand, and the link brings the reader back to ' +
            '`article` (kept only when it is on one of the site’s origins).',
          body: SignupBody,
          response: { 202: Accepted, '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const { siteId, article, ...account } = request.body;
        await accounts.signup(account, await actionSite(ctx, { siteId, article }));
        return reply.status(202).send({ status: 'verification_sent' });
      },
    );

    app.post(
      '/auth/login',
      {
        config: { rateLimit },
        schema: {
          tags: ['auth'],
          summary: 'Log in with email and password',
          description:
            'After repeated failures for an address (or from a client address) each further ' +
            'attempt must wait longer: 429 TOO_MANY_ATTEMPTS with Retry-After.',
          body: LoginBody,
          response: { 200: Session, '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const { user, ...session } = await withRetryAfter(reply, () =>
          accounts.login(request.body, clientOf(request)),
        );
        return { ...session, user: presentViewer(user) };
      },
    );

    app.post(
      '/auth/logout',
      {
        schema: {
          tags: ['auth'],
          summary: 'Revoke the session of the token used for this request',
          security: [{ bearer: [] }],
          response: { 204: Type.Null(), '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        requireViewer(request);
        if (request.tokenHash) await accounts.logout(request.tokenHash);
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
        const user = await accounts.acknowledgeWarning(requireViewer(request));
        return { user: presentViewer(user) };
      },
    );
  };
}
