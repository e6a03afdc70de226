/**
 * SQL for sign-in through someone else: the external identities an account is known by
 * (`sso:<siteId>` or `oidc:<siteId>` plus the provider's subject), the SSO token ids already used
 * (each accepted once per site), and OpenID Connect logins in flight (state, nonce, PKCE verifier).
 */
import type { Kysely } from 'kysely';
import { newId } from '../domain/ids.ts';
import type { Database, Role } from './schema.ts';
import { userFromRow, type User } from './rows.ts';

type Db = Kysely<Database>;

/** The account signed in with this identity, if it has been seen before. */
export async function findIdentityUser(
  db: Db,
  provider: string,
  subject: string,
): Promise<User | undefined> {
  const row = await db
    .selectFrom('user_identities')
    .innerJoin('users', 'users.id', 'user_identities.user_id')
    .selectAll('users')
    .where('user_identities.provider', '=', provider)
    .where('user_identities.subject', '=', subject)
    .executeTakeFirst();
  return row && userFromRow(row);
}

/** Links the identity to the account; false when the identity is already linked (to anyone). */
export async function insertIdentity(
  db: Db,
  identity: { provider: string; subject: string; userId: string },
): Promise<boolean> {
  const row = await db
    .insertInto('user_identities')
    .values({
      provider: identity.provider,
      subject: identity.subject,
      user_id: identity.userId,
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.columns(['provider', 'subject']).doNothing())
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Which providers an account signs in with (`sso:<siteId>`, `oidc:<siteId>`). */
export async function listIdentityProviders(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('user_identities')
    .select('provider')
    .where('user_id', '=', userId)
    .orderBy('provider')
    .execute();
  return rows.map((row) => row.provider);
}

export interface NewExternalUser {
  email: string;
  displayName: string;
  role: Role;
  emailVerifiedAt: string | null;
  avatarUrl: string | null;
  badges: string[];
}

/** An account without a password; undefined when the address already has one. */
export async function insertExternalUser(db: Db, user: NewExternalUser): Promise<User | undefined> {
  const row = await db
    .insertInto('users')
    .values({
      id: newId(),
      email: user.email,
      display_name: user.displayName,
      password_hash: null,
      role: user.role,
      created_at: new Date().toISOString(),
      email_verified_at: user.emailVerifiedAt,
      avatar_url: user.avatarUrl,
      badges: JSON.stringify(user.badges),
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && userFromRow(row);
}

/** What a provider's sign-in changes on an account (keys left out stay as they are). */
export interface ExternalProfilePatch {
  email?: string;
  emailVerifiedAt?: string | null;
  displayName?: string;
  avatarUrl?: string | null;
  badges?: string[];
  role?: Role;
  moderatorSiteIds?: string[] | null;
}

export async function updateExternalProfile(
  db: Db,
  userId: string,
  patch: ExternalProfilePatch,
): Promise<User> {
  const row = await db
    .updateTable('users')
    .set({
      ...(patch.email !== undefined && { email: patch.email }),
      ...(patch.emailVerifiedAt !== undefined && { email_verified_at: patch.emailVerifiedAt }),
      ...(patch.displayName !== undefined && { display_name: patch.displayName }),
      ...(patch.avatarUrl !== undefined && { avatar_url: patch.avatarUrl }),
      ...(patch.badges !== undefined && { badges: JSON.stringify(patch.badges) }),
      ...(patch.role !== undefined && { role: patch.role }),
      ...(patch.moderatorSiteIds !== undefined && {
        moderator_site_ids:
          patch.moderatorSiteIds === null ? null : JSON.stringify(patch.moderatorSiteIds),
      }),
    })
    .where('id', '=', userId)
    .returningAll()
    .executeTakeFirstOrThrow();
  return userFromRow(row);
}

// ---------------------------------------------------------------------------------------------
// SSO token ids

/**
 * Records that a token id was used on a site; false when it already was (a replay). A row left
 * from a token that has expired since does not count: the id may be used again.
 */
export async function recordSsoTokenUse(
  db: Db,
  use: { siteId: string; jti: string; expiresAt: Date },
  now = new Date(),
): Promise<boolean> {
  const row = await db
    .insertInto('sso_token_uses')
    .values({ site_id: use.siteId, jti: use.jti, expires_at: use.expiresAt.toISOString() })
    .onConflict((oc) =>
      oc
        .columns(['site_id', 'jti'])
        .doUpdateSet({ expires_at: (eb) => eb.ref('excluded.expires_at') })
        .where('sso_token_uses.expires_at', '<=', now.toISOString()),
    )
    .returning('jti')
    .executeTakeFirst();
  return row !== undefined;
}

/** Forgets token ids whose tokens have expired (they would be refused as expired anyway). */
export async function pruneSsoTokenUses(db: Db, now = new Date()): Promise<number> {
  const result = await db
    .deleteFrom('sso_token_uses')
    .where('expires_at', '<=', now.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

// ---------------------------------------------------------------------------------------------
// OpenID Connect logins in flight

export interface OidcState {
  state: string;
  siteId: string;
  origin: string;
  nonce: string;
  codeVerifier: string;
}

export async function insertOidcState(db: Db, login: OidcState, ttlMs: number): Promise<void> {
  const now = Date.now();
  await db
    .insertInto('oidc_states')
    .values({
      state: login.state,
      site_id: login.siteId,
      origin: login.origin,
      nonce: login.nonce,
      code_verifier: login.codeVerifier,
      created_at: new Date(now).toISOString(),
      expires_at: new Date(now + ttlMs).toISOString(),
    })
    .execute();
}

/** Takes the login with this state, once: a second call (a replayed callback) finds nothing. */
export async function takeOidcState(
  db: Db,
  state: string,
  now = new Date(),
): Promise<OidcState | undefined> {
  const row = await db
    .deleteFrom('oidc_states')
    .where('state', '=', state)
    .returningAll()
    .executeTakeFirst();
  if (!row || new Date(row.expires_at).getTime() <= now.getTime()) return undefined;
  return {
    state: row.state,
    siteId: row.site_id,
    origin: row.origin,
    nonce: row.nonce,
    codeVerifier: row.code_verifier,
  };
}

/** Forgets logins that were never finished. */
export async function pruneOidcStates(db: Db, now = new Date()): Promise<number> {
  const result = await db
    .deleteFrom('oidc_states')
    .where('expires_at', '<=', now.toISOString())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
