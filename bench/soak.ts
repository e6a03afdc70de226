/**
 * Soak: everything a comment section does, at once and for a long time. Seeds one site with every
 * moderation phase on (bench/moderation-fixtures.ts, so that some posts are held for review), a few
 * stories, many commenters with sessions (bench/write.ts seedWriters) and a moderator of the site;
 * starts Parley in its own process as the write bench does (bench/write.ts spawnParley); then for
 * `minutes` minutes sends, each at a fixed rate: anonymous thread-page reads (some by cursor),
 * comment posts (distinct bodies, some replies), reactions, and moderation decisions on the pending
 * queue through the moderation API; and keeps live event streams open, which readers close and
 * open again now and then.
 *
 * The rates are kept whatever the answers' pace (open loop): a closed loop, like autocannon's, slows
 * down when the server does and hides a stall; here a late answer is timed from the moment its
 * request was due, and requests keep coming. Every 10 s the server's resident memory (Linux /proc),
 * JS heap (its /metrics) and CPU time are sampled; per minute, each kind's answers, errors and
 * latencies are counted. What a soak looks for is what should stay flat: a leak shows as resident
 * memory that keeps growing after the warm-up, so a least-squares line is fitted to the samples
 * after it and its slope compared with 5 MB per 10 minutes.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { openStore } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import { insertSite } from '../src/store/sites.ts';
import { findOrInsertStory } from '../src/store/stories.ts';
import { createTestDatabase, type EngineName } from '../test/helpers/engines.ts';
import { cpuMs, percentile, rssMb } from './live.ts';
import { log, machineBusyMs, stop, waitFor } from './load.ts';
import {
  benchModerationSettings,
  benchWordList,
  commentBodies,
  MAX_POSTS_PER_MINUTE,
  random,
} from './moderation-fixtures.ts';
import { loginReader, seedReader } from './seed.ts';
import { outcomesSince, REPLY_SHARE, seedWriters, spawnParley } from './write.ts';

const PORT = 18_085;
const HOST = '127.0.0.1';

/** Target rates, per second: modest, so that a 2-core machine keeps them with room to spare. */
export const SOAK_RATES = { read: 150, post: 25, reaction: 25, moderation: 2 };
export type Rates = typeof SOAK_RATES;
/** Live event streams kept open throughout. */
export const SOAK_STREAMS = 100;
/** Commenters, who post in turn: each posts `post × 60 / writers` times a minute. */
export const SOAK_WRITERS = 2000;
export const SOAK_STORIES = 4;
/** Share of reads, posts, reactions and streams on the first story; the others share the rest. */
export const MAIN_STORY_SHARE = 0.5;
/** Share of thread-page reads that follow a cursor to a later page. */
export const CURSOR_SHARE = 0.3;
/** Share of reactions that take a "Respect" back (DELETE); the rest give one (PUT). */
export const UNREACT_SHARE = 0.25;
/** Share of moderation decisions that reject (reason SPAM, OFF_TOPIC or ABUSE); the rest approve. */
export const REJECT_SHARE = 0.3;
/** A reader's stream stays open this long (seconds, drawn evenly), then closes and another opens. */
export const STREAM_LIFETIME: readonly [number, number] = [30, 150];
export const SAMPLE_SECONDS = 10;
/** The memory slope (MB per 10 minutes after the warm-up) a soak must stay under. */
export const SLOPE_LIMIT_MB = 5;
/** The warm-up left out of the memory fit: 5 minutes, or the first third of a shorter run. */
export const warmupSeconds = (minutes: number): number => Math.min(300, (minutes * 60) / 3);
const TIMEOUT_MS = 30_000;
/** A keep-alive connection unused this long is closed by the bench (the server's limit is 5 s). */
const IDLE_MS = 4000;
/** Unanswered requests of one kind past which a due request is not sent (and counts as an error). */
const MAX_IN_FLIGHT = 500;
const REJECTION_CODES = ['SPAM', 'OFF_TOPIC', 'ABUSE'] as const;

export const KINDS = ['read', 'post', 'reaction', 'moderation', 'queue', 'live'] as const;
export type Kind = (typeof KINDS)[number];
/** The kinds sent at a fixed rate (the queue is read when the moderator needs items; streams are kept open). */
const PACED = ['read', 'post', 'reaction', 'moderation'] as const;
type Paced = (typeof PACED)[number];

export interface SoakSettings {
  minutes: number;
  rates?: Partial<Rates>;
  streams?: number;
  writers?: number;
}

/** One sample of the server process, every SAMPLE_SECONDS. */
export interface Sample {
  /** Seconds since the load started. */
  t: number;
  rssMb: number;
  /** JS heap in use (MB), from /metrics; NaN when it did not answer. */
  heapMb: number;
  /** CPU time (user + system) used so far, ms. */
  cpuMs: number;
  /** The whole machine's busy CPU time so far (every process, every core), ms. */
  machineMs: number;
  /**
   * Time Parley's main thread has spent ready to run but waiting for a core (Linux schedstat),
   * ms: on a shared machine, what other work took from it.
   */
  waitMs: number;
}

export interface MinuteRow {
  minute: number;
  /** Seconds of load in this minute (the last may be shorter). */
  seconds: number;
  /** 2xx answers per second, by kind (live: streams opened). */
  perSecond: Record<Kind, number>;
  errors: number;
  p99: Record<Kind, number>;
  /** Streams open at the end of the minute. */
  streamsOpen: number;
  /** Live events read by the streams in the minute. */
  events: number;
  /** At the end of the minute. */
  rssMb: number;
  heapMb: number;
  /** Parley's CPU in the minute, as a share of one core. */
  cpuShare: number;
  /** The whole machine's busy CPU in the minute (every process), as a share of one core. */
  machineShare: number;
  /** Share of the minute Parley's main thread waited for a core while ready to run. */
  waitShare: number;
}

export interface KindSummary {
  kind: Kind;
  /** Target per second (paced kinds). */
  target?: number;
  ok: number;
  errors: number;
  expected: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
}

export interface SoakResult {
  engine: EngineName;
  minutes: number;
  rates: Rates;
  streams: number;
  writers: number;
  stories: number;
  seededComments: number;
  rows: MinuteRow[];
  samples: Sample[];
  warmupSeconds: number;
  /** Least-squares line over the samples after the warm-up: MB = intercept + slope × seconds. */
  fit: { slope: number; intercept: number; points: number } | null;
  /** The fit's slope in MB per 10 minutes. */
  slopeMbPer10Min: number | null;
  /**
   * The JS heap's floor after the warm-up, MB per 10 minutes: a line through each minute's lowest
   * heap reading (close to its size after a collection). RSS that grows over a flat floor is
   * garbage not collected yet, or memory V8 keeps; a floor that grows is live data.
   */
  heapFloorSlopeMbPer10Min: number | null;
  /** NODE_OPTIONS the server ran with (e.g. a heap limit), if any. */
  nodeOptions: string | null;
  kinds: KindSummary[];
  /** Errors and expected refusals, by kind and reason, most frequent first. */
  errorReasons: [string, number][];
  expectedReasons: [string, number][];
  events: number;
  outcomes: Record<string, number>;
  /** Comments still pending review when the load stopped. */
  pendingLeft: number;
  parleyCpuShare: number;
  generatorCpuShare: number;
  /** The whole machine's busy CPU over the run (every process), as a share of one core. */
  machineCpuShare: number;
  /** Share of the run Parley's main thread waited for a core while ready to run. */
  waitShare: number;
}

interface Tally {
  ok: number;
  errors: number;
  expected: number;
  latencies: number[];
}

const newTallies = () =>
  Object.fromEntries(
    KINDS.map((kind): [Kind, Tally] => [kind, { ok: 0, errors: 0, expected: 0, latencies: [] }]),
  ) as Record<Kind, Tally>;

/** Counts answers per minute and over the run. */
class Recorder {
  readonly minutes: { tallies: Record<Kind, Tally>; events: number; streamsOpen: number }[] = [];
  readonly totals = newTallies();
  readonly errorReasons = new Map<string, number>();
  readonly expectedReasons = new Map<string, number>();
  events = 0;

  constructor(
    private readonly startedAt: number,
    private readonly lastMinute: number,
  ) {}

  /** The tallies of minute `index` (0: the first). */
  at(index: number): Recorder['minutes'][number] {
    for (let i = this.minutes.length; i <= index; i++) {
      this.minutes.push({ tallies: newTallies(), events: 0, streamsOpen: 0 });
    }
    return this.minutes[index] as Recorder['minutes'][number];
  }

  /** The tallies of the minute now is in (answers after the end count in the last minute). */
  minute(): Recorder['minutes'][number] {
    const index = Math.floor((performance.now() - this.startedAt) / 60_000);
    return this.at(Math.max(0, Math.min(this.lastMinute, index)));
  }

  ok(kind: Kind, latencyMs: number): void {
    const tally = this.minute().tallies[kind];
    tally.ok++;
    tally.latencies.push(latencyMs);
    this.totals[kind].ok++;
    this.totals[kind].latencies.push(latencyMs);
  }

  error(kind: Kind, reason: string): void {
    this.minute().tallies[kind].errors++;
    this.totals[kind].errors++;
    const key = `${kind}: ${reason}`;
    this.errorReasons.set(key, (this.errorReasons.get(key) ?? 0) + 1);
  }

  expected(kind: Kind, reason: string): void {
    this.minute().tallies[kind].expected++;
    this.totals[kind].expected++;
    const key = `${kind}: ${reason}`;
    this.expectedReasons.set(key, (this.expectedReasons.get(key) ?? 0) + 1);
  }

  event(): void {
    this.minute().events++;
    this.events++;
  }
}

interface Answer {
  status: number;
  body: string;
}

/** One request to Parley on a keep-alive agent; rejects on a socket error or after TIMEOUT_MS. */
function send(
  agent: http.Agent,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: string,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: HOST,
        port: PORT,
        method,
        path,
        agent,
        timeout: TIMEOUT_MS,
        headers: {
          ...headers,
          ...(body !== undefined && {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
          }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
    request.end(body);
  });
}

/** "409 COMMENT_NOT_PUBLISHED": an answer's status and error code, for the error tallies. */
function describe(answer: Answer): string {
  try {
    const code = (JSON.parse(answer.body) as { error?: { code?: string } }).error?.code;
    return code ? `${answer.status} ${code}` : String(answer.status);
  } catch {
    return String(answer.status);
  }
}

const socketError = (error: unknown): string =>
  (error as NodeJS.ErrnoException).code ?? (error as Error).message;

/** Least squares: y = intercept + slope × x; null below two points. */
export function fitLine(
  points: { x: number; y: number }[],
): { slope: number; intercept: number } | null {
  const n = points.length;
  if (n < 2) return null;
  const meanX = points.reduce((s, p) => s + p.x, 0) / n;
  const meanY = points.reduce((s, p) => s + p.y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.x - meanX) * (p.y - meanY);
    sxx += (p.x - meanX) ** 2;
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: meanY - slope * meanX };
}

/** Time a process's main thread has waited on a run queue, ms (Linux /proc/<pid>/schedstat). */
function runQueueWaitMs(pid: number): number {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return NaN;
  }
}

/** The slope (MB per 10 minutes) of each minute's lowest heap reading, after `warmup` seconds. */
function heapFloorSlope(samples: Sample[], warmup: number): number | null {
  const floors = new Map<number, Sample>();
  for (const s of samples) {
    if (s.t < warmup || !Number.isFinite(s.heapMb)) continue;
    const minute = Math.floor(s.t / 60);
    const low = floors.get(minute);
    if (!low || s.heapMb < low.heapMb) floors.set(minute, s);
  }
  const line = fitLine([...floors.values()].map((s) => ({ x: s.t, y: s.heapMb })));
  return line && line.slope * 600;
}

/** The JS heap in use of the Parley process, MB, from its Prometheus metrics. */
async function heapMb(agent: http.Agent): Promise<number> {
  try {
    const { body } = await send(agent, 'GET', '/metrics');
    return Number(/^parley_nodejs_heap_size_used_bytes (\S+)/m.exec(body)?.[1] ?? NaN) / 2 ** 20;
  } catch {
    return NaN;
  }
}

/** Adds to a bounded pool of ids or cursors, replacing a random one when it is full. */
function remember(pool: string[], item: string, next: () => number, size: number): void {
  if (pool.length < size) pool.push(item);
  else pool[Math.floor(next() * size)] = item;
}

const pickFrom = <T>(next: () => number, items: readonly T[]): T =>
  items[Math.floor(next() * items.length)] as T;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const clock = (seconds: number) =>
  `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;

interface Seeded {
  siteId: string;
  storyIds: string[];
  tokens: string[];
  /** Approved top-level comments of the first story (the commenters' seeded ones). */
  parents: string[];
  moderatorEmail: string;
  wordList: ReturnType<typeof benchWordList>;
}

async function seed(
  engine: EngineName,
  config: Parameters<typeof openStore>[0],
  writers: number,
): Promise<Seeded> {
  const store = openStore(config);
  await migrate(store);
  const base = `http://${HOST}:${PORT}`;
  const wordList = benchWordList();
  const site = await insertSite(store.db, {
    name: 'Bench soak',
    allowedOrigins: [base],
    editWindowSeconds: 300,
    maxDepth: 3,
    moderation: benchModerationSettings(wordList),
  });
  const storyIds: string[] = [];
  for (let i = 0; i < SOAK_STORIES; i++) {
    const { story } = await findOrInsertStory(store.db, site.id, {
      externalId: `bench-soak-${i}`,
      url: `${base}/bench/soak/${i}`,
    });
    storyIds.push(story.id);
  }
  const { tokens, parents } = await seedWriters(
    store.db,
    site.id,
    storyIds[0] as string,
    writers,
    engine,
  );
  // The moderator: a reader made a moderator of this site only (as the dashboard's role change does).
  const moderatorEmail = `soak.moderator.${Date.now()}@bench.example`;
  await seedReader(store.db, moderatorEmail, 'Soak moderator');
  await store.db
    .updateTable('users')
    .set({ role: 'moderator', moderator_site_ids: JSON.stringify([site.id]) })
    .where('email', '=', moderatorEmail)
    .execute();
  await store.close();
  return { siteId: site.id, storyIds, tokens, parents, moderatorEmail, wordList };
}

interface LoadOptions {
  seeded: Seeded;
  pid: number;
  rates: Rates;
  streams: number;
  seconds: number;
  engine: EngineName;
}

interface LoadOutcome {
  recorder: Recorder;
  samples: Sample[];
}

/** The soak itself: the paced requests, the streams, the samples and the progress line. */
async function driveLoad(options: LoadOptions): Promise<LoadOutcome> {
  const { seeded, pid, rates, streams, seconds, engine } = options;
  const { storyIds, tokens } = seeded;
  const base = `http://${HOST}:${PORT}`;
  const next = random(11);
  const bodies = commentBodies(seeded.wordList);
  // Keep-alive connections, each closed by this side after IDLE_MS unused: Parley closes idle
  // ones after 5 s (PARLEY_KEEP_ALIVE_TIMEOUT_MS), and a request sent on a connection as the
  // server closes it fails with ECONNRESET. As many connections as the requests in flight need
  // (MAX_IN_FLIGHT bounds them): reads and writes do not wait for one another's.
  const agent = (maxSockets: number) =>
    new http.Agent({ keepAlive: true, maxSockets, timeout: IDLE_MS });
  const agents = {
    read: agent(MAX_IN_FLIGHT),
    write: agent(2 * MAX_IN_FLIGHT),
    moderation: agent(4),
    metrics: agent(1),
  };
  const startedAt = performance.now();
  const lastMinute = Math.ceil(seconds / 60) - 1;
  const recorder = new Recorder(startedAt, lastMinute);
  const inFlight = Object.fromEntries(KINDS.map((kind) => [kind, 0])) as Record<Kind, number>;
  let stopping = false;

  // What the requests pick from, learnt from answers as the run goes.
  const pickStory = () =>
    next() < MAIN_STORY_SHARE ? 0 : 1 + Math.floor(next() * (storyIds.length - 1));
  const cursors = storyIds.map((): string[] => []);
  const threads = storyIds.map((_, i): string[] => (i === 0 ? [...seeded.parents] : []));
  const reactable = storyIds.map((_, i): string[] => (i === 0 ? [...seeded.parents] : []));

  /** Runs one request of a kind, timed from `due`, and tallies its answer. */
  function paced(
    kind: Kind,
    due: number,
    request: () => Promise<Answer>,
    expected: number[],
    onOk?: (answer: Answer) => void,
  ): void {
    if (inFlight[kind] >= MAX_IN_FLIGHT) {
      recorder.error(kind, `not sent: ${MAX_IN_FLIGHT} requests unanswered`);
      return;
    }
    inFlight[kind]++;
    request()
      .then((answer) => {
        if (answer.status >= 200 && answer.status < 300) {
          recorder.ok(kind, performance.now() - due);
          onOk?.(answer);
        } else if (expected.includes(answer.status)) recorder.expected(kind, describe(answer));
        else recorder.error(kind, describe(answer));
      })
      .catch((error: unknown) => recorder.error(kind, socketError(error)))
      .finally(() => inFlight[kind]--);
  }

  const learnCursor = (story: number, answer: Answer) => {
    const { nextCursor } = JSON.parse(answer.body) as { nextCursor: string | null };
    if (nextCursor) remember(cursors[story] as string[], nextCursor, next, 50);
  };

  function read(due: number): void {
    const story = pickStory();
    const known = cursors[story] as string[];
    const cursor = known.length > 0 && next() < CURSOR_SHARE ? pickFrom(next, known) : null;
    const path = `/api/v1/stories/${storyIds[story]}/comments${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`;
    // A few answers are read for their next cursor, so that cursor reads go deeper over time.
    const learn = known.length < 5 || next() < 0.05;
    paced(
      'read',
      due,
      () => send(agents.read, 'GET', path),
      [],
      (answer) => {
        if (learn) learnCursor(story, answer);
      },
    );
  }

  let serial = 0;
  function post(due: number): void {
    const story = pickStory();
    const replyTo = threads[story] as string[];
    const parentId = replyTo.length > 0 && next() < REPLY_SHARE ? pickFrom(next, replyTo) : null;
    // In turn, so that each commenter posts once every writers / rate seconds.
    const token = tokens[serial % tokens.length] as string;
    const body = JSON.stringify({
      body: bodies(serial++),
      // As in the write bench: a draft the classifier scores high is stored held, not sent back.
      postAnyway: true,
      ...(parentId && { parentId }),
    });
    const path = `/api/v1/stories/${storyIds[story]}/comments`;
    paced(
      'post',
      due,
      () => send(agents.write, 'POST', path, { authorization: `Bearer ${token}` }, body),
      [503],
      (answer) => {
        const { comment } = JSON.parse(answer.body) as { comment: { id: string; status: string } };
        if (comment.status !== 'approved') return;
        remember(reactable[story] as string[], comment.id, next, 20_000);
        if (!parentId) remember(replyTo, comment.id, next, 20_000);
      },
    );
  }

  function react(due: number): void {
    const story = pickStory();
    const pool = (reactable[story] as string[]).length ? story : 0;
    const commentId = pickFrom(next, reactable[pool] as string[]);
    const token = pickFrom(next, tokens);
    const method = next() < UNREACT_SHARE ? 'DELETE' : 'PUT';
    const path = `/api/v1/comments/${commentId}/reaction`;
    paced(
      'reaction',
      due,
      () => send(agents.write, method, path, { authorization: `Bearer ${token}` }),
      [503],
    );
  }

  // The moderator works the pending queue from the front, as the dashboard does.
  let moderatorToken = await loginReader(base, seeded.moderatorEmail);
  let signedInAt = Date.now();
  let reSigningIn = false;
  const queue: string[] = [];
  const taken = new Set<string>();
  let fetchingQueue = false;
  let queueFetchedAt = 0;
  const asModerator = () => {
    // Access tokens last an hour: sign in again well before, for runs that long.
    if (!reSigningIn && Date.now() - signedInAt > 45 * 60_000) {
      reSigningIn = true;
      void loginReader(base, seeded.moderatorEmail)
        .then((token) => {
          moderatorToken = token;
          signedInAt = Date.now();
        })
        .catch((error: unknown) => recorder.error('moderation', `sign-in: ${String(error)}`))
        .finally(() => (reSigningIn = false));
    }
    return { authorization: `Bearer ${moderatorToken}` };
  };

  function refillQueue(): void {
    if (fetchingQueue || queue.length >= 20 || Date.now() - queueFetchedAt < 1000) return;
    fetchingQueue = true;
    queueFetchedAt = Date.now();
    const path = `/api/v1/admin/queues/pending?siteId=${seeded.siteId}&limit=100`;
    const due = performance.now();
    inFlight.queue++;
    send(agents.moderation, 'GET', path, asModerator())
      .then((answer) => {
        if (answer.status !== 200) return recorder.error('queue', describe(answer));
        recorder.ok('queue', performance.now() - due);
        const { items } = JSON.parse(answer.body) as { items: { comment: { id: string } }[] };
        for (const { comment } of items) {
          if (!taken.has(comment.id) && !queue.includes(comment.id)) queue.push(comment.id);
        }
      })
      .catch((error: unknown) => recorder.error('queue', socketError(error)))
      .finally(() => {
        inFlight.queue--;
        fetchingQueue = false;
      });
  }

  function moderate(due: number): void {
    refillQueue();
    const commentId = queue.shift();
    if (!commentId) {
      recorder.expected('moderation', 'none pending when due');
      return;
    }
    taken.add(commentId);
    const reject = next() < REJECT_SHARE;
    const path = `/api/v1/admin/comments/${commentId}/${reject ? 'reject' : 'approve'}`;
    const body = reject
      ? JSON.stringify({ reason: pickFrom(next, REJECTION_CODES), note: 'Soak bench decision.' })
      : '{}';
    // 409: a reply whose parent is not published cannot be approved; 503: PostgreSQL busy.
    paced(
      'moderation',
      due,
      () => send(agents.moderation, 'POST', path, asModerator(), body),
      [409, 503],
    );
  }

  // Live streams: a raw request each, read event by event; closed by the reader now and then.
  const open = new Map<number, http.ClientRequest>();
  let streamsOpen = 0;
  function openStream(slot: number, lastEventId?: string): void {
    if (stopping) return;
    const story = slot < streams * MAIN_STORY_SHARE ? 0 : 1 + (slot % (storyIds.length - 1));
    const started = performance.now();
    let ready = false;
    let closed = false;
    let lastId = lastEventId;
    let lifetime: NodeJS.Timeout | undefined;
    const request = http.request({
      host: HOST,
      port: PORT,
      path: `/api/v1/stories/${storyIds[story]}/events`,
      agent: false,
      headers: {
        accept: 'text/event-stream',
        // After a close by the server, resume as EventSource does.
        ...(lastEventId && { 'last-event-id': lastEventId }),
      },
    });
    open.set(slot, request);
    const finish = (again: number | null, resumeFrom?: string) => {
      if (closed) return;
      closed = true;
      clearTimeout(lifetime);
      open.delete(slot);
      if (ready) streamsOpen--;
      request.destroy();
      if (again !== null && !stopping) setTimeout(() => openStream(slot, resumeFrom), again);
    };
    const broken = (reason: string) => {
      if (closed || stopping) return finish(null);
      recorder.error('live', reason);
      finish(1000);
    };
    request.on('error', (error) => broken(socketError(error)));
    request.on('response', (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        return broken(`status ${response.statusCode}`);
      }
      response.setEncoding('utf8');
      let buffer = '';
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const id = /^id: (.*)$/m.exec(block)?.[1];
          if (id !== undefined) lastId = id;
          if (!block.includes('event: ')) continue;
          if (!ready && block.includes('event: ready')) {
            ready = true;
            streamsOpen++;
            recorder.ok('live', performance.now() - started);
            const [shortest, longest] = STREAM_LIFETIME;
            const ms = (shortest + next() * (longest - shortest)) * 1000;
            // The reader leaves; another arrives a moment later (a new page: no Last-Event-ID).
            lifetime = setTimeout(() => finish(200 + next() * 800), ms);
          } else recorder.event();
        }
      });
      response.on('error', (error) => broken(socketError(error)));
      response.on('end', () => {
        if (closed || stopping) return finish(null);
        recorder.expected('live', 'closed by the server');
        finish(1000, lastId);
      });
    });
    request.end();
  }

  // Samples of the server, every SAMPLE_SECONDS: resident memory and CPU time read from /proc
  // there and then, the heap from /metrics when it answers (a slow answer delays no sample).
  const samples: Sample[] = [];
  const heapReads: Promise<void>[] = [];
  let nextSampleAt = 0;
  function sampleDue(elapsed: number): void {
    if (elapsed < nextSampleAt) return;
    const sample: Sample = {
      t: Math.min(elapsed, seconds),
      rssMb: rssMb(pid),
      heapMb: NaN,
      cpuMs: cpuMs(pid),
      machineMs: machineBusyMs(),
      waitMs: runQueueWaitMs(pid),
    };
    samples.push(sample);
    heapReads.push(heapMb(agents.metrics).then((mb) => void (sample.heapMb = mb)));
    nextSampleAt = (Math.floor(elapsed / SAMPLE_SECONDS) + 1) * SAMPLE_SECONDS;
  }

  // The progress line, and a log line as each minute ends.
  let shownMinute = 0;
  let previous = { at: startedAt, ...counts() };
  function counts() {
    return {
      read: recorder.totals.read.ok,
      post: recorder.totals.post.ok,
      reaction: recorder.totals.reaction.ok,
      moderation: recorder.totals.moderation.ok,
      events: recorder.events,
      errors: KINDS.reduce((sum, kind) => sum + recorder.totals[kind].errors, 0),
    };
  }
  function progress(elapsed: number): void {
    const minute = Math.min(lastMinute, Math.floor(elapsed / 60));
    while (shownMinute < minute || (elapsed >= seconds && shownMinute <= lastMinute)) {
      recorder.at(shownMinute).streamsOpen = streamsOpen;
      process.stdout.write('\r\x1b[K');
      log(`[${engine}] ${minuteLine(shownMinute, recorder, samples, seconds)}`);
      shownMinute++;
    }
    if (elapsed >= seconds) return;
    const now = performance.now();
    const current = counts();
    const span = Math.max(0.001, (now - previous.at) / 1000);
    const rate = (key: keyof typeof current) => ((current[key] - previous[key]) / span).toFixed(0);
    const rss = samples.at(-1)?.rssMb ?? NaN;
    process.stdout.write(
      `\r\x1b[K          soak ${clock(elapsed)}/${clock(seconds)}: reads ${rate('read')}/s, posts ${rate('post')}/s, ` +
        `reactions ${rate('reaction')}/s, moderation ${rate('moderation')}/s, streams ${streamsOpen}, ` +
        `events ${rate('events')}/s, errors ${current.errors}, RSS ${rss.toFixed(0)} MB`,
    );
    previous = { at: now, ...current };
  }

  const actions: Record<Paced, (due: number) => void> = {
    read,
    post,
    reaction: react,
    moderation: moderate,
  };
  const sent = Object.fromEntries(PACED.map((kind) => [kind, 0])) as Record<Paced, number>;
  /** Sends every request due by now: the n-th of a kind is due n / rate seconds after the start. */
  function sendDue(): void {
    const elapsed = Math.min(seconds, (performance.now() - startedAt) / 1000);
    for (const kind of PACED) {
      const due = Math.floor(elapsed * rates[kind]);
      while (sent[kind] < due) actions[kind](startedAt + (++sent[kind] / rates[kind]) * 1000);
    }
  }
  const schedule = setInterval(sendDue, 10);
  sampleDue(0);
  for (let slot = 0; slot < streams; slot++) setTimeout(() => openStream(slot), slot * 10);
  const ticker = setInterval(() => {
    const elapsed = (performance.now() - startedAt) / 1000;
    sampleDue(elapsed);
    progress(elapsed);
  }, 1000);

  await sleep(seconds * 1000);
  sendDue();
  clearInterval(schedule);
  clearInterval(ticker);
  nextSampleAt = Math.min(nextSampleAt, seconds);
  sampleDue(seconds);
  stopping = true;
  // Let the last requests be answered (each is tallied in the minute it ends in, the last one).
  const deadline = performance.now() + TIMEOUT_MS;
  while (KINDS.some((kind) => inFlight[kind] > 0) && performance.now() < deadline) await sleep(50);
  await Promise.all(heapReads);
  progress(seconds);
  for (const request of open.values()) request.destroy();
  for (const agent of Object.values(agents)) agent.destroy();
  return { recorder, samples };
}

/** CPU time between two samples (`pick`: whose), as a share of one core. */
const share = (from: Sample | undefined, to: Sample | undefined, pick: (s: Sample) => number) =>
  from && to && to.t > from.t ? (pick(to) - pick(from)) / ((to.t - from.t) * 1000) : NaN;

/** The sample closest to `t` seconds. */
const sampleAt = (samples: Sample[], t: number): Sample | undefined =>
  samples.reduce<Sample | undefined>(
    (best, s) => (!best || Math.abs(s.t - t) < Math.abs(best.t - t) ? s : best),
    undefined,
  );

function minuteRow(
  index: number,
  recorder: Recorder,
  samples: Sample[],
  totalSeconds: number,
): MinuteRow {
  const minute = recorder.at(index);
  const seconds = Math.max(1, Math.min(60, totalSeconds - index * 60));
  const startSample = sampleAt(samples, index * 60);
  const endSample = sampleAt(samples, index * 60 + seconds);
  const sortedP99 = (kind: Kind) =>
    percentile(
      [...minute.tallies[kind].latencies].sort((a, b) => a - b),
      0.99,
    );
  return {
    minute: index + 1,
    seconds,
    perSecond: Object.fromEntries(
      KINDS.map((kind) => [kind, minute.tallies[kind].ok / seconds]),
    ) as Record<Kind, number>,
    errors: KINDS.reduce((sum, kind) => sum + minute.tallies[kind].errors, 0),
    p99: Object.fromEntries(KINDS.map((kind) => [kind, sortedP99(kind)])) as Record<Kind, number>,
    streamsOpen: minute.streamsOpen,
    events: minute.events,
    rssMb: endSample?.rssMb ?? NaN,
    heapMb: endSample?.heapMb ?? NaN,
    cpuShare: share(startSample, endSample, (x) => x.cpuMs),
    machineShare: share(startSample, endSample, (x) => x.machineMs),
    waitShare: share(startSample, endSample, (x) => x.waitMs),
  };
}

function minuteLine(
  index: number,
  recorder: Recorder,
  samples: Sample[],
  totalSeconds: number,
): string {
  const row = minuteRow(index, recorder, samples, totalSeconds);
  // The minute's last heap reading may still be on its way: the latest one in, then.
  const heap = Number.isFinite(row.heapMb)
    ? row.heapMb
    : ([...samples].reverse().find((x) => Number.isFinite(x.heapMb))?.heapMb ?? NaN);
  const f = (n: number) => (Number.isNaN(n) ? '–' : n.toFixed(n < 10 ? 1 : 0));
  return (
    `minute ${row.minute}: reads ${f(row.perSecond.read)}/s, posts ${f(row.perSecond.post)}/s, ` +
    `reactions ${f(row.perSecond.reaction)}/s, moderation ${f(row.perSecond.moderation)}/s, ` +
    `streams ${row.streamsOpen}, events ${row.events}, errors ${row.errors}, ` +
    `p99 ${f(row.p99.read)} / ${f(row.p99.post)} / ${f(row.p99.reaction)} / ${f(row.p99.moderation)} ms, ` +
    `RSS ${f(row.rssMb)} MB, heap ${f(heap)} MB, CPU ${Math.round(row.cpuShare * 100)}% ` +
    `(machine ${Math.round(row.machineShare * 100)}%, waited for a core ${Math.round(row.waitShare * 100)}%)`
  );
}

function summarise(kind: Kind, tally: Tally, seconds: number, rates: Rates): KindSummary {
  const sorted = Float64Array.from(tally.latencies).sort();
  const round = (ms: number) => Math.round(ms * 10) / 10;
  return {
    kind,
    ...((PACED as readonly Kind[]).includes(kind) && { target: rates[kind as Paced] }),
    ok: tally.ok,
    errors: tally.errors,
    expected: tally.expected,
    perSecond: tally.ok / seconds,
    p50: round(percentile(sorted, 0.5)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted[sorted.length - 1] ?? NaN),
  };
}

export async function benchSoak(engine: EngineName, settings: SoakSettings): Promise<SoakResult> {
  const rates: Rates = { ...SOAK_RATES, ...settings.rates };
  const streams = settings.streams ?? SOAK_STREAMS;
  const writers = settings.writers ?? SOAK_WRITERS;
  const seconds = Math.round(settings.minutes * 60);
  if (!(seconds >= 60)) throw new Error('--minutes: a soak runs for one minute at least');
  const perAuthor = (rates.post * 60) / writers;
  if (perAuthor >= MAX_POSTS_PER_MINUTE / 2) {
    throw new Error(
      `${writers} commenters posting ${rates.post}/s in turn would each post ${perAuthor.toFixed(1)} a minute (the site holds past ${MAX_POSTS_PER_MINUTE})`,
    );
  }
  log(
    `[${engine}] soak: seeding a site with every moderation phase on, ${SOAK_STORIES} stories, ${writers} commenters, a moderator`,
  );
  const database = await createTestDatabase(engine);
  const seeded = await seed(engine, database.config, writers);
  const databaseUrl =
    database.config.engine === 'sqlite' ? database.config.file : database.config.url;
  const parley: ChildProcess = spawnParley({
    databaseUrl,
    port: PORT,
    env: {
      // Every stream comes from 127.0.0.1, and readers come and go.
      PARLEY_MAX_SSE: String(streams + 1000),
      PARLEY_MAX_SSE_PER_IP: String(streams + 1000),
      PARLEY_SSE_CONNECT_RATE_LIMIT: '1000000000',
    },
  });
  try {
    await waitFor(`http://${HOST}:${PORT}/healthz`);
    const pid = parley.pid as number;
    log(
      `[${engine}] soak: Parley up (pid ${pid}, RSS ${rssMb(pid).toFixed(0)} MB); ${clock(seconds)} of ` +
        `${rates.read} reads, ${rates.post} posts, ${rates.reaction} reactions, ${rates.moderation} decisions a second, ${streams} streams`,
    );
    const started = Date.now();
    const generatorBefore = process.cpuUsage();
    const { recorder, samples } = await driveLoad({
      seeded,
      pid,
      rates,
      streams,
      seconds,
      engine,
    });
    const generator = process.cpuUsage(generatorBefore);
    const generatorCpuShare = (generator.user + generator.system) / 1000 / (seconds * 1000);

    const rows = recorder.minutes.map((_, i) => minuteRow(i, recorder, samples, seconds));
    const warmup = warmupSeconds(settings.minutes);
    const after = samples.filter((s) => s.t >= warmup).map((s) => ({ x: s.t, y: s.rssMb }));
    const line = fitLine(after);
    const first = samples[0] as Sample;
    const last = samples.at(-1) as Sample;
    const outcomes = await outcomesSince(database.config, seeded.storyIds, started);
    const check = openStore(database.config);
    const pending = await check.db
      .selectFrom('comments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('site_id', '=', seeded.siteId)
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    await check.close();
    const byCount = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
    const result: SoakResult = {
      engine,
      minutes: settings.minutes,
      rates,
      streams,
      writers,
      stories: SOAK_STORIES,
      seededComments: seeded.parents.length,
      rows,
      samples,
      warmupSeconds: warmup,
      fit: line && { ...line, points: after.length },
      slopeMbPer10Min: line && line.slope * 600,
      heapFloorSlopeMbPer10Min: heapFloorSlope(samples, warmup),
      nodeOptions: process.env.NODE_OPTIONS || null,
      kinds: KINDS.map((kind) => summarise(kind, recorder.totals[kind], seconds, rates)),
      errorReasons: byCount(recorder.errorReasons),
      expectedReasons: byCount(recorder.expectedReasons),
      events: recorder.events,
      outcomes,
      pendingLeft: Number(pending.n),
      parleyCpuShare: share(first, last, (x) => x.cpuMs),
      generatorCpuShare,
      machineCpuShare: share(first, last, (x) => x.machineMs),
      waitShare: share(first, last, (x) => x.waitMs),
    };
    log(
      `[${engine}] soak: RSS ${first.rssMb.toFixed(0)} → ${last.rssMb.toFixed(0)} MB; after the ${warmup} s warm-up ` +
        `${result.slopeMbPer10Min === null ? 'no fit' : `${result.slopeMbPer10Min.toFixed(2)} MB per 10 minutes`}; ` +
        `errors ${result.errorReasons.map(([k, n]) => `${k} ×${n}`).join(', ') || 'none'}`,
    );
    return result;
  } finally {
    await stop(parley);
    await database.drop();
  }
}
