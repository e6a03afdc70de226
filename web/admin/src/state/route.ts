/**
 * The dashboard's client-side routes under /admin (the server answers every /admin/* path with the
 * same page): the queues, search, the audit log, statistics, and the management views (stories,
 * users and roles, site settings, word lists) and, for admins, the mail outbox, sites, sign-in,
 * imports and webhooks.
 */
import { QUEUES, type QueueName } from '../api/types.js';

export type Route =
  | { readonly view: 'queue'; readonly queue: QueueName }
  | { readonly view: 'search' }
  | { readonly view: 'audit' }
  | { readonly view: 'stats' }
  | { readonly view: 'stories' }
  | { readonly view: 'users' }
  | { readonly view: 'settings' }
  | { readonly view: 'words' }
  | { readonly view: 'mail' }
  | { readonly view: 'sites' }
  | { readonly view: 'signin' }
  | { readonly view: 'imports' }
  | { readonly view: 'webhooks' }
  | { readonly view: 'transparency' };

const PLAIN_VIEWS = [
  'search',
  'audit',
  'stats',
  'stories',
  'users',
  'settings',
  'words',
  'mail',
  'sites',
  'signin',
  'imports',
  'webhooks',
  'transparency',
] as const;

export const BASE = '/admin';

export function parseRoute(pathname: string): Route {
  const parts = pathname
    .slice(pathname.startsWith(BASE) ? BASE.length : 0)
    .split('/')
    .filter(Boolean);
  const [first, second] = parts;
  const plain = PLAIN_VIEWS.find((view) => view === first);
  if (plain) return { view: plain };
  if (first === 'queues' && second && (QUEUES as readonly string[]).includes(second)) {
    return { view: 'queue', queue: second as QueueName };
  }
  return { view: 'queue', queue: 'pending' };
}

export function routePath(route: Route): string {
  switch (route.view) {
    case 'queue':
      return `${BASE}/queues/${route.queue}`;
    default:
      return `${BASE}/${route.view}`;
  }
}

export const sameRoute = (a: Route, b: Route): boolean => routePath(a) === routePath(b);
