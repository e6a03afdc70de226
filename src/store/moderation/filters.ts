/**
 * How moderators' queries are narrowed: to the sites in a moderator's scope (and to one site or
 * story when asked), and by text (a case-insensitive substring pattern).
 */
import { sql } from 'kysely';
import type { CommentsQuery } from '../comments.ts';

/** Which sites a query may see: null means every site. */
export type SiteScope = string[] | null;

export interface QueueFilter {
  scope: SiteScope;
  siteId?: string | undefined;
  storyId?: string | undefined;
}

/** Restricts a comments query to the sites in scope (and to one site or story when asked). */
export function scoped(query: CommentsQuery, filter: QueueFilter): CommentsQuery {
  let q = query;
  if (filter.scope !== null) q = q.where('site_id', 'in', filter.scope);
  if (filter.siteId) q = q.where('site_id', '=', filter.siteId);
  if (filter.storyId) q = q.where('story_id', '=', filter.storyId);
  return q;
}

/** A LIKE pattern matching the text anywhere, case-insensitively (with `\` as escape). */
export function likePattern(text: string): ReturnType<typeof sql<string>> {
  const escaped = text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`);
  return sql<string>`${`%${escaped}%`} escape '\\'`;
}
