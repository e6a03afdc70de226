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
import { idFloor, newId } from '../src/domain/ids.ts';
import { renderCommentHtml } from '../src/domain/markdown.ts';
import { tokenDigest } from '../src/server/auth.ts';
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

/** `writers` commenters, each with a session and enough approved comments to pass pre-moderation. */
async function seedWriters(
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
  await store.close();

  const databaseUrl =
    database.config.engine === 'sqlite' ? database.config.file : database.config.url;
  const statsFile =
    engine === 'sqlite' ? path.join(os.tmpdir(), `parley-bench-sql-${process.pid}.json`) : null;
  const children: ChildProcess[] = [];
  const parley = spawn(
    process.execPath,
    [
      ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []),
      '--import',
      'tsx',
      path.join(ROOT, 'bench/parley-server.ts'),
    ],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        PORT: String(PARLEY_PORT),
        HOST: '127.0.0.1',
        PUBLIC_URL: base,
        LOG_LEVEL: 'warn',
        // Raised for the bench only: one address posts as thousands of commenters.
        PARLEY_WRITE_RATE_LIMIT: '1000000000',
        PARLEY_READ_RATE_LIMIT: '1000000000',
        PARLEY_SCRAPE_METADATA: '0',
        // autocannon keeps sending on a connection the server closes after its 1,000th request
        // (browsers and proxies open another): no per-connection request limit under load.
        PARLEY_MAX_REQUESTS_PER_SOCKET: '0',
        ...(statsFile && { BENCH_SQL_STATS: statsFile }),
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  children.push(parley);
  const started = Date.now();
  try {
    await waitFor(`${base}/healthz`);
    const url = `${base}/api/v1/stories/${story.id}/comments`;
    const body = commentBodies(wordList);
    const next = random(5);
    let serial = 0;
    const post = (i: number) => {
      const reply = next() < REPLY_SHARE;
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
      ],
      settings,
    );

    // What the pipeline made of the posts (the sample and warm-up included).
    const check = openStore(database.config);
    const stored = await check.db
      .selectFrom('comments')
      .select(['status', 'moderation'])
      .where('story_id', '=', story.id)
      .where('id', '>=', idFloor(started))
      .execute();
    await check.close();
    const outcomes: Record<string, number> = {};
    for (const row of stored) {
      const decidedBy = (JSON.parse(row.moderation) as { decidedBy: string | null }).decidedBy;
      const key = decidedBy ? `${row.status} (${decidedBy})` : row.status;
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
    log(
      `[${engine}] stored ${stored.length} posts: ${Object.entries(outcomes)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')}`,
    );
    let statements: StatementRow[] | undefined;
    if (statsFile) {
      await stop(parley);
      const totals = JSON.parse(fs.readFileSync(statsFile, 'utf8')) as StatementTotals;
      fs.rmSync(statsFile, { force: true });
      statements = perPost(totals, stored.length);
    }
    return { rows, outcomes, writers, ...(statements && { statements }) };
  } finally {
    await Promise.all(children.map(stop));
    await database.drop();
  }
}
