/**
 * Local account lifecycle (docs/identity.md): verification, password reset and change, email and
 * display-name changes, refresh-token rotation, sign-out everywhere, the sessions list, and a
 * moderator's or admin's revocation of a user's sessions. The rules live in
 * src/services/accounts.ts; here are the schemas, limits and who may call what.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import Bowser from 'bowser';
import { articleLink } from '../../domain/article-link.ts';
import { originOf } from '../../domain/origin.ts';
import { Accounts, RetryLaterError, type ForSite as ActionSite } from '../../services/accounts.ts';
import type { ClientContext } from '../../services/sessions.ts';
import { asModerator } from '../../services/moderation-actions.ts';
import { listSessions } from '../../store/users.ts';
import { requireViewer } from '../auth.ts';
import { limitPerIp, limitPerUser, type RouteContext } from '../context.ts';
import { presentViewer } from '../presenters.ts';
import {
  DisplayName,
  Email,
  ErrorBody,
  ForSite,
  Id,
  Locale,
  Password,
  Session,
  Viewer,
} from '../schemas.ts';

/** `202` answers: what was done (mail queued, or nothing to say that it was not). */
export const Accepted = Type.Object({ status: Type.String() });

// Tokens are checked by the service (anything malformed is INVALID_TOKEN, like an unknown one).
const TokenBody = Type.Object(
  { token: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
/**
 * The secrets the confirming browser holds from sign-ups it made (a few at most): a session is
 * opened only when one is the sign-up's own. Anything malformed is refused like bad input.
 */
const VerifyEmailBody = Type.Object(
  {
    token: TokenBody.properties.token,
    bindings: Type.Optional(
      Type.Array(Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' }), { maxItems: 5 }),
    ),
  },
  { additionalProperties: false },
);
const UserBody = Type.Object({ user: Viewer });
const security = [{ bearer: [] }];
const tags = ['auth'];

/** The account service as the routes use it: changes reach this process's caches at once. */
export function accountsOf(ctx: RouteContext): Accounts {
  return new Accounts({
    store: ctx.store,
    publicUrl: ctx.config.publicUrl,
    forgetUser: (userId) => ctx.sessions.forgetUser(userId),
    forgetToken: (tokenHash) => ctx.sessions.forgetToken(tokenHash),
    sessionsEnded: (userId) => ctx.live.dropUser(userId),
  });
}

/**
 * The site an account action is for, when the caller named one that exists: its mail is branded,
 * and the article (kept only on one of the site's origins, or Parley's own) rides in the link.
 */
export async function actionSite(
  ctx: RouteContext,
  given: { siteId?: string | undefined; article?: string | undefined },
): Promise<ActionSite | undefined> {
  const site = given.siteId ? await ctx.sites.get(given.siteId) : undefined;
  if (!site) return undefined;
  const own = originOf(ctx.config.publicUrl);
  const origins = own ? [...site.allowedOrigins, own] : site.allowedOrigins;
  return { siteId: site.id, article: articleLink(given.article, origins) };
}

/** Who is asking, as a new session records it (the sessions list shows it). */
export function clientOf(request: FastifyRequest): ClientContext {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null };
}

/** "Chrome" and "Windows" from a user agent (bowser), null for what it cannot name. */
export function deviceOf(userAgent: string | null): { browser: string | null; os: string | null } {
  if (!userAgent) return { browser: null, os: null };
  const parsed = Bowser.parse(userAgent);
  const browser = parsed.browser.name?.trim() || null;
  const os = parsed.os.name?.trim() || null;
  return { browser, os };
}

/** Runs `work`; a refusal that says when to retry gets its Retry-After header. */
export async function withRetryAfter<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RetryLaterError) {
      void reply.header('Retry-After', String(error.retryAfterSeconds));
    }
    throw error;
  }
}

export function accountRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store } = ctx;
  const accounts = accountsOf(ctx);
  const strangers = { rateLimit: limitPerIp(ctx.config.authRateLimit) };
  // Every open widget refreshes about once an hour; readers behind one address (an office, a
  // mobile carrier's NAT) share this limit, so it is wider than the sign-in one.
  const refreshes = { rateLimit: limitPerIp(ctx.config.authRateLimit * 5) };
  const signedIn = { rateLimit: limitPerUser(ctx.config.writeRateLimit) };
  const sensitive = { rateLimit: limitPerUser(ctx.config.authRateLimit) };

  return async (app) => {
    // Mailed links ---------------------------------------------------------------------------

    app.post(
      '/auth/verify-email',
      {
        config: strangers,
        schema: {
          tags,
          summary: 'Confirm the address with the mailed link’s token (single use, 48 h)',
          description:
            'The confirmation that ends a sign-up also signs the reader in when it comes from ' +
            'the browser that signed up: `session` is a new session (as /auth/login answers), ' +
            'opened only when `bindings` holds the secret whose hash that sign-up sent. Without ' +
            'it (another browser), after a first confirmation, or a confirmation again (after a ' +
            'bounce), the address is confirmed and no session is opened.',
          body: VerifyEmailBody,
          response: {
            200: Type.Object({ user: Viewer, session: Type.Optional(Session) }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const { token, bindings = [] } = request.body;
        const { user, session } = await accounts.verifyEmail(token, bindings, clientOf(request));
        if (!session) return { user: presentViewer(user) };
        return { user: presentViewer(user), session: { ...session, user: presentViewer(user) } };
      },
    );

    app.post(
      '/auth/verify-email/resend',
      {
        config: { rateLimit: limitPerUser(5) },
        schema: {
          tags,
          summary: 'Mail the verification link again (nothing when the address is confirmed)',
          description: '`siteId`: the site the reader is on, whose brand the mail carries.',
          security,
          querystring: Type.Object({ siteId: Type.Optional(Id) }),
          response: { 202: Accepted, '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const viewer = requireViewer(request);
        await accounts.resendVerification(viewer, await actionSite(ctx, request.query));
        return reply.status(202).send({ status: 'verification_sent' });
      },
    );

    app.post(
      '/auth/password/forgot',
      {
        config: strangers,
        schema: {
          tags,
          summary: 'Mail a password reset link (single use, 30 min)',
          description:
            'Answers 202 whether or not the address has an account. `siteId`: the site the ' +
            'reader is on, whose brand the mail carries.',
          body: Type.Object(
            { email: Email, siteId: ForSite.siteId },
            { additionalProperties: false },
          ),
          response: { 202: Accepted, '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const { email, siteId } = request.body;
        await accounts.forgotPassword(email, await actionSite(ctx, { siteId }));
        return reply.status(202).send({ status: 'reset_sent' });
      },
    );

    app.post(
      '/auth/password/reset',
      {
        config: strangers,
        schema: {
          tags,
          summary: 'Choose a new password with the mailed link’s token; every session ends',
          body: Type.Object(
            { token: TokenBody.properties.token, password: Password },
            { additionalProperties: false },
          ),
          response: { 200: UserBody, '4xx': ErrorBody },
        },
      },
      async (request) => {
        const { token, password } = request.body;
        return { user: presentViewer(await accounts.resetPassword(token, password)) };
      },
    );

    app.post(
      '/auth/email/confirm',
      {
        config: strangers,
        schema: {
          tags,
          summary: 'Make the new address the account’s, with the link mailed to it (24 h)',
          description: '`siteId` (from the link): the old address is told under the site’s brand.',
          body: Type.Object(
            { token: TokenBody.properties.token, siteId: ForSite.siteId },
            { additionalProperties: false },
          ),
          response: { 200: UserBody, '4xx': ErrorBody },
        },
      },
      async (request) => {
        const { token, siteId } = request.body;
        const site = await actionSite(ctx, { siteId });
        return { user: presentViewer(await accounts.confirmEmailChange(token, site)) };
      },
    );

    // The signed-in account --------------------------------------------------------------------

    app.post(
      '/auth/me/password',
      {
        config: sensitive,
        schema: {
          tags,
          summary: 'Change the password; the account’s other sessions end',
          security,
          body: Type.Object(
            {
              currentPassword: Type.String({ minLength: 1, maxLength: 256 }),
              newPassword: Password,
            },
            { additionalProperties: false },
          ),
          response: { 204: Type.Null(), '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const viewer = requireViewer(request);
        await withRetryAfter(reply, () =>
          accounts.changePassword(viewer, {
            ...request.body,
            ip: request.ip,
            keepTokenHash: request.tokenHash,
          }),
        );
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/auth/me/email',
      {
        config: sensitive,
        schema: {
          tags,
          summary: 'Ask to change the address: a confirmation link is mailed to the new one',
          security,
          body: Type.Object(
            {
              email: Email,
              password: Type.String({ minLength: 1, maxLength: 256 }),
              siteId: ForSite.siteId,
            },
            { additionalProperties: false },
          ),
          response: { 202: Accepted, '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const viewer = requireViewer(request);
        const { email, password, siteId } = request.body;
        const site = await actionSite(ctx, { siteId });
        await withRetryAfter(reply, () =>
          accounts.requestEmailChange(viewer, { email, password, ip: request.ip }, site),
        );
        return reply.status(202).send({ status: 'confirmation_sent' });
      },
    );

    app.patch(
      '/auth/me',
      {
        config: signedIn,
        schema: {
          tags,
          summary: 'Change the display name (once in 30 days) or the interface language',
          security,
          body: Type.Object(
            { displayName: Type.Optional(DisplayName), locale: Type.Optional(Locale) },
            { additionalProperties: false },
          ),
          response: { 200: UserBody, '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        const viewer = requireViewer(request);
        const user = await withRetryAfter(reply, () =>
          accounts.updateProfile(viewer, request.body),
        );
        return { user: presentViewer(user) };
      },
    );

    // Sessions -----------------------------------------------------------------------------------

    app.post(
      '/auth/refresh',
      {
        config: refreshes,
        schema: {
          tags,
          summary: 'Trade the refresh token for a new session (the token is single use)',
          description:
            'A refresh token presented a second time ends its session: 401 REFRESH_TOKEN_REUSED.',
          body: Type.Object(
            { refreshToken: Type.String({ minLength: 1, maxLength: 200 }) },
            { additionalProperties: false },
          ),
          response: { 200: Session, '4xx': ErrorBody },
        },
      },
      async (request) => {
        const { user, ...session } = await accounts.refresh(request.body.refreshToken);
        return { ...session, user: presentViewer(user) };
      },
    );

    app.post(
      '/auth/logout-everywhere',
      {
        config: signedIn,
        schema: {
          tags,
          summary: 'Revoke every session of the account, this one included',
          security,
          response: { 204: Type.Null(), '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        await accounts.logoutEverywhere(requireViewer(request).id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/auth/sessions',
      {
        config: signedIn,
        schema: {
          tags,
          summary: 'The account’s open sessions (`current` marks the one asking)',
          security,
          response: {
            200: Type.Object({
              sessions: Type.Array(
                Type.Object({
                  id: Id,
                  current: Type.Boolean(),
                  method: Type.Union([Type.String(), Type.Null()]),
                  ip: Type.Union([Type.String(), Type.Null()]),
                  userAgent: Type.Union([Type.String(), Type.Null()]),
                  browser: Type.Union([Type.String(), Type.Null()], {
                    description: 'The browser’s name read from the user agent (e.g. "Chrome")',
                  }),
                  os: Type.Union([Type.String(), Type.Null()], {
                    description: 'The operating system’s name (e.g. "Windows", "iOS")',
                  }),
                  createdAt: Type.String({ format: 'date-time' }),
                  lastRefreshedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
                  expiresAt: Type.String({ format: 'date-time' }),
                }),
              ),
            }),
            '4xx': ErrorBody,
          },
        },
      },
      async (request) => {
        const viewer = requireViewer(request);
        const sessions = await listSessions(store.db, viewer.id);
        return {
          sessions: sessions.map(({ tokenHash, ...session }) => ({
            ...session,
            ...deviceOf(session.userAgent),
            current: tokenHash === request.tokenHash,
          })),
        };
      },
    );

    app.delete(
      '/auth/sessions/:sessionId',
      {
        config: signedIn,
        schema: {
          tags,
          summary: 'Revoke one of the account’s sessions',
          security,
          params: Type.Object({ sessionId: Id }),
          response: { 204: Type.Null(), '4xx': ErrorBody },
        },
      },
      async (request, reply) => {
        await accounts.revokeSession(requireViewer(request), request.params.sessionId);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/admin/users/:userId/sessions/revoke',
      {
        config: signedIn,
        schema: {
          tags: ['admin'],
          summary: 'Sign a user out everywhere (admins; moderators of a site they commented on)',
          security,
          params: Type.Object({ userId: Id }),
          response: { 200: Type.Object({ revoked: Type.Integer() }), '4xx': ErrorBody },
        },
      },
      async (request) => {
        const moderator = asModerator(request.viewer);
        return { revoked: await accounts.logoutUserEverywhere(moderator, request.params.userId) };
      },
    );
  };
}
