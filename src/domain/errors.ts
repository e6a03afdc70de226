/**
 * The one error type of Parley. Every failure a client can cause has a stable code and an HTTP
 * status; the server turns it into `{ "error": { "code", "message" } }`.
 */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  OIDC_STATE_INVALID: 400,
  MALFORMED_JSON: 400,
  INVALID_UTF8: 400,
  INVALID_CURSOR: 400,
  INVALID_UNICODE: 400,
  EMPTY_TEXT: 400,
  TEXT_TOO_LONG: 400,
  TEXT_TOO_SHORT: 400,
  REPLY_DEPTH: 400,
  INVALID_URL: 400,
  INVALID_TOKEN: 400,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  INVALID_REFRESH_TOKEN: 401,
  REFRESH_TOKEN_REUSED: 401,
  REFRESH_TOKEN_RACED: 401,
  SSO_TOKEN_EXPIRED: 401,
  SSO_TOKEN_REPLAYED: 401,
  SSO_TOKEN_INVALID: 401,
  FORBIDDEN: 403,
  ORIGIN_NOT_ALLOWED: 403,
  SSO_DISABLED: 403,
  OIDC_DISABLED: 403,
  EDIT_WINDOW_CLOSED: 403,
  AUTHOR_BANNED: 403,
  AUTHOR_SUSPENDED: 403,
  WARNING_UNACKNOWLEDGED: 403,
  EMAIL_NOT_VERIFIED: 403,
  NOT_FOUND: 404,
  STORY_NOT_FOUND: 404,
  COMMENT_NOT_FOUND: 404,
  SITE_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  ACTION_NOT_FOUND: 404,
  MAIL_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  EMAIL_TAKEN: 409,
  ALREADY_REPORTED: 409,
  ALREADY_UNDONE: 409,
  NOT_UNDOABLE: 409,
  ACTION_SUPERSEDED: 409,
  COMMENT_NOT_PUBLISHED: 409,
  LIVE_DISABLED: 409,
  LIVE_QUIET: 409,
  COMMENT_DELETED: 409,
  DUPLICATE_COMMENT: 409,
  STORY_CLOSED: 409,
  MAIL_NOT_RETRYABLE: 409,
  SITE_MODEL_UNAVAILABLE: 409,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  HEADERS_TOO_LARGE: 431,
  REVISION_SUGGESTED: 422,
  RATE_LIMITED: 429,
  TOO_MANY_ATTEMPTS: 429,
  DISPLAY_NAME_RECENTLY_CHANGED: 429,
  OIDC_FAILED: 502,
  BUSY: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof errorStatus;

export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ParleyError';
    this.code = code;
    this.status = errorStatus[code];
  }

  toJSON(): { error: { code: ErrorCode; message: string } } {
    return { error: { code: this.code, message: this.message } };
  }
}
