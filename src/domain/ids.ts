/**
 * Identifiers: 26-character, time-ordered (ULID layout: 48-bit milliseconds then 80 random bits,
 * Crockford base32). Ordering by id is ordering by creation time, which is what lets the newest and
 * oldest sorts paginate on the primary key alone. Monotonic within one process and millisecond.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
let lastTime = -1;
let lastRandom: Uint8Array = new Uint8Array(10);

function incremented(bytes: Uint8Array): Uint8Array {
  const next = new Uint8Array(bytes);
  for (let i = next.length - 1; i >= 0; i--) {
    if (next[i] !== 255) {
      next[i] = (next[i] ?? 0) + 1;
      return next;
    }
    next[i] = 0;
  }
  return next;
}

function encode(time: number, random: Uint8Array): string {
  let out = '';
  for (let i = 0, t = time; i < 10; i++, t = Math.floor(t / 32)) out = ALPHABET[t % 32] + out;
  let bits = 0;
  let value = 0;
  for (const byte of random) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(value >> bits) & 31];
    }
  }
  return out;
}

/** A new id for something created at `time` (default now; a past time when seeding or importing). */
export function newId(time: number = Date.now()): string {
  if (time < lastTime) return encode(time, randomBytes(10));
  if (time === lastTime) {
    lastRandom = incremented(lastRandom);
  } else {
    lastTime = time;
    lastRandom = randomBytes(10);
  }
  return encode(lastTime, lastRandom);
}

export const ID_PATTERN = '^[0-9A-HJKMNP-TV-Z]{26}$';

/** The smallest id of anything created at `time` or later: a range bound for "since" queries. */
export function idFloor(time: number): string {
  return encode(Math.max(0, Math.floor(time)), new Uint8Array(10));
}
