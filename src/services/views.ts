/**
 * Readers' views of comments, the Best order's denominator (docs/sorting.md). The widget reports
 * the comments a reader actually saw; anyone can call that route, so only ids of the story's
 * published comments are kept (one indexed read per report: made-up ids take no memory and cost
 * no write), and each client (an IPv4 address, or an IPv6 /64 network) counts once per comment
 * for `dedupeMs`, remembered in memory. Each client has its own budget there (`maxPerClient`
 * comments per window; beyond it its views are not counted until some expire), so one client can
 * neither push out the pairs others are remembered by nor count a comment again early; the whole
 * memory is bounded too (`maxRemembered`, the oldest pairs forgotten first). Counts wait in memory
 * and are written in batches (every `flushMs`, and at shutdown), each with the comment's new Best
 * key; a flush that counted views on a story bumps its version in the thread page cache, so the
 * Best pages read after it show the new order.
 *
 * What this does not stop (docs/sorting.md, "Abuse"): someone with many addresses can add one view
 * per address and comment, pushing a comment down the Best order (views without respects lower
 * it), and enough of them at their budgets fill the memory, so that others' oldest pairs are
 * forgotten early; the per-address rate limit, the budgets and the dedupe window bound how fast.
 */
import { isIPv6 } from 'node:net';
import type { Store } from '../store/db.ts';
import { addViews, publishedCommentIds } from '../store/comments.ts';

export interface ViewCounterOptions {
  /** How often counts are written (0: only when `flush` is called). */
  flushMs?: number;
  /** How long a client's view of a comment is remembered (counted once meanwhile). */
  dedupeMs?: number;
  /** The most (client, comment) pairs remembered; the oldest are forgotten first. */
  maxRemembered?: number;
  /** The most comments one client counts (and is remembered by) within `dedupeMs`. */
  maxPerClient?: number;
  /** The most comments waiting to be written; views beyond wait for the next flush's room. */
  maxPending?: number;
  /** Called with the stories whose comments' counts a flush changed. */
  flushed?: (storyIds: string[]) => void;
  warn?: (message: string) => void;
}

/** Who counts once: an IPv4 address, or the /64 network of an IPv6 address (one subscriber). */
export function viewClient(ip: string): string {
  if (!isIPv6(ip)) return ip;
  if (ip.startsWith('::ffff:') && ip.includes('.')) return ip.slice(7);
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = ip.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export class ViewCounter {
  /** `client comment` → until when it is remembered, in expiry order. */
  private readonly seen = new Map<string, number>();
  /** How many pairs each client has in `seen`. */
  private readonly perClient = new Map<string, number>();
  private pending = new Map<string, Map<string, number>>();
  private pendingSize = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly dedupeMs: number;
  private readonly maxRemembered: number;
  private readonly maxPerClient: number;
  private readonly maxPending: number;

  constructor(
    private readonly store: Store,
    private readonly options: ViewCounterOptions = {},
  ) {
    this.dedupeMs = options.dedupeMs ?? 6 * 3600_000;
    this.maxRemembered = options.maxRemembered ?? 200_000;
    this.maxPerClient = options.maxPerClient ?? 1000;
    this.maxPending = options.maxPending ?? 50_000;
    const every = options.flushMs ?? 5000;
    if (every > 0) {
      this.timer = setInterval(() => void this.flush(), every);
      this.timer.unref();
    }
  }

  /**
   * Counts a client's views of a story's comments: only the story's published comments (checked
   * here, in one read), each once per client for the dedupe window; returns how many were new.
   */
  async report(
    ip: string,
    storyId: string,
    commentIds: readonly string[],
    now = Date.now(),
  ): Promise<number> {
    const published = await publishedCommentIds(this.store.db, storyId, commentIds);
    return this.record(ip, storyId, published, now);
  }

  /**
   * Counts a client's views of comments known to be the story's published ones (see `report`),
   * each once per client for the dedupe window, within the client's budget; returns how many
   * were new.
   */
  record(ip: string, storyId: string, commentIds: readonly string[], now = Date.now()): number {
    const client = viewClient(ip);
    this.forget(now);
    let counted = 0;
    for (const commentId of new Set(commentIds)) {
      const key = `${client} ${commentId}`;
      const until = this.seen.get(key);
      if (until !== undefined && until > now) continue;
      if (this.pendingSize >= this.maxPending) break;
      const held = this.perClient.get(client) ?? 0;
      if (until === undefined && held >= this.maxPerClient) break; // its budget, until some expire
      if (until !== undefined)
        this.seen.delete(key); // re-inserted last: expiry order
      else this.perClient.set(client, held + 1);
      this.seen.set(key, now + this.dedupeMs);
      let story = this.pending.get(storyId);
      if (!story) this.pending.set(storyId, (story = new Map()));
      if (!story.has(commentId)) this.pendingSize++;
      story.set(commentId, (story.get(commentId) ?? 0) + 1);
      counted++;
    }
    this.forget(now);
    return counted;
  }

  /** Writes the counts waiting (one transaction per story); resolves once they are written. */
  flush(): Promise<void> {
    const batch = this.pending;
    this.pending = new Map();
    this.pendingSize = 0;
    this.writing = this.writing.then(async () => {
      const changed: string[] = [];
      for (const [storyId, views] of batch) {
        try {
          const counted = await addViews(this.store.db, storyId, views);
          if (counted.length > 0) changed.push(storyId);
        } catch (error) {
          // Views are a soft signal: a failed batch is dropped, not retried forever.
          this.options.warn?.(`views: a batch for story ${storyId} was lost: ${String(error)}`);
        }
      }
      if (changed.length > 0) this.options.flushed?.(changed);
    });
    return this.writing;
  }

  /** Stops the timer and writes what waits (at shutdown). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flush();
  }

  /** Pairs remembered now (for tests and metrics). */
  get remembered(): number {
    return this.seen.size;
  }

  /** Pairs one client is remembered by now (for tests). */
  rememberedOf(ip: string): number {
    return this.perClient.get(viewClient(ip)) ?? 0;
  }

  private forget(now: number): void {
    for (const [key, until] of this.seen) {
      if (until > now && this.seen.size <= this.maxRemembered) return;
      this.seen.delete(key);
      const client = key.slice(0, key.lastIndexOf(' '));
      const held = (this.perClient.get(client) ?? 1) - 1;
      if (held > 0) this.perClient.set(client, held);
      else this.perClient.delete(client);
    }
  }
}
