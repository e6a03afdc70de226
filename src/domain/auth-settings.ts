/**
 * A site's sign-in settings as stored (JSON in `sites.auth`, any key may be missing) and as the
 * server uses them (complete, with defaults). Like the moderation settings, reading is forgiving:
 * a value of the wrong type takes the default rather than locking every reader out.
 *
 * Secrets (the SSO shared secret, the OIDC client secret) live here; they are never sent back by
 * the API, which says only whether one is set (see presentAuthSettings).
 */
import { isRecord, storedRecord } from './stored-settings.ts';

export interface SsoSettings {
  /** HS256 shared secret (at least 32 bytes); null when the site verifies with a JWKS instead. */
  secret: string | null;
  /** RS256/ES256 public keys of the publisher, fetched (and cached) from this https URL. */
  jwksUrl: string | null;
  /** When set, a token's `iss` must equal it. */
  issuer: string | null;
  /** Apply a `role` claim of "moderator" (scoped to this site); "staff" is always applied. */
  trustRoles: boolean;
  /** Longest accepted token lifetime (`exp` - `iat`), seconds. */
  maxTokenAgeSeconds: number;
}

export interface OidcSettings {
  /** Issuer URL; its discovery document is at `<issuer>/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  /** The button's label, e.g. "Google" or "Northgate Herald account". */
  label: string;
  /** Scopes asked for besides `openid`. */
  scopes: string[];
}

export interface SiteAuthSettings {
  /** Which sign-in methods the widget offers on this site. */
  methods: { local: boolean; sso: boolean; oidc: boolean };
  /** Local accounts must confirm their address before they post. */
  requireVerifiedEmail: boolean;
  sso: SsoSettings | null;
  oidc: OidcSettings | null;
  /** What happens to a deleted account's comments: kept as "[deleted]" or removed. */
  deletedComments: 'anonymise' | 'remove';
}

export const DEFAULT_AUTH_SETTINGS: SiteAuthSettings = {
  methods: { local: true, sso: false, oidc: false },
  requireVerifiedEmail: true,
  sso: null,
  oidc: null,
  deletedComments: 'anonymise',
};

const bool = (v: unknown, d: boolean) => (typeof v === 'boolean' ? v : d);
const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

function readSso(raw: unknown): SsoSettings | null {
  if (!isRecord(raw)) return null;
  const secret = text(raw.secret);
  const jwksUrl = text(raw.jwksUrl);
  if (!secret && !jwksUrl) return null;
  const age = raw.maxTokenAgeSeconds;
  return {
    secret,
    jwksUrl,
    issuer: text(raw.issuer),
    trustRoles: bool(raw.trustRoles, false),
    maxTokenAgeSeconds: Number.isInteger(age) && (age as number) > 0 ? (age as number) : 3600,
  };
}

function readOidc(raw: unknown): OidcSettings | null {
  if (!isRecord(raw)) return null;
  const issuer = text(raw.issuer);
  const clientId = text(raw.clientId);
  if (!issuer || !clientId) return null;
  const scopes = Array.isArray(raw.scopes)
    ? raw.scopes.filter((s): s is string => typeof s === 'string')
    : ['email', 'profile'];
  return {
    issuer,
    clientId,
    clientSecret: text(raw.clientSecret),
    label: text(raw.label) ?? new URL(issuer).hostname,
    scopes,
  };
}

/** Complete settings from stored JSON (a string or an already parsed value). */
export function readAuthSettings(stored: unknown): SiteAuthSettings {
  const s = storedRecord(stored);
  const d = DEFAULT_AUTH_SETTINGS;
  const methods = isRecord(s.methods) ? s.methods : {};
  let oidc: OidcSettings | null = null;
  try {
    oidc = readOidc(s.oidc);
  } catch {
    oidc = null; // an issuer that is not a URL
  }
  return {
    methods: {
      local: bool(methods.local, d.methods.local),
      sso: bool(methods.sso, d.methods.sso),
      oidc: bool(methods.oidc, d.methods.oidc),
    },
    requireVerifiedEmail: bool(s.requireVerifiedEmail, d.requireVerifiedEmail),
    sso: readSso(s.sso),
    oidc,
    deletedComments: s.deletedComments === 'remove' ? 'remove' : 'anonymise',
  };
}

/** What the public site config says: the methods that are on and can work. */
export function offeredMethods(settings: SiteAuthSettings) {
  return {
    local: settings.methods.local,
    sso: settings.methods.sso && settings.sso !== null,
    oidc:
      settings.methods.oidc && settings.oidc !== null
        ? { label: settings.oidc.label }
        : (false as const),
  };
}

/** The settings as admins read them back: secrets replaced by whether they are set. */
export function presentAuthSettings(settings: SiteAuthSettings) {
  return {
    methods: settings.methods,
    requireVerifiedEmail: settings.requireVerifiedEmail,
    deletedComments: settings.deletedComments,
    sso: settings.sso && {
      hasSecret: settings.sso.secret !== null,
      jwksUrl: settings.sso.jwksUrl,
      issuer: settings.sso.issuer,
      trustRoles: settings.sso.trustRoles,
      maxTokenAgeSeconds: settings.sso.maxTokenAgeSeconds,
    },
    oidc: settings.oidc && {
      issuer: settings.oidc.issuer,
      clientId: settings.oidc.clientId,
      hasClientSecret: settings.oidc.clientSecret !== null,
      label: settings.oidc.label,
      scopes: settings.oidc.scopes,
    },
  };
}
