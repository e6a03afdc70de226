/**
 * Helpers of the live-load fault tests (redis-restart, process-restart): real `parley start`
 * processes on one fresh PostgreSQL database and a Redis of the test's own (a redis-server child
 * on a free port, which the test may kill and start again: the machine's shared Redis is never
 * touched); clients posting comments without pause; and readers that follow a story's stream and,
 * when it breaks, reconnect with Last-Event-ID as the widget's EventSource does.
 *
 * `chaosSkip()` gives the reason to skip when PostgreSQL or redis-server is missing (a message, not
 * a failure), except in CI (CI=true), where that fails the run.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebBuilt } from '../../src/cli/web.ts';
import { openStore } from '../../src/store/db.ts';
import { insertSite } from '../../src/store/sites.ts';
import { RELAXED_MODERATION, SITE_ORIGIN } from '../helpers/app.ts';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/engines.ts';
import { freePort } from '../helpers/process.ts';
import { SseReader, sleep, type SseEvent } from '../live/helpers.ts';
import { signedInWriters } from '../helpers/writers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Why the live-load tests cannot run here (false: they can). Throws in CI instead of skipping. */
export async function chaosSkip(): Promise<string | false> {
  const postgres = (await testEngines()).includes('postgres');
  const probe = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  const redis = !probe.error && probe.status === 0;
  if (!redis) {
    if (process.env.CI === 'true') {
      throw new Error(`redis-server is required in CI but could not be run: ${probe.error}`);
    }
    console.warn('# redis-server not found on the PATH; the live-load fault tests are skipped');
  }
  if (postgres && redis) return false;
  const missing = [!postgres && 'PostgreSQL (not reachable)', !redis && 'redis-server (not found)'];
  return `needs ${missing.filter(Boolean).join(' and ')}`;
}

/** Polls `test` until it holds; fails with `describe()` after `timeoutMs`. */
export async function waitUntil(
  test: () => boolean | Promise<boolean>,
  timeoutMs: number,
  describe: () => string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await test()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${describe()}`);
    await sleep(50);
  }
}

// Redis ----------------------------------------------------------------------------------------

/** Whether a Redis answers PING on the port. */
function pingRedis(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk) => done(chunk.toString().startsWith('+PONG')));
  });
}

/** A redis-server of the test's own: no persistence, so a restart starts it empty. */
export class TestRedis {
  private child: ChildProcess | null = null;
  private output = '';

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<TestRedis> {
    const redis = new TestRedis(await freePort());
    await redis.restart();
    return redis;
  }

  /** Starts the server (again) on its port and waits until it answers. */
  async restart(): Promise<void> {
    assert.equal(this.child, null, 'redis-server is already running');
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`redis-server exited:\n${this.output}`);
        return pingRedis(this.port);
      },
      10_000,
      () => `redis-server on ${this.port} did not answer:\n${this.output}`,
    );
  }

  /** Kills the server at once (SIGKILL: no goodbye to its clients) and waits until it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
  }
}

// Parley processes -----------------------------------------------------------------------------

/** `parley start` on a fixed port, which can be killed and started again on that port. */
export class ParleyChild {
  private child: ChildProcess | null = null;
  /** Everything every run of the process printed. */
  output = '';
  /** Runs of the process so far (1 after the first start). */
  runs = 0;

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  get base(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Whether the current run is alive (it did not exit or crash). */
  get alive(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts a run and waits until it answers /healthz. */
  async start(timeoutMs = 60_000): Promise<void> {
    assert.ok(!this.alive, `${this.name} is already running`);
    this.runs++;
    this.output += `--- run ${this.runs}\n`;
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/parley.js'), 'start'], {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(this.port),
        HOST: '127.0.0.1',
        PUBLIC_URL: this.base,
        LOG_LEVEL: 'warn',
        PARLEY_SCRAPE_METADATA: '0',
        PARLEY_CLASSIFIER: '0',
        PARLEY_WRITE_RATE_LIMIT: '1000000',
        ...this.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`${this.name} exited:\n${this.output}`);
        return this.healthy();
      },
      timeoutMs,
      () => `${this.name} did not come up:\n${this.output}`,
    );
  }

  /** Whether /healthz answers 200 (within 5 s). */
  async healthy(): Promise<boolean> {
    try {
      const response = await fetch(`${this.base}/healthz`, { signal: AbortSignal.timeout(5000) });
      await response.body?.cancel();
      return response.ok;
    } catch {
      return false;
    }
  }

  /** Sends the signal and waits until the run has exited (SIGTERM: forced after 5 s). */
  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const child = this.child;
    return new Promise((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill(signal);
    });
  }
}

// The scene: a database, a site, a story, writers ---------------------------------------------

export interface Scene {
  database: TestDatabase;
  databaseUrl: string;
  storyId: string;
  /** One signed-in commenter per poster. */
  tokens: string[];
}

/**
 * A fresh database for processes that are started on it (and migrate it) by `start`; then a site,
 * `writers` commenters with sessions, and a story resolved through `via`.
 */
export async function createScene(
  writers: number,
  start: (databaseUrl: string) => Promise<ParleyChild>,
): Promise<Scene> {
  await ensureWebBuilt();
  const database = await createTestDatabase('postgres');
  assert.equal(database.config.engine, 'postgres');
  const databaseUrl = database.config.url;
  const via = await start(databaseUrl);
  const store = openStore(database.config);
  const tokens: string[] = [];
  let siteId: string;
  try {
    // Made after the processes read their site list: the story names it (they look it up).
    ({ id: siteId } = await insertSite(store.db, {
      name: 'Live Chaos News',
      allowedOrigins: [SITE_ORIGIN],
      editWindowSeconds: 300,
      maxDepth: 3,
      moderation: RELAXED_MODERATION,
    }));
    tokens.push(...(await signedInWriters(store, writers, 'live-chaos', 'Writer')));
  } finally {
    await store.close();
  }
  const resolved = await fetch(`${via.base}/api/v1/stories/resolve`, {
    method: 'POST',
    headers: { origin: SITE_ORIGIN, 'content-type': 'application/json' },
    body: JSON.stringify({ url: `${SITE_ORIGIN}/news/live-chaos`, storyId: 'live-chaos', siteId }),
  });
  assert.equal(resolved.status, 200, await resolved.clone().text());
  const storyId = ((await resolved.json()) as { story: { id: string } }).story.id;
  return { database, databaseUrl, storyId, tokens };
}

/** The story's event log as the database holds it (what readers may see, in order). */
export async function readerLog(
  scene: Scene,
): Promise<{ seq: number; kind: string; commentId: string | null }[]> {
  const store = openStore({ engine: 'postgres', url: scene.databaseUrl });
  try {
    const rows = await store.db
      .selectFrom('live_events')
      .select(['seq', 'kind', 'audience', 'comment_id'])
      .where('story_id', '=', scene.storyId)
      .orderBy('seq')
      .execute();
    // Anonymous readers see events for readers (bit 1); with relaxed moderation that is all.
    return rows
      .filter((row) => (row.audience & 1) !== 0)
      .map((row) => ({
        seq: Number(row.seq),
        kind: row.kind,
        // Counts name the comment that changed them; readers are only told the count.
        commentId: row.kind.startsWith('comment.') ? row.comment_id : null,
      }));
  } finally {
    await store.close();
  }
}

/** The ids of the story's stored comments. */
export async function storedComments(scene: Scene): Promise<Set<string>> {
  const store = openStore({ engine: 'postgres', url: scene.databaseUrl });
  try {
    const rows = await store.db
      .selectFrom('comments')
      .select('id')
      .where('story_id', '=', scene.storyId)
      .execute();
    return new Set(rows.map((row) => row.id));
  } finally {
    await store.close();
  }
}

// Posting ---------------------------------------------------------------------------------------

export interface Answer {
  via: string;
  /** The HTTP status, or 0 when no answer came (the connection failed). */
  status: number;
  /** The comment's id (201), or the error's code, or the network error. */
  id?: string;
  code?: string;
  error?: string;
  startedAt: number;
  endedAt: number;
}

/**
 * One client posting comments one after another through `via()` (asked before each post) until
 * `stop.now`, adding every answer to `answers` as it comes. After a failure it waits a little, as
 * a client would.
 */
export async function poster(
  scene: Scene,
  writer: number,
  via: () => ParleyChild,
  stop: { now: boolean },
  answers: Answer[],
  pauseMs = 20,
): Promise<void> {
  for (let i = 0; !stop.now; i++) {
    const target = via();
    const startedAt = Date.now();
    try {
      const response = await fetch(`${target.base}/api/v1/stories/${scene.storyId}/comments`, {
        method: 'POST',
        headers: {
          origin: SITE_ORIGIN,
          authorization: `Bearer ${scene.tokens[writer]}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({ body: `Comment ${i} of writer ${writer} through ${target.name}.` }),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await response.text();
      let json: { comment?: { id: string }; error?: { code: string } } = {};
      try {
        json = JSON.parse(text) as typeof json;
      } catch {
        // not JSON: kept as the status only
      }
      answers.push({
        via: target.name,
        status: response.status,
        id: json.comment?.id,
        code: json.error?.code,
        startedAt,
        endedAt: Date.now(),
      });
      await sleep(response.status === 201 ? pauseMs : 100);
    } catch (error) {
      answers.push({
        via: target.name,
        status: 0,
        error: String((error as Error).cause ?? error),
        startedAt,
        endedAt: Date.now(),
      });
      await sleep(100);
    }
  }
}

/** Waits until `count` posts through `via` started at or after `since` were answered 201. */
export function waitForPosts(
  answers: Answer[],
  via: ParleyChild,
  since: number,
  count = 5,
  timeoutMs = 20_000,
): Promise<void> {
  const done = () =>
    answers.filter((x) => x.via === via.name && x.status === 201 && x.startedAt >= since).length;
  return waitUntil(
    () => done() >= count,
    timeoutMs,
    () => `${done()} of ${count} posts through ${via.name} went through`,
  );
}

// Readers ---------------------------------------------------------------------------------------

/**
 * A reader of a story's stream that reconnects when the stream breaks, as the widget's EventSource
 * does: after a short delay, with `Last-Event-ID` set to the last id it received, to the address
 * `target(attempt)` names (the same process, or another behind the load balancer), again and again
 * until a stream is open. The events of every connection are kept in order.
 */
export class FollowingReader {
  readonly streams: SseReader[] = [];
  /** Which process each stream was opened on. */
  readonly openedOn: string[] = [];
  /** Failed reconnection attempts (no answer, or not 200), for the report. */
  readonly failures: string[] = [];
  private stopped = false;
  private running: Promise<void> = Promise.resolve();

  private constructor(
    readonly label: string,
    private readonly storyId: string,
    private readonly target: (attempt: number) => ParleyChild,
    private readonly retryMs: number,
  ) {}

  static async open(
    label: string,
    storyId: string,
    target: (attempt: number) => ParleyChild,
    retryMs = 250,
  ): Promise<FollowingReader> {
    const reader = new FollowingReader(label, storyId, target, retryMs);
    const first = target(0);
    const stream = await SseReader.open(reader.url(first));
    assert.equal(stream.status, 200, `${label}: ${stream.body}`);
    reader.streams.push(stream);
    reader.openedOn.push(first.name);
    await stream.waitFor((e) => e.event === 'ready', 10_000);
    reader.running = reader.follow();
    return reader;
  }

  private url(p: ParleyChild): string {
    return `${p.base}/api/v1/stories/${this.storyId}/events`;
  }

  /** Every event received, over every connection, in arrival order. */
  get events(): SseEvent[] {
    return this.streams.flatMap((s) => s.events);
  }

  /** The last event id received (what EventSource would send back). */
  get lastEventId(): string | undefined {
    for (let i = this.streams.length - 1; i >= 0; i--) {
      const id = this.streams[i]?.lastEventId;
      if (id !== undefined) return id;
    }
    return undefined;
  }

  /** The highest event number received so far (0: none). */
  get lastSeq(): number {
    return Number(this.lastEventId ?? 0);
  }

  get reconnections(): number {
    return this.streams.length - 1;
  }

  private async follow(): Promise<void> {
    for (;;) {
      const current = this.streams[this.streams.length - 1] as SseReader;
      await current.done;
      if (this.stopped) return;
      for (let attempt = 0; ; attempt++) {
        await sleep(this.retryMs);
        if (this.stopped) return;
        const to = this.target(attempt);
        const lastEventId = this.lastEventId;
        try {
          const next = await SseReader.open(
            this.url(to),
            lastEventId === undefined ? {} : { 'last-event-id': lastEventId },
          );
          if (next.status === 200) {
            this.streams.push(next);
            this.openedOn.push(to.name);
            if (this.stopped) next.close();
            break;
          }
          this.failures.push(`${to.name}: ${next.status} ${next.body}`);
        } catch (error) {
          this.failures.push(`${to.name}: ${String((error as Error).cause ?? error)}`);
        }
      }
    }
  }

  async close(): Promise<void> {
    this.stopped = true;
    for (const stream of this.streams) stream.close();
    await this.running;
  }
}

/**
 * Checks that a reader received exactly the story's events (those for readers) after the event
 * number it started from: each once, in order, none missing, and never a `reset`.
 */
export function assertFollowed(
  reader: FollowingReader,
  log: { seq: number; kind: string; commentId: string | null }[],
): void {
  const events = reader.events;
  const label = reader.label;
  assert.ok(!events.some((e) => e.event === 'reset'), `${label}: resumed, never reset`);
  const first = events.find((e) => e.event === 'ready');
  assert.ok(first, `${label}: no ready event`);
  const from = Number(first.id);
  const received = events
    .filter((e) => e.event !== 'ready')
    .map((e) => ({
      seq: Number(e.id),
      kind: e.event,
      commentId: e.event.startsWith('comment.') ? (e.data.comment?.id ?? e.data.id) : null,
    }));
  const expected = log.filter((row) => row.seq > from);
  const seqs = received.map((e) => e.seq);
  assert.deepEqual(
    seqs,
    expected.map((row) => row.seq),
    `${label}: every event once, in order (from ${from}; opened on ${reader.openedOn.join(', ')})`,
  );
  assert.deepEqual(received, expected, `${label}: the events are the log's`);
}
