/**
 * The moderator's session (bearer access token, refresh token, who they are), kept in localStorage
 * so that every tab of the same browser profile shares it: opening a queue in a second tab does not
 * ask for the password again, and signing out in one tab signs out all of them.
 *
 * Why localStorage and not sessionStorage (the earlier choice):
 * - Script running in the dashboard's tab can read either store and act with the token while the
 *   page is open. localStorage widens that: a script running in any other page of Parley's origin
 *   (the account pages, the sign-in popup), in any tab, could read the refresh token too, where
 *   sessionStorage kept it to the dashboard's tab. The defence is that every page of the origin is
 *   Parley's own, under the same strict Content-Security-Policy, with comment HTML sanitised on
 *   the server; no publisher or reader content runs there.
 * - What localStorage adds is persistence after the tab closes, on a possibly shared newsroom
 *   machine. It is bounded: the access token lives an hour (src/credentials/tokens.ts
 *   ACCESS_TOKEN_SECONDS), the refresh token 30 days, single use and rotated, revoked on sign-out;
 *   the stored entry carries its own `expiresAt`, and an entry read after it (plus the refresh
 *   token's lifetime) is dropped instead of used. Signing out removes the entry in every tab
 *   (`storage` event, see subscribeSession) and revokes the token on the server.
 * - A refresh token is single use and "presented twice ends the session", so two tabs must not
 *   renew the same one: renewals run one at a time across tabs (Web Locks, withSessionLock), and a
 *   tab that waited reads the store again and takes the session another tab already renewed.
 * If storage is disabled, the session lasts until the page is reloaded.
 */
import type { Viewer } from '../api/types.js';

const KEY = 'parley:admin:session';
/** The earlier per-tab store: read once (and moved) so a signed-in tab stays signed in. */
const LEGACY_STORE = () => (typeof sessionStorage === 'undefined' ? null : sessionStorage);
/** As src/credentials/tokens.ts REFRESH_TOKEN_DAYS: beyond it a stored refresh token is worthless. */
const REFRESH_TOKEN_MS = 30 * 86_400_000;

export interface StoredSession {
  readonly token: string;
  /** Renews the access token when it expires (single use; each refresh brings the next). */
  readonly refreshToken?: string | undefined;
  readonly user: Viewer;
  /** When the access token expires (ms since the epoch), from the server's `expiresIn`. */
  readonly expiresAt?: number | undefined;
}

const store = (): Storage | null => {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
};

/** A stored entry, or null when it is missing, malformed or past any use. */
export function parseSession(text: string | null, now: number = Date.now()): StoredSession | null {
  if (!text) return null;
  try {
    const parsed = JSON.parse(text) as Partial<StoredSession> | null;
    if (!parsed || typeof parsed.token !== 'string' || !parsed.user) return null;
    if (typeof parsed.expiresAt === 'number') {
      // An expired access token is still useful while its refresh token may be: renewed on use.
      const usableUntil = parsed.refreshToken
        ? parsed.expiresAt + REFRESH_TOKEN_MS
        : parsed.expiresAt;
      if (now >= usableUntil) return null;
    }
    return parsed as StoredSession;
  } catch {
    return null;
  }
}

export function readSession(): StoredSession | null {
  try {
    const local = store();
    const session = parseSession(local?.getItem(KEY) ?? null);
    if (session) return session;
    local?.removeItem(KEY);
    // A tab signed in before sessions were shared: move its session over.
    const legacy = LEGACY_STORE();
    const moved = parseSession(legacy?.getItem(KEY) ?? null);
    if (moved) {
      legacy?.removeItem(KEY);
      local?.setItem(KEY, JSON.stringify(moved));
    }
    return moved;
  } catch {
    return null;
  }
}

/** Stores the session (with its expiry when the server said it), or forgets it everywhere. */
export function writeSession(
  session: (StoredSession & { readonly expiresIn?: number | undefined }) | null,
): StoredSession | null {
  try {
    if (!session) {
      store()?.removeItem(KEY);
      LEGACY_STORE()?.removeItem(KEY);
      return null;
    }
    const { expiresIn, ...rest } = session;
    const stored: StoredSession =
      typeof expiresIn === 'number' ? { ...rest, expiresAt: Date.now() + expiresIn * 1000 } : rest;
    store()?.setItem(KEY, JSON.stringify(stored));
    return stored;
  } catch {
    // Storage disabled: the session lasts until the page is reloaded.
    return session;
  }
}

/**
 * Calls `onChange` when another tab signs in, renews or signs out (the `storage` event fires only
 * in the other tabs). Answers the unsubscribe function.
 */
export function subscribeSession(onChange: (session: StoredSession | null) => void): () => void {
  const listener = (event: StorageEvent) => {
    // key null: the whole store was cleared.
    if (event.key !== null && event.key !== KEY) return;
    onChange(parseSession(event.newValue));
  };
  window.addEventListener('storage', listener);
  return () => window.removeEventListener('storage', listener);
}

/** Runs `run` while no other tab of this browser runs its own (token renewal); plain without locks. */
export function withSessionLock<T>(run: () => Promise<T>): Promise<T> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return run();
  return locks.request(`${KEY}:refresh`, run) as Promise<T>;
}

export const isStaffRole = (role: string): boolean => role === 'admin' || role === 'moderator';
