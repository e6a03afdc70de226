/**
 * Publisher SSO (docs/identity.md): the publisher's page hands the widget a JWT about its reader,
 * signed with the site's shared secret (HS256) or the publisher's keys (RS256/ES256 from its JWKS
 * URL). This checks the token (algorithm allow-list, signature, lifetime, audience, issuer,
 * required claims), accepts its `jti` once per site, and turns the claims into the profile the
 * identity service signs in with.
 */
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { SsoSettings } from '../domain/auth-settings.ts';
import { ParleyError } from '../domain/errors.ts';
import { isSecureOrLoopbackUrl } from '../domain/origin.ts';
import type { Store } from '../store/db.ts';
import { pruneSsoTokenUses, recordSsoTokenUse } from '../store/identities.ts';
import type { Site } from '../store/rows.ts';
import {
  cleanAvatarUrl,
  cleanBadges,
  cleanDisplayName,
  cleanIdentifier,
  normaliseEmail,
  readRoleClaim,
  type ExternalProfile,
} from './identity.ts';

/** A token longer than this is not one a publisher would send (and not worth parsing). */
export const MAX_SSO_TOKEN_LENGTH = 8192;
const REQUIRED_CLAIMS = ['sub', 'email', 'name', 'exp', 'iat', 'jti'];
const KEY_ALGORITHMS = ['RS256', 'ES256'];
/** Publishers' clocks drift a little; a few seconds of tolerance spares their readers. */
const CLOCK_TOLERANCE_SECONDS = 30;
/** One sign-in in this many also deletes the token ids of expired tokens. */
const PRUNE_ONE_IN = 50;

export const ssoProvider = (siteId: string) => `sso:${siteId}`;

const invalid = (why: string) => new ParleyError('SSO_TOKEN_INVALID', why);
const busy = () =>
  new ParleyError('BUSY', 'The publisher’s keys could not be read; try again shortly.');

export class SsoVerifier {
  /** One key set per URL, shared by the sites that use it: jose caches and refreshes it. */
  private readonly keySets = new Map<string, JWTVerifyGetKey>();

  constructor(private readonly store: Store) {}

  /** The reader's profile from a valid, unused token; throws the refusal otherwise. */
  async verify(site: Site, token: string): Promise<ExternalProfile> {
    const settings = site.auth.sso;
    if (!site.auth.methods.sso || !settings) {
      throw new ParleyError(
        'SSO_DISABLED',
        'This site does not offer sign-in through its own accounts.',
      );
    }
    if (token.length > MAX_SSO_TOKEN_LENGTH) throw invalid('The token is too long.');
    const payload = await this.checkSignatureAndClaims(site.id, settings, token);
    const profile = profileFromClaims(site.id, payload);
    await this.useOnce(site.id, payload);
    return profile;
  }

  private async checkSignatureAndClaims(
    siteId: string,
    settings: SsoSettings,
    token: string,
  ): Promise<JWTPayload> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw invalid('The token is malformed: it is not a signed JWT.');
    }
    try {
      const options = {
        requiredClaims: REQUIRED_CLAIMS,
        maxTokenAge: settings.maxTokenAgeSeconds,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        ...(settings.issuer !== null && { issuer: settings.issuer }),
      };
      // Each kind of key has its own allow-list, so a token can never choose how it is checked
      // (HS256 signed with the public key, `alg: none`).
      const { payload } =
        alg === 'HS256' && settings.secret !== null
          ? await jwtVerify(token, new TextEncoder().encode(settings.secret), {
              ...options,
              algorithms: ['HS256'],
            })
          : alg !== undefined && KEY_ALGORITHMS.includes(alg) && settings.jwksUrl !== null
            ? await jwtVerify(token, this.keySet(settings.jwksUrl), {
                ...options,
                algorithms: KEY_ALGORITHMS,
              })
            : refuseAlgorithm(alg, settings);
      checkLifetimeAndAudience(siteId, settings, payload);
      return payload;
    } catch (error) {
      throw describeFailure(error);
    }
  }

  private keySet(url: string): JWTVerifyGetKey {
    if (!isSecureOrLoopbackUrl(url)) {
      throw new ParleyError('SSO_DISABLED', 'The site’s key URL must use https.');
    }
    let keys = this.keySets.get(url);
    if (!keys) {
      // jose follows no redirect (a 3xx is a failure like a 500), so the URL cannot be bounced
      // elsewhere; the timeout bounds a slow publisher.
      const remote = createRemoteJWKSet(new URL(url), {
        timeoutDuration: 5000,
        cacheMaxAge: 600_000,
      });
      keys = async (header, token) => {
        try {
          return await remote(header, token);
        } catch (error) {
          // No key for the token is the token's fault; anything else is the key URL's (a 500, a
          // redirect, not JSON, no answer), which jose reports as a bare JOSEError.
          if (error instanceof errors.JWKSNoMatchingKey) throw error;
          if (error instanceof errors.JWKSMultipleMatchingKeys) throw error;
          throw busy();
        }
      };
      this.keySets.set(url, keys);
    }
    return keys;
  }

  /** Records the token id; a second use on the same site is a replay. */
  private async useOnce(siteId: string, payload: JWTPayload): Promise<void> {
    const now = new Date();
    const expiresAt = new Date(((payload.exp as number) + CLOCK_TOLERANCE_SECONDS) * 1000);
    const fresh = await recordSsoTokenUse(
      this.store.db,
      { siteId, jti: payload.jti as string, expiresAt },
      now,
    );
    if (!fresh) {
      throw new ParleyError('SSO_TOKEN_REPLAYED', 'This sign-in token has already been used.');
    }
    if (Math.random() * PRUNE_ONE_IN < 1) await pruneSsoTokenUses(this.store.db, now);
  }
}

function refuseAlgorithm(alg: string | undefined, settings: SsoSettings): never {
  const accepted = [
    ...(settings.secret !== null ? ['HS256'] : []),
    ...(settings.jwksUrl !== null ? KEY_ALGORITHMS : []),
  ];
  throw invalid(
    `The token is signed with ${alg === undefined ? 'no algorithm' : `"${alg}"`}; this site ` +
      `accepts ${accepted.join(', ')}.`,
  );
}

function checkLifetimeAndAudience(siteId: string, settings: SsoSettings, payload: JWTPayload) {
  const lifetime = (payload.exp as number) - (payload.iat as number);
  if (lifetime > settings.maxTokenAgeSeconds) {
    throw invalid(
      `The token is valid for ${lifetime} s; this site accepts at most ` +
        `${settings.maxTokenAgeSeconds} s (exp - iat).`,
    );
  }
  const { aud } = payload;
  if (aud !== undefined && !(aud === siteId || (Array.isArray(aud) && aud.includes(siteId)))) {
    throw invalid('The token was issued for another site (aud).');
  }
}

/** A jose failure as the refusal the API answers; anything else passes through. */
function describeFailure(error: unknown): unknown {
  if (error instanceof ParleyError) return error;
  if (error instanceof errors.JWTExpired) {
    return error.claim === 'iat'
      ? invalid('The token was issued too long ago (iat).')
      : new ParleyError('SSO_TOKEN_EXPIRED', 'The sign-in token has expired.');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return invalid(
      error.reason === 'missing'
        ? `The token lacks the "${error.claim}" claim.`
        : `The token's "${error.claim}" claim is not acceptable.`,
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return invalid('The token’s signature does not verify with this site’s key.');
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    return invalid('None of the publisher’s keys matches the token (kid, algorithm).');
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return invalid('The token’s algorithm is not accepted by this site.');
  }
  if (error instanceof errors.JOSEError) return invalid('The token is malformed.');
  return error;
}

/** An identifier claim (`sub`, `jti`): see cleanIdentifier. */
const identifierClaim = (payload: JWTPayload, name: string): string => {
  const value = cleanIdentifier(payload[name]);
  if (value === null) {
    throw invalid(
      `The token's "${name}" claim must be a string of 1 to 255 characters, without control characters.`,
    );
  }
  return value;
};

/** The profile the claims describe; a claim of the wrong shape makes the token invalid. */
function profileFromClaims(siteId: string, payload: JWTPayload): ExternalProfile {
  const subject = identifierClaim(payload, 'sub');
  identifierClaim(payload, 'jti');
  const email = normaliseEmail(payload.email);
  if (!email) throw invalid('The token\'s "email" claim is not an email address.');
  const displayName = cleanDisplayName(payload.name);
  if (!displayName)
    throw invalid('The token\'s "name" claim is empty or uses disallowed characters.');
  if (payload.badges !== undefined && !Array.isArray(payload.badges)) {
    throw invalid('The token\'s "badges" claim must be an array of strings.');
  }
  const role = readRoleClaim(payload.role);
  return {
    provider: ssoProvider(siteId),
    subject,
    email,
    emailVerified: true,
    displayName,
    avatarUrl: cleanAvatarUrl(payload.avatar),
    badges: cleanBadges(payload.badges),
    ...(role && { role }),
  };
}
