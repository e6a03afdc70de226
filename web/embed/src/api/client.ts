/**
 * HTTP client for the Parley API v1: one method per endpoint the widget uses.
 * Authenticates with a bearer token only (never cookies) and turns error bodies into ApiError.
 * A 401 for a token we sent is answered by refreshing the session once and sending the request
 * again with the new token (docs/identity.md, "Sessions in an embedded widget").
 */
import type {
  AuthMethods,
  AuthResult,
  RepliesPage,
  ListOrder,
  ResolvedStory,
  Story,
  StoryTarget,
  ThreadPage,
  User,
} from './types.js';

export const NETWORK_ERROR = 'NETWORK_ERROR';
export const WARNED = 'WARNING_UNACKNOWLEDGED';
/** Posting waits until the viewer follows the link mailed to their address. */
export const EMAIL_NOT_VERIFIED = 'EMAIL_NOT_VERIFIED';
/** A draft the classifier would hold: the author is asked once whether to revise it. */
export const REVISION_SUGGESTED = 'REVISION_SUGGESTED';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Credentials {
  readonly token: () => string | null;
  /**
   * Called when the server rejects `stale`, the token we sent: resolves to true when a newer
   * token is held now (refreshed, by this call or another), false when the viewer is signed out.
   */
  readonly refresh: (stale: string) => Promise<boolean>;
  /**
   * Called when a post is refused until the viewer does something first (acknowledge a
   * moderator's warning, confirm their address): the viewer is read again to show what.
   */
  readonly onViewerStale: () => void;
}

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface ErrorBody {
  readonly error?: { readonly code?: string; readonly message?: string };
}

export type ApiClient = ReturnType<typeof createApiClient>;

export function createApiClient(apiOrigin: string, credentials: Credentials) {
  /** anonymous: sent without the token (refreshing must not itself trigger a refresh). */
  async function request<T>(
    method: Method,
    path: string,
    body?: unknown,
    anonymous = false,
    retried = false,
  ): Promise<T> {
    const token = anonymous ? null : credentials.token();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;

    let response: Response;
    try {
      response = await fetch(`${apiOrigin}/api/v1${path}`, {
        method,
        headers,
        credentials: 'omit',
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, NETWORK_ERROR, '');
    }

    const payload: unknown =
      response.status === 204 ? undefined : await response.json().catch(() => undefined);
    if (response.ok) return payload as T;

    if (response.status === 401 && token && !retried && (await credentials.refresh(token))) {
      return request<T>(method, path, body, false, true);
    }
    const { code = `HTTP_${response.status}`, message = '' } =
      ((payload || {}) as ErrorBody).error || {};
    if (code === WARNED || code === EMAIL_NOT_VERIFIED) credentials.onViewerStale();
    throw new ApiError(response.status, code, message);
  }

  const query = (params: Record<string, string | null | undefined>): string => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) if (value) search.set(name, value);
    const text = search.toString();
    return text ? `?${text}` : '';
  };
  const segment = encodeURIComponent;

  return {
    /** Trades a single-use refresh token for a new session. */
    refresh: (refreshToken: string) =>
      request<AuthResult>('POST', '/auth/refresh', { refreshToken }, true),
    /** Signs in with the publisher's token (data-sso-token or Parley.login). */
    sso: (siteId: string, token: string) =>
      request<AuthResult>('POST', '/auth/sso', { siteId, token }, true),
    authMethods: (siteId: string) =>
      request<AuthMethods>('GET', `/sites/${segment(siteId)}/auth-methods`),
    logOut: () => request<void>('POST', '/auth/logout'),
    me: () => request<{ user: User }>('GET', '/auth/me'),

    resolveStory: (target: StoryTarget) =>
      request<ResolvedStory>('POST', '/stories/resolve', target),
    getStory: (storyId: string) => request<{ story: Story }>('GET', `/stories/${segment(storyId)}`),
    /** The story's live event stream, for EventSource (which cannot send the token as a header). */
    eventsUrl: (storyId: string, lastEventId: string) =>
      `${apiOrigin}/api/v1/stories/${segment(storyId)}/events${query({
        token: credentials.token(),
        lastEventId,
      })}`,
    listComments: (storyId: string, sort: ListOrder, cursor?: string) =>
      request<ThreadPage>('GET', `/stories/${segment(storyId)}/comments${query({ sort, cursor })}`),
    listReplies: (commentId: string, cursor: string) =>
      request<RepliesPage>('GET', `/comments/${segment(commentId)}/replies${query({ cursor })}`),

    /** Parley's origin (readers' profile pages are there: docs/profiles.md). */
    origin: apiOrigin,
    /** Any other endpoint: the notification features (state/features.ts) word their own calls. */
    call: <T>(method: Method, path: string, body?: unknown) => request<T>(method, path, body),
  };
}
