/**
 * Who is asking: the request's viewer, resolved once per request from the Authorization header (or
 * an event stream's `?token=`), briefly cached by token; and the checks routes make of it. The
 * tokens themselves (their shape, digest and lifetimes) are src/credentials/tokens.ts's.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { tokenDigest } from '../credentials/tokens.ts';
import { ParleyError } from '../domain/errors.ts';
import type { Store } from '../store/db.ts';
import type { User } from '../store/rows.ts';
import type { Role } from '../store/schema.ts';
import { findSession, findSessionUser } from '../store/users.ts';

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
