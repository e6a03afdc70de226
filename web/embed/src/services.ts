/**
 * Wires the widget's long-lived objects together for one API origin.
 */
import { createApiClient } from './api/client.js';
import { Announcer } from './state/announcer.js';
import { createAuthActions } from './state/auth-actions.js';
import type { AuthActions } from './state/auth-actions.js';
import { startLive } from './state/live.js';
import type { LiveOptions } from './state/live.js';
import { Session } from './state/session.js';
import { createThreadActions } from './state/thread-actions.js';
import type { ThreadActions } from './state/thread-actions.js';
import { ThreadStore } from './state/thread-store.js';

export interface Services {
  readonly session: Session;
  readonly store: ThreadStore;
  readonly announcer: Announcer;
  readonly thread: ThreadActions;
  readonly auth: AuthActions;
  /** Starts live updates of the loaded story; returns the function that stops them. */
  readonly live: (options: LiveOptions) => () => void;
}

export function createServices(apiOrigin: string): Services {
  const session = new Session(apiOrigin);
  const api = createApiClient(apiOrigin, {
    token: () => session.token,
    onRejected: () => session.clear(),
    // The refused post's form then shows the warning (from "me") with its "I understand".
    onWarned: () => void auth.restore(),
  });
  const store = new ThreadStore();
  const auth = createAuthActions(api, session);
  const thread = createThreadActions(api, store);
  return {
    session,
    store,
    announcer: new Announcer(),
    thread,
    auth,
    live: (options) => startLive(api, store, session, thread, options),
  };
}
