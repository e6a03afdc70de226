/**
 * A site's sign-in settings as an admin changes them (PUT /admin/sites/:siteId/auth): the input
 * merged over what is stored, then checked, and written with its entry in the audit log. Secrets
 * are write only: left out, the stored one is kept (the OIDC client secret only while the issuer
 * stays the same, so that it is never sent to another host); null removes it.
 */
import {
  presentAuthSettings,
  type OidcSettings,
  type SiteAuthSettings,
  type SsoSettings,
} from '../domain/auth-settings.ts';
import { ParleyError } from '../domain/errors.ts';
import { isSecureOrLoopbackUrl } from '../domain/origin.ts';
import { checkText } from '../domain/text.ts';
import type { Site } from '../store/rows.ts';
import { updateSite } from '../store/sites.ts';
import { auditSiteChange, type SiteChangeDeps } from './sites.ts';

export const MIN_SSO_SECRET_BYTES = 32;
export const OIDC_LABEL_MAX = 60;
const DEFAULT_SCOPES = ['email', 'profile'];

export interface SsoInput {
  secret?: string | null;
  jwksUrl?: string | null;
  issuer?: string | null;
  trustRoles?: boolean;
  maxTokenAgeSeconds?: number;
}

export interface OidcInput {
  issuer: string;
  clientId: string;
  clientSecret?: string | null;
  label?: string;
  scopes?: string[];
}

export interface SignInSettingsInput {
  methods?: { local: boolean; sso: boolean; oidc: boolean };
  requireVerifiedEmail?: boolean;
  deletedComments?: 'anonymise' | 'remove';
  /** Left out: unchanged; null: removed. */
  sso?: SsoInput | null;
  oidc?: OidcInput | null;
}

const invalid = (message: string) => new ParleyError('VALIDATION_FAILED', message);
const blankToNull = (value: string | null | undefined) =>
  value === undefined || value === null || value.trim() === '' ? null : value.trim();

function mergeSso(before: SsoSettings | null, input: SsoInput): SsoSettings {
  const secret = input.secret === undefined ? (before?.secret ?? null) : input.secret || null;
  const jwksUrl =
    input.jwksUrl === undefined ? (before?.jwksUrl ?? null) : blankToNull(input.jwksUrl);
  if (secret !== null && Buffer.byteLength(secret, 'utf8') < MIN_SSO_SECRET_BYTES) {
    throw invalid(`The SSO secret must be at least ${MIN_SSO_SECRET_BYTES} bytes long.`);
  }
  if (jwksUrl !== null && !isSecureOrLoopbackUrl(jwksUrl)) {
    throw invalid('The JWKS URL must be an https address.');
  }
  if (secret === null && jwksUrl === null) {
    throw invalid('SSO needs a shared secret (HS256) or the URL of the publisher’s keys (JWKS).');
  }
  return {
    secret,
    jwksUrl,
    issuer: input.issuer === undefined ? (before?.issuer ?? null) : blankToNull(input.issuer),
    trustRoles: input.trustRoles ?? before?.trustRoles ?? false,
    maxTokenAgeSeconds: input.maxTokenAgeSeconds ?? before?.maxTokenAgeSeconds ?? 3600,
  };
}

function mergeOidc(before: OidcSettings | null, input: OidcInput): OidcSettings {
  const issuer = input.issuer.trim();
  if (!isSecureOrLoopbackUrl(issuer)) {
    throw invalid('The OpenID Connect issuer must be an https URL.');
  }
  const clientId = input.clientId.trim();
  if (clientId === '') throw invalid('The OpenID Connect client id is empty.');
  const sameProvider = before !== null && before.issuer === issuer;
  const clientSecret =
    input.clientSecret === undefined
      ? sameProvider
        ? before.clientSecret
        : null
      : input.clientSecret || null;
  const label =
    input.label === undefined || input.label.trim() === ''
      ? new URL(issuer).hostname
      : checkText(input.label, {
          field: 'button label',
          maxLength: OIDC_LABEL_MAX,
          multiline: false,
        });
  const scopes = [...new Set((input.scopes ?? DEFAULT_SCOPES).filter((s) => s !== 'openid'))];
  return { issuer, clientId, clientSecret, label, scopes };
}

/** The settings to store: `input` over `before`, checked as a whole. */
function mergeSignInSettings(
  before: SiteAuthSettings,
  input: SignInSettingsInput,
): SiteAuthSettings {
  const sso =
    input.sso === undefined
      ? before.sso
      : input.sso === null
        ? null
        : mergeSso(before.sso, input.sso);
  const oidc =
    input.oidc === undefined
      ? before.oidc
      : input.oidc === null
        ? null
        : mergeOidc(before.oidc, input.oidc);
  const methods = input.methods ?? before.methods;
  if (methods.sso && !sso) throw invalid('Configure SSO (a secret or a JWKS URL) to offer it.');
  if (methods.oidc && !oidc) throw invalid('Configure the OpenID Connect provider to offer it.');
  return {
    methods: { ...methods },
    requireVerifiedEmail: input.requireVerifiedEmail ?? before.requireVerifiedEmail,
    deletedComments: input.deletedComments ?? before.deletedComments,
    sso,
    oidc,
  };
}

/**
 * Applies an admin's change to a site's sign-in settings; logged as `site.auth` with the settings
 * before and after as admins see them (secrets only as whether there is one).
 */
export async function changeSignInSettings(
  { store, sites }: SiteChangeDeps,
  actorId: string,
  siteId: string,
  input: SignInSettingsInput,
): Promise<Site> {
  const site = await sites.get(siteId);
  if (!site) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
  const auth = mergeSignInSettings(site.auth, input);
  const updated = await store.transact(async (trx) => {
    const row = await updateSite(trx, site.id, { auth });
    await auditSiteChange(trx, {
      actorId,
      action: 'site.auth',
      siteId: site.id,
      before: presentAuthSettings(site.auth),
      after: presentAuthSettings(auth),
    });
    return row;
  });
  if (!updated) throw new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');
  await sites.refresh();
  return updated;
}
