/**
 * Opening a session for a user who has proved who they are (a password, an SSO token, an OIDC
 * provider, a confirmed sign-up): a pair of bearer tokens (src/credentials/tokens.ts), stored only
 * as digests. Refreshing and revoking sessions are in accounts.ts.
 */
import { mintSessionTokens, type IssuedSession } from '../credentials/tokens.ts';
import type { Store } from '../store/db.ts';
import { insertSession } from '../store/users.ts';

export type SignInMethod = 'password' | 'sso' | 'oidc';

/** Where a sign-in came from, as the sessions list shows it. */
export interface ClientContext {
  ip: string;
  userAgent: string | null;
}

/**
 * Opens a session. The client address and user agent are kept for the sessions list and abuse
 * handling, and erased by the retention job like a comment's.
 */
export async function issueSession(
  store: Store,
  userId: string,
  context: { method: SignInMethod; ip?: string | null; userAgent?: string | null },
): Promise<IssuedSession> {
  const { issued, stored } = mintSessionTokens();
  await insertSession(store.db, {
    userId,
    ...stored,
    method: context.method,
    ip: context.ip ?? null,
    userAgent: context.userAgent?.slice(0, 300) ?? null,
  });
  return issued;
}
