/**
 * SQL for the links Parley mails (verify an address, reset a password, confirm a new address):
 * stored only as SHA-256 hashes, single use, short lived. Taking a token is one UPDATE that marks
 * it used only if it was unused and unexpired, so two clicks on the same link cannot both win.
 */
import type { Kysely } from 'kysely';
import { newId } from '../domain/ids.ts';
import type { Database, EmailTokenPurpose } from './schema.ts';

type Db = Kysely<Database>;

export interface NewEmailToken {
  userId: string;
  purpose: EmailTokenPurpose;
  tokenHash: string;
  /** For change-email: the address the account takes when the link is followed. */
  newEmail?: string | null;
  expiresAt: Date;
}

export async function insertEmailToken(db: Db, token: NewEmailToken): Promise<void> {
  await db
    .insertInto('email_tokens')
    .values({
      id: newId(),
      user_id: token.userId,
      purpose: token.purpose,
      token_hash: token.tokenHash,
      new_email: token.newEmail ?? null,
      expires_at: token.expiresAt.toISOString(),
      created_at: new Date().toISOString(),
    })
    .execute();
}

/**
 * Uses the token with this hash and purpose, once: undefined when there is none, or it was used,
 * or it has expired.
 */
export async function takeEmailToken(
  db: Db,
  purpose: EmailTokenPurpose,
  tokenHash: string,
  now = new Date(),
): Promise<{ userId: string; newEmail: string | null } | undefined> {
  const at = now.toISOString();
  const row = await db
    .updateTable('email_tokens')
    .set({ used_at: at })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .returning(['user_id', 'new_email'])
    .executeTakeFirst();
  return row && { userId: row.user_id, newEmail: row.new_email };
}

/**
 * Uses the account's one unused, unexpired token of this purpose (a sign-up's binding), once: its
 * stored hash, or undefined.
 */
export async function takeUserToken(
  db: Db,
  userId: string,
  purpose: EmailTokenPurpose,
  now = new Date(),
): Promise<string | undefined> {
  const at = now.toISOString();
  const row = await db
    .updateTable('email_tokens')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', at)
    .returning('token_hash')
    .executeTakeFirst();
  return row?.token_hash;
}

/** Spends every outstanding token of these purposes (the address or password they vouch for changed). */
export async function spendEmailTokens(
  db: Db,
  userId: string,
  purposes: EmailTokenPurpose[],
  now = new Date(),
): Promise<void> {
  await db
    .updateTable('email_tokens')
    .set({ used_at: now.toISOString() })
    .where('user_id', '=', userId)
    .where('purpose', 'in', purposes)
    .where('used_at', 'is', null)
    .execute();
}

/**
 * Whether mail of this template went to the account since `since`: links are not mailed again
 * and again to the same inbox (by anyone who types its address into a form).
 */
export async function mailedSince(
  db: Db,
  userId: string,
  template: string,
  since: Date,
): Promise<boolean> {
  const row = await db
    .selectFrom('mail_outbox')
    .select('id')
    .where('user_id', '=', userId)
    .where('template', '=', template)
    .where('created_at', '>', since.toISOString())
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
