/**
 * All publisher sites, in memory: there are few, and every request needs one (which origins may
 * call, a story's edit window and depth). Refreshed when a site changes through this process, and
 * at least every 30 s, since another process may have changed one.
 */
import type { Store } from '../store/db.ts';
import type { Site } from '../store/rows.ts';
import { getSite, listSites } from '../store/sites.ts';

export class SiteDirectory {
  private byId = new Map<string, Site>();
  private byOrigin = new Map<string, Site[]>();
  private loadedAt = 0;
  private readonly ownOrigin: string;

  constructor(
    private readonly store: Store,
    publicUrl: string,
    private readonly maxAgeMs = 30_000,
  ) {
    this.ownOrigin = new URL(publicUrl).origin;
  }

  async refresh(): Promise<void> {
    const sites = await listSites(this.store.db);
    const byOrigin = new Map<string, Site[]>();
    for (const site of sites) {
      for (const origin of new Set(site.allowedOrigins)) {
        byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), site]);
      }
    }
    this.byId = new Map(sites.map((site) => [site.id, site]));
    this.byOrigin = byOrigin;
    this.loadedAt = Date.now();
  }

  private async fresh(): Promise<void> {
    if (Date.now() - this.loadedAt > this.maxAgeMs) await this.refresh();
  }

  /** Parley's own origin (its demo page and docs). */
  isOwn(origin: string): boolean {
    return origin === this.ownOrigin;
  }

  async isAllowed(origin: string): Promise<boolean> {
    if (this.isOwn(origin)) return true;
    await this.fresh();
    return this.byOrigin.has(origin);
  }

  /** Sites that may be embedded on this origin. */
  async sitesFor(origin: string): Promise<Site[]> {
    await this.fresh();
    return this.byOrigin.get(origin) ?? [];
  }

  async get(id: string): Promise<Site | undefined> {
    await this.fresh();
    const known = this.byId.get(id);
    if (known) return known;
    // Created by another process since the last refresh?
    const stored = await getSite(this.store.db, id);
    if (stored) await this.refresh();
    return stored;
  }
}
