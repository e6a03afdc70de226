/**
 * Which browser origins may call the API: Parley's own and every site's allowed origins. Kept in
 * memory, refreshed when a site changes here and periodically (other processes may change sites).
 */
import type { Store } from '../store/db.ts';
import type { Site } from '../store/rows.ts';
import { listSites } from '../store/sites.ts';

export class OriginPolicy {
  private sitesByOrigin = new Map<string, Site[]>();
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
    const map = new Map<string, Site[]>();
    for (const site of await listSites(this.store.db)) {
      for (const origin of site.allowedOrigins) map.set(origin, [...(map.get(origin) ?? []), site]);
    }
    this.sitesByOrigin = map;
    this.loadedAt = Date.now();
  }

  private async fresh(): Promise<void> {
    if (Date.now() - this.loadedAt > this.maxAgeMs) await this.refresh();
  }

  isOwn(origin: string): boolean {
    return origin === this.ownOrigin;
  }

  async isAllowed(origin: string): Promise<boolean> {
    if (this.isOwn(origin)) return true;
    await this.fresh();
    return this.sitesByOrigin.has(origin);
  }

  /** Sites that may be embedded on this origin. */
  async sitesFor(origin: string): Promise<Site[]> {
    await this.fresh();
    return this.sitesByOrigin.get(origin) ?? [];
  }
}
