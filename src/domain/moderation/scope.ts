/**
 * A moderator's reach over sites: admins and moderators of every site have no limit (null), other
 * moderators a list of site ids. One rule, used wherever a route, a service, an alert or the live
 * hub decides whether something on a site is a moderator's to see or act on; and who a site's
 * newsroom is (its staff), for Q&A answers, pinned comments and who cannot be ignored.
 */
import type { Role } from '../vocabulary.ts';

/** Whether the scope (null: every site) covers the site; something on no site only null covers. */
export const inScope = (scope: readonly string[] | null, siteId: string | null): boolean =>
  scope === null || (siteId !== null && scope.includes(siteId));

/**
 * The site's staff (its newsroom): admins, staff (journalists; the role is not limited to sites)
 * and the moderators of the site; never an erased account. A moderator of other sites only is a
 * reader here. With no site (null), only those whose reach is every site.
 */
export function isSiteStaff(
  user: { role: Role; moderatorSiteIds: readonly string[] | null; deletedAt: string | null },
  siteId: string | null,
): boolean {
  if (user.deletedAt !== null) return false;
  if (user.role === 'admin' || user.role === 'staff') return true;
  return user.role === 'moderator' && inScope(user.moderatorSiteIds, siteId);
}
