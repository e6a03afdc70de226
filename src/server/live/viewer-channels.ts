/**
 * Each signed-in viewer's own channel (src/live/channels.ts): while they hold a stream open in
 * this process, whichever story it reads, the process listens to their channel and writes their
 * notifications, as they came, to each of their streams.
 */
import type { Bus, LiveEvent } from '../../live/bus.ts';
import { NOTIFICATION_EVENT, userChannel } from '../../live/channels.ts';
import type { Connection, Streams } from './streams.ts';

/** A signed-in viewer's streams in this process, and the bus subscription to their own channel. */
interface ViewerChannel {
  conns: Set<Connection>;
  unsubscribe: Promise<(() => Promise<void>) | null>;
}

export class ViewerChannels {
  private readonly viewers = new Map<string, ViewerChannel>();

  constructor(
    private readonly bus: Bus,
    private readonly streams: Streams,
    private readonly log: { warn(message: string): void },
  ) {}

  /** Listens to the viewer's own channel while they hold a stream open in this process. */
  join(conn: Connection): void {
    const userId = conn.viewerId;
    if (userId === null || conn.closed) return;
    let viewer = this.viewers.get(userId);
    if (!viewer) {
      const subscribing = this.bus
        .subscribe(userChannel(userId), (event) => this.heard(event))
        .catch((error: unknown) => {
          this.log.warn(`live: subscribing to a reader's channel failed: ${String(error)}`);
          return null;
        });
      viewer = { conns: new Set(), unsubscribe: subscribing };
      this.viewers.set(userId, viewer);
    }
    viewer.conns.add(conn);
  }

  /** A stream ended: the viewer's channel is let go with their last stream here. */
  leave(conn: Connection): void {
    const userId = conn.viewerId;
    const viewer = userId === null ? undefined : this.viewers.get(userId);
    if (!viewer || !viewer.conns.delete(conn) || viewer.conns.size > 0) return;
    this.viewers.delete(userId as string);
    viewer.unsubscribe
      .then((unsubscribe) => unsubscribe?.())
      .catch((error: unknown) => this.log.warn(`live: unsubscribing: ${String(error)}`));
  }

  /** A viewer's own event: written, as it came, to each of their streams in this process. */
  private heard(event: LiveEvent): void {
    if (event.kind !== NOTIFICATION_EVENT || event.authorId === null) return;
    const viewer = this.viewers.get(event.authorId);
    if (!viewer) return;
    const text = Buffer.from(`event: ${event.kind}\ndata: ${event.data}\n\n`);
    for (const conn of viewer.conns) this.streams.write(conn, text);
  }
}
