/**
 * Wires the widget's long-lived objects together for one API origin.
 */
import { createApiClient } from './api/client.js';
import type { ApiClient } from './api/client.js';
import { Announcer } from './state/announcer.js';
import { createAuthActions } from './state/auth-actions.js';
import type { AuthActions } from './state/auth-actions.js';
import { Features } from './state/features.js';
import { startLive } from './state/live.js';
import type { LiveOptions } from './state/live.js';
import { Session } from './state/session.js';
import { createThreadActions } from './state/thread-actions.js';
import type { ThreadActions } from './state/thread-actions.js';
import { ThreadStore } from './state/thread-store.js';

export interface Services {
  readonly api: ApiClient;
  readonly session: Session;
  readonly store: ThreadStore;
  readonly announcer: Announcer;
  readonly thread: ThreadActions;
  readonly auth: AuthActions;
  /** The notification features' module, loaded when wanted (state/features.ts). */
  readonly features: Features;
  /** Starts live updates of the loaded story; returns the function that stops them. */
  readonly live: (options: LiveOptions) => () => void;
}

export function createServices(apiOrigin: string): Services {
  const session = new Session(apiOrigin);
  const api = createApiClient(apiOrigin, {
    token: () => session.token,
    refresh: (stale) => auth.refresh(stale),
    // The refused post's form then shows what to do (from "me"): the warning with its
    // "I understand", or the request to confirm the address.
    onViewerStale: () => void auth.restore(),
  });
  const store = new ThreadStore();
  // A new viewer sees the thread with their own flags (own, reacted, pending comments).
  const auth = createAuthActions(api, session, `parley:refresh:${apiOrigin}`, () =>
    store.story ? thread.reload().catch(() => undefined) : Promise.resolve(),
  );
  const thread = createThreadActions(api, store);
  const features = new Features();
  return {
    api,
    session,
    store,
    announcer: new Announcer(),
    thread,
    auth,
    features,
    live: (options) => startLive(api, store, session, thread, options, features),
  };
}
