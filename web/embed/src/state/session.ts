/**
 * The signed-in viewer and their tokens: the access token sent with every request and the
 * single-use refresh token that renews it. Both live in localStorage under a key that names the
 * API origin, so two Parley installations on one publisher page never share a session, and the
 * tabs of one publisher share it (a tab reads the key again before refreshing, see auth-actions).
 */
import type { AuthResult, User } from '../api/types.js';
import { Emitter } from './emitter.js';

const SESSION = 'session';

export interface Tokens {
  readonly token: string;
  /** Null for a token stored by a version of the widget before refresh tokens. */
  readonly refreshToken: string | null;
  /** Marks the publisher's SSO token this session came from, so that it is not sent twice. */
  readonly sso?: string;
}

export class Session extends Emitter<typeof SESSION> {
  static readonly key = SESSION;
  private readonly storageKey: string;
  private tokens: Tokens | null;
  private currentUser: User | null = null;

  constructor(apiOrigin: string) {
    super();
    this.storageKey = `parley:token:${apiOrigin}`;
    this.tokens = readStorage(this.storageKey) || null;
  }

  get token(): string | null {
    return this.tokens && this.tokens.token;
  }

  get held(): Tokens | null {
    return this.tokens;
  }

  get user(): User | null {
    return this.currentUser;
  }

  /** A new session (or a refreshed one); `sso` marks the publisher's token it came from. */
  signIn({ token, refreshToken, user }: AuthResult, sso?: string): void {
    this.tokens = sso ? { token, refreshToken, sso } : { token, refreshToken };
    writeStorage(this.storageKey, this.tokens);
    this.setUser(user);
  }

  /**
   * Takes the tokens stored now, which another tab may have refreshed or removed; keeps the ones
   * in memory when storage cannot be read.
   */
  reload(): Tokens | null {
    const stored = readStorage(this.storageKey);
    if (stored !== undefined) this.tokens = stored;
    return this.tokens;
  }

  setUser(user: User): void {
    this.currentUser = user;
    this.emit(SESSION);
  }

  clear(): void {
    this.tokens = null;
    this.currentUser = null;
    writeStorage(this.storageKey, null);
    this.emit(SESSION);
  }
}

/** The stored tokens, null when there are none, undefined when storage is blocked. */
function readStorage(key: string): Tokens | null | undefined {
  try {
    const value = localStorage.getItem(key);
    if (!value) return null;
    // Earlier versions stored the bare access token.
    return value[0] === '{' ? (JSON.parse(value) as Tokens) : { token: value, refreshToken: null };
  } catch {
    return undefined;
  }
}

function writeStorage(key: string, tokens: Tokens | null): void {
  try {
    if (tokens === null) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify(tokens));
  } catch {
    // Storage may be blocked by the browser; the session then lasts as long as the page.
  }
}
