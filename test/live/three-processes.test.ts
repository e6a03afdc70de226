/**
 * Three Parley processes (`parley start`, each its own port) on one fresh PostgreSQL database and
 * the local Redis, as three processes behind a load balancer would run:
 *
 * - started at the same moment on an empty database, they apply each migration once (Kysely's
 *   migrator lock) and all come up;
 * - readers connected to each process receive every comment posted through one of them exactly
 *   once and in order;
 * - when one process is killed (SIGKILL) while comments are being posted, its readers reconnect
 *   to another with Last-Event-ID and miss nothing, with no duplicates.
 *
 * Needs PostgreSQL and Redis: skipped (with a message) when either is down, except in CI
 * (CI=true), where that fails the run.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ensureWebBuilt } from '../../src/cli/web.ts';
import { openStore } from '../../src/store/db.ts';
import { insertSite } from '../../src/store/sites.ts';
import { insertUser } from '../../src/store/users.ts';
import { hashPassword } from '../../src/credentials/passwords.ts';
import { RELAXED_MODERATION, SITE_ORIGIN } from '../helpers/app.ts';
import { createTestDatabase, testEngines } from '../helpers/engines.ts';
import { REDIS_URL, redisUp, SseReader, sleep, type SseEvent } from './helpers.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const postgres = (await testEngines()).includes('postgres');
const redis = await redisUp();
const skip =
  !postgres || !redis
    ? `needs PostgreSQL and Redis (${[!postgres && 'PostgreSQL', !redis && 'Redis'].filter(Boolean).join(' and ')} not reachable)`
    : false;

/** A loopback port nobody listens on (the OS picks it; released before Parley takes it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

interface Process {
  name: string;
  child: ChildProcess;
  base: string;
  output: string[];
}

function startParley(name: string, port: number, databaseUrl: string): Process {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/parley.js'), 'start'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      REDIS_URL,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'warn',
      PARLEY_SCRAPE_METADATA: '0',
      PARLEY_CLASSIFIER: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  return { name, child, base: `http://127.0.0.1:${port}`, output };
}

async function waitUp(process: Process, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (process.child.exitCode !== null) {
      throw new Error(
        `${process.name} exited (${process.child.exitCode}):\n${process.output.join('')}`,
      );
    }
    try {
      if ((await fetch(`${process.base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`${process.name} did not come up:\n${process.output.join('')}`);
    }
    await sleep(100);
  }
}

function stopParley(process: Process, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  return new Promise((resolve) => {
    const { child } = process;
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const force = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(signal);
  });
}

async function call(
  base: string,
  method: string,
  url: string,
  token?: string,
  body?: unknown,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON
): Promise<any> {
  const headers: Record<string, string> = { origin: SITE_ORIGIN };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}/api/v1${url}`, {
    method,
    headers,
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${text}`);
  return JSON.parse(text);
}

/** The numbered events a reader received (ready left out), in arrival order. */
const numbered = (events: SseEvent[]) => events.filter((e) => e.event !== 'ready');
const createdIds = (events: SseEvent[]) =>
  events.filter((e) => e.event === 'comment.created').map((e) => e.data.comment.id as string);

/** Each event number once, one after another, after the reader's first `ready`. */
function assertContiguous(events: SseEvent[], label: string): void {
  const ready = events.find((e) => e.event === 'ready');
  assert.ok(ready, `${label}: no ready event`);
  const seqs = numbered(events).map((e) => Number(e.id));
  const expected = seqs.map((_, i) => Number(ready.id) + 1 + i);
  assert.deepEqual(seqs, expected, `${label}: every event once, in order`);
}

describe('three Parley processes on PostgreSQL + Redis', () => {
  test(
    'migrate once when started together; every reader gets every comment once, in order, across a killed process',
    { skip, timeout: 90_000 },
    async () => {
      // Build the browser bundles here, once, rather than in three processes at the same time.
      await ensureWebBuilt();
      const database = await createTestDatabase('postgres');
      const url = database.config.engine === 'postgres' ? database.config.url : '';
      const ports = [await freePort(), await freePort(), await freePort()];
      // All three at once, on the empty database: each runs the migrations at start.
      const processes = ports.map((port, i) => startParley(`parley-${i + 1}`, port, url));
      const readers: SseReader[] = [];
      try {
        await Promise.all(processes.map((p) => waitUp(p)));
        const [one, two, three] = processes as [Process, Process, Process];

        // Each migration applied once, and every process up to date.
        const store = openStore(database.config);
        const writerEmail = `writer.${Date.now()}@example.com`;
        let siteId: string;
        try {
          const applied = await store.db
            .selectFrom('kysely_migration' as never)
            .select('name' as never)
            .execute();
          const names = applied.map((row) => (row as { name: string }).name);
          assert.equal(new Set(names).size, names.length, 'no migration recorded twice');
          assert.deepEqual([...names].sort(), [
            '0001_core',
            '0002_moderation',
            '0003_api_keys',
            '0004_live_events',
            '0005_identity',
            '0006_site_models',
            '0007_imports',
            '0008_notifications',
            '0009_dsa',
            '0010_qa',
            '0011_profiles',
            '0012_best_sort',
            '0013_rendering',
          ]);
          const site = await insertSite(store.db, {
            name: 'Three Processes News',
            allowedOrigins: [SITE_ORIGIN],
            editWindowSeconds: 300,
            maxDepth: 3,
            moderation: RELAXED_MODERATION,
          });
          siteId = site.id;
          await insertUser(store.db, {
            email: 'three-admin@example.com',
            displayName: 'Admin',
            passwordHash: await hashPassword('admin password 1'),
            role: 'admin',
          });
          // Sign-up only mails a link: the writer is made with a confirmed address, and logs in.
          await insertUser(store.db, {
            email: writerEmail,
            displayName: 'Writer',
            passwordHash: await hashPassword('a long enough password'),
            role: 'commenter',
          });
        } finally {
          await store.close();
        }
        assert.ok(siteId);

        // The site was written behind the processes' backs: an admin's change through the first
        // process makes it reload its sites (the others look a site up when they first need it).
        const { token: adminToken } = await call(one.base, 'POST', '/auth/login', undefined, {
          email: 'three-admin@example.com',
          password: 'admin password 1',
        });
        await call(one.base, 'PATCH', `/sites/${siteId}`, adminToken, {
          name: 'Three Processes News',
        });

        // The story and a commenter, through the first process (the others find them).
        const { story } = await call(one.base, 'POST', '/stories/resolve', undefined, {
          url: `${SITE_ORIGIN}/news/three-processes`,
          storyId: 'three-processes',
        });
        const storyId = story.id as string;
        const signup = await call(one.base, 'POST', '/auth/login', undefined, {
          email: writerEmail,
          password: 'a long enough password',
        });
        const token = signup.token as string;
        const streamUrl = (p: Process) => `${p.base}/api/v1/stories/${storyId}/events`;

        // Two readers on each process.
        const byProcess = new Map<Process, SseReader[]>();
        for (const p of processes) {
          const pair = [await SseReader.open(streamUrl(p)), await SseReader.open(streamUrl(p))];
          for (const reader of pair) {
            assert.equal(reader.status, 200, reader.body);
            readers.push(reader);
          }
          byProcess.set(p, pair);
        }
        await Promise.all(readers.map((r) => r.waitFor((e) => e.event === 'ready')));

        const posted: string[] = [];
        const post = async (via: Process, body: string) => {
          const { comment } = await call(via.base, 'POST', `/stories/${storyId}/comments`, token, {
            body,
          });
          posted.push(comment.id as string);
        };
        for (let i = 0; i < 5; i++) await post(one, `comment ${i} through one process`);
        for (const [i, reader] of readers.entries()) {
          await reader.waitFor((e) => e.event === 'count' && e.data.commentCount === 5, 10_000);
          assert.deepEqual(
            createdIds(reader.events),
            posted,
            `reader ${i}: each comment once, in order`,
          );
          assertContiguous(reader.events, `reader ${i}`);
        }

        // Kill the third process while comments keep coming through the second; its readers
        // move to the first with Last-Event-ID, two comments later (so that they must be replayed).
        const moving = byProcess.get(three) as SseReader[];
        let killed!: () => void;
        const afterKill = new Promise<void>((resolve) => (killed = resolve));
        let missed!: () => void;
        const twoMissed = new Promise<void>((resolve) => (missed = resolve));
        const posting = (async () => {
          for (let i = 0; i < 6; i++) {
            await post(two, `comment ${i} while a process dies`);
            if (i === 1) {
              await stopParley(three, 'SIGKILL');
              killed();
            }
            if (i === 3) missed();
            await sleep(100);
          }
        })();
        await afterKill;
        await Promise.all(moving.map((r) => r.waitEnd(10_000)));
        await twoMissed;
        const moved: { before: SseReader; after: SseReader }[] = [];
        for (const before of moving) {
          assert.ok(before.lastEventId, 'the reader had an event number to resume from');
          const after = await SseReader.open(streamUrl(one), {
            'last-event-id': before.lastEventId as string,
          });
          assert.equal(after.status, 200, after.body);
          readers.push(after);
          moved.push({ before, after });
        }
        await posting;
        for (let i = 0; i < 2; i++) await post(one, `comment ${i} after the move`);
        const total = posted.length;
        assert.equal(total, 13);

        const survivors = [...(byProcess.get(one) ?? []), ...(byProcess.get(two) ?? [])];
        for (const [i, reader] of survivors.entries()) {
          await reader.waitFor((e) => e.event === 'count' && e.data.commentCount === total, 10_000);
          assert.deepEqual(createdIds(reader.events), posted, `survivor ${i}: once, in order`);
          assertContiguous(reader.events, `survivor ${i}`);
        }
        for (const [i, { before, after }] of moved.entries()) {
          await after.waitFor((e) => e.event === 'count' && e.data.commentCount === total, 10_000);
          assert.ok(!after.events.some((e) => e.event === 'reset'), 'resumed, not reset');
          assert.equal(
            after.events[0]?.event,
            'comment.created',
            'the missed comments replayed first',
          );
          // What it heard before the kill, then after reconnecting: every comment once, in order,
          // and the event numbers run on without a gap or a repeat.
          const heard = [...numbered(before.events), ...numbered(after.events)];
          assert.deepEqual(
            createdIds(heard),
            posted,
            `moved reader ${i}: nothing missed or repeated`,
          );
          const first = before.events.find((e) => e.event === 'ready') as SseEvent;
          assert.deepEqual(
            heard.map((e) => Number(e.id)),
            heard.map((_, k) => Number(first.id) + 1 + k),
            `moved reader ${i}: event numbers contiguous across the move`,
          );
        }
      } finally {
        for (const reader of readers) reader.close();
        await Promise.all(processes.map((p) => stopParley(p)));
        await database.drop();
      }
    },
  );
});
