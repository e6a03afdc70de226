/**
 * The dashboard root: the log-in form, the plain "no access" answer for readers and staff, and,
 * for moderators and admins, the dashboard itself once GET /admin/me has said which sites they
 * may act on.
 */
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, createAdminApi, describeError, type AdminApi } from '../api/client.js';
import type { Me, Viewer } from '../api/types.js';
import {
  isStaffRole,
  readSession,
  subscribeSession,
  withSessionLock,
  writeSession,
  type StoredSession,
} from '../state/session.js';
import { LoginForm } from './LoginForm.js';
import { Shell } from './Shell.js';

export function App() {
  const [session, setSession] = useState<StoredSession | null>(readSession);
  const [notice, setNotice] = useState<string | null>(null);
  const sessionRef = useRef(session);
  sessionRef.current = session;

  const signOutLocally = (message: string | null) => {
    writeSession(null);
    sessionRef.current = null;
    setSession(null);
    setNotice(message);
  };

  // The session is shared by the browser's tabs (state/session.ts): follow the others' changes.
  useEffect(
    () =>
      subscribeSession((next) => {
        const before = sessionRef.current;
        sessionRef.current = next;
        setSession(next);
        if (!next && before) setNotice('You signed out in another tab.');
        else if (next) setNotice(null);
      }),
    [],
  );

  const api = useMemo(
    () =>
      createAdminApi({
        token: () => sessionRef.current?.token ?? null,
        refreshToken: () => sessionRef.current?.refreshToken ?? null,
        onRefreshed: (next) => {
          // Set at once: a request made before the next render must use the new tokens.
          const stored = writeSession(next);
          sessionRef.current = stored;
          setSession(stored);
        },
        shared: { lock: withSessionLock, read: readSession },
        onRejected: () => signOutLocally('Your session has ended. Sign in again.'),
      }),
    [],
  );

  const signOut = () => {
    // Revoke the token on the server; the dashboard forgets it at once either way.
    void api.logOut().catch(() => undefined);
    signOutLocally('You are signed out.');
  };

  if (!session) {
    return (
      <LoginForm
        api={api}
        notice={notice}
        onSignedIn={(next) => {
          const stored = writeSession(next);
          sessionRef.current = stored;
          setNotice(null);
          setSession(stored);
        }}
      />
    );
  }
  if (!isStaffRole(session.user.role)) return <NoAccess user={session.user} onSignOut={signOut} />;
  // Keyed by the account: another tab signing in as someone else starts the dashboard afresh.
  return <AccessGate key={session.user.id} api={api} user={session.user} onSignOut={signOut} />;
}

function AccessGate(props: { api: AdminApi; user: Viewer; onSignOut: () => void }) {
  const [me, setMe] = useState<Me | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    props.api.me(controller.signal).then(setMe, (failure: unknown) => {
      if (!controller.signal.aborted) setError(failure);
    });
    return () => controller.abort();
  }, [attempt]);

  if (error instanceof ApiError && error.status === 403) {
    return <NoAccess user={props.user} onSignOut={props.onSignOut} />;
  }
  if (error) {
    const missing = error instanceof ApiError && error.status === 404;
    return (
      <main class="center-page">
        <div class="card" role="alert">
          <h1 class="card-title">The dashboard could not load</h1>
          <p>
            {missing
              ? 'This Parley server does not offer the moderation API yet (GET /api/v1/admin/me answered 404).'
              : describeError(error)}
          </p>
          <div class="button-row">
            <button type="button" class="btn btn-primary" onClick={() => setAttempt((n) => n + 1)}>
              Try again
            </button>
            <button type="button" class="btn" onClick={props.onSignOut}>
              Sign out
            </button>
          </div>
        </div>
      </main>
    );
  }
  if (!me) {
    return (
      <main class="center-page" aria-busy="true">
        <p class="muted">Loading the dashboard…</p>
      </main>
    );
  }
  return <Shell api={props.api} me={me} onSignOut={props.onSignOut} />;
}

const ROLE_NAMES: Record<string, string> = {
  commenter: 'a reader account',
  staff: 'a staff account',
  moderator: 'a moderator account',
  admin: 'an administrator account',
};

function NoAccess(props: { user: Viewer; onSignOut: () => void }) {
  return (
    <main class="center-page">
      <div class="card" role="alert">
        <h1 class="card-title">You do not have access to moderation</h1>
        <p>
          You are signed in as <strong>{props.user.displayName}</strong> ({props.user.email}),{' '}
          {ROLE_NAMES[props.user.role] ?? 'an account'} without moderation rights. Only moderators
          and administrators can use this dashboard. Ask an administrator if you need access.
        </p>
        <div class="button-row">
          <button type="button" class="btn btn-primary" onClick={props.onSignOut}>
            Sign out
          </button>
        </div>
      </div>
    </main>
  );
}
