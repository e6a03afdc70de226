/**
 * The HTTP client for a publisher's own moderation service (see
 * domain/moderation/phases/external.ts for what its verdict does to a comment).
 *
 * Request: `POST <settings.url>` with the JSON body
 *
 *     { "comment": { "id": string|null, "body", "html", "authorId", "storyId", "siteId" },
 *       "event": "created" | "edited" }
 *
 * and the headers
 *
 *     content-type: application/json
 *     x-parley-timestamp: <unix time in seconds>
 *     x-parley-signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>" keyed with the secret>
 *
 * How the receiver verifies a request (see {@link verifyExternalSignature}, which does exactly
 * this): read the body as raw bytes, before any JSON parsing; recompute the HMAC-SHA256 of
 * `<x-parley-timestamp>.<raw body>` with the shared secret; compare it with the hex digest after
 * `sha256=` in constant time (crypto.timingSafeEqual, not ===); and reject the request when the
 * timestamp is more than 5 minutes away from its own clock, so a captured request cannot be
 * replayed later. Because the timestamp is inside the signed text, it cannot be altered either.
 *
 * Answer: a 2xx response whose body is JSON
 *
 *     { "decision"?: "approve" | "hold" | "reject", "tags"?: string[], "reason"?: string }
 *
 * with at most 20 tags of at most 64 characters each and a reason of at most 500 characters;
 * unknown fields are ignored, and a null field counts as absent. "approve" publishes the comment,
 * "hold" sends it to moderators, "reject" refuses it (the reason is shown to the author); no
 * decision only adds the tags. Anything else throws, and the phase then holds the comment: a
 * non-2xx status, an answer over 64 KB, invalid JSON or a wrong shape, no answer within
 * settings.timeoutMs, a network error, a redirect (never followed: the signed comment goes only to
 * the configured URL), or a URL that is not http(s).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type {
  ExternalModerator,
  ExternalReviewRequest,
  ExternalVerdict,
} from '../domain/moderation/phases/external.ts';
import type { Decision, ExternalModerationSettings } from '../domain/moderation/types.ts';

/** Largest answer read from the service, in bytes. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 64;
export const MAX_REASON_LENGTH = 500;
/** How far a receiver should let a request's timestamp stray from its clock. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

const DECISIONS = new Map<unknown, Decision>([
  ['approve', 'approved'],
  ['hold', 'pending'],
  ['reject', 'rejected'],
]);

/** Why a service gave no usable verdict. Messages never contain the URL or the secret. */
export class ExternalModerationError extends Error {
  override readonly name = 'ExternalModerationError';
}

export interface ExternalModeratorOptions {
  /** The fetch to call; the global one by default. */
  fetch?: typeof fetch;
  /** The clock the timestamp is read from. */
  now?: () => number;
}

/** The `x-parley-signature` value for a body sent at `timestamp` (unix seconds). */
export function signExternalRequest(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * A receiver's check of a request, as described at the top of this file: the signature matches
 * the timestamp and raw body, compared in constant time, and the timestamp is within
 * `toleranceSeconds` of `now` (unix seconds).
 */
export function verifyExternalSignature(check: {
  secret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  body: string;
  now?: number;
  toleranceSeconds?: number;
}): boolean {
  const { secret, timestamp, signature, body } = check;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp)) return false;
  const now = check.now ?? Math.floor(Date.now() / 1000);
  const tolerance = check.toleranceSeconds ?? SIGNATURE_TOLERANCE_SECONDS;
  if (Math.abs(now - Number(timestamp)) > tolerance) return false;
  const expected = Buffer.from(signExternalRequest(secret, Number(timestamp), body));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function endpoint(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ExternalModerationError('the service URL is not a valid URL');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ExternalModerationError(
      `the service URL must be http or https, not ${parsed.protocol}`,
    );
  }
  return parsed;
}

/** Reads the response body, giving up as soon as it passes `limit` bytes. */
async function readCapped(response: Response, limit: number): Promise<string> {
  const declared = Number(response.headers.get('content-length'));
  if (declared > limit) {
    await response.body?.cancel();
    throw new ExternalModerationError(`the answer is larger than ${limit} bytes`);
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new ExternalModerationError(`the answer is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string');

/** Validates the service's JSON answer and maps it to a verdict; throws on anything else. */
export function parseExternalAnswer(text: string): ExternalVerdict {
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch {
    throw new ExternalModerationError('the answer is not valid JSON');
  }
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer)) {
    throw new ExternalModerationError('the answer is not a JSON object');
  }
  const { decision, tags, reason } = answer as Record<string, unknown>;
  const verdict: ExternalVerdict = {};
  if (decision !== undefined && decision !== null) {
    const mapped = DECISIONS.get(decision);
    if (!mapped) {
      throw new ExternalModerationError('the answer has an unknown decision');
    }
    verdict.decision = mapped;
  }
  if (tags !== undefined && tags !== null) {
    if (!isStringArray(tags)) {
      throw new ExternalModerationError("the answer's tags are not a list of strings");
    }
    if (tags.length > MAX_TAGS) {
      throw new ExternalModerationError(`the answer has more than ${MAX_TAGS} tags`);
    }
    if (tags.some((tag) => tag.length === 0 || tag.length > MAX_TAG_LENGTH)) {
      throw new ExternalModerationError(
        `the answer has an empty tag or one longer than ${MAX_TAG_LENGTH} characters`,
      );
    }
    verdict.tags = tags;
  }
  if (reason !== undefined && reason !== null) {
    if (typeof reason !== 'string' || reason.length > MAX_REASON_LENGTH) {
      throw new ExternalModerationError(
        `the answer's reason is not a string of at most ${MAX_REASON_LENGTH} characters`,
      );
    }
    verdict.reason = reason;
  }
  return verdict;
}

export class HttpExternalModerator implements ExternalModerator {
  private readonly fetch: typeof fetch;
  private readonly now: () => number;

  constructor(options: ExternalModeratorOptions = {}) {
    this.fetch = options.fetch ?? globalThis.fetch;
    this.now = options.now ?? Date.now;
  }

  async review(
    settings: ExternalModerationSettings,
    request: ExternalReviewRequest,
  ): Promise<ExternalVerdict> {
    const url = endpoint(settings.url);
    const body = JSON.stringify(request);
    const timestamp = Math.floor(this.now() / 1000);
    // One signal for the whole exchange: connecting, waiting, and reading the answer.
    const signal = AbortSignal.timeout(settings.timeoutMs);
    try {
      const response = await this.fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-parley-timestamp': String(timestamp),
          'x-parley-signature': signExternalRequest(settings.secret, timestamp, body),
        },
        body,
        redirect: 'error',
        signal,
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new ExternalModerationError(`the service answered HTTP ${response.status}`);
      }
      return parseExternalAnswer(await readCapped(response, MAX_RESPONSE_BYTES));
    } catch (error) {
      if (error instanceof ExternalModerationError) throw error;
      if (signal.aborted) {
        throw new ExternalModerationError(`no answer within ${settings.timeoutMs} ms`, {
          cause: error,
        });
      }
      // fetch rejects with "fetch failed"; its cause says why (refused, DNS, unexpected redirect).
      const why = error instanceof Error && error.cause instanceof Error ? error.cause : error;
      const detail = why instanceof Error ? why.message : String(why);
      throw new ExternalModerationError(`the request failed: ${detail}`, { cause: error });
    }
  }
}

export function createExternalModerator(options: ExternalModeratorOptions = {}): ExternalModerator {
  return new HttpExternalModerator(options);
}
