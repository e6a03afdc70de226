/**
 * The signed-in reader's notifications as the bell shows them: the newest first, how many are
 * unread, and the cursor of older ones. Live `notification` events (the story's stream) add one
 * and carry the server's unread count; each notification is announced once, when it first arrives
 * live. Notifications the reader has seen are marked read on the server, and stay marked "new" in
 * the open list until it closes, so that the reader can still tell what was new.
 * Answers that come back after the reader changed (signed out, another reader) are dropped.
 */
import type { NotificationEvent, NotificationItem, NotificationPage } from '../api/types.js';
import { Emitter } from '../state/emitter.js';

export const INBOX = 'inbox';

export interface InboxApi {
  readonly list: (cursor?: string) => Promise<NotificationPage>;
  readonly read: (body: { ids: string[] } | { all: true }) => Promise<{ unread: number }>;
}

export interface InboxState {
  readonly items: readonly NotificationItem[];
  readonly unread: number;
  readonly nextCursor: string | null;
  /** Whether the first page has been read since the reader signed in. */
  readonly loaded: boolean;
}

const EMPTY: InboxState = { items: [], unread: 0, nextCursor: null, loaded: false };

/** Ids are time-ordered (ULID layout): the newest first. */
const newestFirst = (a: NotificationItem, b: NotificationItem) =>
  a.id < b.id ? 1 : a.id > b.id ? -1 : 0;

export class Inbox extends Emitter<typeof INBOX> {
  state: InboxState = EMPTY;
  /** Read while the list is open: still shown as new until it closes (see settle). */
  private readonly justRead = new Set<string>();
  /** Ids that arrived live, announced once each. */
  private readonly heard = new Set<string>();
  /** Live events heard while the first page was being asked for. */
  private during: NotificationEvent[] | null = null;
  /** The comment a link led to: its unread notifications are read by landing on it. */
  private landedOn: string | null = null;
  private generation = 0;

  constructor(
    private readonly api: InboxApi,
    /** Called once for each notification that arrives live. */
    private readonly onArrival: (item: NotificationItem) => void,
  ) {
    super();
  }

  /** Whether the list shows the notification as new. */
  isNew(item: NotificationItem): boolean {
    return item.readAt === null || this.justRead.has(item.id);
  }

  /** Reads the first page again (on sign-in, when the list opens, when the page is shown again). */
  async refresh(): Promise<void> {
    const generation = this.generation;
    const during: NotificationEvent[] = [];
    this.during = during;
    let page: NotificationPage;
    try {
      page = await this.api.list();
    } finally {
      if (this.during === during) this.during = null;
    }
    if (generation !== this.generation) return;
    // What arrived live while the page was on its way may be newer than the page.
    const missed = during.filter(
      ({ notification }) => !page.items.some((item) => item.id === notification.id),
    );
    const last = missed[missed.length - 1];
    this.set({
      items: merge(
        page.items,
        missed.map(({ notification }) => notification),
      ),
      unread: last ? last.unread : page.unread,
      nextCursor: page.nextCursor,
      loaded: true,
    });
    await this.readLanded();
  }

  /** Appends the next page of older notifications. */
  async more(): Promise<void> {
    const { nextCursor } = this.state;
    const generation = this.generation;
    if (!nextCursor) return;
    const page = await this.api.list(nextCursor);
    if (generation !== this.generation) return;
    this.set({
      ...this.state,
      items: merge(this.state.items, page.items),
      nextCursor: page.nextCursor,
    });
  }

  /** A live `notification` event: added (or updated), its count taken, announced the first time. */
  receive(event: NotificationEvent): void {
    const { notification, unread } = event;
    if (!notification || typeof notification.id !== 'string') return;
    if (this.during) this.during.push(event);
    this.set({ ...this.state, items: merge(this.state.items, [notification]), unread });
    if (!this.heard.has(notification.id)) {
      this.heard.add(notification.id);
      this.onArrival(notification);
    }
    if (notification.commentId === this.landedOn) void this.readLanded();
  }

  /** Marks these notifications read (seen in the open list, or followed). */
  async markRead(ids: readonly string[]): Promise<void> {
    const unread = ids.filter((id) =>
      this.state.items.some((item) => item.id === id && item.readAt === null),
    );
    if (unread.length === 0) return;
    unread.forEach((id) => this.justRead.add(id));
    await this.send({ ids: unread }, (item) => unread.includes(item.id));
  }

  async markAllRead(): Promise<void> {
    await this.send({ all: true }, () => true);
  }

  /**
   * The reader followed a link to this comment (or opened it from the list): its notifications are
   * read, now or once they are known.
   */
  landed(commentId: string): Promise<void> {
    this.landedOn = commentId;
    return this.readLanded();
  }

  /** The list closed: what was read in it is no longer shown as new. */
  settle(): void {
    if (this.justRead.size === 0) return;
    this.justRead.clear();
    this.set({ ...this.state });
  }

  /** The reader signed out or changed: nothing of theirs stays. */
  clear(): void {
    this.generation += 1;
    this.justRead.clear();
    this.heard.clear();
    this.landedOn = null;
    this.during = null;
    this.set(EMPTY);
  }

  private async readLanded(): Promise<void> {
    const landedOn = this.landedOn;
    if (!landedOn || !this.state.loaded) return;
    const ids = this.state.items
      .filter((item) => item.commentId === landedOn && item.readAt === null)
      .map((item) => item.id);
    await this.send({ ids }, (item) => ids.includes(item.id));
  }

  private async send(
    body: { ids: string[] } | { all: true },
    which: (item: NotificationItem) => boolean,
  ): Promise<void> {
    if ('ids' in body && body.ids.length === 0) return;
    const generation = this.generation;
    const readAt = new Date().toISOString();
    const mark = (items: readonly NotificationItem[]) =>
      items.map((item) => (item.readAt === null && which(item) ? { ...item, readAt } : item));
    // Shown read at once; the count follows the server's answer.
    this.set({ ...this.state, items: mark(this.state.items) });
    const { unread } = await this.api.read(body);
    if (generation !== this.generation) return;
    this.set({ ...this.state, items: mark(this.state.items), unread });
  }

  private set(state: InboxState): void {
    this.state = state;
    this.emit(INBOX);
  }
}

/** The items of both lists, each once (the later list's version wins), the newest first. */
function merge(
  items: readonly NotificationItem[],
  added: readonly NotificationItem[],
): NotificationItem[] {
  const byId = new Map(items.map((item) => [item.id, item]));
  for (const item of added) {
    const known = byId.get(item.id);
    // A notification read here stays read when an older copy of it comes along.
    byId.set(
      item.id,
      known && known.readAt && !item.readAt ? { ...item, readAt: known.readAt } : item,
    );
  }
  return [...byId.values()].sort(newestFirst);
}
