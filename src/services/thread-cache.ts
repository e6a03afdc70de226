/**
 * Every reader of a story sees the same page of comments; only their own marks (reactions, reports,
 * pending comments) differ. So the page is kept in memory, keyed by story and query, until something
 * on the story changes: anonymous readers get its serialised bytes, signed-in readers get it with
 * their marks laid over. Writes through this process invalidate at once (every write route calls
 * `storyChanged`); entries also expire after a short time, which bounds how stale a page can be
 * when another process wrote.
 */
import { createHash } from 'node:crypto';

export interface CachedPage<T> {
  value: T;
  /**
   * The page as anonymous readers get it, serialised on first use, with its ETag. Kept as bytes:
   * a string would be encoded to UTF-8 again on every response (a 17 KB allocation each time,
   * which showed up as garbage collection in profiles).
   */
  anonymous?: { body: Buffer; etag: string };
}

interface Entry<T> extends CachedPage<T> {
  version: number;
  expiresAt: number;
}

export function etagOf(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`;
}

export class ThreadCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly versions = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 2000,
  ) {}

  private version(storyId: string): number {
    return this.versions.get(storyId) ?? 0;
  }

  get(storyId: string, key: string, now = Date.now()): CachedPage<T> | undefined {
    const id = `${storyId} ${key}`;
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    if (entry.version !== this.version(storyId) || entry.expiresAt <= now) return undefined;
    this.entries.set(id, entry); // most recently used last
    return entry;
  }

  set(storyId: string, key: string, value: T, now = Date.now()): CachedPage<T> {
    const entry: Entry<T> = { value, version: this.version(storyId), expiresAt: now + this.ttlMs };
    if (this.ttlMs > 0) {
      this.entries.set(`${storyId} ${key}`, entry);
      if (this.entries.size > this.maxEntries) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    }
    return entry;
  }

  storyChanged(storyId: string): void {
    this.versions.set(storyId, this.version(storyId) + 1);
  }
}
