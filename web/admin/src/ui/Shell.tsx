/**
 * The signed-in dashboard: header with the views, the site filter and the account; the polite live
 * region; the keyboard help; and the current view (queues, search, audit log, statistics, stories,
 * users and roles, site settings, word lists, and the mail outbox, sign-in and imports for admins).
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
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
import { StatsView } from './StatsView.js';
import { StoriesView } from './StoriesView.js';
import { UsersView } from './UsersView.js';
import { WebhooksView } from './WebhooksView.js';
import { WordListView } from './WordListView.js';

const SITE_KEY = 'parley:admin:site';
const UNDO_LIMIT = 50;

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
        }}
      >
        {label}
      </a>
    );
  };

  return (
    <DashboardContext.Provider value={dashboard}>
      <div class="shell">
        <header class="topbar">
          <span class="brand">Parley</span>
          <span class="brand-sub">Moderation</span>
          <nav class="nav" aria-label="Views">
            {link(route.view === 'queue' ? route : { view: 'queue', queue: 'pending' }, 'Queues')}
            {link({ view: 'search' }, 'Search')}
            {link({ view: 'audit' }, 'Audit log')}
            {link({ view: 'stats' }, 'Statistics')}
            {link({ view: 'stories' }, 'Stories')}
            {link({ view: 'users' }, 'Users')}
            {link({ view: 'settings' }, 'Settings')}
            {link({ view: 'words' }, 'Word lists')}
            {me.user.role === 'admin' && link({ view: 'mail' }, 'Mail')}
            {me.user.role === 'admin' && link({ view: 'signin' }, 'Sign-in')}
            {me.user.role === 'admin' && link({ view: 'imports' }, 'Import')}
            {me.user.role === 'admin' && link({ view: 'webhooks' }, 'Webhooks')}
          </nav>
          <div class="account">
            <button
              type="button"
              class="btn btn-ghost btn-icon"
              aria-label="Keyboard shortcuts"
              title="Keyboard shortcuts (?)"
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
        <div class="view">
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
          {route.view === 'signin' && <SignInSettingsView />}
          {route.view === 'imports' && <ImportView />}
          {route.view === 'webhooks' && <WebhooksView />}
        </div>
        <div class="vh" aria-live="polite" aria-atomic="true">
          {message}
        </div>
        {helpOpen && <HelpDialog onClose={() => setHelpOpen(false)} />}
      </div>
    </DashboardContext.Provider>
  );
}
