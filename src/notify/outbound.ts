/**
 * Outbound POSTs to addresses that admins and moderators enter (webhook endpoints, chat incoming
 * webhooks): only to public addresses unless the operator allows private ones
 * (PARLEY_WEBHOOK_ALLOW_PRIVATE=1), with a time limit, no redirects followed, and at most
 * `maxResponseBytes` of the answer read. The same guard as the article metadata fetcher
 * (src/jobs/story-metadata.ts): literal addresses are checked before connecting, names on the
 * addresses DNS returns, which are the ones the socket then uses. An answer that stops before
 * its end (the time limit, a closed connection) is reported as an error with its status.
 *
 * Never throws: every outcome, refused or failed, is an answer the caller can log.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { isPublicAddress, NonPublicAddressError, publicLookup } from '../jobs/story-metadata.ts';

export interface PostOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  maxResponseBytes?: number;
  /** Also connect to loopback and private addresses (PARLEY_WEBHOOK_ALLOW_PRIVATE). */
  allowPrivateAddresses?: boolean;
}

export interface PostResult {
  /** The receiver's status code; null when there was no answer. */
  status: number | null;
  latencyMs: number;
  /** The first bytes of the answer's body (UTF-8, possibly cut). */
  body: string;
  /** Why there was no (successful) answer: refused address, timeout, connection error. */
  error: string | null;
}

export const DEFAULT_POST_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 4096;

/** Whether an address an admin typed can be a target at all (http or https, no credentials). */
export function checkTargetUrl(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a valid URL';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http or https URL';
  if (url.username || url.password) return 'must not carry a user name or password';
  return null;
}

/**
 * An address as logs, mail, the audit log and the dashboard show it: its origin and the last four
 * characters, never the path or query, where receivers often keep their token
 * (`/hooks/catch/…/<token>`, Slack's `/services/T…/B…/<secret>`).
 */
export function maskUrl(value: string): string {
  let origin: string;
  try {
    const url = new URL(value);
    origin = `${url.protocol}//${url.host}`;
  } catch {
    origin = '';
  }
  return `${origin}/…${value.slice(-4)}`;
}

/**
 * The host of an address that would reach this machine or a private network by name or literal
 * address (localhost, 10.0.0.1, [::1]…), refused where admins enter addresses unless the operator
 * allows private receivers; null for any other. Names are checked again, on the addresses DNS
 * gives, when the request is made.
 */
export function nonPublicHost(url: URL): string | null {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const local = host === 'localhost' || host.endsWith('.localhost');
  return local || (net.isIP(host) && !isPublicAddress(host)) ? host : null;
}

export async function postJson(
  url: string,
  body: string,
  options: PostOptions = {},
): Promise<PostResult> {
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? DEFAULT_POST_TIMEOUT_MS;
  const maxBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  const done = (status: number | null, text: string, error: string | null): PostResult => ({
    status,
    latencyMs: Math.round(performance.now() - started),
    body: text,
    error,
  });
  const invalid = checkTargetUrl(url);
  if (invalid) return done(null, '', `refusing ${invalid}`);
  const target = new URL(url);
  const host = target.hostname.replace(/^\[|\]$/g, '');
  if (!options.allowPrivateAddresses && net.isIP(host) && !isPublicAddress(host)) {
    return done(null, '', new NonPublicAddressError(host, [host]).message);
  }
  const client = target.protocol === 'https:' ? https : http;
  const signal = AbortSignal.timeout(timeoutMs);
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (result: PostResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const payload = Buffer.from(body, 'utf8');
    const request = client.request({
      protocol: target.protocol,
      hostname: host,
      port: target.port || undefined,
      path: `${target.pathname}${target.search}`,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'content-length': payload.byteLength,
        'user-agent': 'Parley webhooks',
        ...options.headers,
      },
      // A connection of its own each time, so none made under other rules is reused.
      agent: false,
      signal,
      ...(!options.allowPrivateAddresses && { lookup: publicLookup }),
    });
    let answered = false;
    request.on('error', (error) => {
      // Once the head has come, the answer's own events say how it ended (status kept).
      if (answered) return;
      const message = signal.aborted
        ? `no answer within ${timeoutMs} ms`
        : error instanceof NonPublicAddressError
          ? error.message
          : `connection failed: ${error.message}`;
      finish(done(null, '', message));
    });
    request.once('response', (response) => {
      answered = true;
      const status = response.statusCode ?? 0;
      const chunks: Buffer[] = [];
      let bytes = 0;
      const text = () => Buffer.concat(chunks).toString('utf8');
      response.on('data', (chunk: Buffer) => {
        if (bytes >= maxBytes) return;
        const part = chunk.subarray(0, maxBytes - bytes);
        chunks.push(part);
        bytes += part.byteLength;
        // Enough read: the rest of a large or endless answer is not waited for.
        if (bytes >= maxBytes) {
          finish(done(status, text(), null));
          response.destroy();
        }
      });
      response.once('end', () => finish(done(status, text(), null)));
      // An answer that stops before its end (the time limit ran out while it was being read, or
      // the receiver closed the connection) is no answer: the status alone does not say it was
      // taken, and a caller that retries must know.
      const cutOff = () =>
        finish(
          done(
            status,
            text(),
            signal.aborted
              ? `the answer did not end within ${timeoutMs} ms`
              : 'the answer was cut off: the connection closed before its end',
          ),
        );
      response.on('error', cutOff);
      response.once('close', () => {
        if (!response.complete) cutOff();
      });
    });
    request.end(payload);
  });
}
