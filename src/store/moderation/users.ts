/**
 * Accounts as moderators see and change them: each with its restrictions and how many of its
 * comments are in each state; finding accounts by name, email and role; the state moderators'
 * actions lock and write (role and restrictions, kept before and after in the audit log); and
 * moderators' notes on an account.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { newId } from '../../domain/ids.ts';
import type { Role } from '../../domain/vocabulary.ts';
import { toFlag, toIso, userFromRow, type User, type UserRestrictions } from '../rows.ts';
import type { Database, UserNoteTable } from '../schema.ts';
import { likePattern, type SiteScope } from './filters.ts';

type Db = Kysely<Database>;

export interface ModeratedUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  createdAt: string;
  bannedAt: string | null;
  banReason: string | null;
  bannedSiteIds: string[] | null;
  suspendedUntil: string | null;
  suspendReason: string | null;
  alwaysPremoderate: boolean;
  warning: string | null;
  warningAcknowledgedAt: string | null;
  moderatorSiteIds: string[] | null;
  counts: { approved: number; pending: number; rejected: number };
}

const siteIdList = (json: string | null): string[] | null =>
  json === null ? null : (JSON.parse(json) as string[]);

/** Users with their restrictions and how many of their comments are in each state. */
export async function getModeratedUsers(
  db: Db,
  ids: string[],
): Promise<Map<string, ModeratedUser>> {
  if (ids.length === 0) return new Map();
  const [users, counts] = await Promise.all([
    db.selectFrom('users').selectAll().where('id', 'in', ids).execute(),
    // By author only: with a condition on status too, SQLite (without statistics) took the
    // status index and read every published comment of the installation (300 ms at 34,000).
    db
      .selectFrom('comments')
      .select(['author_id', 'status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('author_id', 'in', ids)
      .where('deleted_at', 'is', null)
      .groupBy(['author_id', 'status'])
      .execute(),
  ]);
  const byUser = new Map<string, ModeratedUser>();
  for (const u of users) {
    byUser.set(u.id, {
      id: u.id,
      name: u.display_name,
      email: u.email,
      role: u.role,
      createdAt: toIso(u.created_at),
      bannedAt: toIso(u.banned_at),
      banReason: u.ban_reason,
      bannedSiteIds: siteIdList(u.banned_site_ids),
      suspendedUntil: toIso(u.suspended_until),
      suspendReason: u.suspend_reason,
      alwaysPremoderate: toFlag(u.always_premoderate),
      warning: u.warning,
      warningAcknowledgedAt: toIso(u.warning_acknowledged_at),
      moderatorSiteIds: siteIdList(u.moderator_site_ids),
      counts: { approved: 0, pending: 0, rejected: 0 },
    });
  }
  for (const c of counts) {
    const user = byUser.get(c.author_id);
    if (user && c.status !== 'deleted') user.counts[c.status] = Number(c.n);
  }
  return byUser;
}

export async function getModeratedUser(db: Db, id: string): Promise<ModeratedUser | undefined> {
  return (await getModeratedUsers(db, [id])).get(id);
}

/** Whether the user in `userColumn` has written a comment on one of these sites (not empty). */
export const commentedOn = (userColumn: 'users.id' | 'a.user_id', siteIds: string[]) =>
  sql<boolean>`exists (select 1 from comments where comments.author_id = ${sql.ref(userColumn)}
    and comments.site_id in (${sql.join(siteIds)}))`;

/**
 * Users by name or email (case-insensitive substring; email unless nameOnly) and role, newest
 * first; with `activeOn`, only those who have commented on one of those sites.
 */
export async function listUsers(
  db: Db,
  filter: {
    q?: string | undefined;
    role?: Role | undefined;
    nameOnly?: boolean;
    activeOn?: SiteScope;
  },
  page: { cursor?: string | undefined; limit: number },
): Promise<{ users: ModeratedUser[]; nextCursor: string | null }> {
  let q = db.selectFrom('users').select('id');
  const activeOn = filter.activeOn;
  if (activeOn) {
    if (activeOn.length === 0) return { users: [], nextCursor: null };
    q = q.where(commentedOn('users.id', activeOn));
  }
  if (filter.q) {
    const pattern = likePattern(filter.q);
    q = q.where((eb) =>
      eb.or([
        eb(sql<string>`lower(display_name)`, 'like', pattern),
        ...(filter.nameOnly ? [] : [eb(sql<string>`lower(email)`, 'like', pattern)]),
      ]),
    );
  }
  if (filter.role) q = q.where('role', '=', filter.role);
  if (page.cursor) q = q.where('id', '<', page.cursor);
  const ids = (
    await q
      .orderBy('id', 'desc')
      .limit(page.limit + 1)
      .execute()
  ).map((r) => r.id);
  const shown = ids.slice(0, page.limit);
  const users = await getModeratedUsers(db, shown);
  return {
    users: shown.map((id) => users.get(id) as ModeratedUser),
    nextCursor: ids.length > page.limit ? (shown.at(-1) ?? null) : null,
  };
}

// ---------------------------------------------------------------------------------------------
// State moderators change

/** What moderators change on an account (role, restrictions), before and after in the audit log. */
export type UserState = Pick<User, 'role' | 'moderatorSiteIds'> & UserRestrictions;

export async function lockUserState(trx: Db, id: string): Promise<UserState | undefined> {
  const row = await trx
    .updateTable('users')
    .set({ role: sql`role` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  if (!row) return undefined;
  const user = userFromRow(row);
  return { role: user.role, moderatorSiteIds: user.moderatorSiteIds, ...user.restrictions };
}

const jsonList = (ids: string[] | null) => (ids === null ? null : JSON.stringify(ids));

export async function writeUserState(trx: Db, id: string, state: UserState): Promise<void> {
  await trx
    .updateTable('users')
    .set({
      role: state.role,
      moderator_site_ids: jsonList(state.moderatorSiteIds),
      banned_at: state.bannedAt,
      ban_reason: state.banReason,
      banned_site_ids: jsonList(state.bannedSiteIds),
      suspended_until: state.suspendedUntil,
      suspend_reason: state.suspendReason,
      warning: state.warning,
      warning_acknowledged_at: state.warningAcknowledgedAt,
      always_premoderate: state.alwaysPremoderate ? 1 : 0,
    })
    .where('id', '=', id)
    .execute();
}

// ---------------------------------------------------------------------------------------------
// Notes on users

export interface NoteRecord {
  id: string;
  text: string;
  by: { id: string; name: string };
  createdAt: string;
}

export async function insertNote(
  db: Db,
  note: { userId: string; authorId: string; text: string },
): Promise<string> {
  const id = newId();
  await db
    .insertInto('user_notes')
    .values({
      id,
      user_id: note.userId,
      author_id: note.authorId,
      text: note.text,
      created_at: new Date().toISOString(),
    })
    .execute();
  return id;
}

export async function listNotes(db: Db, userId: string, limit = 50): Promise<NoteRecord[]> {
  const rows = await db
    .selectFrom('user_notes as n')
    .leftJoin('users as u', 'u.id', 'n.author_id')
    .selectAll('n')
    .select('u.display_name as author_name')
    .where('n.user_id', '=', userId)
    .orderBy('n.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row: Selectable<UserNoteTable> & { author_name: string | null }) => ({
    id: row.id,
    text: row.text,
    by: { id: row.author_id ?? '', name: row.author_name ?? '[deleted]' },
    createdAt: toIso(row.created_at),
  }));
}
