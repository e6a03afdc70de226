/**
 * SQL for users and their sign-in sessions (access and refresh tokens, stored as SHA-256 hashes;
 * a session ends by being revoked, so a refresh token used twice can still be recognised).
 */
import { createHash } from 'node:crypto';
import type { ExpressionBuilder, Kysely } from 'kysely';
import { newId } from '../domain/ids.ts';
import type { Database, Role } from './schema.ts';
import { toIso, userFromRow, type User } from './rows.ts';

type Db = Kysely<Database>;

export interface NewUser {
  email: string;
  displayName: string;
  passwordHash: string | null;
  role: Role;
  /**
   * False for a reader's own sign-up, who must confirm the address. Accounts made by an operator
   * (the CLI, seeds, tests) are vouched for: verified from the start (the default).
   */
  emailVerified?: boolean;
  locale?: string | null;
}

/**
 * One provider the account signs in with (null: none), read with the user so that the viewer
 * says whether it is a local, SSO or OIDC account (one indexed lookup; `min`, not a sorted
 * `limit 1`, which made SQLite build a temporary B-tree for every session looked up).
 */
const identityProvider = (eb: ExpressionBuilder<Database, 'users'>) =>
  eb
    .selectFrom('user_identities')
    .select((e) => e.fn.min('user_identities.provider').as('provider'))
    .whereRef('user_identities.user_id', '=', 'users.id')
    .as('identity_provider');

/** Inserts the user; returns undefined when the email is taken. */
export async function insertUser(db: Db, user: NewUser): Promise<User | undefined> {
  const now = new Date().toISOString();
  const row = await db
    .insertInto('users')
    .values({
      id: newId(),
      email: user.email,
      display_name: user.displayName,
      password_hash: user.passwordHash,
      role: user.role,
      created_at: now,
      email_verified_at: user.emailVerified === false ? null : now,
      locale: user.locale ?? null,
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && userFromRow({ ...row, identity_provider: null });
}

export async function getUser(db: Db, id: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .select(identityProvider)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && userFromRow(row);
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
    .select(identityProvider)
    .where('email', '=', email)
    .executeTakeFirst();
  return row && userFromRow(row);
}

export async function countUsersWithRole(db: Db, role: Role): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', role)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Admins who stay admins: not erased, no deletion pending, and not `exceptId`. */
export async function countRemainingAdmins(db: Db, exceptId: string): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('id', '!=', exceptId)
    .where('deleted_at', 'is', null)
    .where('deletion_due_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function setPasswordHash(db: Db, id: string, hash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: hash }).where('id', '=', id).execute();
}

/**
 * Marks the address confirmed (keeping the first confirmation time) and clears a hard bounce
 * recorded on it: mail to the reader resumes (src/mail/sender.ts).
 */
export async function markEmailVerified(db: Db, id: string, at = new Date()): Promise<void> {
  const confirmed = await db
    .updateTable('users')
    .set({ email_verified_at: at.toISOString(), mail_bounced_at: null })
    .where('id', '=', id)
    .where('email_verified_at', 'is', null)
    .returning('email')
    .executeTakeFirst();
  if (confirmed) {
    await claimImportedProfiles(db, id, confirmed.email, at);
    return;
  }
  // Confirmed before, then bounced: confirming again is what lets notification mail resume.
  await db
    .updateTable('users')
    .set({ mail_bounced_at: null })
    .where('id', '=', id)
    .where('mail_bounced_at', 'is not', null)
    .execute();
}

/** How an imported author's address is kept (src/import/): its SHA-256, lowercased first. */
export function claimHash(email: string): string {
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

/**
 * A reader who confirms an address (a mailed link, SSO, a verified OIDC address) takes over the
 * profiles that imports made for that address: their comments become the reader's, later imports
 * of the same source credit the reader, and the imported profile is closed. Returns how many
 * profiles were claimed. Runs in the caller's transaction.
 */
export async function claimImportedProfiles(
  db: Db,
  userId: string,
  email: string,
  at = new Date(),
): Promise<number> {
  const profiles = await db
    .selectFrom('users')
    .select('id')
    .where('claim_email_hash', '=', claimHash(email))
    .where('imported_at', 'is not', null)
    .where('id', '!=', userId)
    .execute();
  for (const { id } of profiles) {
    await db
      .updateTable('comments')
      .set({ author_id: userId })
      .where('author_id', '=', id)
      .execute();
    await db
      .updateTable('import_sources')
      .set({ target_id: userId })
      .where('kind', '=', 'author')
      .where('target_id', '=', id)
      .execute();
    await db
      .updateTable('users')
      .set({ claim_email_hash: null, deleted_at: at.toISOString() })
      .where('id', '=', id)
      .execute();
  }
  return profiles.length;
}

/**
 * The account's new address, confirmed by the link mailed to it (no bounce recorded on it yet).
 * Throws on a taken address.
 */
export async function setConfirmedEmail(
  db: Db,
  id: string,
  email: string,
  at = new Date(),
): Promise<void> {
  await db
    .updateTable('users')
    .set({ email, email_verified_at: at.toISOString(), mail_bounced_at: null })
    .where('id', '=', id)
    .execute();
  await claimImportedProfiles(db, id, email, at);
}

/**
 * Renames the user unless they did so after `notSince` (null: the name may change at once).
 * Returns false when the limit refused it; the check and the write are one statement.
 */
export async function renameUser(
  db: Db,
  id: string,
  displayName: string,
  notSince: Date,
  at = new Date(),
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ display_name: displayName, display_name_changed_at: at.toISOString() })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('display_name_changed_at', 'is', null),
        eb('display_name_changed_at', '<=', notSince.toISOString()),
      ]),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

export async function setLocale(db: Db, id: string, locale: string): Promise<void> {
  await db.updateTable('users').set({ locale }).where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------
// Sessions

export interface NewSession {
  userId: string;
  tokenHash: string;
  expiresAt: Date;
  refreshHash: string;
  refreshExpiresAt: Date;
  method: string;
  ip: string | null;
  userAgent: string | null;
}

export async function insertSession(db: Db, session: NewSession): Promise<void> {
  await db
    .insertInto('sessions')
    .values({
      id: newId(),
      user_id: session.userId,
      token_hash: session.tokenHash,
      created_at: new Date().toISOString(),
      expires_at: session.expiresAt.toISOString(),
      refresh_hash: session.refreshHash,
      refresh_expires_at: session.refreshExpiresAt.toISOString(),
      method: session.method,
      ip: session.ip,
      user_agent: session.userAgent,
    })
    .execute();
}

/** The user holding an unexpired session with this token hash. */
export async function findSessionUser(db: Db, tokenHash: string): Promise<User | undefined> {
  return (await findSession(db, tokenHash))?.user;
}

/** The unexpired, unrevoked session with this token hash: its user and expiry (epoch ms). */
export async function findSession(
  db: Db,
  tokenHash: string,
): Promise<{ user: User; expiresAt: number } | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select(identityProvider)
    .select('sessions.expires_at')
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.revoked_at', 'is', null)
    .where('users.deleted_at', 'is', null)
    .executeTakeFirst();
  const expiresAt = row ? new Date(row.expires_at).getTime() : 0;
  if (!row || expiresAt <= Date.now()) return undefined;
  return { user: userFromRow(row), expiresAt };
}

/** Revokes the session of this access token; returns its id (undefined: none was open). */
export async function revokeSession(
  db: Db,
  tokenHash: string,
  at = new Date(),
): Promise<string | undefined> {
  const row = await db
    .updateTable('sessions')
    .set({ revoked_at: at.toISOString() })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

/** Revokes one of the user's sessions; its token hash, or undefined when it was not open. */
export async function revokeSessionById(
  db: Db,
  userId: string,
  sessionId: string,
  at = new Date(),
): Promise<string | undefined> {
  const row = await db
    .updateTable('sessions')
    .set({ revoked_at: at.toISOString() })
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('token_hash')
    .executeTakeFirst();
  return row?.token_hash;
}

/** Whether the user has written a comment on one of these sites (a moderator's reach). */
export async function hasCommentedOn(db: Db, userId: string, siteIds: string[]): Promise<boolean> {
  if (siteIds.length === 0) return false;
  const row = await db
    .selectFrom('comments')
    .select('id')
    .where('author_id', '=', userId)
    .where('site_id', 'in', siteIds)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Revokes every open session of the user, but the one of `exceptTokenHash`; returns how many. */
export async function revokeUserSessions(
  db: Db,
  userId: string,
  options: { exceptTokenHash?: string | null; at?: Date } = {},
): Promise<number> {
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: (options.at ?? new Date()).toISOString() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (options.exceptTokenHash) query = query.where('token_hash', '!=', options.exceptTokenHash);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export interface SessionSummary {
  id: string;
  method: string | null;
  ip: string | null;
  userAgent: string | null;
  createdAt: string;
  lastRefreshedAt: string | null;
  /** Until when the session can be renewed. */
  expiresAt: string;
  tokenHash: string;
}

/** The user's open sessions (not revoked, still renewable), newest first. */
export async function listSessions(
  db: Db,
  userId: string,
  now = new Date(),
): Promise<SessionSummary[]> {
  const at = now.toISOString();
  const rows = await db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('refresh_expires_at', '>', at),
        eb.and([eb('refresh_expires_at', 'is', null), eb('expires_at', '>', at)]),
      ]),
    )
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(200)
    .execute();
  return rows.map((row) => ({
    id: row.id,
    method: row.method,
    ip: row.ip,
    userAgent: row.user_agent,
    createdAt: toIso(row.created_at),
    lastRefreshedAt: toIso(row.last_refreshed_at),
    expiresAt: toIso(row.refresh_expires_at ?? row.expires_at),
    tokenHash: row.token_hash,
  }));
}

export interface Rotation {
  refreshHash: string;
  newTokenHash: string;
  expiresAt: Date;
  newRefreshHash: string;
  refreshExpiresAt: Date;
}

export type RotationResult =
  | { outcome: 'rotated'; userId: string; oldTokenHash: string }
  /** The refresh token had been used already: the session is now revoked. */
  | { outcome: 'reused'; userId: string; tokenHash: string }
  /** Used a moment ago (another tab of the same browser refreshing at once): refused, no harm. */
  | { outcome: 'raced' }
  | { outcome: 'invalid' };

/**
 * How long after a rotation the refresh token it replaced counts as a race rather than a theft.
 * Two tabs sharing one stored session both refresh when its access token runs out; without this
 * the second would end the session the first has just renewed. A thief who comes later is caught
 * as before, and one who comes within the window gets nothing (the token is spent).
 */
export const REFRESH_RACE_MS = 10_000;

/**
 * Trades a refresh token for new tokens. The UPDATE matches the presented refresh hash, so of two
 * concurrent uses exactly one rotates; the other then finds the hash as the session's previous
 * one, as would anyone replaying a copied token later, and that revokes the session (unless the
 * rotation was less than REFRESH_RACE_MS ago: then it is refused as a race, and nothing else).
 */
export async function rotateRefreshToken(
  db: Db,
  rotation: Rotation,
  now = new Date(),
): Promise<RotationResult> {
  const at = now.toISOString();
  const current = await db
    .selectFrom('sessions')
    .select(['id', 'user_id', 'token_hash'])
    .where('refresh_hash', '=', rotation.refreshHash)
    .where('revoked_at', 'is', null)
    .where('refresh_expires_at', '>', at)
    .executeTakeFirst();
  if (current) {
    const result = await db
      .updateTable('sessions')
      .set({
        token_hash: rotation.newTokenHash,
        expires_at: rotation.expiresAt.toISOString(),
        refresh_hash: rotation.newRefreshHash,
        refresh_expires_at: rotation.refreshExpiresAt.toISOString(),
        previous_refresh_hash: rotation.refreshHash,
        last_refreshed_at: at,
      })
      .where('id', '=', current.id)
      .where('refresh_hash', '=', rotation.refreshHash)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) {
      return { outcome: 'rotated', userId: current.user_id, oldTokenHash: current.token_hash };
    }
  }
  const raceCutoff = new Date(now.getTime() - REFRESH_RACE_MS).toISOString();
  const reused = await db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('previous_refresh_hash', '=', rotation.refreshHash)
    .where('revoked_at', 'is', null)
    .where('last_refreshed_at', '<', raceCutoff)
    .returning(['user_id', 'token_hash'])
    .executeTakeFirst();
  if (reused) return { outcome: 'reused', userId: reused.user_id, tokenHash: reused.token_hash };
  const raced = await db
    .selectFrom('sessions')
    .select('id')
    .where('previous_refresh_hash', '=', rotation.refreshHash)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return raced ? { outcome: 'raced' } : { outcome: 'invalid' };
}

/**
 * Records that the user has read their moderator's warning, which lets them post again. Only an
 * unacknowledged warning is touched, so a second call changes nothing; false when there was none.
 */
export async function acknowledgeWarning(
  db: Db,
  userId: string,
  at = new Date(),
): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ warning_acknowledged_at: at.toISOString() })
    .where('id', '=', userId)
    .where('warning', 'is not', null)
    .where('warning_acknowledged_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
