/** The site filter every view shares (a moderator limited to some sites sees only those). */
import { useDashboard } from './context.js';

export function SiteSelect({ compact = false }: { readonly compact?: boolean }) {
  const { me, sites, siteId, setSiteId } = useDashboard();
  return (
    <label class={compact ? 'field field-inline' : 'field'}>
      <span class={compact ? 'field-label-inline' : 'field-label'}>Site</span>
      <select value={siteId ?? ''} onChange={(event) => setSiteId(event.currentTarget.value)}>
        <option value="">{me.user.moderatorSiteIds ? 'All my sites' : 'All sites'}</option>
        {sites.map((site) => (
          <option key={site.id} value={site.id}>
            {site.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * The site a per-site view (settings, word lists) works on: the one chosen in the header, or the
 * first the moderator may see when the header says "All sites".
 */
export function useOneSite(): string | undefined {
  const { sites, siteId } = useDashboard();
  return siteId ?? sites[0]?.id;
}

/** A site picker without "All sites", for views that show one site's settings. */
export function OneSiteSelect() {
  const { sites, setSiteId } = useDashboard();
  const current = useOneSite();
  return (
    <label class="field field-inline">
      <span class="field-label-inline">Site</span>
      <select value={current ?? ''} onChange={(event) => setSiteId(event.currentTarget.value)}>
        {sites.map((site) => (
          <option key={site.id} value={site.id}>
            {site.name}
          </option>
        ))}
      </select>
    </label>
  );
}
