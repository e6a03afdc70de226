/**
 * Stories as moderators manage them: listed on the sites in scope, and their settings (closed,
 * pre-moderated, live updates) locked and written.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import { toFlag } from '../rows.ts';
import type { Database } from '../schema.ts';
import { likePattern, type SiteScope } from './filters.ts';

type Db = Kysely<Database>;

export interface StorySettings {
  closed: boolean;
  premoderated: boolean;
  liveUpdates: boolean;
}

export async function lockStorySettings(
  trx: Db,
  id: string,
): Promise<(StorySettings & { siteId: string }) | undefined> {
  const row = await trx
    .updateTable('stories')
    .set({ closed: sql`closed` })
    .where('id', '=', id)
    .returning(['site_id', 'closed', 'premoderated', 'live_updates'])
    .executeTakeFirst();
  return (
    row && {
      siteId: row.site_id,
      closed: toFlag(row.closed),
      premoderated: toFlag(row.premoderated),
      liveUpdates: toFlag(row.live_updates),
    }
  );
}

export async function writeStorySettings(trx: Db, id: string, s: StorySettings): Promise<void> {
  await trx
    .updateTable('stories')
    .set({
      closed: s.closed ? 1 : 0,
      premoderated: s.premoderated ? 1 : 0,
      live_updates: s.liveUpdates ? 1 : 0,
    })
    .where('id', '=', id)
    .execute();
}

/** Stories on the sites in scope, newest first, optionally by title or URL. */
export async function listStories(
  db: Db,
  filter: { scope: SiteScope; siteId?: string | undefined; q?: string | undefined },
  page: { cursor?: string | undefined; limit: number },
): Promise<{ stories: Selectable<Database['stories']>[]; nextCursor: string | null }> {
  let q = db.selectFrom('stories').selectAll();
  if (filter.scope !== null) q = q.where('site_id', 'in', filter.scope);
  if (filter.siteId) q = q.where('site_id', '=', filter.siteId);
  if (filter.q) {
    const pattern = likePattern(filter.q);
    q = q.where((eb) =>
      eb.or([
        eb(sql<string>`lower(coalesce(title, ''))`, 'like', pattern),
        eb(sql<string>`lower(url)`, 'like', pattern),
      ]),
    );
  }
  if (page.cursor) q = q.where('id', '<', page.cursor);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(page.limit + 1)
    .execute();
  const stories = rows.slice(0, page.limit);
  return {
    stories,
    nextCursor: rows.length > page.limit ? (stories.at(-1)?.id ?? null) : null,
  };
}
