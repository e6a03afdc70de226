/**
 * Users and roles (GET /admin/users?q=&role=): find an account by name (admins: or email) or list
 * everyone with a role; the selected account's record on the right, with the same actions as on a
 * comment's author (warn, suspend, ban, pre-moderate, notes) and, for admins, the role with a
 * moderator's sites.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { describeError, isAbort } from '../api/client.js';
import {
  ROLES,
  type ModerationUser,
  type Role,
  type UserActionResult,
  type UserDetails,
} from '../api/types.js';
import { AuthorBadges, hasStanding } from './badges.js';
import { isTyping, useDashboard } from './context.js';
import { usePagedList } from '../state/paged-list.js';
import { Notes } from './DetailsPanel.js';
import { BanDialog, SuspendDialog, WarnDialog } from './dialogs.js';
import { formatDate, formatDateTime, plural } from './format.js';
import { PagedListFrame } from './PagedListFrame.js';
import { RecentComments } from './RecentComments.js';
import { ROLE_LABELS, RoleEditor } from './RoleEditor.js';

interface Search {
  readonly q: string;
  readonly role: Role | '';
}

export function UsersView() {
  const { api, me } = useDashboard();
  // A link from the audit log names an account (?user=<id>&q=<its name>): found and opened.
  const [linked] = useState(() => new URLSearchParams(location.search));
  const [draft, setDraft] = useState<Search>({ q: linked.get('q') ?? '', role: '' });
  const [search, setSearch] = useState<Search>({ q: linked.get('q') ?? '', role: '' });
  const list = usePagedList<ModerationUser>(
    async (cursor, signal) => {
      const page = await api.users(search, cursor, signal);
      return { items: page.users, nextCursor: page.nextCursor };
    },
    [search.q, search.role],
  );
  const { items: users, replace } = list;
  const [selectedId, setSelectedId] = useState<string | null>(linked.get('user'));
  const listRef = useRef<HTMLTableSectionElement>(null);

  const selected = users.find((user) => user.id === selectedId) ?? null;

  // j/k move through the list, as in the queues.
  const keys = useRef<(event: KeyboardEvent) => void>(() => undefined);
  keys.current = (event: KeyboardEvent) => {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
    if (event.key !== 'j' && event.key !== 'k') return;
    event.preventDefault();
    const index = users.findIndex((user) => user.id === selectedId);
    const next =
      users[Math.max(0, Math.min(users.length - 1, index + (event.key === 'j' ? 1 : -1)))];
    if (!next) return;
    setSelectedId(next.id);
    listRef.current
      ?.querySelector<HTMLElement>(`[data-user-id="${CSS.escape(next.id)}"] button`)
      ?.focus();
  };
  useEffect(() => {
    const listener = (event: KeyboardEvent) => keys.current(event);
    document.addEventListener('keydown', listener);
    return () => document.removeEventListener('keydown', listener);
  }, []);

  return (
    <div class="workspace">
      <form
        class="column column-queues"
        aria-label="Find users"
        onSubmit={(event) => {
          event.preventDefault();
          setSearch({ q: draft.q.trim(), role: draft.role });
        }}
      >
        <h2 class="side-title">Find users</h2>
        <div class="side-filters">
          <label class="field">
            <span class="field-label">
              {me.user.role === 'admin' ? 'Name or email contains' : 'Name contains'}
            </span>
            <input
              type="search"
              name="q"
              value={draft.q}
              onInput={(event) => setDraft({ ...draft, q: event.currentTarget.value })}
            />
          </label>
          <label class="field">
            <span class="field-label">Role</span>
            <select
              name="role"
              value={draft.role}
              onChange={(event) => {
                const next = { ...draft, role: event.currentTarget.value as Role | '' };
                setDraft(next);
                setSearch({ q: next.q.trim(), role: next.role });
              }}
            >
              <option value="">Any role</option>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {ROLE_LABELS[role]}
                </option>
              ))}
            </select>
          </label>
          <div class="button-row">
            <button type="submit" class="btn btn-primary">
              Search
            </button>
            {(search.q || search.role) && (
              <button
                type="button"
                class="btn"
                onClick={() => {
                  setDraft({ q: '', role: '' });
                  setSearch({ q: '', role: '' });
                }}
              >
                Clear
              </button>
            )}
          </div>
        </div>
        <p class="side-note muted">
          Pick “Moderator” or “Administrator” to review who moderates what.
        </p>
      </form>

      <PagedListFrame
        layout="column"
        title="Users"
        count={(n) => plural(n, 'account')}
        list={list}
        empty="No account matches."
      >
        <table class="table users-table">
          <caption class="vh">Accounts</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
              <th scope="col">Standing</th>
              <th scope="col" class="num">
                Approved · pending · rejected
              </th>
            </tr>
          </thead>
          <tbody ref={listRef}>
            {users.map((user) => (
              <tr
                key={user.id}
                data-user-id={user.id}
                class={user.id === selectedId ? 'row-selected' : undefined}
                aria-selected={user.id === selectedId}
              >
                <td>
                  <button
                    type="button"
                    class="btn-link user-name"
                    aria-current={user.id === selectedId ? 'true' : undefined}
                    onClick={() => setSelectedId(user.id)}
                  >
                    {user.name}
                  </button>
                  {user.email && <span class="muted user-email">{user.email}</span>}
                </td>
                <td>
                  {ROLE_LABELS[user.role].split(' ')[0]}
                  {user.role === 'moderator' && <ScopeNote user={user} />}
                </td>
                <td class="badge-cell">
                  {hasStanding(user) ? (
                    <AuthorBadges user={user} role={false} />
                  ) : (
                    <span class="muted">Good</span>
                  )}
                </td>
                <td class="num">
                  {user.counts.approved} · {user.counts.pending} · {user.counts.rejected}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </PagedListFrame>

      {selected ? (
        <UserPanel key={selected.id} user={selected} onChanged={replace} />
      ) : (
        <aside class="column column-details" aria-label="Account">
          <p class="empty">Select an account to see its record and act on it.</p>
        </aside>
      )}
    </div>
  );
}

function ScopeNote({ user }: { readonly user: ModerationUser }) {
  const { siteName } = useDashboard();
  if (user.moderatorSiteIds === null) return <span class="muted"> · all sites</span>;
  const names = user.moderatorSiteIds.map((id) => siteName(id) ?? id);
  return <span class="muted"> · {names.join(', ')}</span>;
}

type DialogKind = 'ban' | 'suspend' | 'warn' | null;

function UserPanel(props: {
  readonly user: ModerationUser;
  readonly onChanged: (user: ModerationUser) => void;
}) {
  const { api, me, siteId, siteName, announce } = useDashboard();
  const [details, setDetails] = useState<UserDetails | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [dialog, setDialog] = useState<DialogKind>(null);
  const [dialogBusy, setDialogBusy] = useState(false);
  const [dialogError, setDialogError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    api.user(props.user.id, controller.signal).then(
      (result) => {
        setDetails(result);
        setError(null);
      },
      (failure: unknown) => {
        if (!isAbort(failure)) setError(describeError(failure));
      },
    );
    return () => controller.abort();
  }, [props.user.id, version]);

  const user = details?.user ?? props.user;
  const suspended =
    user.suspendedUntil !== null && new Date(user.suspendedUntil).getTime() > Date.now();
  const mayAct =
    user.id !== me.user.id &&
    (me.user.role === 'admin' || (user.role !== 'moderator' && user.role !== 'admin'));

  const act = async (
    label: string,
    run: () => Promise<UserActionResult>,
    inDialog: boolean,
  ): Promise<boolean> => {
    if (inDialog) {
      setDialogBusy(true);
      setDialogError(null);
    }
    try {
      const result = await run();
      props.onChanged(result.user);
      setDetails((current) => (current ? { ...current, user: result.user } : current));
      setStatus(label);
      announce(label);
      if (inDialog) setDialog(null);
      setVersion((n) => n + 1);
      return true;
    } catch (failure) {
      if (inDialog) setDialogError(describeError(failure));
      else setStatus(describeError(failure));
      return false;
    } finally {
      if (inDialog) setDialogBusy(false);
    }
  };

  /** Ends every session of the account (a stolen token, a shared machine): they sign in again. */
  const signOutEverywhere = async () => {
    try {
      const { revoked } = await api.revokeSessions(user.id);
      const label = `${user.name} is signed out everywhere (${plural(revoked, 'session')} ended).`;
      setStatus(label);
      announce(label);
    } catch (failure) {
      setStatus(describeError(failure));
    }
  };

  const open = (kind: DialogKind) => {
    setDialogError(null);
    setDialogBusy(false);
    setDialog(kind);
  };
  const site = siteId ? { id: siteId, name: siteName(siteId) ?? 'this site' } : null;

  return (
    <aside class="column column-details" aria-label={`Account of ${user.name}`}>
      <section class="panel" aria-labelledby="account-title">
        <h2 id="account-title" class="panel-title">
          {user.name}
        </h2>
        <p class="badge-line">
          <AuthorBadges user={user} />
          <span class="muted">Joined {formatDate(user.createdAt)}</span>
        </p>
        {user.email && <p class="muted user-email-line">{user.email}</p>}
        <div class="counts" aria-label="Their comments">
          <div class="count count-approved">
            <span class="count-number">{user.counts.approved}</span>
            <span class="count-label">approved</span>
          </div>
          <div class="count count-pending">
            <span class="count-number">{user.counts.pending}</span>
            <span class="count-label">pending</span>
          </div>
          <div class="count count-rejected">
            <span class="count-number">{user.counts.rejected}</span>
            <span class="count-label">rejected</span>
          </div>
        </div>
        {user.banned && (
          <p class="standing">
            Banned{' '}
            {user.bannedSiteIds
              ? `on ${user.bannedSiteIds.map((id) => siteName(id) ?? id).join(', ')}`
              : 'on every site'}
            {user.banReason && <span dir="auto">: “{user.banReason}”</span>}
          </p>
        )}
        {suspended && user.suspendedUntil && (
          <p class="standing">
            Suspended until {formatDateTime(user.suspendedUntil)}
            {user.suspendReason && <span dir="auto">: “{user.suspendReason}”</span>}
          </p>
        )}
        {user.warning && (
          <p class="standing">
            Warned{user.warning.acknowledged ? ' (acknowledged)' : ' (not yet acknowledged)'}:{' '}
            <span dir="auto">“{user.warning.message}”</span>
          </p>
        )}
        {mayAct ? (
          <div class="action-grid">
            {user.banned ? (
              <button
                type="button"
                class="btn"
                onClick={() =>
                  void act(`Lifted the ban on ${user.name}.`, () => api.unban(user.id), false)
                }
              >
                Lift ban
              </button>
            ) : (
              <button type="button" class="btn btn-quiet-danger" onClick={() => open('ban')}>
                Ban…
              </button>
            )}
            {suspended ? (
              <button
                type="button"
                class="btn"
                onClick={() =>
                  void act(
                    `Lifted the suspension of ${user.name}.`,
                    () => api.unsuspend(user.id),
                    false,
                  )
                }
              >
                Lift suspension
              </button>
            ) : (
              <button type="button" class="btn" onClick={() => open('suspend')}>
                Suspend…
              </button>
            )}
            <button type="button" class="btn" onClick={() => open('warn')}>
              Warn…
            </button>
            <button
              type="button"
              class="btn"
              aria-pressed={user.alwaysPremoderate}
              onClick={() =>
                void act(
                  user.alwaysPremoderate
                    ? `${user.name} is no longer pre-moderated.`
                    : `Every new comment by ${user.name} is now held for a moderator.`,
                  () => api.premoderate(user.id, !user.alwaysPremoderate),
                  false,
                )
              }
            >
              {user.alwaysPremoderate ? 'Stop pre-moderating' : 'Always pre-moderate'}
            </button>
            <button type="button" class="btn" onClick={() => void signOutEverywhere()}>
              Sign out everywhere
            </button>
          </div>
        ) : (
          <p class="muted">
            {user.id === me.user.id
              ? 'This is your own account.'
              : 'Only administrators act on moderators and administrators.'}
          </p>
        )}
        {status && (
          <p class="muted user-status" role="status">
            {status}
          </p>
        )}
        <RoleEditor
          user={user}
          setRole={(target, role, siteIds) =>
            act(
              `${target.name} is now ${ROLE_LABELS[role].split(' ')[0]?.toLowerCase()}` +
                (siteIds ? ` of ${plural(siteIds.length, 'site')}.` : '.'),
              () => api.setRole(target.id, role, siteIds),
              false,
            )
          }
        />
      </section>
      {error && (
        <p class="error banner" role="alert">
          {error}
        </p>
      )}
      <Notes
        userId={user.id}
        notes={details?.notes ?? null}
        onAdded={() => announce('Note added.')}
      />
      {details && (
        <RecentComments id="user-recent-title" title="Recent comments" items={details.recent} />
      )}
      {dialog === 'ban' && (
        <BanDialog
          userName={user.name}
          site={site}
          busy={dialogBusy}
          error={dialogError}
          onCancel={() => setDialog(null)}
          onConfirm={(reason, siteIds) =>
            void act(
              `Banned ${user.name}${siteIds ? ` from ${site?.name ?? 'this site'}` : ''}.`,
              () => api.ban(user.id, reason, siteIds),
              true,
            )
          }
        />
      )}
      {dialog === 'suspend' && (
        <SuspendDialog
          userName={user.name}
          busy={dialogBusy}
          error={dialogError}
          onCancel={() => setDialog(null)}
          onConfirm={(hours, reason) =>
            void act(
              `Suspended ${user.name} for ${plural(hours, 'hour')}.`,
              () => api.suspend(user.id, hours, reason),
              true,
            )
          }
        />
      )}
      {dialog === 'warn' && (
        <WarnDialog
          userName={user.name}
          busy={dialogBusy}
          error={dialogError}
          onCancel={() => setDialog(null)}
          onConfirm={(message) =>
            void act(`Warned ${user.name}.`, () => api.warn(user.id, message), true)
          }
        />
      )}
    </aside>
  );
}
