/**
 * A reader ignoring another (docs/profiles.md, "Ignore"). The list is the reader's own, kept on
 * the server so that every device of theirs collapses the same comments; it is never part of a
 * thread page (which is shared between readers) and the ignored reader is never told. A site's
 * staff cannot be ignored from it: their replies speak for the newsroom (a correction, a warning,
 * a moderation note) and a reader who hid them would miss what the site needs them to read. The
 * site is the one the reader ignores from (the widget's); a moderator of other sites only is a
 * reader there. Without a site named, every account with a newsroom role is refused.
 */
import { ParleyError } from '../domain/errors.ts';
import { isSiteStaff } from '../domain/moderation/scope.ts';
import type { Store } from '../store/db.ts';
import {
  countIgnores,
  deleteIgnore,
  insertIgnore,
  isIgnoring,
  listIgnores,
  type IgnoredReader,
} from '../store/ignores.ts';
import type { User } from '../store/rows.ts';
import { getUser } from '../store/users.ts';

/** How many readers one reader may ignore. */
export const IGNORE_LIMIT = 1000;

export function readIgnores(store: Store, viewer: User): Promise<IgnoredReader[]> {
  return listIgnores(store.db, viewer.id);
}

/**
 * Ignores `otherId` from `siteId` (null: no site named); returns whether it was new (ignoring
 * twice changes nothing).
 */
export async function ignoreReader(
  store: Store,
  viewer: User,
  otherId: string,
  siteId: string | null = null,
): Promise<boolean> {
  if (otherId === viewer.id) {
    throw new ParleyError('CANNOT_IGNORE_SELF', 'You cannot ignore yourself.');
  }
  const other = await getUser(store.db, otherId);
  if (!other || other.deletedAt !== null) {
    throw new ParleyError('USER_NOT_FOUND', 'No such reader.');
  }
  const protectedStaff = siteId === null ? other.role !== 'commenter' : isSiteStaff(other, siteId);
  if (protectedStaff) {
    throw new ParleyError(
      'CANNOT_IGNORE_STAFF',
      'Staff and moderators cannot be ignored: their replies speak for the site.',
    );
  }
  return store.db.transaction().execute(async (trx) => {
    if (await isIgnoring(trx, viewer.id, otherId)) return false;
    if ((await countIgnores(trx, viewer.id)) >= IGNORE_LIMIT) {
      throw new ParleyError(
        'IGNORE_LIMIT',
        `You already ignore ${IGNORE_LIMIT} readers; stop ignoring some first.`,
      );
    }
    return insertIgnore(trx, viewer.id, otherId);
  });
}

/** Stops ignoring `otherId`; returns whether they were ignored. */
export function unignoreReader(store: Store, viewer: User, otherId: string): Promise<boolean> {
  return deleteIgnore(store.db, viewer.id, otherId);
}
