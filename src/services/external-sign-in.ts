/**
 * Signing a reader in through someone else (docs/identity.md): a publisher's SSO token or an
 * OpenID Connect provider has vouched for a profile, which the reader's account follows
 * (./identity.ts), and a session is opened (./sessions.ts). Whether the site's role claims count
 * is decided here: only SSO's, and only when the site trusts them.
 */
import type { IssuedSession } from '../credentials/tokens.ts';
import type { Store } from '../store/db.ts';
import type { Site, User } from '../store/rows.ts';
import { signInExternal, type ExternalProfile } from './identity.ts';
import { issueSession, type ClientContext } from './sessions.ts';

export interface ExternalSignIn {
  site: Site;
  profile: ExternalProfile;
  method: 'sso' | 'oidc';
  client: ClientContext;
}

/**
 * Applies the profile to the reader's account (creating it on first sight) and opens a session.
 * `forgetUser` is told once the account has changed, before the session is opened, so that no
 * cached copy of the account outlives the change.
 */
export async function signInWithProfile(
  store: Store,
  { site, profile, method, client }: ExternalSignIn,
  forgetUser: (userId: string) => void,
): Promise<IssuedSession & { user: User }> {
  const { user } = await signInExternal(store, profile, {
    siteId: site.id,
    trustRoles: method === 'sso' && (site.auth.sso?.trustRoles ?? false),
  });
  forgetUser(user.id);
  const session = await issueSession(store, user.id, { method, ...client });
  return { ...session, user };
}
