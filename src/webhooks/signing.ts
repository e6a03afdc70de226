/**
 * Webhook signatures as the Standard Webhooks specification lays them out
 * (https://www.standardwebhooks.com, docs/webhooks.md), so that receivers can use any of its
 * libraries or the few lines of their own that docs/webhooks.md shows:
 *
 * - a secret is `whsec_` followed by the base64 of 24 to 64 random bytes; the key is those bytes;
 * - what is signed is `${webhook-id}.${webhook-timestamp}.${body}`, the body exactly as sent;
 * - a signature is `v1,` followed by the base64 of its HMAC-SHA256;
 * - `webhook-signature` carries one signature per live secret, separated by spaces, which is how
 *   a rotated secret keeps verifying during its overlap.
 *
 * `verifyWebhook` is what a receiver does (the tests use it, and an independent check of their own).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StoredSecret } from '../store/webhooks.ts';

export const SECRET_PREFIX = 'whsec_';
export const MIN_SECRET_BYTES = 24;
export const MAX_SECRET_BYTES = 64;
/** How far a receiver should let webhook-timestamp stray from its clock (either way). */
export const DEFAULT_TOLERANCE_SECONDS = 5 * 60;

/** A new secret: `whsec_` and the base64 of `bytes` random bytes (32 unless told). */
export function generateSecret(bytes = 32): string {
  if (!Number.isInteger(bytes) || bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) {
    throw new RangeError(`a secret has ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes`);
  }
  return SECRET_PREFIX + randomBytes(bytes).toString('base64');
}

/** The HMAC key of a secret: the bytes its base64 part stands for. */
export function secretKey(secret: string): Buffer {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('a webhook secret starts with whsec_');
  const encoded = secret.slice(SECRET_PREFIX.length);
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new Error('a webhook secret is base64');
  const key = Buffer.from(encoded, 'base64');
  if (key.byteLength < MIN_SECRET_BYTES || key.byteLength > MAX_SECRET_BYTES) {
    throw new Error(`a webhook secret has ${MIN_SECRET_BYTES} to ${MAX_SECRET_BYTES} bytes`);
  }
  return key;
}

/** One signature, `v1,<base64>`, of the message with this id, timestamp (seconds) and body. */
export function sign(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac('sha256', secretKey(secret))
    .update(`${id}.${timestamp}.${body}`, 'utf8')
    .digest('base64');
  return `v1,${mac}`;
}

/** The three headers of a delivery, signed with every secret given (newest first). */
export function signedHeaders(
  secrets: readonly string[],
  id: string,
  timestamp: number,
  body: string,
): Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string> {
  if (secrets.length === 0) throw new Error('a delivery needs at least one secret to sign with');
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': secrets.map((secret) => sign(secret, id, timestamp, body)).join(' '),
  };
}

export type Verification = { valid: true } | { valid: false; reason: string };

/** Reads a header from Node's headers (lower-cased names, maybe repeated) or a plain record. */
function header(headers: Record<string, string | string[] | undefined>, name: string) {
  const value = headers[name];
  return Array.isArray(value) ? value.join(' ') : value;
}

/**
 * What a receiver checks: the three headers are there, the timestamp is within `toleranceSeconds`
 * of `now` (a replayed message is refused), and one of the signatures (any `v1`; other versions
 * are skipped) is the HMAC of this body under one of `secrets`, compared in constant time.
 */
export function verifyWebhook(
  secrets: string | readonly string[],
  headers: Record<string, string | string[] | undefined>,
  body: string,
  options: { toleranceSeconds?: number; now?: Date } = {},
): Verification {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) return { valid: false, reason: 'missing headers' };
  if (!/^\d{1,15}$/.test(timestamp)) return { valid: false, reason: 'bad timestamp' };
  const seconds = Number(timestamp);
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(nowSeconds - seconds) > tolerance) {
    return { valid: false, reason: 'timestamp outside the tolerance' };
  }
  const expected = (typeof secrets === 'string' ? [secrets] : secrets).map((secret) =>
    Buffer.from(sign(secret, id, seconds, body).slice(3), 'base64'),
  );
  for (const part of signatures.split(' ')) {
    const [version, value] = part.split(',', 2);
    if (version !== 'v1' || !value) continue;
    const given = Buffer.from(value, 'base64');
    if (
      expected.some((mac) => mac.byteLength === given.byteLength && timingSafeEqual(mac, given))
    ) {
      return { valid: true };
    }
  }
  return { valid: false, reason: 'no matching signature' };
}

/** The secrets that still sign at `now`, newest first. */
export function liveSecrets(stored: readonly StoredSecret[], now = new Date()): StoredSecret[] {
  return stored.filter((s) => s.expiresAt === null || Date.parse(s.expiresAt) > now.getTime());
}

/** At most this many secrets sign at once (rotating again during an overlap drops the oldest). */
export const MAX_LIVE_SECRETS = 4;

/**
 * The secrets after a rotation: `fresh` becomes the current one, the one it replaces keeps signing
 * until `overlapMs` from now (0: stops at once), earlier rotated ones keep their own expiry.
 */
export function rotateSecrets(
  stored: readonly StoredSecret[],
  fresh: string,
  overlapMs: number,
  now = new Date(),
): StoredSecret[] {
  const until = new Date(now.getTime() + overlapMs).toISOString();
  const kept: StoredSecret[] = [];
  for (const s of liveSecrets(stored, now)) {
    if (s.expiresAt !== null) kept.push(s);
    else if (overlapMs > 0) kept.push({ ...s, expiresAt: until });
  }
  return [
    { secret: fresh, createdAt: now.toISOString(), expiresAt: null },
    ...kept.slice(0, MAX_LIVE_SECRETS - 1),
  ];
}
