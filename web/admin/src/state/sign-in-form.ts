/**
 * The sign-in settings form (SignInSettingsView): the stored settings as editable text, and the
 * body of PUT /admin/sites/:siteId/auth built back from it, or a sentence saying what to fix.
 * Secret fields start empty: left empty, the stored secret is kept (the server never sends it).
 */
import type { SignInSettings, SignInSettingsBody } from '../api/types.js';

export const MIN_SECRET_BYTES = 32;
export const LABEL_MAX = 60;

export type SsoKeyKind = 'secret' | 'jwks';

export interface SignInForm {
  local: boolean;
  sso: boolean;
  oidc: boolean;
  requireVerifiedEmail: boolean;
  deletedComments: 'anonymise' | 'remove';
  ssoKind: SsoKeyKind;
  ssoSecret: string;
  ssoJwksUrl: string;
  ssoIssuer: string;
  ssoTrustRoles: boolean;
  ssoMaxAge: string;
  oidcIssuer: string;
  oidcClientId: string;
  oidcClientSecret: string;
  oidcLabel: string;
  oidcScopes: string;
}

export function signInFormFrom(settings: SignInSettings): SignInForm {
  const { sso, oidc } = settings;
  return {
    ...settings.methods,
    requireVerifiedEmail: settings.requireVerifiedEmail,
    deletedComments: settings.deletedComments,
    ssoKind: sso?.jwksUrl && !sso.hasSecret ? 'jwks' : 'secret',
    ssoSecret: '',
    ssoJwksUrl: sso?.jwksUrl ?? '',
    ssoIssuer: sso?.issuer ?? '',
    ssoTrustRoles: sso?.trustRoles ?? false,
    ssoMaxAge: String(sso?.maxTokenAgeSeconds ?? 3600),
    oidcIssuer: oidc?.issuer ?? '',
    oidcClientId: oidc?.clientId ?? '',
    oidcClientSecret: '',
    oidcLabel: oidc?.label ?? '',
    oidcScopes: (oidc?.scopes ?? ['email', 'profile']).join(' '),
  };
}

const isHttpsOrLoopback = (value: string): boolean => {
  try {
    const url = new URL(value);
    return (
      url.protocol === 'https:' ||
      (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    );
  } catch {
    return false;
  }
};

function ssoBody(form: SignInForm, stored: SignInSettings): SignInSettingsBody['sso'] | string {
  const common = {
    issuer: form.ssoIssuer.trim() || null,
    trustRoles: form.ssoTrustRoles,
    maxTokenAgeSeconds: Number(form.ssoMaxAge),
  };
  if (!Number.isInteger(common.maxTokenAgeSeconds) || common.maxTokenAgeSeconds < 30) {
    return 'The longest token lifetime must be a whole number of seconds, 30 or more.';
  }
  if (common.maxTokenAgeSeconds > 86_400) return 'The longest token lifetime is one day.';
  if (form.ssoKind === 'secret') {
    const secret = form.ssoSecret;
    if (secret === '' && !stored.sso?.hasSecret) {
      return form.sso ? 'Paste the shared secret the publisher signs tokens with.' : undefined;
    }
    if (secret !== '' && new TextEncoder().encode(secret).length < MIN_SECRET_BYTES) {
      return `The shared secret must be at least ${MIN_SECRET_BYTES} bytes long.`;
    }
    return { ...(secret !== '' && { secret }), jwksUrl: null, ...common };
  }
  const jwksUrl = form.ssoJwksUrl.trim();
  if (jwksUrl === '')
    return form.sso ? 'Give the address of the publisher’s keys (JWKS).' : undefined;
  if (!isHttpsOrLoopback(jwksUrl)) return 'The JWKS address must start with https://.';
  return { secret: null, jwksUrl, ...common };
}

function oidcBody(form: SignInForm, stored: SignInSettings): SignInSettingsBody['oidc'] | string {
  const issuer = form.oidcIssuer.trim();
  const clientId = form.oidcClientId.trim();
  if (issuer === '' && clientId === '') {
    if (form.oidc) return 'Give the provider’s issuer URL and the client id to offer it.';
    return stored.oidc ? null : undefined;
  }
  if (!isHttpsOrLoopback(issuer)) return 'The issuer must be an https URL.';
  if (clientId === '') return 'Give the client id the provider registered for Parley.';
  const label = form.oidcLabel.trim();
  if ([...label].length > LABEL_MAX) return `The button label is at most ${LABEL_MAX} characters.`;
  return {
    issuer,
    clientId,
    ...(form.oidcClientSecret !== '' && { clientSecret: form.oidcClientSecret }),
    ...(label !== '' && { label }),
    scopes: form.oidcScopes.split(/\s+/).filter((scope) => scope !== '' && scope !== 'openid'),
  };
}

/** The PUT body, or a sentence saying what to fix. */
export function buildSignInBody(
  form: SignInForm,
  stored: SignInSettings,
): SignInSettingsBody | string {
  const sso = ssoBody(form, stored);
  if (typeof sso === 'string') return sso;
  const oidc = oidcBody(form, stored);
  if (typeof oidc === 'string') return oidc;
  return {
    methods: { local: form.local, sso: form.sso, oidc: form.oidc },
    requireVerifiedEmail: form.requireVerifiedEmail,
    deletedComments: form.deletedComments,
    ...(sso !== undefined && { sso }),
    ...(oidc !== undefined && { oidc }),
  };
}

/** Whether the form differs from what is stored. */
export function signInFormChanged(form: SignInForm, stored: SignInSettings): boolean {
  return JSON.stringify(form) !== JSON.stringify(signInFormFrom(stored));
}
