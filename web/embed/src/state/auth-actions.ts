/**
 * The viewer's session: restoring a stored one on page load, taking one from a sign-in (Parley's
 * popup, the publisher's SSO token), refreshing it when the access token has expired, and
 * signing out. Whenever the viewer changes, `afterChange` reloads what depends on them.
 */
import { ApiError } from '../api/client.js';
import type { ApiClient } from '../api/client.js';
import type { AuthResult } from '../api/types.js';
import type { Session } from './session.js';

export type AuthActions = ReturnType<typeof createAuthActions>;

/**
 * What only a signed-in reader's notices do, added by the features' module that shows them
 * (notify/writes.ts), so the widget's first-paint file does not carry it.
 */
export interface NoticeActions {
  resendVerification(): Promise<void>;
  /** Acknowledges the moderator's warning; the viewer comes back without it. */
  acknowledgeWarning(): Promise<void>;
}

export function createAuthActions(
  api: ApiClient,
  session: Session,
  lockName: string,
  afterChange: () => Promise<void>,
) {
  let refreshing: Promise<boolean> | null = null;

  const adopt = async (result: AuthResult, sso?: string): Promise<void> => {
    const before = session.user && session.user.id;
    session.signIn(result, sso);
    if (result.user.id !== before) await afterChange();
  };

  /** Looks up the viewer of a stored token; a token the server rejects is dropped by the client. */
  const restore = async (): Promise<void> => {
    if (!session.token) return;
    const me = await api.me().catch(() => null);
    if (me) session.setUser(me.user);
  };

  /**
   * Trades the refresh token for a new session, once for all the requests refused together and,
   * through a Web Lock where the browser has them, for all the tabs of the page's origin: a
   * refresh token is single use, and presenting a used one revokes the session.
   */
  const renew = async (stale: string): Promise<boolean> => {
    const held = session.reload();
    if (!held) return false;
    // Another tab, or an earlier call, has refreshed since `stale` was sent.
    if (held.token !== stale) return true;
    try {
      if (!held.refreshToken) throw new ApiError(401, '', '');
      session.signIn(await api.refresh(held.refreshToken), held.sso);
      return true;
    } catch (failure) {
      // Offline or a server error: keep the session for later. Refused: sign out here.
      if (failure instanceof ApiError && failure.status >= 400 && failure.status < 500) {
        if (failure.status === 429) return false;
        // Another tab (without Web Locks) renewed it a moment ago: take what it stored.
        if (failure.code === 'REFRESH_TOKEN_RACED') return session.reload()?.token !== stale;
        session.clear();
        await afterChange();
        return false;
      }
      throw failure;
    }
  };

  const actions = {
    restore,
    adopt,

    refresh: (stale: string): Promise<boolean> => {
      if (!refreshing) {
        const locks = typeof navigator !== 'undefined' && navigator.locks;
        const renewing = locks
          ? locks.request(lockName, () => renew(stale)).then((renewed) => renewed)
          : renew(stale);
        refreshing = renewing.finally(() => (refreshing = null));
      }
      return refreshing;
    },

    /**
     * Signs in with the publisher's token, unless the session held came from a token for the same
     * reader with the same profile (the same page shown again, or the next page: the publisher
     * signs a new token for each) and still works: each token traded opens a session.
     */
    sso: async (siteId: string, token: string): Promise<void> => {
      const mark = await ssoMark(siteId, token);
      if (session.held?.sso === mark) {
        await restore();
        if (session.user) return;
      }
      await adopt(await api.sso(siteId, token), mark);
    },

    /** Revoking the token is best effort: the widget forgets it either way. */
    logOut: async (): Promise<void> => {
      if (!session.token) return;
      await api.logOut().catch(() => undefined);
      session.clear();
      await afterChange();
    },
  };
  return actions as typeof actions & NoticeActions;
}

/**
 * What a session is marked with of the publisher's token it came from: a digest of the site and
 * the token's claims about the reader, leaving out those that change with every token (`jti`,
 * `iat`, `exp`, `nbf`), so that it holds nothing readable. Without Web Crypto (not a secure
 * context) or for a token it cannot read, the token's end: then only the same token matches.
 */
async function ssoMark(siteId: string, token: string): Promise<string> {
  try {
    const payload = (token.split('.')[1] as string).replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    for (const changing of ['jti', 'iat', 'exp', 'nbf']) delete claims[changing];
    const text = new TextEncoder().encode(siteId + JSON.stringify(claims));
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', text));
    return btoa(String.fromCharCode(...digest)).slice(0, 22);
  } catch {
    return token.slice(-16);
  }
}
