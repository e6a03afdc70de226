/**
 * Comments per second through the full moderation pipeline, end to end over HTTP: seeds a site
 * with every moderation phase on (bench/moderation-fixtures.ts) and many commenters with sessions,
 * starts Parley (bench/parley-server.ts) and a bare node:http server in their own processes, and
 * posts distinct comments from this process with autocannon, each request as the next commenter in
 * turn so that no one exceeds the per-author posting rate.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Insertable } from 'kysely';
import type autocannon from 'autocannon';
import type { DatabaseConfig } from '../src/config.ts';
import { idFloor, newId } from '../src/domain/ids.ts';
import { renderCommentHtml } from '../src/domain/markdown.ts';
import { tokenDigest } from '../src/credentials/tokens.ts';
import { openStore } from '../src/store/db.ts';
import { migrate } from '../src/store/migrate.ts';
import type { CommentTable, SessionTable, UserTable } from '../src/store/schema.ts';
import { insertSite } from '../src/store/sites.ts';
import { findOrInsertStory } from '../src/store/stories.ts';
import { createTestDatabase, type EngineName } from '../test/helpers/engines.ts';
import { loadAll, log, stop, waitFor, type Figures, type LoadSettings } from './load.ts';
import { perPost, type StatementRow, type StatementTotals } from './statement-times.ts';
import {
  benchModerationSettings,
  benchWordList,
  commentBodies,
  PREMODERATE_NEW_COMMENTERS,
  random,
} from './moderation-fixtures.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const PARLEY_PORT = 18_082;
const RAW_PORT = 18_083;
const BATCH = 400;
/** Stories the spread row posts to, in turn. */
const SPREAD_STORIES = 100;
/** Share of posts that are replies to an approved comment (the rest start a thread). */
export const REPLY_SHARE = 0.2;

export interface WriteResult {
  rows: Figures[];
  /** SQLite: what each statement cost per stored post, over the server's life (warm-up included). */
  statements?: StatementRow[];
  /** Stored comments written during the bench, by status and the phase that decided. */
  outcomes: Record<string, number>;
  writers: number;
}

/**
 * `writers` commenters, each with a session and enough approved comments (on `storyId`) to pass
 * pre-moderation; their bearer tokens, and the ids of those approved comments (to reply to).
 * The soak bench seeds its commenters with it too.
 */
export async function seedWriters(
  db: ReturnType<typeof openStore>['db'],
  siteId: string,
  storyId: string,
  writers: number,
  engine: EngineName,
): Promise<{ tokens: string[]; parents: string[] }> {
  const tokens: string[] = [];
  const parents: string[] = [];
  const dayAgo = Date.now() - 86_400_000;
  const html = renderCommentHtml('An earlier, approved comment.');
  for (let done = 0; done < writers;) {
    const users: Insertable<UserTable>[] = [];
    const sessions: Insertable<SessionTable>[] = [];
    const comments: Insertable<CommentTable>[] = [];
    const size = Math.min(BATCH, writers - done);
    for (let i = 0; i < size; i++, done++) {
      const userId = newId();
      const token = randomBytes(24).toString('base64url');
      tokens.push(token);
      users.push({
        id: userId,
        email: `writer${done}@bench.example`,
        display_name: `Writer ${done}`,
        password_hash: null,
        role: 'commenter',
        created_at: new Date(dayAgo).toISOString(),
        // Readers who confirmed their address (the site requires it, as sites do by default).
        email_verified_at: new Date(dayAgo).toISOString(),
      });
      sessions.push({
        id: newId(),
        user_id: userId,
        token_hash: tokenDigest(token),
        created_at: new Date().toISOString(),
        expires_at: new Date(Date.now() + 86_400_000).toISOString(),
      });
      for (let c = 0; c < PREMODERATE_NEW_COMMENTERS; c++) {
        const at = dayAgo + done * 10 + c;
        const id = newId(at);
        parents.push(id);
        comments.push({
          id,
          site_id: siteId,
          story_id: storyId,
          parent_id: null,
          thread_parent_id: null,
          depth: 0,
          author_id: userId,
          body: 'An earlier, approved comment.',
          html,
          status: 'approved',
          reply_count: 0,
          reaction_count: 0,
          created_at: new Date(at).toISOString(),
          edited_at: null,
          deleted_at: null,
        });
      }
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('users').values(users).execute();
      await trx.insertInto('sessions').values(sessions).execute();
      await trx.insertInto('comments').values(comments).execute();
    });
    if (done % (BATCH * 5) === 0 || done === writers) {
      log(`[${engine}]   seeded ${done}/${writers} commenters`);
    }
  }
  await db
    .updateTable('stories')
    .set({ comment_count: parents.length })
    .where('id', '=', storyId)
    .execute();
  return { tokens, parents };
}

/**
 * The comments stored on `storyIds` since `since` (ms), counted by status and the pipeline phase
 * that decided ("pending (wordList)"; a status alone when no phase decided).
 */
export async function outcomesSince(
  config: DatabaseConfig,
  storyIds: string[],
  since: number,
): Promise<Record<string, number>> {
  const check = openStore(config);
  const stored = await check.db
    .selectFrom('comments')
    .select(['status', 'moderation'])
    .where('story_id', 'in', storyIds)
    .where('id', '>=', idFloor(since))
    .execute();
  await check.close();
  const outcomes: Record<string, number> = {};
  for (const row of stored) {
    const decidedBy = (JSON.parse(row.moderation) as { decidedBy: string | null }).decidedBy;
    const key = decidedBy ? `${row.status} (${decidedBy})` : row.status;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }
  return outcomes;
}

/**
 * Parley (bench/parley-server.ts) in its own process on 127.0.0.1:`port`, production settings,
 * logs at warn, with the read and write rate limits raised (one address reads and posts as
 * thousands of readers; the limits stay on) and no per-connection request limit. `env` adds to or
 * overrides that environment; `nodeArgs` go to node before the script.
 */
export function spawnParley(options: {
  databaseUrl: string;
  port: number;
  env?: NodeJS.ProcessEnv;
  nodeArgs?: string[];
}): ChildProcess {
  const { databaseUrl, port, env = {}, nodeArgs = [] } = options;
  return spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', path.join(ROOT, 'bench/parley-server.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        LOG_LEVEL: 'warn',
        // Raised for the bench only: one address posts as thousands of commenters.
        PARLEY_WRITE_RATE_LIMIT: '1000000000',
        PARLEY_READ_RATE_LIMIT: '1000000000',
        PARLEY_SCRAPE_METADATA: '0',
        // autocannon keeps sending on a connection the server closes after its 1,000th request
        // (browsers and proxies open another): no per-connection request limit under load.
        PARLEY_MAX_REQUESTS_PER_SOCKET: '0',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
}

export async function benchWrites(
  engine: EngineName,
  settings: LoadSettings & { writers: number; profileDir?: string },
): Promise<WriteResult> {
  const { writers, profileDir } = settings;
  log(`[${engine}] writes: seeding a site with every moderation phase on, ${writers} commenters`);
  const database = await createTestDatabase(engine);
  const store = openStore(database.config);
  await migrate(store);
  const wordList = benchWordList();
  const base = `http://127.0.0.1:${PARLEY_PORT}`;
  const site = await insertSite(store.db, {
    name: 'Bench writes',
    allowedOrigins: [base],
    editWindowSeconds: 300,
    maxDepth: 3,
    moderation: benchModerationSettings(wordList),
  });
  const { story } = await findOrInsertStory(store.db, site.id, {
    externalId: 'bench-writes',
    url: `${base}/bench/writes`,
  });
  const { tokens, parents } = await seedWriters(store.db, site.id, story.id, writers, engine);
  const spread: string[] = [];
  for (let i = 0; i < SPREAD_STORIES; i++) {
    const other = await findOrInsertStory(store.db, site.id, {
      externalId: `bench-writes-${i}`,
      url: `${base}/bench/writes/${i}`,
    });
    spread.push(other.story.id);
  }
  await store.close();

  const databaseUrl =
    database.config.engine === 'sqlite' ? database.config.file : database.config.url;
  const statsFile =
    engine === 'sqlite' ? path.join(os.tmpdir(), `parley-bench-sql-${process.pid}.json`) : null;
  const children: ChildProcess[] = [];
  const parley = spawnParley({
    databaseUrl,
    port: PARLEY_PORT,
    nodeArgs: profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [],
    env: statsFile ? { BENCH_SQL_STATS: statsFile } : {},
  });
  children.push(parley);
  const started = Date.now();
  try {
    await waitFor(`${base}/healthz`);
    const url = `${base}/api/v1/stories/${story.id}/comments`;
    const body = commentBodies(wordList);
    const next = random(5);
    let serial = 0;
    const post = (i: number, replies = true) => {
      const reply = replies && next() < REPLY_SHARE;
      return {
        authorization: `Bearer ${tokens[i % tokens.length] as string}`,
        // postAnyway: the second attempt after a nudge, so drafts the classifier scores high are
        // stored (held) rather than sent back with 422.
        body: JSON.stringify({
          body: body(i),
          postAnyway: true,
          ...(reply && { parentId: parents[Math.floor(next() * parents.length)] }),
        }),
      };
    };

    // One post by hand: it must be accepted, and its answer sizes the raw server's.
    const sample = post(serial++);
    const answer = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: sample.authorization },
      body: sample.body,
    });
    const answerText = await answer.text();
    if (answer.status !== 201) throw new Error(`sample post: ${answer.status} ${answerText}`);
    const bodyFile = path.join(os.tmpdir(), `parley-bench-write-${process.pid}.json`);
    fs.writeFileSync(bodyFile, answerText);
    const rawServer = fork(path.join(ROOT, 'bench/raw-server.ts'), [String(RAW_PORT), bodyFile], {
      execArgv: ['--import', 'tsx'],
      stdio: 'inherit',
    });
    children.push(rawServer);
    await new Promise((resolve) => rawServer.once('message', resolve));

    const headers = { 'content-type': 'application/json' };
    const nextPost: autocannon.Request = {
      method: 'POST',
      setupRequest: (request) => {
        const { authorization, body: json } = post(serial++);
        return { ...request, headers: { ...headers, authorization }, body: json };
      },
    };
    // The same posts (top-level only: a reply goes to its parent's story) spread over many
    // stories: what one story's rows cost when every post takes them.
    const nextSpreadPost: autocannon.Request = {
      method: 'POST',
      setupRequest: (request) => {
        const i = serial++;
        const { authorization, body: json } = post(i, false);
        return {
          ...request,
          path: `/api/v1/stories/${spread[i % spread.length] as string}/comments`,
          headers: { ...headers, authorization },
          body: json,
        };
      },
    };
    const rows = await loadAll(
      [
        {
          name: `raw node:http (POST, same ${Buffer.byteLength(answerText)} B answer)`,
          url: `http://127.0.0.1:${RAW_PORT}/`,
          options: { method: 'POST', headers, body: sample.body },
        },
        {
          name: 'POST a comment, full moderation pipeline',
          url,
          options: { headers, requests: [nextPost] },
        },
        {
          name: `the same, top-level, spread over ${SPREAD_STORIES} stories`,
          url,
          options: { headers, requests: [nextSpreadPost] },
        },
      ],
      settings,
    );

    // What the pipeline made of the posts (the sample and warm-up included).
    const outcomes = await outcomesSince(database.config, [story.id, ...spread], started);
    const stored = Object.values(outcomes).reduce((sum, n) => sum + n, 0);
    log(
      `[${engine}] stored ${stored} posts: ${Object.entries(outcomes)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
    let statements: StatementRow[] | undefined;
    if (statsFile) {
      await stop(parley);
      const totals = JSON.parse(fs.readFileSync(statsFile, 'utf8')) as StatementTotals;
      fs.rmSync(statsFile, { force: true });
      statements = perPost(totals, stored);
    }
    return { rows, outcomes, writers, ...(statements && { statements }) };
  } finally {
    await Promise.all(children.map(stop));
    await database.drop();
  }
}
