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

  return {
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
     * Signs in with the publisher's token. A token already traded (the same page shown again)
     * is not sent twice: it is single use, and the session it opened is still held.
     */
    sso: async (siteId: string, token: string): Promise<void> => {
      const mark = token.slice(-16);
      const held = session.held;
      if (held && held.sso === mark) return restore();
      await adopt(await api.sso(siteId, token), mark);
    },

    resendVerification: () => api.resendVerification(),

    /** Acknowledges the moderator's warning; the viewer comes back without it. */
    acknowledgeWarning: async (): Promise<void> => {
      session.setUser((await api.acknowledgeWarning()).user);
    },

    /** Revoking the token is best effort: the widget forgets it either way. */
    logOut: async (): Promise<void> => {
      if (!session.token) return;
      await api.logOut().catch(() => undefined);
      session.clear();
      await afterChange();
    },
  };
}
