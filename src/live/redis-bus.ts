/**
 * The bus across processes: Redis pub/sub through node-redis, used when `REDIS_URL` is set. Each
 * story is a channel (`<prefix>story:<id>`); a process subscribes to a story's channel while it
 * has readers of that story, and to the pattern of all stories while a dashboard is connected.
 * A process hears its own events back from Redis, so every process delivers in the same way.
 *
 * Pub/sub loses what is published while a connection is down; after node-redis reconnects (and
 * re-subscribes) the bus says so, and the hub reads what it missed from the event log.
 */
import { createClient } from 'redis';
import type { Bus, LiveEvent, Listener } from './bus.ts';

const client = (url: string) => createClient({ url });
type Client = ReturnType<typeof client>;

export interface RedisBusOptions {
  url: string;
  /** Channel name prefix, so that several deployments (or test runs) can share one Redis. */
  prefix?: string;
  /** Told about connection errors (node-redis retries by itself). */
  onError?: (error: Error) => void;
}

export class RedisBus implements Bus {
  private readonly prefix: string;
  private readonly resyncListeners = new Set<() => void>();

  private constructor(
    private readonly publisher: Client,
    private readonly subscriber: Client,
    options: RedisBusOptions,
  ) {
    this.prefix = options.prefix ?? 'parley:live:';
  }

  /** The publishing connection, for other shared state (rate-limit counters). */
  get commands(): Client {
    return this.publisher;
  }

  /** Connects both clients (publishing and subscribing need a connection each). */
  static async connect(options: RedisBusOptions): Promise<RedisBus> {
    const onError = options.onError ?? ((error) => console.warn(`redis: ${error.message}`));
    const publisher = client(options.url);
    const subscriber = client(options.url);
    publisher.on('error', onError);
    subscriber.on('error', onError);
    await Promise.all([publisher.connect(), subscriber.connect()]);
    const bus = new RedisBus(publisher, subscriber, options);
    let first = true;
    subscriber.on('ready', () => {
      if (first) return;
      for (const listener of bus.resyncListeners) listener();
    });
    first = false;
    return bus;
  }

  private channel(storyId: string): string {
    return `${this.prefix}story:${storyId}`;
  }

  async publish(event: LiveEvent): Promise<void> {
    await this.publisher.publish(this.channel(event.storyId), JSON.stringify(event));
  }

  private wrap(listener: Listener) {
    return (message: string) => {
      let event: LiveEvent;
      try {
        event = JSON.parse(message) as LiveEvent;
      } catch {
        return;
      }
      listener(event);
    };
  }

  async subscribe(storyId: string, listener: Listener): Promise<() => Promise<void>> {
    const channel = this.channel(storyId);
    const wrapped = this.wrap(listener);
    // node-redis keeps the listeners of a channel and unsubscribes from Redis after the last.
    await this.subscriber.subscribe(channel, wrapped);
    return async () => {
      if (this.subscriber.isOpen) await this.subscriber.unsubscribe(channel, wrapped);
    };
  }

  async subscribeAll(listener: Listener): Promise<() => Promise<void>> {
    const pattern = `${this.prefix}story:*`;
    const wrapped = this.wrap(listener);
    await this.subscriber.pSubscribe(pattern, wrapped);
    return async () => {
      if (this.subscriber.isOpen) await this.subscriber.pUnsubscribe(pattern, wrapped);
    };
  }

  /** Called after a reconnection, when messages may have been lost. */
  onResync(listener: () => void): void {
    this.resyncListeners.add(listener);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.subscriber.close(), this.publisher.close()]);
  }
}
