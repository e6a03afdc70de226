/**
 * Signing up, logging in and out, and restoring a stored session on page load.
 */
import type { ApiClient } from '../api/client.js';
import type { User } from '../api/types.js';
import type { Session } from './session.js';

export type AuthActions = ReturnType<typeof createAuthActions>;

export function createAuthActions(api: ApiClient, session: Session) {
  return {
    /** Looks up the viewer of a stored token; a token the server rejects is dropped by the client. */
    restore: async (): Promise<void> => {
      if (!session.token) return;
      const me = await api.me().catch(() => null);
      if (me) session.setUser(me.user);
    },

    signUp: async (displayName: string, email: string, password: string): Promise<User> => {
      const { token, user } = await api.signUp(displayName, email, password);
      session.signIn(token, user);
      return user;
    },

    logIn: async (email: string, password: string): Promise<User> => {
      const { token, user } = await api.logIn(email, password);
      session.signIn(token, user);
      return user;
    },

    /** Acknowledges the moderator's warning; the viewer comes back without it. */
    acknowledgeWarning: async (): Promise<void> => {
      session.setUser((await api.acknowledgeWarning()).user);
    },

    /** Revoking the token is best effort: the widget forgets it either way. */
    logOut: async (): Promise<void> => {
      await api.logOut().catch(() => undefined);
      session.clear();
    },
  };
}
