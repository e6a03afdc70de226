/**
 * What admins change about a publisher site: creating one, its name, allowed origins and thread
 * settings, and its branding (its sign-in settings: ./sign-in-settings.ts). Each change is checked
 * here, written with its entry in the audit log in one transaction, and then the site directory is
 * refreshed, so that this process serves the change at once (others within the directory's
 * refresh interval).
 */
import type { Kysely } from 'kysely';
import { mergeBranding, type Branding, type BrandingPatch } from '../domain/branding.ts';
import { ParleyError } from '../domain/errors.ts';
import { originOf } from '../domain/origin.ts';
import { checkText } from '../domain/text.ts';
import type { Sort } from '../domain/thread.ts';
import { getSiteBranding, setSiteBranding } from '../store/branding.ts';
import type { Store } from '../store/db.ts';
import { insertAction } from '../store/audit.ts';
import type { Site } from '../store/rows.ts';
import type { Database } from '../store/schema.ts';
import { getSite, insertSite, updateSite } from '../store/sites.ts';
import type { SiteDirectory } from './site-directory.ts';

type Db = Kysely<Database>;

/** What a change to a site needs: the store, and the directory refreshed after it. */
export interface SiteChangeDeps {
  store: Store;
  sites: SiteDirectory;
}

const siteNotFound = () => new ParleyError('SITE_NOT_FOUND', 'That site does not exist.');

/**
 * Writes the audit entry of a change to a site's or a story's configuration (not to a comment or an
 * account): `action` names what changed, `before` and `after` what the log keeps of it.
 */
export async function auditSiteChange(
  trx: Db,
  entry: { actorId: string; action: string; siteId: string; before: unknown; after: unknown },
): Promise<void> {
  await insertAction(trx, {
    ...entry,
    commentId: null,
    userId: null,
    reason: null,
    undoable: false,
  });
}

/**
 * A site's own fields (settings, sign-in and branding apart): what the audit log keeps of it, and
 * what the API shows (src/server/presenters.ts).
 */
export const siteRecord = (site: Site) => ({
  id: site.id,
  name: site.name,
  allowedOrigins: site.allowedOrigins,
  editWindowSeconds: site.editWindowSeconds,
  maxDepth: site.maxDepth,
  locale: site.locale,
  createdAt: site.createdAt,
  rendering: site.rendering,
  defaultSort: site.defaultSort,
  pinNewsroom: site.pinNewsroom,
});

/** How a value is quoted back in an error: short, on one line. */
const quoted = (value: string) =>
  `“${[...value.replace(/\s+/g, ' ')].slice(0, 80).join('')}${[...value].length > 80 ? '…' : ''}”`;

/** Whether an address is an origin and nothing more: no path, query, fragment or user name. */
function onlyOrigin(value: string): boolean {
  const url = new URL(value);
  return (
    !/\s/.test(value) &&
    (url.pathname === '/' || url.pathname === '') &&
    !url.search &&
    !url.hash &&
    !value.endsWith('?') &&
    !value.endsWith('#') &&
    !url.username &&
    !url.password
  );
}

/**
 * Origins as browsers send them (scheme, host, port when not the default), each once. Anything
 * more than an origin (a path, a query, a user name) is refused rather than cut off, so what is
 * stored is what the admin wrote.
 */
function normaliseOrigins(values: string[]): string[] {
  const origins = values.map((raw) => {
    const value = raw.trim();
    const origin = originOf(value);
    if (!origin || origin === 'null' || !onlyOrigin(value)) {
      throw new ParleyError(
        'VALIDATION_FAILED',
        `${quoted(value)} is not an origin: write the scheme and the host only, like https://www.example.com.`,
      );
    }
    return origin;
  });
  return [...new Set(origins)];
}

const siteName = (name: string) =>
  checkText(name, { field: 'site name', maxLength: 200, multiline: false }).trim();

export interface NewSiteInput {
  name: string;
  allowedOrigins: string[];
  editWindowSeconds: number;
  maxDepth: number;
  locale: string | null;
  /** Server-rendered threads (docs/server-rendering.md); default on. */
  rendering?: boolean;
  /** The thread order readers get unless they choose (docs/sorting.md); default newest. */
  defaultSort?: Sort;
  /** Featured and newsroom comments lead the default order's first page; default off. */
  pinNewsroom?: boolean;
}

export type SiteChange = Partial<NewSiteInput>;

/** Creates a site; logged as `site.create` with the new site. */
export async function createSite(
  { store, sites }: SiteChangeDeps,
  actorId: string,
  input: NewSiteInput,
): Promise<Site> {
  const checked = {
    ...input,
    name: siteName(input.name),
    allowedOrigins: normaliseOrigins(input.allowedOrigins),
  };
  const site = await store.db.transaction().execute(async (trx) => {
    const created = await insertSite(trx, checked);
    await auditSiteChange(trx, {
      actorId,
      action: 'site.create',
      siteId: created.id,
      before: null,
      after: siteRecord(created),
    });
    return created;
  });
  await sites.refresh();
  return site;
}

/** Changes some of a site's fields; logged as `site.update` with those fields before and after. */
export async function changeSite(
  { store, sites }: SiteChangeDeps,
  actorId: string,
  siteId: string,
  change: SiteChange,
): Promise<Site> {
  const { allowedOrigins, name, ...rest } = change;
  const patch = {
    ...rest,
    ...(name !== undefined && { name: siteName(name) }),
    ...(allowedOrigins && { allowedOrigins: normaliseOrigins(allowedOrigins) }),
  };
  const changed = (site: Site) =>
    Object.fromEntries(
      Object.keys(patch).map((key) => [key, siteRecord(site)[key as keyof typeof patch]]),
    );
  const site = await store.db.transaction().execute(async (trx) => {
    const before = await getSite(trx, siteId);
    if (!before) return undefined;
    const after = await updateSite(trx, before.id, patch);
    if (!after) return undefined;
    await auditSiteChange(trx, {
      actorId,
      action: 'site.update',
      siteId: before.id,
      before: changed(before),
      after: changed(after),
    });
    return after;
  });
  if (!site) throw siteNotFound();
  await sites.refresh();
  return site;
}

/**
 * Applies an admin's change to a site's branding (src/domain/branding.ts checks it); logged as
 * `site.branding` with the whole branding before and after. Stories carry the brand: the refreshed
 * directory re-renders cached thread pages at once.
 */
export async function changeSiteBranding(
  { store, sites }: SiteChangeDeps,
  actorId: string,
  siteId: string,
  change: BrandingPatch,
): Promise<{ siteName: string; branding: Branding }> {
  const current = await getSiteBranding(store.db, siteId);
  if (!current) throw siteNotFound();
  const branding = mergeBranding(current.branding, change);
  const saved = await store.db.transaction().execute(async (trx) => {
    if (!(await setSiteBranding(trx, siteId, branding))) return false;
    await auditSiteChange(trx, {
      actorId,
      action: 'site.branding',
      siteId,
      before: current.branding,
      after: branding,
    });
    return true;
  });
  if (!saved) throw siteNotFound();
  await sites.refresh();
  return { siteName: current.siteName, branding };
}
