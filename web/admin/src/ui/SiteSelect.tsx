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
