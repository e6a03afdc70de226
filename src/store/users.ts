/** SQL for users and their sign-in sessions (bearer tokens, stored as SHA-256 hashes). */
import type { Kysely } from 'kysely';
import { newId } from '../domain/ids.ts';
import type { Database, Role } from './schema.ts';
import { userFromRow, type User } from './rows.ts';

type Db = Kysely<Database>;

export interface NewUser {
  email: string;
  displayName: string;
  passwordHash: string | null;
  role: Role;
}

/** Inserts the user; returns undefined when the email is taken. */
export async function insertUser(db: Db, user: NewUser): Promise<User | undefined> {
  const row = await db
    .insertInto('users')
    .values({
      id: newId(),
      email: user.email,
      display_name: user.displayName,
      password_hash: user.passwordHash,
      role: user.role,
      created_at: new Date().toISOString(),
    })
    .onConflict((oc) => oc.column('email').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row && userFromRow(row);
}

export async function getUser(db: Db, id: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row && userFromRow(row);
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('users')
    .selectAll()
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

export async function setPasswordHash(db: Db, id: string, hash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: hash }).where('id', '=', id).execute();
}

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

/** The unexpired session with this token hash: its user and when it expires (epoch ms). */
export async function findSession(
  db: Db,
  tokenHash: string,
): Promise<{ user: User; expiresAt: number } | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .select('sessions.expires_at')
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.revoked_at', 'is', null)
    .where('users.deleted_at', 'is', null)
    .executeTakeFirst();
  const expiresAt = row ? new Date(row.expires_at).getTime() : 0;
  if (!row || expiresAt <= Date.now()) return undefined;
  return { user: userFromRow(row), expiresAt };
}

export async function deleteSession(db: Db, tokenHash: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
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
