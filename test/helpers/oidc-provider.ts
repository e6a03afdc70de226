/**
 * A real OpenID Connect provider for tests: `oidc-provider` (the certified implementation) on
 * 127.0.0.1, with one confidential client registered for the given redirect URIs, its development
 * log-in and consent pages, and accounts the test defines (claims per account id).
 *
 * Logging in, by hand or with a browser: the provider's login page is a form with
 * `input[name=login]` (type an account id, e.g. `alice`), `input[name=password]` (anything) and a
 * submit button; then a consent page with one submit button ("Continue"). `signIn()` does the
 * same over plain HTTP (fetch, the provider's cookies carried by hand) and answers the URL the
 * provider finally redirects to (the relying party's callback, with `code` and `state`).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { Configuration, default as ProviderClass } from 'oidc-provider';

export interface AccountClaims {
  email?: string;
  email_verified?: boolean;
  name?: string;
  picture?: string;
  [claim: string]: unknown;
}

export interface OidcProviderOptions {
  redirectUris: string[];
  /** Accounts by id (the `sub`); more can be added later with `addAccount`. */
  accounts?: Record<string, AccountClaims>;
  /**
   * Put the scopes' claims (email, name…) in the ID token too. By default the provider follows the
   * core spec strictly and gives them only through UserInfo, as some real providers do.
   */
  claimsInIdToken?: boolean;
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The account ids the login page accepts (any password). */
  accounts: Map<string, AccountClaims>;
  addAccount(id: string, claims: AccountClaims): void;
  /**
   * Follows `startUrl` (e.g. Parley's /auth/oidc/start) through the provider's login and consent
   * pages as `accountId`; answers the redirect to the relying party's callback, not followed.
   * With `cancel`, the login is aborted instead (the callback gets `error=access_denied`).
   */
  signIn(startUrl: string, accountId: string, options?: { cancel?: boolean }): Promise<string>;
  close(): Promise<void>;
}

/** Cookies by name, as a browser would keep them for this one host (paths ignored). */
class CookieJar {
  private readonly cookies = new Map<string, string>();

  take(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';');
      const at = pair.indexOf('=');
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => {
        const [key = '', v = ''] = a.trim().split('=');
        const lower = key.toLowerCase();
        return (
          (lower === 'max-age' && Number(v) <= 0) ||
          (lower === 'expires' && Date.parse(v) <= Date.now())
        );
      });
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

export async function startOidcProvider(options: OidcProviderOptions): Promise<TestOidcProvider> {
  const accounts = new Map(Object.entries(options.accounts ?? {}));
  const clientId = `parley-${randomBytes(4).toString('hex')}`;
  const clientSecret = randomBytes(32).toString('base64url');
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const signingKey = {
    ...privateKey.export({ format: 'jwk' }),
    kid: 'test-rs256',
    use: 'sig',
    alg: 'RS256',
  };

  const configuration: Configuration = {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: options.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'picture'],
    },
    conformIdTokenClaims: !options.claimsInIdToken,
    features: { devInteractions: { enabled: true } },
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(16).toString('hex')] },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      Grant: 3600,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
    },
    async findAccount(_ctx, id) {
      const claims = accounts.get(id);
      if (!claims) return undefined;
      return { accountId: id, claims: async () => ({ sub: id, ...claims }) };
    },
  };

  // oidc-provider prints start-up advice (development adapter, devInteractions, the Node version
  // it prefers) when loaded and built; a test's output is not the place for it.
  const warn = console.warn;
  const info = console.info;
  console.warn = console.info = () => undefined;
  let server: Server;
  let issuer: string;
  try {
    const { default: Provider } = await import('oidc-provider');
    ({ server, issuer } = await listen(Provider, configuration));
  } finally {
    console.warn = warn;
    console.info = info;
  }

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    addAccount: (id, claims) => void accounts.set(id, claims),
    signIn: (startUrl, accountId, signInOptions = {}) =>
      driveLogin(startUrl, issuer, accountId, signInOptions.cancel ?? false),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The provider must know its issuer, port included, before it listens: find a free port first. */
async function listen(
  Provider: typeof ProviderClass,
  configuration: Configuration,
): Promise<{ server: Server; issuer: string }> {
  const port = await new Promise<number>((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port: free } = probe.address() as AddressInfo;
      probe.close(() => resolve(free));
    });
  });
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, configuration);
  const server = await new Promise<Server>((resolve) => {
    const listening: Server = provider.listen(port, '127.0.0.1', () => resolve(listening));
  });
  return { server, issuer };
}

const formAction = (html: string): string => {
  const match = /<form[^>]*action="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error(`no form on the provider's page: ${html.slice(0, 300)}`);
  return match[1].replace(/&amp;/g, '&');
};

async function driveLogin(
  startUrl: string,
  issuer: string,
  accountId: string,
  cancel: boolean,
): Promise<string> {
  const jar = new CookieJar();
  let url = startUrl;
  let form: Record<string, string> | undefined;
  for (let step = 0; step < 20; step++) {
    const onProvider = url.startsWith(issuer);
    if (!onProvider && step > 0) return url;
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        ...(onProvider && { cookie: jar.header() }),
        ...(form && { 'content-type': 'application/x-www-form-urlencoded' }),
      },
      ...(form && { body: new URLSearchParams(form).toString() }),
    });
    if (onProvider) jar.take(response);
    form = undefined;
    const location = response.headers.get('location');
    if (location) {
      await response.body?.cancel();
      url = new URL(location, url).href;
      continue;
    }
    const html = await response.text();
    if (response.status !== 200 || !onProvider) {
      throw new Error(`unexpected answer from ${url}: ${response.status} ${html.slice(0, 300)}`);
    }
    const action = new URL(formAction(html), url).href;
    if (cancel) {
      url = `${action.replace(/\/$/, '')}/abort`;
    } else if (html.includes('name="login"')) {
      url = action;
      form = { prompt: 'login', login: accountId, password: 'any password' };
    } else {
      url = action;
      form = { prompt: 'consent' };
    }
  }
  throw new Error('the provider kept redirecting');
}
