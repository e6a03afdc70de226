/**
 * A moderator's reach over sites: admins and moderators of every site have no limit (null), other
 * moderators a list of site ids. One rule, used wherever a route, a service, an alert or the live
 * hub decides whether something on a site is a moderator's to see or act on.
 */

/** Whether the scope (null: every site) covers the site; something on no site only null covers. */
export const inScope = (scope: readonly string[] | null, siteId: string | null): boolean =>
  scope === null || (siteId !== null && scope.includes(siteId));
