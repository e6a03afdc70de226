/**
 * The signed-in dashboard: header with the views, the site filter and the account; the polite live
 * region; the keyboard help; and the current view (queues, search, audit log, statistics, stories,
 * users and roles, site settings, word lists, and the mail outbox, sign-in and imports for admins).
 *
 * The menu is data (MENU below: add a view with one line). It is a row of links while they all fit
 * beside the brand and the account; when they do not (measured, not guessed from a breakpoint, so
 * a new entry or a longer name moves the point by itself) it folds into a "Menu" disclosure button:
 * aria-expanded, Escape or a click elsewhere closes it and gives focus back to the button, and
 * choosing a view closes it and moves focus to the view.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AdminApi } from '../api/client.js';
import type { Me, QueueName } from '../api/types.js';
import { createLiveFeed, type FeedSourceConstructor, type LiveFeed } from '../state/live-feed.js';
import { parseRoute, routePath, sameRoute, type Route } from '../state/route.js';
import { AuditView } from './AuditView.js';
import { DashboardContext, isTyping, type Dashboard, type UndoEntry } from './context.js';
import { HelpDialog } from './dialogs.js';
import { ImportView } from './ImportView.js';
import { MailView } from './MailView.js';
import { QueueView } from './QueueView.js';
import { SearchView } from './SearchView.js';
import { SettingsView } from './SettingsView.js';
import { SignInSettingsView } from './SignInSettingsView.js';
import { SitesView } from './SitesView.js';
import { StatsView } from './StatsView.js';
import { StoriesView } from './StoriesView.js';
import { UsersView } from './UsersView.js';
import { TransparencyView } from './TransparencyView.js';
import { WebhooksView } from './WebhooksView.js';
import { WordListView } from './WordListView.js';

const SITE_KEY = 'parley:admin:site';
const UNDO_LIMIT = 50;

interface MenuEntry {
  /** Where it leads; a function of the current route for the queues (which keep their queue). */
  readonly route: Route | ((current: Route) => Route);
  readonly label: string;
  readonly adminOnly?: boolean;
}

/** The views in the menu, in order. */
export const MENU: readonly MenuEntry[] = [
  {
    route: (current) => (current.view === 'queue' ? current : { view: 'queue', queue: 'pending' }),
    label: 'Queues',
  },
  { route: { view: 'search' }, label: 'Search' },
  { route: { view: 'audit' }, label: 'Audit log' },
  { route: { view: 'stats' }, label: 'Statistics' },
  { route: { view: 'transparency' }, label: 'Transparency' },
  { route: { view: 'stories' }, label: 'Stories' },
  { route: { view: 'users' }, label: 'Users' },
  { route: { view: 'settings' }, label: 'Settings' },
  { route: { view: 'words' }, label: 'Word lists' },
  { route: { view: 'mail' }, label: 'Mail', adminOnly: true },
  { route: { view: 'sites' }, label: 'Sites', adminOnly: true },
  { route: { view: 'signin' }, label: 'Sign-in', adminOnly: true },
  { route: { view: 'imports' }, label: 'Import', adminOnly: true },
  { route: { view: 'webhooks' }, label: 'Webhooks', adminOnly: true },
];

interface ShellProps {
  readonly api: AdminApi;
  readonly me: Me;
  readonly onSignOut: () => void;
}

export function Shell({ api, me, onSignOut }: ShellProps) {
  const [route, setRoute] = useState<Route>(() => parseRoute(location.pathname));
  const [siteId, setSiteId] = useState<string | undefined>(() => {
    // A link from an alert names its site (?site=…); otherwise the last one chosen in this tab.
    const linked = new URLSearchParams(location.search).get('site');
    const stored = linked ?? sessionStorage.getItem(SITE_KEY);
    return stored && me.sites.some((site) => site.id === stored) ? stored : undefined;
  });
  const [message, setMessage] = useState('');
  const [helpOpen, setHelpOpen] = useState(false);
  const undoStack = useRef<UndoEntry[]>([]);
  // One feed for the signed-in dashboard, closed when it goes (signing out unmounts the shell).
  const [feed] = useState<LiveFeed>(() =>
    createLiveFeed({
      url: api.eventsUrl,
      EventSource:
        typeof EventSource === 'function'
          ? (EventSource as unknown as FeedSourceConstructor)
          : undefined,
    }),
  );
  useEffect(() => () => feed.close(), [feed]);
  /** The queue to go back to from the other views. */
  const lastQueue = useRef<QueueName>(route.view === 'queue' ? route.queue : 'pending');
  if (route.view === 'queue') lastQueue.current = route.queue;

  useEffect(() => {
    const onPop = () => setRoute(parseRoute(location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '?' || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target) || document.querySelector('dialog[open]')) return;
      event.preventDefault();
      setHelpOpen(true);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const navigate = (next: Route) => {
    if (sameRoute(next, route)) return;
    history.pushState(null, '', routePath(next));
    setRoute(next);
  };

  const chooseSite = (id: string) => {
    const next = id || undefined;
    if (next) sessionStorage.setItem(SITE_KEY, next);
    else sessionStorage.removeItem(SITE_KEY);
    setSiteId(next);
  };

  const siteNames = useMemo(() => new Map(me.sites.map((site) => [site.id, site.name])), [me]);
  const dashboard = useMemo<Dashboard>(
    () => ({
      api,
      me,
      sites: me.sites,
      siteName: (id) => siteNames.get(id) ?? null,
      siteId,
      setSiteId: chooseSite,
      feed,
      announce: (text) => {
        // Clearing first makes a repeated message ("Approved.") heard again.
        setMessage('');
        setTimeout(() => setMessage(text), 50);
      },
      undo: {
        push: (entry) => {
          undoStack.current = [...undoStack.current.slice(-(UNDO_LIMIT - 1)), entry];
        },
        pop: () => undoStack.current.pop(),
        peek: () => undoStack.current[undoStack.current.length - 1],
      },
    }),
    [api, me, siteId, feed],
  );

  const entries = MENU.filter((entry) => !entry.adminOnly || me.user.role === 'admin');
  const menu = useMenu(entries.map((entry) => entry.label).join('|'));

  const link = (target: Route, label: ComponentChildren) => {
    const current = target.view === route.view;
    return (
      <a
        class="nav-link"
        href={routePath(target)}
        aria-current={current ? 'page' : undefined}
        onClick={(event) => {
          if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
          event.preventDefault();
          navigate(target);
          if (menu.open) {
            menu.setOpen(false);
            // The view replaces the page: focus goes to it, as after a page load.
            setTimeout(() => menu.viewRef.current?.focus({ preventScroll: true }), 0);
          }
        }}
      >
        {label}
      </a>
    );
  };

  return (
    <DashboardContext.Provider value={dashboard}>
      <div class="shell">
        <header ref={menu.barRef} class={`topbar topbar-${menu.fit}`} data-menu={menu.fit}>
          <span class="brand">Parley</span>
          <span class="brand-sub">Moderation</span>
          <nav
            ref={menu.navRef}
            class="nav"
            aria-label="Views"
            onKeyDown={menu.onKeyDown}
            onFocusOut={menu.onFocusOut}
          >
            {menu.compact && (
              <button
                ref={menu.buttonRef}
                type="button"
                class="btn btn-ghost menu-button"
                aria-expanded={menu.open}
                aria-controls="menu-list"
                onClick={() => menu.setOpen(!menu.open)}
              >
                <span class="menu-icon" aria-hidden="true" />
                Menu
              </button>
            )}
            <ul
              ref={menu.listRef}
              id="menu-list"
              class="nav-list"
              hidden={menu.compact && !menu.open}
            >
              {entries.map((entry) => (
                <li key={entry.label}>
                  {link(
                    typeof entry.route === 'function' ? entry.route(route) : entry.route,
                    entry.label,
                  )}
                </li>
              ))}
              {menu.compact && (
                <li class="menu-account">
                  Signed in as {me.user.name} <span class="role-tag">{me.user.role}</span>
                </li>
              )}
            </ul>
          </nav>
          <div class="account">
            <button
              type="button"
              class="btn btn-ghost btn-icon"
              aria-label="Help: keyboard shortcuts and queues"
              title="Help: keyboard shortcuts and queues (?)"
              onClick={() => setHelpOpen(true)}
            >
              ?
            </button>
            <span class="account-name">
              {me.user.name} <span class="role-tag">{me.user.role}</span>
            </span>
            <button
              type="button"
              class="btn btn-ghost"
              title={
                menu.fit === 'row' ? undefined : `Signed in as ${me.user.name} (${me.user.role})`
              }
              onClick={() => {
                // Before the token is revoked, so the server sees the stream end, not fail.
                feed.close();
                onSignOut();
              }}
            >
              Sign out
            </button>
          </div>
        </header>
        <div class="view" role="main" ref={menu.viewRef} tabIndex={-1}>
          {route.view === 'queue' && (
            <QueueView
              queue={route.queue}
              onQueueChange={(queue) => navigate({ view: 'queue', queue })}
            />
          )}
          {route.view === 'search' && <SearchView />}
          {route.view === 'audit' && <AuditView />}
          {route.view === 'stats' && <StatsView />}
          {route.view === 'stories' && <StoriesView />}
          {route.view === 'users' && <UsersView />}
          {route.view === 'settings' && <SettingsView />}
          {route.view === 'words' && <WordListView />}
          {route.view === 'mail' && <MailView />}
          {route.view === 'sites' && <SitesView />}
          {route.view === 'signin' && <SignInSettingsView />}
          {route.view === 'imports' && <ImportView />}
          {route.view === 'webhooks' && <WebhooksView />}
          {route.view === 'transparency' && <TransparencyView />}
        </div>
        <div class="vh" aria-live="polite" aria-atomic="true">
          {message}
        </div>
        {helpOpen && <HelpDialog onClose={() => setHelpOpen(false)} />}
      </div>
    </DashboardContext.Provider>
  );
}

/** How the header fits its menu: every link with room to spare, every link tightly, or folded. */
export type MenuFit = 'row' | 'tight' | 'compact';
const FITS: readonly MenuFit[] = ['row', 'tight', 'compact'];

/**
 * How the menu fits and the state of its button. The header tries the roomy row, then the tight
 * one (no "Moderation" beside the brand, no name beside "Sign out", closer links), then folds the
 * links into the button; each step is taken when the links overflow (measured on every resize of
 * the header), and undone once the header is as wide as the step before needed. `key` changes
 * with the entries, which measures again from the roomy row.
 */
function useMenu(key: string) {
  const barRef = useRef<HTMLElement>(null);
  const navRef = useRef<HTMLElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const viewRef = useRef<HTMLDivElement>(null);
  const [fit, setFit] = useState<MenuFit>('row');
  const [open, setOpenState] = useState(false);
  /** The header width each fit needs (known once it overflowed). */
  const state = useRef({ level: 0, needs: [0, 0] as number[] });

  useLayoutEffect(() => {
    state.current = { level: 0, needs: [0, 0] };
    setFit('row');
  }, [key]);

  useLayoutEffect(() => {
    const bar = barRef.current;
    if (!bar) return undefined;
    const check = () => {
      const { level, needs } = state.current;
      const list = listRef.current;
      const over =
        level === 2
          ? 0
          : Math.max(0, bar.scrollWidth - bar.clientWidth) +
            (list ? Math.max(0, list.scrollWidth - list.clientWidth) : 0);
      let next = level;
      if (over > 0) {
        needs[level] = bar.clientWidth + over;
        next = level + 1;
      } else if (level > 0 && bar.clientWidth >= (needs[level - 1] ?? Infinity)) {
        next = level - 1;
      }
      if (next === level) return;
      state.current.level = next;
      // For tests and for the curious: the widths the roomy and the tight row need.
      bar.dataset.menuNeeds = needs.map((n) => Math.ceil(n)).join(' ');
      if (next < 2) setOpenState(false);
      setFit(FITS[next] ?? 'compact');
    };
    check();
    if (typeof ResizeObserver !== 'function') {
      window.addEventListener('resize', check);
      return () => window.removeEventListener('resize', check);
    }
    const observer = new ResizeObserver(check);
    observer.observe(bar);
    return () => observer.disconnect();
  }, [key, fit]);
  const compact = fit === 'compact';

  const setOpen = (next: boolean) => {
    setOpenState(next);
    if (next) {
      // Focus the current view's link (or the first) once the list shows.
      setTimeout(() => {
        const links = listRef.current?.querySelectorAll<HTMLElement>('a.nav-link');
        const current = listRef.current?.querySelector<HTMLElement>('a[aria-current="page"]');
        (current ?? links?.[0])?.focus();
      }, 0);
    }
  };
  const close = (refocus: boolean) => {
    setOpenState(false);
    if (refocus) buttonRef.current?.focus();
  };

  // A click or tap outside the open menu closes it.
  useEffect(() => {
    if (!open) return undefined;
    const onPointer = (event: PointerEvent) => {
      if (!navRef.current?.contains(event.target as Node)) close(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  return {
    barRef,
    navRef,
    listRef,
    buttonRef,
    viewRef,
    fit,
    compact,
    open: compact && open,
    setOpen,
    onKeyDown: (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || !open) return;
      // Handled here: the queue's own Escape (clear the ticks) does not run too.
      event.preventDefault();
      event.stopPropagation();
      close(true);
    },
    onFocusOut: (event: FocusEvent) => {
      const next = event.relatedTarget as Node | null;
      if (open && next && !navRef.current?.contains(next)) close(false);
    },
  };
}
