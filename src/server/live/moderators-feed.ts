/**
 * The moderators' feed (the dashboard's stream): while one is open in this process, the process
 * listens to every story on the bus, sends each moderator the new pending comments of their sites
 * as they come, and their queue counts whenever those sites changed, at most every
 * `countsEveryMs` and counted once per set of sites.
 */
import type { FastifyReply } from 'fastify';
import { inScope } from '../../domain/moderation/scope.ts';
import type { Bus, LiveEvent } from '../../live/bus.ts';
import { NOTIFICATION_EVENT } from '../../live/channels.ts';
import type { Store } from '../../store/db.ts';
import { queueCounts } from '../../store/moderation/queues.ts';
import { frame, queueItem } from './frames.ts';
import type { HubOptions } from './options.ts';
import type { Connection, Streams } from './streams.ts';

export class ModeratorsFeed {
  private readonly admins = new Set<Connection>();
  private everything: Promise<() => Promise<void>> | null = null;
  private countsTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: Store,
    private readonly bus: Bus,
    private readonly options: HubOptions,
    private readonly streams: Streams,
    private readonly log: { warn(message: string): void },
  ) {}

  /**
   * Opens an admitted moderator's stream once the process listens to every story (when it cannot,
   * the stream is dropped and the error thrown), then sends their queue counts.
   */
  async connect(conn: Connection, reply: FastifyReply): Promise<void> {
    try {
      this.everything ??= this.bus.subscribeAll((event) => this.heard(event));
      await this.everything;
    } catch (error) {
      this.everything = null;
      this.streams.drop(conn);
      throw error;
    }
    this.admins.add(conn);
    this.streams.open(conn, reply);
    this.streams.write(conn, frame('ready', {}));
    conn.countsDue = true;
    this.scheduleCounts(0);
  }

  /** A moderator's stream ended: with the last one, the process stops listening to everything. */
  leave(conn: Connection): void {
    this.admins.delete(conn);
    if (this.admins.size === 0) this.release();
  }

  /** No more counts are sent (shutting down). */
  stopCounting(): void {
    if (this.countsTimer) clearTimeout(this.countsTimer);
  }

  /** Stops listening to every story. */
  release(): void {
    const subscription = this.everything;
    this.everything = null;
    subscription
      ?.then((unsubscribe) => unsubscribe())
      .catch((error: unknown) => this.log.warn(`live: unsubscribing: ${String(error)}`));
  }

  private heard(event: LiveEvent): void {
    if (event.kind === NOTIFICATION_EVENT) return;
    let due = false;
    let item: string | null | undefined;
    for (const conn of this.admins) {
      if (conn.scope === undefined || !inScope(conn.scope, event.siteId)) continue;
      due = conn.countsDue = true;
      item ??= queueItem(event);
      if (item) this.streams.write(conn, item);
    }
    if (due) this.scheduleCounts(this.options.countsEveryMs);
  }

  private scheduleCounts(delay: number): void {
    if (this.countsTimer) return;
    this.countsTimer = setTimeout(() => {
      this.countsTimer = null;
      void this.sendCounts();
    }, delay);
    this.countsTimer.unref();
  }

  /** Queue counts to every moderator whose sites changed, counted once per set of sites. */
  private async sendCounts(): Promise<void> {
    const byScope = new Map<string, Connection[]>();
    for (const conn of this.admins) {
      if (!conn.countsDue || conn.scope === undefined) continue;
      conn.countsDue = false;
      const key = JSON.stringify(conn.scope);
      byScope.set(key, [...(byScope.get(key) ?? []), conn]);
    }
    for (const conns of byScope.values()) {
      try {
        const counts = await queueCounts(this.store.db, { scope: conns[0]?.scope ?? null });
        const text = Buffer.from(frame('counts', { counts }));
        for (const conn of conns) this.streams.write(conn, text);
      } catch (error) {
        this.log.warn(`live: counting queues failed: ${String(error)}`);
      }
    }
  }
}
