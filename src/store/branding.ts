/**
 * SQL for a site's branding (`sites.branding`, src/domain/branding.ts): read it, write it, and read
 * it together with the site's name as every mail of the site needs them.
 */
import type { Kysely } from 'kysely';
import { readBranding, storedBranding, type Branding } from '../domain/branding.ts';
import type { Database } from './schema.ts';

type Db = Kysely<Database>;

/** The site's name and branding; undefined when there is no such site. */
export async function getSiteBranding(
  db: Db,
  siteId: string,
): Promise<{ siteName: string; branding: Branding } | undefined> {
  const row = await db
    .selectFrom('sites')
    .select(['name', 'branding'])
    .where('id', '=', siteId)
    .executeTakeFirst();
  return row && { siteName: row.name, branding: readBranding(row.branding) };
}

/** Replaces the site's branding; false when there is no such site. */
export async function setSiteBranding(
  db: Db,
  siteId: string,
  branding: Branding,
): Promise<boolean> {
  const result = await db
    .updateTable('sites')
    .set({ branding: storedBranding(branding), updated_at: new Date().toISOString() })
    .where('id', '=', siteId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}
