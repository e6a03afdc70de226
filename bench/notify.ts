/**
 * `npm run bench -- --only notify`: what notifications cost (docs/notifications.md).
 *
 * 1. The write path with notifications on and off, in the same run: two Parley processes on two
 *    databases seeded alike (commenters who all asked for immediate mail, so replies make bell
 *    entries and mail), one dispatching (`PARLEY_DISPATCH=1`) and one not, loaded in alternating
 *    rounds with the same posts (a fifth of them replies). The figure is the ratio.
 * 2. A burst: a story where `readers` readers wait for replies (each has a comment and asked for
 *    immediate mail); `burst` replies to as many of them arrive over HTTP at once; how long until a
 *    local SMTP peer has received every notification mail, through the dispatcher and the job
 *    queue.
 * 3. The hourly digest for `digestReaders` subscribed readers, each with a notification waiting:
 *    how long until the SMTP peer has received every digest.
 * With the Parley process's peak resident memory (VmHWM) over 2 and 3.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { ChildProcess } from 'node:child_process';
import type { Insertable } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { newId } from '../src/domain/ids.ts';
import { openStore } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import type {
  NotificationTable,
  NotificationSettingsTable,
  UserTable,
} from '../src/store/schema.ts';
import { insertSite } from '../src/store/sites.ts';
import { findOrInsertStory } from '../src/store/stories.ts';
import { createTestDatabase, type EngineName, type TestDatabase } from '../test/helpers/engines.ts';
import type autocannon from 'autocannon';
import {
  loadAll,
  log,
  stop,
  waitFor,
  type Figures,
  type LoadSettings,
  type Target,
} from './load.ts';
import { random } from './moderation-fixtures.ts';
import { seedWriters, spawnParley } from './write.ts';

const ON_PORT = 18_092;
const OFF_PORT = 18_093;
const BURST_PORT = 18_094;
const BATCH = 500;

export interface NotifyBenchResult {
  engine: EngineName;
  writers: number;
  on: Figures;
  off: Figures;
  readers: number;
  burst: number;
  /** Seconds from the first reply posted to the last notification mail received. */
  burstSeconds: number;
  /** Of which: posting the replies over HTTP. */
  burstPostSeconds: number;
  digestReaders: number;
  digestSeconds: number;
  /** Peak resident memory of the Parley process that sent the burst and the digest, MB. */
  peakRssMb: number;
}

/** An SMTP server on loopback that counts what it receives and keeps nothing. */
async function countingSmtp(): Promise<{
  url: string;
  count: () => number;
  close(): Promise<void>;
}> {
  let received = 0;
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        received++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // As a mail relay would: answers are not held back by Nagle's algorithm waiting for an ACK.
  server.server.on('connection', (socket: import('node:net').Socket) => socket.setNoDelay(true));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    count: () => received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const databaseUrl = (database: TestDatabase) =>
  database.config.engine === 'sqlite' ? database.config.file : database.config.url;

/** Every user on the database asks for notification mail (`mode`), every kind. */
async function optIn(db: ReturnType<typeof openStore>['db'], mode: 'immediate' | 'hourly') {
  const now = new Date().toISOString();
  const kinds = JSON.stringify({
    reply: true,
    staff: true,
    mention: true,
    moderation: true,
    featured: true,
  });
  const users = await db.selectFrom('users').select('id').execute();
  for (let i = 0; i < users.length; i += BATCH) {
    const rows: Insertable<NotificationSettingsTable>[] = users
      .slice(i, i + BATCH)
      .map(({ id }) => ({ user_id: id, email: mode, kinds, updated_at: now }));
    await db.insertInto('notification_settings').values(rows).execute();
  }
}

/** A site with the flood guards off (one address posts as thousands of readers) and a story. */
async function seedSite(database: TestDatabase, base: string, writers: number, engine: EngineName) {
  const store = openStore(database.config);
  await migrate(store);
  const site = await insertSite(store.db, {
    name: 'Bench notifications',
    allowedOrigins: [base],
    editWindowSeconds: 300,
    maxDepth: 3,
    moderation: {
      repeatWindowSeconds: 0,
      maxPostsPerMinute: 1_000_000,
      premoderateNewCommenters: 0,
    },
  });
  const { story } = await findOrInsertStory(store.db, site.id, {
    externalId: 'bench-notify',
    url: `${base}/bench/notify`,
  });
  const seeded = await seedWriters(store.db, site.id, story.id, writers, engine);
  return { store, site, story, ...seeded };
}

/** The peak resident memory of a process, MB (Linux). */
function peakRssMb(child: ChildProcess): number {
  try {
    const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return Math.round(kb / 1024);
  } catch {
    return 0;
  }
}

async function until(
  what: () => string,
  done: () => boolean | Promise<boolean>,
  timeoutMs: number,
) {
  const started = Date.now();
  let last = 0;
  while (!(await done())) {
    if (Date.now() - started > timeoutMs)
      throw new Error(`${what()}: not done in ${timeoutMs / 1000} s`);
    if (Date.now() - last > 5000) {
      last = Date.now();
      log(`  … ${what()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Posts `bodies` with at most `concurrency` requests in flight; throws on any refusal. */
async function postAll(
  url: string,
  requests: Array<{ token: string; body: unknown }>,
  concurrency: number,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < requests.length) {
      const { token, body } = requests[next++] as { token: string; body: unknown };
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      if (response.status !== 201)
        throw new Error(`post: ${response.status} ${await response.text()}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

async function benchWritePath(
  engine: EngineName,
  writers: number,
  settings: LoadSettings,
): Promise<{ on: Figures; off: Figures }> {
  log(
    `[${engine}] notify: the write path with notifications on and off (${writers} commenters each)`,
  );
  const databases = [await createTestDatabase(engine), await createTestDatabase(engine)];
  const children: ChildProcess[] = [];
  try {
    const targets: Target[] = [];
    for (const [i, database] of databases.entries()) {
      const dispatching = i === 0;
      const port = dispatching ? ON_PORT : OFF_PORT;
      const base = `http://127.0.0.1:${port}`;
      const seeded = await seedSite(database, base, writers, engine);
      await optIn(seeded.store.db, 'immediate');
      await seeded.store.close();
      children.push(
        spawnParley({
          databaseUrl: databaseUrl(database),
          port,
          env: { PARLEY_DISPATCH: dispatching ? '1' : '0' },
        }),
      );
      await waitFor(`${base}/healthz`);
      const next = random(7 + i);
      let serial = 0;
      const { tokens, parents } = seeded;
      targets.push({
        name: `POST a comment, notifications ${dispatching ? 'on' : 'off'}`,
        url: `${base}/api/v1/stories/${seeded.story.id}/comments`,
        options: {
          method: 'POST',
          requests: [
            {
              method: 'POST',
              setupRequest: (request: autocannon.Request) => {
                const n = serial++;
                const reply = next() < 0.2;
                return {
                  ...request,
                  headers: {
                    'content-type': 'application/json',
                    authorization: `Bearer ${tokens[n % tokens.length] as string}`,
                  },
                  body: JSON.stringify({
                    body: `Comment number ${n} on the notifications bench, ${randomBytes(4).toString('hex')}.`,
                    ...(reply && { parentId: parents[Math.floor(next() * parents.length)] }),
                  }),
                };
              },
            },
          ],
        },
      });
    }
    const [on, off] = await loadAll(targets, settings);
    return { on: on as Figures, off: off as Figures };
  } finally {
    await Promise.all(children.map(stop));
    for (const database of databases) await database.drop();
  }
}

async function benchBurstAndDigest(
  engine: EngineName,
  readers: number,
  burst: number,
  digestReaders: number,
): Promise<Omit<NotifyBenchResult, 'engine' | 'writers' | 'on' | 'off'>> {
  log(`[${engine}] notify: ${readers} readers waiting for replies, a burst of ${burst}`);
  const database = await createTestDatabase(engine);
  const smtp = await countingSmtp();
  const base = `http://127.0.0.1:${BURST_PORT}`;
  let parley: ChildProcess | undefined;
  try {
    const seeded = await seedSite(database, base, readers, engine);
    await optIn(seeded.store.db, 'immediate');
    parley = spawnParley({
      databaseUrl: databaseUrl(database),
      port: BURST_PORT,
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'Bench News <news@bench.example>' },
      ...(process.env.BENCH_NOTIFY_PROFILE && {
        nodeArgs: ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_NOTIFY_PROFILE],
      }),
    });
    await waitFor(`${base}/healthz`);

    // Reader i answers reader i+1's first comment (each comment's author is told once).
    const perWriter = seeded.parents.length / readers;
    const replies = Array.from({ length: burst }, (_, i) => ({
      token: seeded.tokens[i % readers] as string,
      body: {
        body: `A reply for reader ${(i + 1) % readers}: the figures are in the annex.`,
        parentId: seeded.parents[((i + 1) % readers) * perWriter] as string,
      },
    }));
    const started = Date.now();
    await postAll(`${base}/api/v1/stories/${seeded.story.id}/comments`, replies, 20);
    const posted = Date.now();
    log(`[${engine}]   ${burst} replies posted in ${((posted - started) / 1000).toFixed(1)} s`);
    await until(
      () => `${smtp.count()}/${burst} notification mails received`,
      () => smtp.count() >= burst,
      20 * 60_000,
    );
    const burstSeconds = (Date.now() - started) / 1000;
    log(`[${engine}]   ${burst} mails in ${burstSeconds.toFixed(1)} s`);

    log(`[${engine}] notify: the hourly digest for ${digestReaders} readers`);
    const { db } = seeded.store;
    const comment = await db
      .selectFrom('comments')
      .select('id')
      .where('story_id', '=', seeded.story.id)
      .where('parent_id', 'is not', null)
      .executeTakeFirstOrThrow();
    const now = new Date().toISOString();
    const kinds = JSON.stringify({
      reply: true,
      staff: true,
      mention: true,
      moderation: true,
      featured: true,
    });
    for (let done = 0; done < digestReaders;) {
      const size = Math.min(BATCH, digestReaders - done);
      const users: Insertable<UserTable>[] = [];
      const settings: Insertable<NotificationSettingsTable>[] = [];
      const notifications: Insertable<NotificationTable>[] = [];
      for (let i = 0; i < size; i++, done++) {
        const id = newId();
        users.push({
          id,
          email: `digest${done}@bench.example`,
          display_name: `Digest reader ${done}`,
          password_hash: null,
          role: 'commenter',
          created_at: now,
          email_verified_at: now,
        });
        settings.push({ user_id: id, email: 'hourly', kinds, updated_at: now });
        notifications.push({
          id: newId(),
          user_id: id,
          site_id: seeded.site.id,
          story_id: seeded.story.id,
          comment_id: comment.id,
          kind: 'mention',
          created_at: now,
          read_at: null,
          email_state: 'digest',
        });
      }
      await db.transaction().execute(async (trx) => {
        await trx.insertInto('users').values(users).execute();
        await trx.insertInto('notification_settings').values(settings).execute();
        await trx.insertInto('notifications').values(notifications).execute();
      });
      if (done % (BATCH * 20) === 0 || done === digestReaders) {
        log(`[${engine}]   seeded ${done}/${digestReaders} digest readers`);
      }
    }
    const before = smtp.count();
    const digestStarted = Date.now();
    await triggerHourlyDigest(db);
    await until(
      () => `${smtp.count() - before}/${digestReaders} digests received`,
      () => smtp.count() - before >= digestReaders,
      60 * 60_000,
    );
    const digestSeconds = (Date.now() - digestStarted) / 1000;
    log(`[${engine}]   ${digestReaders} digests in ${digestSeconds.toFixed(1)} s`);
    const peak = peakRssMb(parley);
    await seeded.store.close();
    return {
      readers,
      burst,
      burstSeconds,
      burstPostSeconds: (posted - started) / 1000,
      digestReaders,
      digestSeconds,
      peakRssMb: peak,
    };
  } finally {
    if (parley) await stop(parley);
    await smtp.close();
    await database.drop();
  }
}

/**
 * Makes the hourly digest due now, as the hour turning would: the job src/notify/mail.ts plans
 * for the next hour is brought forward (or queued, if the process has not planned it yet).
 */
async function triggerHourlyDigest(db: ReturnType<typeof openStore>['db']): Promise<void> {
  const { DIGEST_JOB, digestJobPayload } = await import('../src/notify/mail.ts');
  const moved = await db
    .updateTable('jobs')
    .set({ run_at: new Date().toISOString() })
    .where('kind', '=', DIGEST_JOB)
    .where('done_at', 'is', null)
    .where('payload', 'like', '%hourly%')
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) > 0) return;
  const { enqueueJob } = await import('../src/jobs/queue.ts');
  await enqueueJob(db, DIGEST_JOB, digestJobPayload('hourly', new Date()));
}

export async function benchNotify(
  engines: EngineName[],
  options: {
    writers: number;
    readers: number;
    burst: number;
    digestReaders: number;
    load: LoadSettings;
  },
): Promise<NotifyBenchResult[]> {
  const results: NotifyBenchResult[] = [];
  for (const engine of engines) {
    const writes = await benchWritePath(engine, options.writers, options.load);
    const rest = await benchBurstAndDigest(
      engine,
      options.readers,
      options.burst,
      options.digestReaders,
    );
    results.push({ engine, writers: options.writers, ...writes, ...rest });
  }
  return results;
}
