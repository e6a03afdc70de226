/** SQL for sites (a publisher's site and the origins allowed to embed it). */
import type { Kysely } from 'kysely';
import { newId } from '../domain/ids.ts';
import type { ModerationSettings } from '../domain/moderation/types.ts';
import type { SiteAuthSettings } from '../domain/auth-settings.ts';
import type { Sort } from '../domain/thread.ts';
import type { Database } from './schema.ts';
import { siteFromRow, type Site } from './rows.ts';

type Db = Kysely<Database>;

export interface NewSite {
  name: string;
  allowedOrigins: string[];
  editWindowSeconds: number;
  maxDepth: number;
  locale?: string | null;
  id?: string;
  /** Moderation settings that differ from the defaults. */
  moderation?: Partial<ModerationSettings>;
  /** Sign-in settings that differ from the defaults. */
  auth?: Partial<SiteAuthSettings>;
  /** Server-rendered threads (default on). */
  rendering?: boolean;
  /** The thread order readers get unless they choose (default newest). */
  defaultSort?: Sort;
  /** Featured and newsroom comments lead the default order (default off). */
  pinNewsroom?: boolean;
}

export async function insertSite(db: Db, site: NewSite): Promise<Site> {
  const now = new Date().toISOString();
  const row = await db
    .insertInto('sites')
    .values({
      id: site.id ?? newId(),
      name: site.name,
      allowed_origins: JSON.stringify(site.allowedOrigins),
      edit_window_seconds: site.editWindowSeconds,
      max_depth: site.maxDepth,
      locale: site.locale ?? null,
      moderation: JSON.stringify(site.moderation ?? {}),
      auth: JSON.stringify(site.auth ?? {}),
      ...(site.rendering !== undefined && { rendering: site.rendering ? 1 : 0 }),
      ...(site.defaultSort !== undefined && { default_sort: site.defaultSort }),
      ...(site.pinNewsroom !== undefined && { pin_newsroom: site.pinNewsroom ? 1 : 0 }),
      created_at: now,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return siteFromRow(row);
}

export async function getSite(db: Db, id: string): Promise<Site | undefined> {
  const row = await db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();
  return row && siteFromRow(row);
}

export async function listSites(db: Db): Promise<Site[]> {
  const rows = await db.selectFrom('sites').selectAll().orderBy('id').execute();
  return rows.map(siteFromRow);
}

export type SitePatch = Partial<
  Pick<
    Site,
    'name' | 'allowedOrigins' | 'editWindowSeconds' | 'maxDepth' | 'locale' | 'moderation' | 'auth'
  >
> &
  Partial<Pick<Site, 'rendering'>> &
  Partial<Pick<Site, 'defaultSort' | 'pinNewsroom'>>;

export async function updateSite(db: Db, id: string, patch: SitePatch): Promise<Site | undefined> {
  const row = await db
    .updateTable('sites')
    .set({
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.allowedOrigins !== undefined && {
        allowed_origins: JSON.stringify(patch.allowedOrigins),
      }),
      ...(patch.editWindowSeconds !== undefined && {
        edit_window_seconds: patch.editWindowSeconds,
      }),
      ...(patch.maxDepth !== undefined && { max_depth: patch.maxDepth }),
      ...(patch.locale !== undefined && { locale: patch.locale }),
      ...(patch.moderation !== undefined && { moderation: JSON.stringify(patch.moderation) }),
      ...(patch.auth !== undefined && { auth: JSON.stringify(patch.auth) }),
      ...(patch.rendering !== undefined && { rendering: patch.rendering ? 1 : 0 }),
      ...(patch.defaultSort !== undefined && { default_sort: patch.defaultSort }),
      ...(patch.pinNewsroom !== undefined && { pin_newsroom: patch.pinNewsroom ? 1 : 0 }),
      updated_at: new Date().toISOString(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && siteFromRow(row);
}
