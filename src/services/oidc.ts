/**
 * OpenID Connect sign-in (docs/identity.md): the authorization code flow with PKCE (S256), state
 * and nonce, against the provider a site names by its issuer URL. The protocol work is
 * oauth4webapi's (discovery, the authorization response, the token request, ID token claims:
 * iss, aud, azp, exp, nonce); the ID token's signature is checked against the provider's JWKS
 * too, although it came straight from the token endpoint.
 *
 * A login in flight is a row of oidc_states (10 minutes, taken once), so that any Parley process
 * can answer the callback.
 */
import * as oauth from 'oauth4webapi';
import type { OidcSettings } from '../domain/auth-settings.ts';
import { ParleyError } from '../domain/errors.ts';
import { isSecureOrLoopbackUrl } from '../domain/origin.ts';
import type { Store } from '../store/db.ts';
import {
  insertOidcState,
  pruneOidcStates,
  takeOidcState,
  type OidcState,
} from '../store/identities.ts';
import type { Site } from '../store/rows.ts';
import {
  cleanAvatarUrl,
  cleanDisplayName,
  cleanIdentifier,
  normaliseEmail,
  type ExternalProfile,
} from './identity.ts';

export const OIDC_STATE_TTL_MS = 10 * 60_000;
const DISCOVERY_TTL_MS = 10 * 60_000;
const HTTP_TIMEOUT_MS = 10_000;
/** One login in this many also deletes the logins that were never finished. */
const PRUNE_ONE_IN = 50;
/** Opaque values we generate are base64url; anything else in `state` is not ours. */
const STATE_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

export const oidcProvider = (siteId: string) => `oidc:${siteId}`;

const failed = (message: string) => new ParleyError('OIDC_FAILED', message);

/** The site's provider, when the site offers it. */
export function requireOidc(site: Site): OidcSettings {
  const settings = site.auth.oidc;
  if (!site.auth.methods.oidc || !settings) {
    throw new ParleyError('OIDC_DISABLED', 'This site does not offer that sign-in.');
  }
  if (!isSecureOrLoopbackUrl(settings.issuer)) {
    throw new ParleyError('OIDC_DISABLED', 'The site’s sign-in provider must use https.');
  }
  return settings;
}

export class OidcClient {
  private readonly discoveries = new Map<
    string,
    { server: oauth.AuthorizationServer; until: number }
  >();
  readonly redirectUri: string;

  constructor(
    private readonly store: Store,
    publicUrl: string,
  ) {
    this.redirectUri = `${publicUrl}/api/v1/auth/oidc/callback`;
  }

  /** Starts a login: stores state, nonce and verifier, and answers the provider's URL. */
  async begin(site: Site, origin: string): Promise<string> {
    const settings = requireOidc(site);
    const server = await this.discover(settings.issuer);
    if (!server.authorization_endpoint) {
      throw failed('The provider’s discovery document names no authorization endpoint.');
    }
    const login: OidcState = {
      state: oauth.generateRandomState(),
      siteId: site.id,
      origin,
      nonce: oauth.generateRandomNonce(),
      codeVerifier: oauth.generateRandomCodeVerifier(),
    };
    await insertOidcState(this.store.db, login, OIDC_STATE_TTL_MS);
    if (Math.random() * PRUNE_ONE_IN < 1) await pruneOidcStates(this.store.db);

    const url = new URL(server.authorization_endpoint);
    const scopes = ['openid', ...settings.scopes.filter((scope) => scope !== 'openid')];
    url.search = new URLSearchParams({
      client_id: settings.clientId,
      redirect_uri: this.redirectUri,
      response_type: 'code',
      scope: scopes.join(' '),
      state: login.state,
      nonce: login.nonce,
      code_challenge: await oauth.calculatePKCECodeChallenge(login.codeVerifier),
      code_challenge_method: 'S256',
    }).toString();
    return url.href;
  }

  /** The login a callback finishes, once: a replayed or forged state finds nothing. */
  async takeLogin(state: string | undefined): Promise<OidcState> {
    const login =
      state && STATE_PATTERN.test(state) ? await takeOidcState(this.store.db, state) : undefined;
    if (!login) {
      throw new ParleyError(
        'OIDC_STATE_INVALID',
        'This sign-in has expired or was already finished. Close this window and sign in again.',
      );
    }
    return login;
  }

  /**
   * Finishes a login from the provider's redirect: checks the response, trades the code (with the
   * PKCE verifier) for tokens, validates the ID token, and answers the reader's profile.
   */
  async finish(site: Site, login: OidcState, callbackUrl: URL): Promise<ExternalProfile> {
    const settings = requireOidc(site);
    const server = await this.discover(settings.issuer);
    const client: oauth.Client = { client_id: settings.clientId };
    const options = this.httpOptions(settings.issuer);
    try {
      const parameters = oauth.validateAuthResponse(server, client, callbackUrl, login.state);
      const response = await oauth.authorizationCodeGrantRequest(
        server,
        client,
        clientAuthentication(server, settings),
        parameters,
        this.redirectUri,
        login.codeVerifier,
        options,
      );
      const tokens = await oauth.processAuthorizationCodeResponse(server, client, response, {
        expectedNonce: login.nonce,
        requireIdToken: true,
      });
      await oauth.validateApplicationLevelSignature(server, response, options);
      let claims: Record<string, unknown> = { ...oauth.getValidatedIdTokenClaims(tokens) };
      if (typeof claims.email !== 'string' && server.userinfo_endpoint) {
        // Providers that follow the core spec to the letter put profile claims in UserInfo only.
        const info = await oauth.processUserInfoResponse(
          server,
          client,
          claims.sub as string,
          await oauth.userInfoRequest(server, client, tokens.access_token, options),
        );
        claims = { ...info, ...claims, email: info.email, email_verified: info.email_verified };
      }
      return profileFromClaims(site.id, claims);
    } catch (error) {
      throw describeFailure(error);
    }
  }

  /** The provider's discovery document, kept for ten minutes. */
  private async discover(issuer: string): Promise<oauth.AuthorizationServer> {
    const known = this.discoveries.get(issuer);
    if (known && known.until > Date.now()) return known.server;
    const issuerUrl = new URL(issuer);
    let server: oauth.AuthorizationServer;
    try {
      const response = await oauth.discoveryRequest(issuerUrl, {
        ...this.httpOptions(issuer),
        algorithm: 'oidc',
      });
      server = await oauth.processDiscoveryResponse(issuerUrl, response);
    } catch (error) {
      throw failed(`The sign-in provider could not be reached (${describeCause(error)}).`);
    }
    this.discoveries.set(issuer, { server, until: Date.now() + DISCOVERY_TTL_MS });
    return server;
  }

  /** Plain http is allowed only to a provider on this machine (requireOidc checked the issuer). */
  private httpOptions(issuer: string) {
    return {
      [oauth.allowInsecureRequests]: new URL(issuer).protocol === 'http:',
      signal: () => AbortSignal.timeout(HTTP_TIMEOUT_MS),
    };
  }
}

/** The client secret as the provider wants it: HTTP Basic (the default) or in the form. */
function clientAuthentication(server: oauth.AuthorizationServer, settings: OidcSettings) {
  if (!settings.clientSecret) return oauth.None();
  const supported = server.token_endpoint_auth_methods_supported;
  return supported &&
    !supported.includes('client_secret_basic') &&
    supported.includes('client_secret_post')
    ? oauth.ClientSecretPost(settings.clientSecret)
    : oauth.ClientSecretBasic(settings.clientSecret);
}

function profileFromClaims(siteId: string, claims: Record<string, unknown>): ExternalProfile {
  const subject = cleanIdentifier(claims.sub);
  if (subject === null) throw failed('The provider named the reader with an unusable "sub".');
  const email = normaliseEmail(claims.email);
  if (!email) {
    throw failed(
      'The provider did not give an email address; the site must ask for the "email" scope.',
    );
  }
  const joined = [claims.given_name, claims.family_name]
    .filter((v) => typeof v === 'string')
    .join(' ');
  const displayName =
    cleanDisplayName(claims.name) ??
    cleanDisplayName(joined) ??
    cleanDisplayName(claims.preferred_username) ??
    cleanDisplayName(email.split('@')[0]) ??
    'Reader';
  return {
    provider: oidcProvider(siteId),
    subject,
    email,
    emailVerified: claims.email_verified === true,
    displayName,
    avatarUrl: cleanAvatarUrl(claims.picture),
  };
}

/** What went wrong, in words for the reader; never the secrets or tokens involved. */
function describeFailure(error: unknown): ParleyError {
  if (error instanceof ParleyError) return error;
  if (error instanceof oauth.AuthorizationResponseError) {
    return error.error === 'access_denied'
      ? failed('Sign-in was cancelled at the provider.')
      : failed(`The provider refused the sign-in (${error.error}).`);
  }
  if (error instanceof oauth.ResponseBodyError) {
    return failed(`The provider did not accept the sign-in code (${error.error}).`);
  }
  return failed(`The provider’s answer could not be checked (${describeCause(error)}).`);
}

function describeCause(error: unknown): string {
  if (error instanceof DOMException && error.name === 'TimeoutError') return 'it did not answer';
  if (
    error instanceof oauth.OperationProcessingError ||
    error instanceof oauth.UnsupportedOperationError
  ) {
    return error.message;
  }
  return error instanceof TypeError ? 'it did not answer' : 'unexpected error';
}
