/**
 * HTTP client for the moderation dashboard: the log-in route and every /api/v1/admin route it
 * uses, one method each. Same origin, bearer token only; error bodies become ApiError.
 */
import type {
  AdminSite,
  Branding,
  BrandingResponse,
  AuditPage,
  AuditQuery,
  BulkActionResult,
  CommentActionKind,
  CommentActionResult,
  CommentDetails,
  ImportFormats,
  ImportRun,
  ItemPage,
  MailMessage,
  MailPage,
  MailState,
  Me,
  QueueCounts,
  QueueName,
  RejectionCode,
  Role,
  SearchQuery,
  Session,
  SignInSettingsBody,
  SignInSettingsResponse,
  SiteSettings,
  SiteSettingsPatch,
  Stats,
  AdminStory,
  StoryPage,
  UndoResult,
  UserPage,
  UserActionResult,
  UserDetails,
  UserNote,
  WebhookDelivery,
  WebhookDeliveryDetails,
  WebhookDeliveryPage,
  WebhookDeliveryState,
  WebhookEndpoint,
  WebhookWithSecret,
} from './types.js';
import type { SiteModelReport } from './site-model.js';
import type { AlertSettings, AlertSettingsBody, AlertTestOutcome } from './alerts.js';
import type { AppealDecision, AppealOutcome, TransparencyReport } from './dsa.js';
import type { QaSectionsResult, QaStoryState, StoryQaBody } from './qa.js';

export const NETWORK_ERROR = 'NETWORK_ERROR';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A sentence for a person, whatever went wrong. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === NETWORK_ERROR)
      return 'The server could not be reached. Check the connection.';
    if (error.message) return error.message;
    return `The server answered ${error.status} (${error.code}).`;
  }
  if (error instanceof DOMException && error.name === 'AbortError') return 'Cancelled.';
  return 'Something went wrong.';
}

export const isAbort = (error: unknown): boolean =>
  error instanceof DOMException && error.name === 'AbortError';

export interface Filters {
  readonly siteId?: string | undefined;
  readonly storyId?: string | undefined;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Params = Record<string, string | number | null | undefined>;

interface ErrorBody {
  readonly error?: { readonly code?: string; readonly message?: string };
}

export type AdminApi = ReturnType<typeof createAdminApi>;

/** A session as the client is handed one: a sign-in's answer, or the one another tab keeps. */
export type HeldSession = Pick<Session, 'token' | 'user'> & {
  readonly refreshToken?: string | undefined;
  readonly expiresIn?: number | undefined;
};

export function createAdminApi(options: {
  readonly token: () => string | null;
  /** The refresh token that goes with it (single use: each refresh answers a new one). */
  readonly refreshToken?: () => string | null;
  /** A refresh succeeded: keep the new session (synchronously, before the next request). */
  readonly onRefreshed?: (session: HeldSession) => void;
  /** Called when the server no longer accepts the token we sent (and it could not be renewed). */
  readonly onRejected: () => void;
  /**
   * A session shared by the browser's tabs (state/session.ts): renewals run one at a time across
   * tabs, and the stored session is read first, since another tab may have renewed it already.
   */
  readonly shared?: {
    readonly lock: <T>(run: () => Promise<T>) => Promise<T>;
    readonly read: () => HeldSession | null;
  };
}) {
  // One refresh at a time: requests refused together all wait for it, since a refresh token
  // presented twice ends the session (docs/identity.md).
  let refreshing: Promise<boolean> | null = null;

  function refreshOnce(refused: string): Promise<boolean> {
    const shared = options.shared;
    const renew = async (): Promise<boolean> => {
      const stored = shared?.read();
      if (stored && stored.token !== refused) {
        // Another tab renewed the session while this one waited: take its tokens.
        options.onRefreshed?.(stored);
        return true;
      }
      const refreshToken = options.refreshToken?.();
      if (!refreshToken) return false;
      try {
        const response = await fetch('/api/v1/auth/refresh', {
          method: 'POST',
          headers: { accept: 'application/json', 'content-type': 'application/json' },
          credentials: 'omit',
          body: JSON.stringify({ refreshToken }),
        });
        if (!response.ok) return false;
        options.onRefreshed?.((await response.json()) as Session);
        return true;
      } catch {
        return false;
      }
    };
    refreshing ??= (shared ? shared.lock(renew) : renew()).finally(() => {
      refreshing = null;
    });
    return refreshing;
  }

  async function request<T>(
    method: Method,
    path: string,
    body?: unknown,
    signal?: AbortSignal,
    retried = false,
  ): Promise<T> {
    const token = options.token();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    let response: Response;
    try {
      response = await fetch(`/api/v1${path}`, {
        method,
        headers,
        credentials: 'omit',
        body: body === undefined ? null : JSON.stringify(body),
        signal: signal ?? null,
      });
    } catch (error) {
      if (isAbort(error)) throw error;
      throw new ApiError(0, NETWORK_ERROR, '');
    }
    const payload: unknown =
      response.status === 204 ? undefined : await response.json().catch(() => undefined);
    if (response.ok) return payload as T;
    if (await renewed(response.status, token, payload, retried)) {
      return request<T>(method, path, body, signal, true);
    }
    throw refusal(response.status, payload);
  }

  /**
   * Whether a refused request should be sent again: an expired access token (not a wrong
   * password, which is 401 too) renewed once. When it cannot be, the session has ended.
   */
  async function renewed(
    status: number,
    token: string | null,
    payload: unknown,
    retried: boolean,
  ): Promise<boolean> {
    if (status !== 401 || !token) return false;
    if ((payload as ErrorBody | undefined)?.error?.code !== 'UNAUTHENTICATED') return false;
    if (!retried && (await refreshOnce(token))) return true;
    options.onRejected();
    return false;
  }

  function refusal(status: number, payload: unknown): ApiError {
    const error = (payload as ErrorBody | undefined)?.error;
    return new ApiError(status, error?.code ?? `HTTP_${status}`, error?.message ?? '');
  }

  /**
   * Sends a file as a request body with XMLHttpRequest, which (unlike fetch) tells how much of
   * it has gone; answers the status and the parsed JSON answer.
   */
  function sendFile(
    path: string,
    file: Blob,
    onProgress: (sent: number, total: number) => void,
    signal?: AbortSignal,
  ): Promise<{ status: number; payload: unknown; token: string | null }> {
    const token = options.token();
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `/api/v1${path}`);
      xhr.setRequestHeader('accept', 'application/json');
      xhr.setRequestHeader('content-type', 'application/octet-stream');
      if (token) xhr.setRequestHeader('authorization', `Bearer ${token}`);
      xhr.upload.onprogress = (event) =>
        onProgress(event.loaded, event.lengthComputable ? event.total : file.size);
      xhr.onload = () => {
        let payload: unknown;
        try {
          payload = JSON.parse(xhr.responseText);
        } catch {
          payload = undefined;
        }
        resolve({ status: xhr.status, payload, token });
      };
      // A refusal sent before the whole file went (too large, another import running) closes
      // the connection, which the browser may report as a network error.
      xhr.onerror = () => reject(new ApiError(0, NETWORK_ERROR, ''));
      xhr.onabort = () => reject(new DOMException('The upload was cancelled.', 'AbortError'));
      signal?.addEventListener('abort', () => xhr.abort(), { once: true });
      xhr.send(file);
    });
  }

  const query = (params: Params): string => {
    const search = new URLSearchParams();
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
    }
    const text = search.toString();
    return text ? `?${text}` : '';
  };
  const seg = encodeURIComponent;
  const post = <T>(path: string, body: unknown = {}) => request<T>('POST', `/admin${path}`, body);

  return {
    logIn: (email: string, password: string) =>
      request<Session>('POST', '/auth/login', { email, password }),
    logOut: () => request<void>('POST', '/auth/logout'),
    me: (signal?: AbortSignal) => request<Me>('GET', '/admin/me', undefined, signal),

    /**
     * The moderators' live feed (docs/live.md), with the token in the URL since EventSource cannot
     * send headers; null when signed out.
     */
    eventsUrl: (): string | null => {
      const token = options.token();
      return token ? `/api/v1/admin/events${query({ token })}` : null;
    },

    counts: (filters: Filters, signal?: AbortSignal) =>
      request<{ counts: QueueCounts }>(
        'GET',
        `/admin/queues/counts${query({ ...filters })}`,
        undefined,
        signal,
      ),
    queue: (
      queue: QueueName,
      filters: Filters,
      page: { cursor?: string | null; limit?: number },
      signal?: AbortSignal,
    ) =>
      request<ItemPage>(
        'GET',
        `/admin/queues/${seg(queue)}${query({ ...filters, cursor: page.cursor, limit: page.limit })}`,
        undefined,
        signal,
      ),
    comment: (id: string, signal?: AbortSignal) =>
      request<CommentDetails>('GET', `/admin/comments/${seg(id)}`, undefined, signal),

    act: (id: string, action: CommentActionKind) =>
      post<CommentActionResult>(`/comments/${seg(id)}/${action}`),
    reject: (id: string, reason: RejectionCode, note?: string) =>
      post<CommentActionResult>(
        `/comments/${seg(id)}/reject`,
        note ? { reason, note } : { reason },
      ),
    bulk: (action: 'approve' | 'reject', ids: string[], reason?: RejectionCode, note?: string) =>
      post<BulkActionResult>('/comments/bulk', {
        action,
        ids,
        ...(reason && { reason }),
        ...(note && { note }),
      }),
    undo: (actionId: string) => post<UndoResult>(`/actions/${seg(actionId)}/undo`),

    user: (id: string, signal?: AbortSignal) =>
      request<UserDetails>('GET', `/admin/users/${seg(id)}`, undefined, signal),
    warn: (id: string, message: string) =>
      post<UserActionResult>(`/users/${seg(id)}/warn`, { message }),
    suspend: (id: string, hours: number, reason: string) =>
      post<UserActionResult>(`/users/${seg(id)}/suspend`, { hours, reason }),
    ban: (id: string, reason: string, siteIds?: string[]) =>
      post<UserActionResult>(`/users/${seg(id)}/ban`, siteIds ? { reason, siteIds } : { reason }),
    unban: (id: string) => post<UserActionResult>(`/users/${seg(id)}/unban`),
    unsuspend: (id: string) => post<UserActionResult>(`/users/${seg(id)}/unsuspend`),
    premoderate: (id: string, on: boolean) =>
      post<UserActionResult>(`/users/${seg(id)}/premoderate`, { on }),
    revokeSessions: (id: string) => post<{ revoked: number }>(`/users/${seg(id)}/sessions/revoke`),
    addNote: (id: string, text: string) =>
      post<{ note: UserNote }>(`/users/${seg(id)}/notes`, { text }),
    setRole: (id: string, role: Role, siteIds?: string[]) =>
      request<UserActionResult>(
        'PUT',
        `/admin/users/${seg(id)}/role`,
        siteIds ? { role, siteIds } : { role },
      ),

    audit: (filters: AuditQuery, cursor: string | null, signal?: AbortSignal) =>
      request<AuditPage>(
        'GET',
        `/admin/audit${query({ ...filters, cursor, limit: 50 })}`,
        undefined,
        signal,
      ),
    search: (search: SearchQuery, cursor: string | null, signal?: AbortSignal) =>
      request<ItemPage>(
        'GET',
        `/admin/search${query({ ...search, cursor, limit: 25 })}`,
        undefined,
        signal,
      ),
    stats: (siteId: string | undefined, days: number, signal?: AbortSignal) =>
      request<Stats>('GET', `/admin/stats${query({ siteId, days })}`, undefined, signal),

    users: (
      search: { q?: string; role?: Role | '' },
      cursor: string | null,
      signal?: AbortSignal,
    ) =>
      request<UserPage>(
        'GET',
        `/admin/users${query({ q: search.q, role: search.role, cursor, limit: 50 })}`,
        undefined,
        signal,
      ),

    sitesList: (signal?: AbortSignal) =>
      request<{ sites: AdminSite[] }>('GET', '/sites', undefined, signal),
    createSite: (body: { name: string; allowedOrigins: string[] }) =>
      request<{ site: AdminSite }>('POST', '/sites', body),
    updateSite: (
      siteId: string,
      patch: { name?: string; allowedOrigins?: string[]; rendering?: boolean },
    ) => request<{ site: AdminSite }>('PATCH', `/sites/${seg(siteId)}`, patch),
    branding: (siteId: string, signal?: AbortSignal) =>
      request<BrandingResponse>('GET', `/admin/sites/${seg(siteId)}/branding`, undefined, signal),
    updateBranding: (siteId: string, patch: Partial<Branding>) =>
      request<BrandingResponse>('PUT', `/admin/sites/${seg(siteId)}/branding`, patch),
    siteSettings: (siteId: string, signal?: AbortSignal) =>
      request<{ site: SiteSettings }>(
        'GET',
        `/admin/sites/${seg(siteId)}/settings`,
        undefined,
        signal,
      ),
    updateSiteSettings: (siteId: string, patch: SiteSettingsPatch) =>
      request<{ site: SiteSettings }>('PATCH', `/admin/sites/${seg(siteId)}/settings`, patch),
    signInSettings: (siteId: string, signal?: AbortSignal) =>
      request<SignInSettingsResponse>('GET', `/admin/sites/${seg(siteId)}/auth`, undefined, signal),
    updateSignInSettings: (siteId: string, body: SignInSettingsBody) =>
      request<SignInSettingsResponse>('PUT', `/admin/sites/${seg(siteId)}/auth`, body),
    siteModel: (siteId: string, signal?: AbortSignal) =>
      request<{ siteModel: SiteModelReport }>(
        'GET',
        `/admin/sites/${seg(siteId)}/site-model`,
        undefined,
        signal,
      ),
    retrainSiteModel: (siteId: string) =>
      request<{ jobId: string; alreadyQueued: boolean }>(
        'POST',
        `/admin/sites/${seg(siteId)}/site-model/retrain`,
      ),
    /** The caller's own alerts for a site (docs/notifications.md, "Moderator alerts"). */
    alerts: (siteId: string, signal?: AbortSignal) =>
      request<{ alerts: AlertSettings }>(
        'GET',
        `/admin/sites/${seg(siteId)}/alerts`,
        undefined,
        signal,
      ),
    updateAlerts: (siteId: string, body: AlertSettingsBody) =>
      request<{ alerts: AlertSettings }>('PUT', `/admin/sites/${seg(siteId)}/alerts`, body),
    testAlerts: (siteId: string) =>
      request<{ results: AlertTestOutcome[] }>('POST', `/admin/sites/${seg(siteId)}/alerts/test`),
    /** The site setting `learnFromModerators` alone (the settings form leaves it as it is). */
    setLearnFromModerators: (siteId: string, on: boolean) =>
      request<unknown>('PATCH', `/admin/sites/${seg(siteId)}/settings`, {
        moderation: { learnFromModerators: on },
      }),

    stories: (
      search: { siteId?: string | undefined; q?: string },
      cursor: string | null,
      signal?: AbortSignal,
    ) =>
      request<StoryPage>(
        'GET',
        `/admin/stories${query({ siteId: search.siteId, q: search.q, cursor, limit: 50 })}`,
        undefined,
        signal,
      ),
    updateStory: (
      storyId: string,
      patch: { closed?: boolean; premoderated?: boolean; liveUpdates?: boolean },
    ) => request<{ story: AdminStory }>('PATCH', `/admin/stories/${seg(storyId)}`, patch),

    /** Q&A (docs/qa.md): a story's Q&A as readers get it (its mode, whether open, its experts). */
    storyQa: (storyId: string, signal?: AbortSignal) =>
      request<{ story: QaStoryState }>('GET', `/stories/${seg(storyId)}`, undefined, signal),
    setStoryQa: (storyId: string, body: StoryQaBody) =>
      request<{ story: QaStoryState }>('PUT', `/admin/stories/${seg(storyId)}/qa`, body),
    /** The sections of a site whose new stories start as Q&A. */
    qaSections: (siteId: string, signal?: AbortSignal) =>
      request<QaSectionsResult>(
        'GET',
        `/admin/sites/${seg(siteId)}/qa-defaults`,
        undefined,
        signal,
      ),
    setQaSections: (siteId: string, sections: string[]) =>
      request<QaSectionsResult>('PUT', `/admin/sites/${seg(siteId)}/qa-defaults`, {
        sections,
      }),

    mail: (state: MailState | undefined, cursor: string | null, signal?: AbortSignal) =>
      request<MailPage>(
        'GET',
        `/admin/mail${query({ state, cursor, limit: 50 })}`,
        undefined,
        signal,
      ),
    mailMessage: (id: string, signal?: AbortSignal) =>
      request<MailMessage>('GET', `/admin/mail/${seg(id)}`, undefined, signal),
    retryMail: (id: string) => post<MailMessage>(`/mail/${seg(id)}/retry`),

    importFormats: (signal?: AbortSignal) =>
      request<ImportFormats>('GET', '/admin/import-formats', undefined, signal),
    importRuns: (siteId: string, signal?: AbortSignal) =>
      request<{ runs: ImportRun[] }>(
        'GET',
        `/admin/sites/${seg(siteId)}/imports`,
        undefined,
        signal,
      ),
    importRun: (runId: string, signal?: AbortSignal) =>
      request<{ run: ImportRun }>('GET', `/admin/imports/${seg(runId)}`, undefined, signal),
    /** Uploads a file to import into the site; `onProgress` hears how much of it has gone. */
    uploadImport: async (
      siteId: string,
      format: string,
      file: File,
      onProgress: (sent: number, total: number) => void,
      signal?: AbortSignal,
    ): Promise<{ run: ImportRun }> => {
      const path = `/admin/sites/${seg(siteId)}/imports${query({ format, fileName: file.name })}`;
      for (let retried = false; ; retried = true) {
        const sent = await sendFile(path, file, onProgress, signal);
        if (sent.status === 202) return sent.payload as { run: ImportRun };
        if (!(await renewed(sent.status, sent.token, sent.payload, retried))) {
          throw refusal(sent.status, sent.payload);
        }
      }
    },
    /** An import's report as a file (GET /admin/imports/:runId/report), to offer as a download. */
    importReport: async (runId: string, signal?: AbortSignal): Promise<Blob> => {
      for (let retried = false; ; retried = true) {
        const token = options.token();
        let response: Response;
        try {
          response = await fetch(`/api/v1/admin/imports/${seg(runId)}/report`, {
            headers: token ? { authorization: `Bearer ${token}` } : {},
            credentials: 'omit',
            signal: signal ?? null,
          });
        } catch (error) {
          if (isAbort(error)) throw error;
          throw new ApiError(0, NETWORK_ERROR, '');
        }
        if (response.ok) return response.blob();
        const payload: unknown = await response.json().catch(() => undefined);
        if (!(await renewed(response.status, token, payload, retried))) {
          throw refusal(response.status, payload);
        }
      }
    },
    webhooks: (siteId: string, signal?: AbortSignal) =>
      request<{ endpoints: WebhookEndpoint[]; eventTypes: string[] }>(
        'GET',
        `/admin/sites/${seg(siteId)}/webhooks`,
        undefined,
        signal,
      ),
    createWebhook: (siteId: string, body: { url: string; description: string; events: string[] }) =>
      request<WebhookWithSecret>('POST', `/admin/sites/${seg(siteId)}/webhooks`, body),
    updateWebhook: (id: string, patch: { url?: string; description?: string; events?: string[] }) =>
      request<{ endpoint: WebhookEndpoint }>('PATCH', `/admin/webhooks/${seg(id)}`, patch),
    deleteWebhook: (id: string) =>
      request<{ endpoint: WebhookEndpoint }>('DELETE', `/admin/webhooks/${seg(id)}`),
    rotateWebhookSecret: (id: string, overlapHours: number) =>
      post<WebhookWithSecret>(`/webhooks/${seg(id)}/rotate`, { overlapHours }),
    setWebhookEnabled: (id: string, enabled: boolean) =>
      request<{ endpoint: WebhookEndpoint }>(
        'POST',
        `/admin/webhooks/${seg(id)}/${enabled ? 'enable' : 'disable'}`,
      ),
    testWebhook: (id: string) =>
      request<{ delivery: WebhookDelivery }>('POST', `/admin/webhooks/${seg(id)}/test`),
    webhookDeliveries: (
      id: string,
      state: WebhookDeliveryState | undefined,
      cursor: string | null,
      signal?: AbortSignal,
    ) =>
      request<WebhookDeliveryPage>(
        'GET',
        `/admin/webhooks/${seg(id)}/deliveries${query({ state, cursor, limit: 25 })}`,
        undefined,
        signal,
      ),
    webhookDelivery: (id: string, deliveryId: string, signal?: AbortSignal) =>
      request<{ delivery: WebhookDeliveryDetails }>(
        'GET',
        `/admin/webhooks/${seg(id)}/deliveries/${seg(deliveryId)}`,
        undefined,
        signal,
      ),
    resendWebhookDelivery: (id: string, deliveryId: string) =>
      request<{ delivery: WebhookDelivery }>(
        'POST',
        `/admin/webhooks/${seg(id)}/deliveries/${seg(deliveryId)}/resend`,
      ),

    // The Digital Services Act (docs/dsa.md): deciding an appeal, and the transparency report.
    decideAppeal: (appealId: string, outcome: AppealOutcome, note: string) =>
      request<AppealDecision>('POST', `/admin/appeals/${seg(appealId)}/decide`, { outcome, note }),
    transparency: (siteId: string, from: string, to: string, signal?: AbortSignal) =>
      request<TransparencyReport>(
        'GET',
        `/admin/sites/${seg(siteId)}/transparency${query({ from, to })}`,
        undefined,
        signal,
      ),
    /** The same report as CSV text (the server's own), for the dashboard to save as a file. */
    transparencyCsv: async (siteId: string, from: string, to: string): Promise<string> => {
      const token = options.token();
      const response = await fetch(
        `/api/v1/admin/sites/${seg(siteId)}/transparency${query({ from, to, format: 'csv' })}`,
        { headers: token ? { authorization: `Bearer ${token}` } : {}, credentials: 'omit' },
      ).catch(() => {
        throw new ApiError(0, NETWORK_ERROR, '');
      });
      if (!response.ok) {
        throw refusal(response.status, await response.json().catch(() => undefined));
      }
      return response.text();
    },

    /** An import's live progress (Server-Sent Events), with the token in the URL; null signed out. */
    importEventsUrl: (runId: string): string | null => {
      const token = options.token();
      return token ? `/api/v1/admin/imports/${seg(runId)}/events${query({ token })}` : null;
    },
  };
}
