/**
 * Sign-in through someone else (docs/identity.md): a publisher's SSO token (POST /auth/sso), the
 * OpenID Connect code flow (start, callback and the popup's finishing page), the sign-in methods a
 * site offers (public), and the site's sign-in settings (admins).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { offeredMethods, presentAuthSettings } from '../../domain/auth-settings.ts';
import { ParleyError } from '../../domain/errors.ts';
import { signInWithProfile, type ExternalSignIn } from '../../services/external-sign-in.ts';
import type { ExternalProfile } from '../../services/identity.ts';
import { OidcClient } from '../../services/oidc.ts';
import { changeSignInSettings, OIDC_LABEL_MAX } from '../../services/sign-in-settings.ts';
import { MAX_SSO_TOKEN_LENGTH, SsoVerifier } from '../../services/sso.ts';
import type { OidcState } from '../../store/identities.ts';
import type { Site } from '../../store/rows.ts';
import { clientOf } from './account.ts';
import { requireRole } from '../auth.ts';
import { limitPerIp, limitPerUser, type RouteContext } from '../context.ts';
import { toParleyError } from '../errors.ts';
import { presentViewer } from '../presenters.ts';
import { ErrorBody, Id, Session, SiteParams } from '../schemas.ts';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const security = [{ bearer: [] }];
const errors = { '4xx': ErrorBody, '5xx': ErrorBody };

const SsoBody = Type.Object(
  {
    siteId: Id,
    token: Type.String({ minLength: 1, maxLength: MAX_SSO_TOKEN_LENGTH }),
  },
  { additionalProperties: false },
);

const AuthMethods = Type.Object({
  local: Type.Boolean(),
  sso: Type.Boolean(),
  oidc: Type.Union([Type.Object({ label: Type.String() }), Type.Literal(false)]),
});

const Methods = Type.Object(
  { local: Type.Boolean(), sso: Type.Boolean(), oidc: Type.Boolean() },
  { additionalProperties: false },
);
const DeletedComments = Type.Union([Type.Literal('anonymise'), Type.Literal('remove')]);
// RFC 6749 scope-token characters.
const Scope = Type.String({ pattern: '^[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,64}$' });

const AuthSettings = Type.Object({
  methods: Methods,
  requireVerifiedEmail: Type.Boolean(),
  deletedComments: DeletedComments,
  sso: Nullable(
    Type.Object({
      hasSecret: Type.Boolean(),
      jwksUrl: Nullable(Type.String()),
      issuer: Nullable(Type.String()),
      trustRoles: Type.Boolean(),
      maxTokenAgeSeconds: Type.Integer(),
    }),
  ),
  oidc: Nullable(
    Type.Object({
      issuer: Type.String(),
      clientId: Type.String(),
      hasClientSecret: Type.Boolean(),
      label: Type.String(),
      scopes: Type.Array(Type.String()),
    }),
  ),
});
const AuthSettingsResponse = Type.Object({
  auth: AuthSettings,
  oidcRedirectUri: Type.String({ description: 'Register this redirect URI with the provider' }),
});

const AuthSettingsBody = Type.Object(
  {
    methods: Type.Optional(Methods),
    requireVerifiedEmail: Type.Optional(Type.Boolean()),
    deletedComments: Type.Optional(DeletedComments),
    sso: Type.Optional(
      Nullable(
        Type.Object(
          {
            secret: Type.Optional(
              Nullable(Type.String({ maxLength: 1024, description: 'Write only; ≥ 32 bytes' })),
            ),
            jwksUrl: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
            issuer: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
            trustRoles: Type.Optional(Type.Boolean()),
            maxTokenAgeSeconds: Type.Optional(Type.Integer({ minimum: 30, maximum: 86_400 })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
    oidc: Type.Optional(
      Nullable(
        Type.Object(
          {
            issuer: Type.String({ minLength: 1, maxLength: 2000 }),
            clientId: Type.String({ minLength: 1, maxLength: 300 }),
            clientSecret: Type.Optional(Nullable(Type.String({ maxLength: 1024 }))),
            label: Type.Optional(Type.String({ maxLength: OIDC_LABEL_MAX })),
            scopes: Type.Optional(Type.Array(Scope, { maxItems: 20 })),
          },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: false },
);

// Both answered on Parley's origin inside the sign-in popup, which must keep its `opener`.
const POPUP_HEADERS = {
  'cross-origin-opener-policy': 'unsafe-none',
  'cache-control': 'no-store',
};

export function federatedRoutes(ctx: RouteContext): FastifyPluginAsyncTypebox {
  const { store, config, sites } = ctx;
  const sso = new SsoVerifier(store);
  const oidc = new OidcClient(store, config.publicUrl);
  const authLimit = { rateLimit: limitPerIp(config.authRateLimit) };

  async function requireSite(siteId: string): Promise<Site> {
    const site = await sites.get(siteId);
    if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
    return site;
  }

  /** A page of the site (or Parley's own), or no Origin at all (a server, not a browser). */
  function checkRequestOrigin(request: FastifyRequest, site: Site): void {
    const origin = request.headers.origin;
    if (origin && !sites.isOwn(origin) && !site.allowedOrigins.includes(origin)) {
      throw new ParleyError(
        'ORIGIN_NOT_ALLOWED',
        `${origin} is not an allowed origin of this site.`,
      );
    }
  }

  /** Signs the reader in: their account follows the profile, and they get a session. */
  async function signIn(
    request: FastifyRequest,
    site: Site,
    profile: ExternalProfile,
    method: ExternalSignIn['method'],
  ) {
    const { user, ...session } = await signInWithProfile(
      store,
      { site, profile, method, client: clientOf(request) },
      (userId) => ctx.sessions.forgetUser(userId),
    );
    return { ...session, user: presentViewer(user) };
  }

  return async (app) => {
    app.post(
      '/auth/sso',
      {
        config: authLimit,
        schema: {
          tags: ['auth'],
          summary: 'Sign in with a token from the publisher’s own accounts (SSO)',
          description:
            'The token is a JWT signed with the site’s secret (HS256) or keys (RS256, ES256), with ' +
            'sub, email, name, exp, iat and jti. Each token is accepted once.',
          body: SsoBody,
          response: { 200: Session, ...errors },
        },
      },
      async (request) => {
        const site = await requireSite(request.body.siteId);
        checkRequestOrigin(request, site);
        const profile = await sso.verify(site, request.body.token);
        return signIn(request, site, profile, 'sso');
      },
    );

    app.get(
      '/sites/:siteId/auth-methods',
      {
        config: { rateLimit: limitPerIp(config.readRateLimit) },
        schema: {
          tags: ['sites'],
          summary: 'The sign-in methods a site offers its readers',
          params: SiteParams,
          response: { 200: AuthMethods, ...errors },
        },
      },
      async (request, reply) => {
        const site = await requireSite(request.params.siteId);
        void reply.header('cache-control', 'public, max-age=60');
        return offeredMethods(site.auth);
      },
    );

    app.get(
      '/auth/oidc/start',
      {
        config: authLimit,
        schema: {
          tags: ['auth'],
          summary: 'Start an OpenID Connect sign-in (opened in the sign-in popup)',
          description: 'Redirects to the site’s provider; an error is an HTML page.',
          querystring: Type.Object({
            siteId: Type.Optional(Type.String({ maxLength: 100 })),
            origin: Type.Optional(Type.String({ maxLength: 300 })),
          }),
        },
      },
      async (request, reply) => {
        const { siteId = '', origin = '' } = request.query;
        let trustedOrigin: string | null = null;
        try {
          const site = await requireSite(siteId);
          if (!site.allowedOrigins.includes(origin) && !sites.isOwn(origin)) {
            throw new ParleyError(
              'ORIGIN_NOT_ALLOWED',
              'This page was not opened from one of the site’s pages.',
            );
          }
          trustedOrigin = origin;
          const location = await oidc.begin(site, origin);
          return reply.headers(POPUP_HEADERS).redirect(location, 302);
        } catch (error) {
          return sendFinishPage(request, reply, trustedOrigin, error);
        }
      },
    );

    app.get(
      '/auth/oidc/callback',
      {
        config: authLimit,
        schema: {
          tags: ['auth'],
          summary: 'Where the OpenID Connect provider sends the reader back',
          description:
            'Answers the popup’s finishing page, which posts `{type: "parley:session", session}` ' +
            '(or `{type: "parley:error", code, message}`) to the page that opened it.',
          querystring: Type.Object({ state: Type.Optional(Type.String({ maxLength: 200 })) }),
        },
      },
      async (request, reply) => {
        let login: OidcState | undefined;
        try {
          login = await oidc.takeLogin(request.query.state);
          const site = await requireSite(login.siteId);
          const callbackUrl = new URL(request.url, config.publicUrl);
          const profile = await oidc.finish(site, login, callbackUrl);
          const session = await signIn(request, site, profile, 'oidc');
          return sendFinishPage(request, reply, login.origin, { type: 'parley:session', session });
        } catch (error) {
          return sendFinishPage(request, reply, login?.origin ?? null, error);
        }
      },
    );

    app.get('/auth/oidc/finish.js', { schema: { hide: true } }, async (_request, reply) =>
      reply.headers(POPUP_HEADERS).type('text/javascript; charset=utf-8').send(FINISH_SCRIPT),
    );

    app.get(
      '/admin/sites/:siteId/auth',
      {
        config: { rateLimit: limitPerUser(config.readRateLimit) },
        schema: {
          tags: ['admin'],
          summary: 'A site’s sign-in settings (admins); secrets are never sent back',
          security,
          params: SiteParams,
          response: { 200: AuthSettingsResponse, ...errors },
        },
      },
      async (request) => {
        requireRole(request, 'admin');
        const site = await requireSite(request.params.siteId);
        return { auth: presentAuthSettings(site.auth), oidcRedirectUri: oidc.redirectUri };
      },
    );

    app.put(
      '/admin/sites/:siteId/auth',
      {
        config: { rateLimit: limitPerUser(config.writeRateLimit) },
        schema: {
          tags: ['admin'],
          summary: 'Change a site’s sign-in settings (admins)',
          description:
            'Keys left out keep their value; `sso` or `oidc` null removes it. `sso.secret` and ' +
            '`oidc.clientSecret` are write only: left out, the stored one is kept (the client ' +
            'secret only while the issuer is unchanged); null removes it.',
          security,
          params: SiteParams,
          body: AuthSettingsBody,
          response: { 200: AuthSettingsResponse, ...errors },
        },
      },
      async (request) => {
        const admin = requireRole(request, 'admin');
        const updated = await changeSignInSettings(
          { store, sites },
          admin.id,
          request.params.siteId,
          request.body,
        );
        return { auth: presentAuthSettings(updated.auth), oidcRedirectUri: oidc.redirectUri };
      },
    );
  };
}

// ---------------------------------------------------------------------------------------------
// The popup's finishing page. The CSP allows no inline script, so the result travels as JSON in
// a data block that a small script of ours reads and posts to the opener: to `origin` only, and
// only an origin the site allows (null: nothing is posted, the page just says what happened).

type PopupMessage =
  | { type: 'parley:session'; session: unknown }
  | { type: 'parley:error'; code: string; message: string };

function sendFinishPage(
  request: FastifyRequest,
  reply: FastifyReply,
  origin: string | null,
  outcome: PopupMessage | unknown,
): FastifyReply {
  let message: PopupMessage;
  let status = 200;
  if (isPopupMessage(outcome)) {
    message = outcome;
  } else {
    const known = toParleyError(outcome);
    if (!known || known.status >= 500) request.log.error({ err: outcome }, 'OIDC sign-in failed');
    const error = known ?? new ParleyError('INTERNAL', 'Something went wrong on our side.');
    message = { type: 'parley:error', code: error.code, message: error.message };
    status = error.status;
  }
  return reply
    .status(status)
    .headers({ ...POPUP_HEADERS, 'referrer-policy': 'no-referrer' })
    .type('text/html; charset=utf-8')
    .send(renderFinishPage(origin, message));
}

function isPopupMessage(value: unknown): value is PopupMessage {
  const type = (value as { type?: unknown } | null)?.type;
  return type === 'parley:session' || type === 'parley:error';
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** JSON that cannot end its <script> element or be read as markup. */
const scriptSafeJson = (value: unknown) =>
  JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );

function renderFinishPage(origin: string | null, message: PopupMessage): string {
  const signedIn = message.type === 'parley:session';
  const title = signedIn ? 'Signed in' : 'Sign-in failed';
  const text = signedIn ? 'You are signed in. This window closes by itself.' : message.message;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Parley</title>
<script type="application/json" id="parley-result">${scriptSafeJson({ origin, message })}</script>
<script src="/api/v1/auth/oidc/finish.js" defer></script>
</head>
<body>
<main>
<h1>${title}</h1>
<p role="status">${escapeHtml(text)}</p>
<p id="parley-no-opener" hidden>This window lost track of the page that opened it. Close it and sign in again from the comments.</p>
<button type="button" id="parley-close">Close this window</button>
</main>
</body>
</html>
`;
}

const FINISH_SCRIPT = `'use strict';
(function () {
  var node = document.getElementById('parley-result');
  var data = JSON.parse((node && node.textContent) || '{}');
  var opener = window.opener;
  var close = document.getElementById('parley-close');
  if (close) close.addEventListener('click', function () { window.close(); });
  if (!data.message || !data.origin) return;
  if (!opener) {
    document.getElementById('parley-no-opener').hidden = false;
    return;
  }
  opener.postMessage(data.message, data.origin);
  if (data.message.type !== 'parley:session') return;
  // Posted again until the widget, having taken it, closes this window; closed after 5 s if no
  // widget did (as web/account/src/ui/PopupPage.tsx does).
  var again = setInterval(function () {
    if (!opener.closed) opener.postMessage(data.message, data.origin);
  }, 500);
  setTimeout(function () {
    clearInterval(again);
    window.close();
  }, 5000);
})();
`;
