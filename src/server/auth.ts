/**
 * Who is asking: passwords (Argon2id), bearer tokens (random, stored only as SHA-256 hashes), and
 * the request's viewer, resolved once per request from the Authorization header.
 */
import { createHash, randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ParleyError } from '../domain/errors.ts';
import type { Store } from '../store/db.ts';
import type { User } from '../store/rows.ts';
import type { Role } from '../store/schema.ts';
import { findSession, findSessionUser, insertSession } from '../store/users.ts';

declare module 'fastify' {
  interface FastifyRequest {
    viewer: User | null;
    /** SHA-256 of the bearer token, when one was presented and valid. */
    tokenHash: string | null;
  }
  interface FastifyContextConfig {
    /** The route reads its Authorization header itself: it is not a reader's session (/metrics). */
    ownAuthorization?: boolean;
  }
}

/** Access tokens are short lived; the refresh token (rotated on every use) keeps a reader signed in. */
export const ACCESS_TOKEN_SECONDS = 60 * 60;
export const REFRESH_TOKEN_DAYS = 30;

// Argon2id (the library's default algorithm) with OWASP's second recommended parameter set.
const ARGON2_OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2_OPTIONS);

export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  if (!stored) return false;
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so timing does not reveal that. */
let decoyHash: Promise<string> | undefined;
export function decoyPasswordHash(): Promise<string> {
  decoyHash ??= hashPassword(randomBytes(16).toString('hex'));
  return decoyHash;
}

export const tokenDigest = (token: string): string =>
  createHash('sha256').update(token).digest('hex');

export type SignInMethod = 'password' | 'sso' | 'oidc';

/** What a client gets when it signs in or refreshes (the `Session` response schema). */
export interface IssuedSession {
  token: string;
  refreshToken: string;
  /** Seconds the access token is good for. */
  expiresIn: number;
}

/** A fresh secret: 32 random bytes, base64url (43 characters). Tokens and mailed links. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** What newToken makes: anything else is refused before a database lookup. */
export const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/**
 * Opens a session: an access token and a refresh token, both stored only as SHA-256 hashes. The
 * client address and user agent are kept for the sessions list and abuse handling, and erased by
 * the retention job like a comment's.
 */
export async function issueSession(
  store: Store,
  userId: string,
  context: { method: SignInMethod; ip?: string | null; userAgent?: string | null },
): Promise<IssuedSession> {
  const token = newToken();
  const refreshToken = newToken();
  const now = Date.now();
  await insertSession(store.db, {
    userId,
    tokenHash: tokenDigest(token),
    expiresAt: new Date(now + ACCESS_TOKEN_SECONDS * 1000),
    refreshHash: tokenDigest(refreshToken),
    refreshExpiresAt: new Date(now + REFRESH_TOKEN_DAYS * 86_400_000),
    method: context.method,
    ip: context.ip ?? null,
    userAgent: context.userAgent?.slice(0, 300) ?? null,
  });
  return { token, refreshToken, expiresIn: ACCESS_TOKEN_SECONDS };
}

const BEARER = /^Bearer ([A-Za-z0-9_-]{20,200})$/i;

/**
 * Signed-in users by token hash, for a short time: every request of a signed-in reader otherwise
 * costs a session lookup. A change made through this process (log-out, a ban, a role, a warning
 * read) forgets the entries at once; one made through another process is seen within the TTL.
 */
export class SessionCache {
  private readonly entries = new Map<string, { user: User; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(tokenHash: string): User | undefined {
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.until <= Date.now()) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry.user;
  }

  set(tokenHash: string, user: User, sessionExpiresAt: number): void {
    if (this.ttlMs <= 0) return;
    if (this.entries.size >= this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
    this.entries.set(tokenHash, {
      user,
      until: Math.min(Date.now() + this.ttlMs, sessionExpiresAt),
    });
  }

  forgetToken(tokenHash: string): void {
    this.entries.delete(tokenHash);
  }

  /** Forget every session of this user (their account changed). */
  forgetUser(userId: string): void {
    for (const [hash, entry] of this.entries) {
      if (entry.user.id === userId) this.entries.delete(hash);
    }
  }
}

export function installViewer(app: FastifyInstance, store: Store, sessions: SessionCache): void {
  app.decorateRequest('viewer', null);
  app.decorateRequest('tokenHash', null);
  app.addHook('onRequest', async (request) => {
    const header = request.headers.authorization;
    if (!header || request.routeOptions.config?.ownAuthorization) return;
    const match = BEARER.exec(header);
    if (!match?.[1]) {
      throw new ParleyError(
        'UNAUTHENTICATED',
        'The Authorization header must be "Bearer <token>".',
      );
    }
    const digest = tokenDigest(match[1]);
    let user = sessions.get(digest);
    if (!user) {
      const found = await findSession(store.db, digest);
      if (!found) {
        throw new ParleyError('UNAUTHENTICATED', 'Your session has expired; log in again.');
      }
      user = found.user;
      sessions.set(digest, user, found.expiresAt);
    }
    request.viewer = user;
    request.tokenHash = digest;
  });
}

export function requireViewer(request: FastifyRequest): User {
  if (!request.viewer) throw new ParleyError('UNAUTHENTICATED', 'Log in to do this.');
  return request.viewer;
}

export function requireRole(request: FastifyRequest, ...roles: Role[]): User {
  const viewer = requireViewer(request);
  if (!roles.includes(viewer.role)) {
    throw new ParleyError('FORBIDDEN', 'You do not have permission to do this.');
  }
  return viewer;
}

const QUERY_TOKEN = /^[A-Za-z0-9_-]{20,200}$/;

/**
 * The viewer of an event stream: from the Authorization header, or else from a `?token=` query
 * parameter, since EventSource cannot send headers (request logs mask it: app.ts).
 */
export async function streamViewer(
  store: Store,
  request: FastifyRequest,
  token: string | undefined,
): Promise<User | null> {
  if (request.viewer || token === undefined) return request.viewer;
  if (!QUERY_TOKEN.test(token)) {
    throw new ParleyError('UNAUTHENTICATED', 'That is not a session token.');
  }
  const user = await findSessionUser(store.db, tokenDigest(token));
  if (!user) throw new ParleyError('UNAUTHENTICATED', 'Your session has expired; log in again.');
  return user;
}
