/**
 * Every reader of a story sees the same page of comments; only their own marks (reactions, reports,
 * pending comments) differ. So the page is kept in memory, keyed by story and query, until something
 * on the story changes: anonymous readers get its serialised bytes, signed-in readers get it with
 * their marks laid over. Writes through this process invalidate at once (every write route calls
 * `storyChanged`); entries also expire after a short time, which bounds how stale a page can be
 * when another process wrote.
 *
 * Two rules keep it honest:
 * - A reader takes the story's version *before* reading the database and hands it back with the
 *   page; a page read while a write landed is served to that reader but not kept, so a stale page
 *   can never outlive the write that made it stale.
 * - Memory is bounded in bytes, not only in entries: cursors come from strangers, and each one
 *   makes a key, so the least recently used pages go first once the budget is spent.
 */
import { createHash } from 'node:crypto';

export interface CachedPage<T> {
  value: T;
  /**
   * The page as anonymous readers get it, serialised on first use, with its ETag and the token
   * of whatever else it was rendered from (the site's settings). Kept as bytes: a string would be
   * encoded to UTF-8 again on every response (a 17 KB allocation each time, which showed up as
   * garbage collection in profiles).
   */
  anonymous?: { body: Buffer; etag: string; renderedWith: unknown };
}

interface Entry<T> extends CachedPage<T> {
  id: string;
  version: number;
  expiresAt: number;
  bytes: number;
  /** False once evicted: a reader still holding it must not add its bytes to the budget. */
  live: boolean;
}

export function etagOf(body: Buffer): string {
  return `"${createHash('sha1').update(body).digest('base64url').slice(0, 20)}"`;
}

export interface ThreadCacheOptions {
  /** How long a page is served at most (0 turns the cache off). */
  ttlMs: number;
  /** Memory budget for pages and their serialised bytes. */
  maxBytes?: number;
  maxEntries?: number;
  /** Estimated bytes a value holds (its strings dominate). */
  sizeOf: (value: unknown) => number;
}

export class ThreadCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly versions = new Map<string, number>();
  private readonly changedAt = new Map<string, number>();
  private changes = 0;
  private bytes = 0;
  private readonly ttlMs: number;
  private readonly maxBytes: number;
  private readonly maxEntries: number;
  private readonly sizeOf: (value: unknown) => number;

  constructor(options: ThreadCacheOptions) {
    this.ttlMs = options.ttlMs;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
    this.maxEntries = options.maxEntries ?? 5000;
    this.sizeOf = options.sizeOf;
  }

  /** The story's version now; take it before reading what will be stored with `set`. */
  version(storyId: string): number {
    return this.versions.get(storyId) ?? 0;
  }

  get(storyId: string, key: string, now = Date.now()): CachedPage<T> | undefined {
    const entry = this.entries.get(`${storyId} ${key}`);
    if (!entry) return undefined;
    this.drop(entry);
    if (entry.version !== this.version(storyId) || entry.expiresAt <= now) return undefined;
    this.keep(entry); // most recently used last
    return entry;
  }

  /**
   * Returns the page for this reader, and keeps it for others only when the story has not changed
   * since `version` was taken.
   */
  set(storyId: string, key: string, value: T, version: number, now = Date.now()): CachedPage<T> {
    const id = `${storyId} ${key}`;
    const entry: Entry<T> = {
      id,
      value,
      version,
      expiresAt: now + this.ttlMs,
      bytes: this.sizeOf(value) + id.length * 2 + 200,
      live: false,
    };
    if (this.ttlMs <= 0 || version !== this.version(storyId)) return entry;
    if (entry.bytes > this.maxBytes / 16) return entry; // one page must not flush the rest
    const previous = this.entries.get(id);
    if (previous) this.drop(previous);
    this.keep(entry);
    this.evict();
    return entry;
  }

  /** The anonymous bytes of a page, serialised once per page and per `renderedWith` token. */
  serialised(
    page: CachedPage<T>,
    renderedWith: unknown,
    serialise: () => Buffer,
  ): { body: Buffer; etag: string } {
    const known = page.anonymous;
    if (known && known.renderedWith === renderedWith) return known;
    const entry = page as Entry<T>;
    const body = serialise();
    const before = known?.body.length ?? 0;
    const anonymous = { body, etag: etagOf(body), renderedWith };
    page.anonymous = anonymous;
    entry.bytes += body.length - before;
    if (entry.live) {
      this.bytes += body.length - before;
      this.evict();
    }
    return anonymous;
  }

  storyChanged(storyId: string): void {
    this.versions.set(storyId, this.version(storyId) + 1);
    this.changedAt.set(storyId, ++this.changes);
  }

  /**
   * How many story changes this process has seen; take it before reading what `changedSince`
   * will be asked about.
   */
  get changeCount(): number {
    return this.changes;
  }

  /** Whether the story changed through this process after `changeCount` was `count`. */
  changedSince(storyId: string, count: number): boolean {
    return (this.changedAt.get(storyId) ?? 0) > count;
  }

  /** Bytes held now (for metrics and tests). */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private keep(entry: Entry<T>): void {
    this.entries.set(entry.id, entry);
    this.bytes += entry.bytes;
    entry.live = true;
  }

  private drop(entry: Entry<T>): void {
    if (!entry.live) return;
    this.entries.delete(entry.id);
    this.bytes -= entry.bytes;
    entry.live = false;
  }

  private evict(): void {
    for (const oldest of this.entries.values()) {
      if (this.bytes <= this.maxBytes && this.entries.size <= this.maxEntries) return;
      this.drop(oldest);
    }
  }
}

/** Rough bytes held by a value's strings (two per UTF-16 unit) and objects. */
export function estimateBytes(value: unknown): number {
  if (typeof value === 'string') return value.length * 2;
  if (value === null || typeof value !== 'object') return 8;
  let total = 48;
  if (Array.isArray(value)) {
    for (const item of value) total += estimateBytes(item);
    return total;
  }
  if (value instanceof Set || value instanceof Map) return total + value.size * 64;
  for (const item of Object.values(value)) total += 16 + estimateBytes(item);
  return total;
}

/**
 * A signed-in reader's answer for one page, kept briefly so that a reader who reloads, or a widget
 * that reads again after a live event, costs no query. Keyed by the viewer's id, never shared:
 * one viewer's entry is only ever read back for that viewer. An entry is served only while
 *
 * - the story's version is the one taken before the viewer's marks were read (every write to the
 *   story through this process, reports included, bumps it);
 * - the anonymous rendering it was cut from is the one the page cache holds now (the same page
 *   records and site settings: when the page expires or is read again, the viewer's entries go
 *   with it);
 * - it is younger than the page cache's TTL, which bounds how long a mark written through another
 *   process can be missing, as it bounds the page's own staleness, and no own comment's edit
 *   window has closed since it was made (`until`).
 *
 * Bounded in bytes and entries, least recently used first.
 */
export interface ViewerAnswer {
  body: Buffer;
  etag: string;
}

interface ViewerEntry {
  id: string;
  version: number;
  from: object;
  expiresAt: number;
  answer: ViewerAnswer;
  /** Bytes charged: the body when it is the viewer's own, not when it is the shared one. */
  bytes: number;
}

export class ViewerPageCache {
  private readonly entries = new Map<string, ViewerEntry>();
  private bytes = 0;
  private readonly ttlMs: number;
  private readonly maxBytes: number;
  private readonly maxEntries: number;

  constructor(options: { ttlMs: number; maxBytes?: number; maxEntries?: number }) {
    this.ttlMs = options.ttlMs;
    this.maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
    this.maxEntries = options.maxEntries ?? 20_000;
  }

  get(
    viewerId: string,
    page: string,
    version: number,
    from: object,
    now = Date.now(),
  ): ViewerAnswer | undefined {
    const id = `${viewerId} ${page}`;
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.drop(entry);
    if (entry.version !== version || entry.from !== from || entry.expiresAt <= now) {
      return undefined;
    }
    this.keep(entry);
    return entry.answer;
  }

  /**
   * Keeps a viewer's answer, made from the anonymous rendering `from` with marks read after the
   * story's version was `version`; `until` is when it stops being right on its own (an edit window
   * closing), if sooner than the TTL.
   */
  set(
    viewerId: string,
    page: string,
    entry: { version: number; from: object; answer: ViewerAnswer; shared: boolean; until?: number },
    now = Date.now(),
  ): void {
    if (this.ttlMs <= 0) return;
    const id = `${viewerId} ${page}`;
    const bytes = (entry.shared ? 0 : entry.answer.body.length) + id.length * 2 + 200;
    if (bytes > this.maxBytes / 16) return;
    const previous = this.entries.get(id);
    if (previous) this.drop(previous);
    this.keep({
      id,
      version: entry.version,
      from: entry.from,
      answer: entry.answer,
      expiresAt: Math.min(now + this.ttlMs, entry.until ?? Infinity),
      bytes,
    });
    for (const oldest of this.entries.values()) {
      if (this.bytes <= this.maxBytes && this.entries.size <= this.maxEntries) break;
      this.drop(oldest);
    }
  }

  /** Entries and bytes held now (for tests). */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private keep(entry: ViewerEntry): void {
    this.entries.set(entry.id, entry);
    this.bytes += entry.bytes;
  }

  private drop(entry: ViewerEntry): void {
    if (this.entries.get(entry.id) !== entry) return;
    this.entries.delete(entry.id);
    this.bytes -= entry.bytes;
  }
}

/**
 * Per page of a thread, everyone who has anything of their own on it (src/store/viewer-stories.ts:
 * reactions and reports on its comments; on a first page, the authors of the story's comments
 * awaiting review or rejected, and the marks on those), read once for all its signed-in readers
 * so that a reader found nowhere in it costs no query, and one with marks only their own
 * unpublished comments' query when they have any. Kept by the page record it was read for, and
 * read after it: the page cache drops the record when the story changes or the TTL passes, so
 * these marks are never older than the page they are served with, and a mark made through
 * another process goes missing no longer than the page's own staleness. A reader's marks are
 * looked up by their id alone: nobody is ever given another's. Bounded in rows (least recently
 * used pages go first; their readers cause the page's marks to be read again); a page with more
 * rows than `maxRowsPerPage` is not kept (null), and its readers are asked about one by one.
 */
export interface PageMarks {
  /** The comments each reader has reacted to and reported on the page (or unpublished). */
  byUser: Map<string, { reacted: string[]; reported: string[] }>;
  /** Readers with a comment awaiting review or rejected on the story (first pages only). */
  unpublished: Set<string>;
}

interface PageMarksEntry {
  marks: Promise<PageMarks | null>;
  rows: number;
}

export class PageMarksCache {
  private readonly entries = new Map<object, PageMarksEntry>();
  private rows = 0;

  constructor(
    private readonly options: { maxRows: number; maxRowsPerPage: number; maxPages?: number },
  ) {}

  /**
   * The marks of `page` (the cached page record), read by `read` (up to `maxRowsPerPage + 1`
   * rows) when not kept; concurrent readers of the page share one read.
   */
  get(
    page: object,
    read: (limit: number) => Promise<{ kind: string; user_id: string; comment_id: string }[]>,
  ): Promise<PageMarks | null> {
    const known = this.entries.get(page);
    if (known) {
      this.entries.delete(page); // most recently used last
      this.entries.set(page, known);
      return known.marks;
    }
    const entry: PageMarksEntry = { marks: Promise.resolve(null), rows: 0 };
    entry.marks = read(this.options.maxRowsPerPage + 1).then(
      (rows) => {
        if (rows.length > this.options.maxRowsPerPage) {
          this.forget(page, entry);
          return null;
        }
        const marks: PageMarks = { byUser: new Map(), unpublished: new Set() };
        for (const row of rows) {
          if (row.kind === 'u') {
            marks.unpublished.add(row.user_id);
            continue;
          }
          let mine = marks.byUser.get(row.user_id);
          if (!mine) marks.byUser.set(row.user_id, (mine = { reacted: [], reported: [] }));
          (row.kind === 'r' ? mine.reacted : mine.reported).push(row.comment_id);
        }
        if (this.entries.get(page) === entry) {
          entry.rows = rows.length + 1;
          this.rows += entry.rows;
          this.evict();
        }
        return marks;
      },
      (error: unknown) => {
        this.forget(page, entry);
        throw error;
      },
    );
    this.entries.set(page, entry);
    this.evict();
    return entry.marks;
  }

  /** Pages and rows held now (for tests). */
  get size(): { pages: number; rows: number } {
    return { pages: this.entries.size, rows: this.rows };
  }

  private forget(page: object, entry: PageMarksEntry): void {
    if (this.entries.get(page) !== entry) return;
    this.entries.delete(page);
    this.rows -= entry.rows;
  }

  private evict(): void {
    const maxPages = this.options.maxPages ?? 5000;
    for (const [page, entry] of this.entries) {
      if (this.rows <= this.options.maxRows && this.entries.size <= maxPages) return;
      this.forget(page, entry);
    }
  }
}
