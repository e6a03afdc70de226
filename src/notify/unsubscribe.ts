/**
 * One-click unsubscribe from notification mail (RFC 8058; docs/notifications.md, "Mail"). Every
 * notification carries a link that stops that kind of mail for its reader without signing in: in
 * the body, and in the `List-Unsubscribe` header that mail clients turn into an "Unsubscribe"
 * button (they POST to it; src/server/routes/unsubscribe.ts answers).
 *
 * The link names the reader and the kind of mail, and carries an HMAC-SHA256 of the two under a
 * key the installation makes for itself on first use (a random 32 bytes in `installation_secrets`,
 * shared by every process through the database: the first to insert it wins, every process then
 * reads the same one). The link does not expire: an old mail's link must still work, and all it
 * can ever do is turn one kind of mail off.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ID_PATTERN } from '../domain/ids.ts';
import { LIST_KINDS, type ListKind } from '../mail/templates.ts';
import { updateNotificationSettings } from '../store/notifications.ts';
import type { Database } from '../store/schema.ts';

type Db = Kysely<Database>;

/** Where the links point, under the public URL. */
export const UNSUBSCRIBE_PATH = '/unsubscribe';
const SECRET_NAME = 'unsubscribe';
/** What is signed, so that a signature made for something else can never pass for this. */
const PURPOSE = 'parley-unsubscribe-v1';

/**
 * A key of the installation's, created on first use. Race-safe across processes: every process
 * tries the same insert, the database keeps the first, and all read back that one.
 */
export async function installationSecret(db: Db, name: string): Promise<Buffer> {
  const read = () =>
    db
      .selectFrom('installation_secrets')
      .select('value')
      .where('name', '=', name)
      .executeTakeFirst();
  let row = await read();
  if (!row) {
    await db
      .insertInto('installation_secrets')
      .values({
        name,
        value: randomBytes(32).toString('base64url'),
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    row = await read();
  }
  if (!row) throw new Error(`the installation secret "${name}" could not be created`);
  return Buffer.from(row.value, 'base64url');
}

/** The key never changes once made: each database's is read once per process. */
const keys = new WeakMap<Db, Promise<Buffer>>();

/**
 * The signing key. Call it with the store's own `db`, outside any transaction (on SQLite a query
 * on `db` inside a transaction on the same connection would wait for ever).
 */
export function unsubscribeKey(db: Db): Promise<Buffer> {
  let key = keys.get(db);
  if (!key) {
    key = installationSecret(db, SECRET_NAME);
    keys.set(db, key);
    // A failure (the database away for a moment) is not remembered.
    key.catch(() => keys.delete(db));
  }
  return key;
}

export const isListKind = (value: unknown): value is ListKind =>
  typeof value === 'string' && (LIST_KINDS as readonly string[]).includes(value);

export function unsubscribeToken(key: Buffer, userId: string, kind: ListKind): string {
  return createHmac('sha256', key).update(`${PURPOSE}\n${userId}\n${kind}`).digest('base64url');
}

/** The absolute address a notification links to (and names in List-Unsubscribe). */
export function unsubscribeUrl(
  publicUrl: string,
  key: Buffer,
  userId: string,
  kind: ListKind,
): string {
  const query = new URLSearchParams({
    user: userId,
    kind,
    token: unsubscribeToken(key, userId, kind),
  });
  return `${publicUrl}${UNSUBSCRIBE_PATH}?${query.toString()}`;
}

const USER_ID = new RegExp(ID_PATTERN);
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export interface UnsubscribeLink {
  userId: string;
  kind: ListKind;
}

/** The reader and kind a link names, when its signature is right; null for anything else. */
export function checkUnsubscribeLink(
  key: Buffer,
  query: { user?: unknown; kind?: unknown; token?: unknown },
): UnsubscribeLink | null {
  const { user, kind, token } = query;
  if (typeof user !== 'string' || !USER_ID.test(user)) return null;
  if (!isListKind(kind) || typeof token !== 'string' || !TOKEN.test(token)) return null;
  const expected = Buffer.from(unsubscribeToken(key, user, kind), 'base64url');
  const given = Buffer.from(token, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { userId: user, kind };
}

/**
 * Turns that kind of mail off for the reader (a digest's link turns all mail off: it is the only
 * mail a reader in digest mode gets). Doing it twice changes nothing; a reader whose account is
 * gone has nothing left to stop. Returns the reader's interface language, or null when gone.
 */
export async function unsubscribe(
  db: Db,
  link: UnsubscribeLink,
): Promise<{ locale: string | null } | null> {
  const user = await db
    .selectFrom('users')
    .select(['locale', 'deleted_at'])
    .where('id', '=', link.userId)
    .executeTakeFirst();
  if (!user || user.deleted_at !== null) return null;
  await updateNotificationSettings(
    db,
    link.userId,
    link.kind === 'digest' ? { email: 'off' } : { kinds: { [link.kind]: false } },
  );
  return { locale: user.locale };
}
