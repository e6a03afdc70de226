/**
 * Anonymous readers of a story all see the same page, so the serialised page is kept in memory
 * and served again until something on the story changes. Writes through this process invalidate
 * at once (every write route calls `storyChanged`); entries also expire after a short time, which
 * bounds how stale a page can be when another process wrote.
 */
import { createHash } from 'node:crypto';

interface Entry {
  version: number;
  body: string;
  etag: string;
  expiresAt: number;
}

export interface CachedPage {
  body: string;
  etag: string;
}

export class ThreadCache {
  private readonly entries = new Map<string, Entry>();
  private readonly versions = new Map<string, number>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 2000,
  ) {}

  private version(storyId: string): number {
    return this.versions.get(storyId) ?? 0;
  }

  get(storyId: string, key: string, now = Date.now()): CachedPage | undefined {
    const id = `${storyId} ${key}`;
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.version !== this.version(storyId) || entry.expiresAt <= now) {
      this.entries.delete(id);
      return undefined;
    }
    // Refresh its place in the least-recently-used order.
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry;
  }

  set(storyId: string, key: string, body: string, now = Date.now()): CachedPage {
    const etag = `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`;
    const entry = { version: this.version(storyId), body, etag, expiresAt: now + this.ttlMs };
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
