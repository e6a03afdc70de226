/**
 * Changing an account's role (PUT /admin/users/:id/role, admins only): commenter, staff, moderator
 * (of every site, or of the sites ticked) or admin. Nobody changes their own role.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { ROLES, type ModerationUser, type Role } from '../api/types.js';
import { useDashboard } from './context.js';

export const ROLE_LABELS: Record<Role, string> = {
  commenter: 'Commenter',
  staff: 'Staff (badge on comments)',
  moderator: 'Moderator',
  admin: 'Administrator',
};

export type SetRole = (user: ModerationUser, role: Role, siteIds?: string[]) => Promise<boolean>;

export function RoleEditor(props: { readonly user: ModerationUser; readonly setRole: SetRole }) {
  const { me, sites } = useDashboard();
  const { user } = props;
  const [role, setRole] = useState<Role>(user.role);
  const [allSites, setAllSites] = useState(user.moderatorSiteIds === null);
  const [siteIds, setSiteIds] = useState<ReadonlySet<string>>(new Set(user.moderatorSiteIds ?? []));
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  // The user changed (another selection, or the server's answer): start from what they are. Not
  // on mounting: the state starts there already, and the effect runs after the first paint, when
  // a quick hand (or a test) may already have picked another role.
  const shownUser = `${user.id} ${user.role} ${user.moderatorSiteIds?.join(',') ?? '*'}`;
  const lastUser = useRef(shownUser);
  useEffect(() => {
    if (lastUser.current === shownUser) return;
    lastUser.current = shownUser;
    setRole(user.role);
    setAllSites(user.moderatorSiteIds === null);
    setSiteIds(new Set(user.moderatorSiteIds ?? []));
    setProblem(null);
  }, [shownUser]);

  if (me.user.role !== 'admin' || user.id === me.user.id) return null;

  const scoped = role === 'moderator' && !allSites;
  const wanted = scoped ? sites.filter((site) => siteIds.has(site.id)).map((s) => s.id) : null;
  const unchanged =
    role === user.role &&
    (role !== 'moderator' ||
      (wanted === null
        ? user.moderatorSiteIds === null
        : user.moderatorSiteIds !== null &&
          wanted.length === user.moderatorSiteIds.length &&
          wanted.every((id) => user.moderatorSiteIds?.includes(id))));

  const save = async (event: Event) => {
    event.preventDefault();
    if (busy || unchanged) return;
    if (scoped && wanted?.length === 0) {
      setProblem('Tick at least one site, or choose “All sites”.');
      return;
    }
    setBusy(true);
    setProblem(null);
    const ok = await props.setRole(user, role, wanted ?? undefined);
    setBusy(false);
    if (!ok) setProblem('The role was not changed.');
  };

  const id = `role-${user.id}`;
  return (
    <form class="role-editor" onSubmit={save} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`} class="role-title">
        Role
      </h3>
      <div class="input-row">
        <label class="vh" for={id}>
          Role of {user.name}
        </label>
        <select
          id={id}
          value={role}
          disabled={busy}
          onChange={(event) => setRole(event.currentTarget.value as Role)}
        >
          {ROLES.map((value) => (
            <option key={value} value={value}>
              {ROLE_LABELS[value]}
            </option>
          ))}
        </select>
        <button type="submit" class="btn btn-small" disabled={busy || unchanged}>
          {busy ? 'Saving…' : 'Change role'}
        </button>
      </div>
      {role === 'moderator' && (
        <fieldset class="scope" disabled={busy}>
          <legend class="field-label">Moderates</legend>
          <label class="check">
            <input
              type="radio"
              name={`${id}-scope`}
              checked={allSites}
              onChange={() => setAllSites(true)}
            />
            All sites
          </label>
          <label class="check">
            <input
              type="radio"
              name={`${id}-scope`}
              checked={!allSites}
              onChange={() => setAllSites(false)}
            />
            Only these sites:
          </label>
          {!allSites && (
            <ul class="scope-sites">
              {sites.map((site) => (
                <li key={site.id}>
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={siteIds.has(site.id)}
                      onChange={(event) => {
                        const on = event.currentTarget.checked;
                        setSiteIds((current) => {
                          const next = new Set(current);
                          if (on) next.add(site.id);
                          else next.delete(site.id);
                          return next;
                        });
                      }}
                    />
                    {site.name}
                  </label>
                </li>
              ))}
            </ul>
          )}
        </fieldset>
      )}
      {problem && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
