/**
 * Helpers of the live tests: an SSE reader over real HTTP (fetch), and the Redis probe (a test
 * that needs Redis skips when it is down, except in CI where that is a failure).
 */
import { createClient } from 'redis';

export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

let redisAvailable: Promise<boolean> | undefined;

async function probeRedis(): Promise<boolean> {
  const client = createClient({
    url: REDIS_URL,
    socket: { connectTimeout: 2000, reconnectStrategy: false },
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch (error) {
    if (process.env.CI === 'true') {
      throw new Error(`Redis is required in CI but ${REDIS_URL} did not answer: ${String(error)}`);
    }
    console.warn(`# Redis not reachable at ${REDIS_URL}; its tests are skipped`);
    return false;
  } finally {
    if (client.isOpen) await client.close().catch(() => undefined);
  }
}

/** Whether the local Redis answers (resolved once per test process; throws in CI when down). */
export function redisUp(): Promise<boolean> {
  redisAvailable ??= probeRedis();
  return redisAvailable;
}

export interface SseEvent {
  id: string | undefined;
  event: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  data: any;
}

/** An open event stream, read as it arrives. */
export class SseReader {
  readonly events: SseEvent[] = [];
  retry: number | undefined;
  comments = 0;
  status = 0;
  /** The response body when the stream was refused. */
  body = '';
  headers: Headers | undefined;
  lastEventId: string | undefined;
  private readonly abort = new AbortController();
  private waiters: (() => void)[] = [];
  private ended = false;
  done: Promise<void> = Promise.resolve();

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseReader> {
    const reader = new SseReader();
    const response = await fetch(url, { headers, signal: reader.abort.signal });
    reader.status = response.status;
    reader.headers = response.headers;
    if (response.status !== 200 || !response.body) {
      reader.ended = true;
      reader.body = await response.text();
      return reader;
    }
    reader.done = reader.read(response.body);
    return reader;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    const source = body.getReader();
    try {
      for (;;) {
        const { done, value: chunk } = await source.read();
        if (done) break;
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          this.parse(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
    } catch {
      // aborted
    } finally {
      this.ended = true;
      this.wake();
    }
  }

  private parse(block: string): void {
    let id: string | undefined;
    let event = 'message';
    const data: string[] = [];
    let fields = 0;
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) {
        this.comments++;
        continue;
      }
      const colon = line.indexOf(':');
      const name = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      fields++;
      if (name === 'id') id = value;
      else if (name === 'event') event = value;
      else if (name === 'data') data.push(value);
      else if (name === 'retry') this.retry = Number(value);
    }
    if (id !== undefined) this.lastEventId = id;
    if (fields === 0 || data.length === 0) return;
    this.events.push({ id, event, data: JSON.parse(data.join('\n')) });
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  get isOpen(): boolean {
    return !this.ended;
  }

  /** Events other than the stream's own bookkeeping (ready). */
  get changes(): SseEvent[] {
    return this.events.filter((e) => e.event !== 'ready');
  }

  /** Waits until an event matching `test` has arrived (or the stream ends, or time runs out). */
  async waitFor(test: (event: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(test);
      if (found) return found;
      if (this.ended) throw new Error(`stream ended; got ${this.describe()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${this.describe()}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits until the stream ends (the server closed it). */
  async waitEnd(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('stream still open');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  describe(): string {
    return JSON.stringify(this.events.map((e) => [e.id, e.event]));
  }

  close(): void {
    this.abort.abort();
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// An app on a real port ------------------------------------------------------------------------

import { loadConfig, type Config } from '../../src/config.ts';
import type { HubOptions } from '../../src/server/live/options.ts';
import { buildApp, type ParleyApp } from '../../src/server/app.ts';
import { hashPassword } from '../../src/credentials/passwords.ts';
import { issueSession } from '../../src/services/sessions.ts';
import type { Site } from '../../src/store/rows.ts';
import { insertSite } from '../../src/store/sites.ts';
import { insertUser } from '../../src/store/users.ts';
import { RELAXED_MODERATION, SITE_ORIGIN } from '../helpers/app.ts';
import type { TestDatabase } from '../helpers/engines.ts';

export interface LiveApp {
  parley: ParleyApp;
  base: string;
  site: Site;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read arbitrary JSON
  call(method: string, path: string, token?: string, body?: unknown): Promise<any>;
  signup(name: string): Promise<{ token: string; id: string }>;
  admin(): Promise<string>;
  story(externalId: string): Promise<string>;
  stream(path: string, token?: string, headers?: Record<string, string>): Promise<SseReader>;
  close(): Promise<void>;
}

let counter = 0;

/**
 * Parley listening on a loopback port, on `database` (several instances may share one). The
 * first instance on a database creates the test site; later ones find it.
 */
export async function startLive(
  database: TestDatabase,
  options: {
    env?: Record<string, string>;
    live?: Partial<HubOptions> & { redisPrefix?: string };
  } = {},
): Promise<LiveApp> {
  const config: Config = {
    ...loadConfig({ PUBLIC_URL: 'http://parley.test', PARLEY_CLASSIFIER: '0', ...options.env }),
    database: database.config,
    scrapeMetadata: false,
  };
  const parley = await buildApp(config, { logger: false, runJobs: false, live: options.live });
  let site = (await parley.store.db.selectFrom('sites').selectAll().executeTakeFirst()) as
    { id: string } | undefined;
  if (!site) {
    site = await insertSite(parley.store.db, {
      name: 'Live News',
      allowedOrigins: [SITE_ORIGIN],
      editWindowSeconds: 300,
      maxDepth: 3,
      moderation: RELAXED_MODERATION,
    });
  }
  await parley.sites.refresh();
  const fullSite = (await parley.sites.get(site.id)) as Site;
  await parley.app.listen({ port: 0, host: '127.0.0.1' });
  const address = parley.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const base = `http://127.0.0.1:${port}`;

  async function call(method: string, path: string, token?: string, body?: unknown) {
    const headers: Record<string, string> = { origin: SITE_ORIGIN };
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await parley.app.inject({
      method: method as 'GET',
      url: `/api/v1${path}`,
      headers,
      ...(body !== undefined && { payload: JSON.stringify(body) }),
    });
    const json = response.body ? JSON.parse(response.body) : undefined;
    if (response.statusCode >= 400) {
      throw new Error(`${method} ${path}: ${response.statusCode} ${response.body}`);
    }
    return json;
  }

  return {
    parley,
    base,
    site: fullSite,
    call,
    async signup(name) {
      // A reader with a confirmed address, signed in (sign-up itself only mails a link).
      const email = `live${++counter}.${Date.now()}.${Math.random()}@example.com`;
      const user = await insertUser(parley.store.db, {
        email,
        displayName: name,
        passwordHash: null,
        role: 'commenter',
      });
      if (!user) throw new Error(`${email} is taken`);
      const { token } = await issueSession(parley.store, user.id, { method: 'password' });
      return { token, id: user.id };
    },
    async admin() {
      const email = `live-admin${++counter}.${Date.now()}@example.com`;
      await insertUser(parley.store.db, {
        email,
        displayName: 'Admin',
        passwordHash: await hashPassword('admin password 1'),
        role: 'admin',
      });
      const json = await call('POST', '/auth/login', undefined, {
        email,
        password: 'admin password 1',
      });
      return json.token as string;
    },
    async story(externalId) {
      const json = await call('POST', '/stories/resolve', undefined, {
        url: `${SITE_ORIGIN}/news/${externalId}`,
        storyId: externalId,
      });
      return json.story.id as string;
    },
    stream(path, token, headers = {}) {
      const url = `${base}/api/v1${path}${token ? `${path.includes('?') ? '&' : '?'}token=${token}` : ''}`;
      return SseReader.open(url, headers);
    },
    close: () => parley.close(),
  };
}
