/**
 * Parley's API as the account pages use it: same origin, JSON, the bearer token when there is
 * one. Failures become ApiError with the API's code and, for 429, how long to wait.
 */
import type { ResponseOf } from '../../shared/openapi.js';

export type { ResponseOf };

// The JSON the pages read: aliases of the types generated from the server's OpenAPI document
// (web/shared/openapi.ts), so a changed response schema fails the pages' type check.

/** docs/identity.md, "Sessions": what every sign-in answers. */
export type Session = ResponseOf<'/api/v1/auth/login', 'post'>;
export type Viewer = ResponseOf<'/api/v1/auth/me', 'get'>['user'];
export type AuthMethods = ResponseOf<'/api/v1/sites/{siteId}/auth-methods', 'get'>;
/** A row of GET /auth/sessions. */
export type SessionInfo = ResponseOf<'/api/v1/auth/sessions', 'get'>['sessions'][number];

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds to wait before trying again (429), when the server said. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
  }
}

/** Status 0: the request did not reach Parley. */
export const NETWORK = 'NETWORK';

export async function call<T>(
  method: string,
  path: string,
  options: { body?: unknown; token?: string | null } = {},
): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
    });
  } catch {
    throw new ApiError(0, NETWORK, '');
  }
  const text = await response.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (!response.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
    const wait = Number(response.headers.get('retry-after'));
    throw new ApiError(
      response.status,
      (error && error.code) || 'HTTP_' + response.status,
      (error && error.message) || '',
      wait > 0 ? wait : null,
    );
  }
  return json as T;
}

export async function listSessions(token: string): Promise<SessionInfo[]> {
  return (
    await call<ResponseOf<'/api/v1/auth/sessions', 'get'>>('GET', '/auth/sessions', { token })
  ).sessions;
}

/** GET /auth/me/export, saved as a file named after the day. */
export async function downloadExport(token: string): Promise<void> {
  const data = await call<unknown>('GET', '/auth/me/export', { token });
  const blob = new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `parley-data-${new Date().toISOString().slice(0, 10)}.json`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
