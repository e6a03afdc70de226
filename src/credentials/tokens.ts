/**
 * Bearer secrets: session tokens, mailed links' tokens and analysis API keys. Each is random, shown
 * to its holder once and stored only as its SHA-256 digest; each has a fixed shape, so anything
 * else is refused before a database lookup. The session lifetimes are here too, with the one
 * function that mints a session's pair of tokens (for a sign-in and for a refresh alike).
 */
import { createHash, randomBytes } from 'node:crypto';

/** Access tokens are short lived; the refresh token (rotated on each use) keeps a reader signed in. */
export const ACCESS_TOKEN_SECONDS = 60 * 60;
export const REFRESH_TOKEN_DAYS = 30;

/** What is stored of a secret: its SHA-256, hex. */
export const tokenDigest = (token: string): string =>
  createHash('sha256').update(token).digest('hex');

/** A fresh secret: 32 random bytes, base64url (43 characters). Tokens and mailed links. */
export const newToken = (): string => randomBytes(32).toString('base64url');

/** What newToken makes: anything else is refused before a database lookup. */
export const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** An analysis API key (Perspective's interface): "pk_" and 30 random bytes, base64url. */
export const newApiKey = (): string => `pk_${randomBytes(30).toString('base64url')}`;

/** What newApiKey makes. */
export const API_KEY_FORMAT = /^pk_[A-Za-z0-9_-]{40}$/;

/** What a client gets when it signs in or refreshes (the `Session` response schema). */
export interface IssuedSession {
  token: string;
  refreshToken: string;
  /** Seconds the access token is good for. */
  expiresIn: number;
}

/** What the sessions table keeps of a session's tokens: their digests and when each expires. */
export interface SessionDigests {
  tokenHash: string;
  expiresAt: Date;
  refreshHash: string;
  refreshExpiresAt: Date;
}

/** A new access token and refresh token: what the client is given, and what is stored of them. */
export function mintSessionTokens(now = Date.now()): {
  issued: IssuedSession;
  stored: SessionDigests;
} {
  const token = newToken();
  const refreshToken = newToken();
  return {
    issued: { token, refreshToken, expiresIn: ACCESS_TOKEN_SECONDS },
    stored: {
      tokenHash: tokenDigest(token),
      expiresAt: new Date(now + ACCESS_TOKEN_SECONDS * 1000),
      refreshHash: tokenDigest(refreshToken),
      refreshExpiresAt: new Date(now + REFRESH_TOKEN_DAYS * 86_400_000),
    },
  };
}
