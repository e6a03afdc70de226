/**
 * An import killed with SIGKILL half way, then resumed (issue 15: "a run killed half way (kill -9)
 * resumes from its last committed batch with no duplicates and nothing missing"), through the real
 * `parley import disqus` command run as a child process, on SQLite and PostgreSQL. What it proves:
 *
 * - Killed after some batches were committed, the database holds whole batches only, consistent
 *   (every comment's story and parents exist; stories' comment counts and comments' reply counts
 *   are what the rows say; each comment has one import_sources row), matching the report the run
 *   saved with its last batch, and the run is still marked running.
 * - Run again while the killed run's heartbeat is fresh, the import is refused with a clear message
 *   and exit code 1, changing nothing.
 * - Once the heartbeat is stale, running the same file again exits 0, marks the killed run failed
 *   ("interrupted"), leaves what was committed unchanged and imports the rest: every post of the
 *   file exactly once, the counts consistent.
 * - A third run imports nothing and reports every comment unchanged.
 *
 * The file is generated: 20,000 posts over 200 threads, with replies nested deeper than the site
 * allows, deleted posts (tombstones where answered), spam, pending posts, and a few replies that
 * come before their parent.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { ImportReport } from '../../src/import/importer.ts';
import { DEFAULT_BATCH_SIZE } from '../../src/import/importer.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import { insertSite } from '../../src/store/sites.ts';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/engines.ts';
import { assertConsistent } from '../helpers/import-consistency.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const ORIGIN = 'https://news.example';
const POSTS = 20_000;
const THREADS = 200;
const APP_NAME = 'parley-import-under-test';

interface Post {
  index: number;
  parent: number | null;
  deleted: boolean;
  spam: boolean;
  pending: boolean;
}

/** Posts that answer their parent but come before it in the file. */
const isEarlyReply = (i: number) => i % 1000 === 501;

/** The posts of the generated export, by index (post i belongs to thread i % THREADS). */
function generatePosts(): Post[] {
  const posts: Post[] = [];
  for (let i = 0; i < POSTS; i++) {
    const k = Math.floor(i / THREADS); // the post's rank in its thread
    let parent: number | null = null;
    if (isEarlyReply(i)) parent = i - THREADS;
    else if (k > 0 && i % 4 !== 0) parent = i - THREADS * (1 + ((i >> 2) % Math.min(k, 5)));
    posts.push({
      index: i,
      parent,
      // Some deleted posts are answered (kept as tombstones), one of them by an early reply.
      deleted: i % 97 === 13 || i % 2000 === 301,
      spam: i % 89 === 7,
      pending: i % 83 === 5,
    });
  }
  return posts;
}

/**
 * The file order: by index, except that early replies are moved before their parent: one just
 * before it, the others 1,500 posts earlier (a batch or two before it, so that they wait across
 * batches, and across the kill).
 */
function fileOrder(posts: Post[]): Post[] {
  const order = [...posts];
  for (const post of posts) {
    if (!isEarlyReply(post.index) || post.parent === null) continue;
    const before = post.index % 2000 === 501 ? post.parent : Math.max(0, post.parent - 1500);
    order.splice(order.indexOf(post), 1);
    order.splice(order.indexOf(posts[before] as Post), 0, post);
  }
  return order;
}

/**
 * How many comments the import must store: every post not deleted, and every deleted post that
 * something stored answers (a tombstone); deleted posts nobody answers are skipped.
 */
function expectedComments(posts: Post[]): number {
  const stored = new Array<boolean>(posts.length).fill(false);
  const answered = new Array<boolean>(posts.length).fill(false);
  // Parents have lower indices than their replies: walking down sees every reply first.
  for (let i = posts.length - 1; i >= 0; i--) {
    const post = posts[i] as Post;
    stored[i] = !post.deleted || (answered[i] ?? false);
    if (stored[i] && post.parent !== null) answered[post.parent] = true;
  }
  return stored.filter(Boolean).length;
}

function postXml(post: Post): string {
  const thread = post.index % THREADS;
  const createdAt = new Date(Date.UTC(2023, 0, 1) + post.index * 60_000).toISOString();
  return (
    `  <post dsq:id="${100_000 + post.index}">\n` +
    `    <id />\n` +
    `    <message><![CDATA[<p>Post ${post.index} on story ${thread}: <b>agreed</b>, ` +
    `see <a href="${ORIGIN}/${thread}">the piece</a>.</p>]]></message>\n` +
    `    <createdAt>${createdAt}</createdAt>\n` +
    `    <isDeleted>${post.deleted}</isDeleted>\n` +
    `    <isSpam>${post.spam}</isSpam>\n` +
    (post.pending ? `    <isApproved>false</isApproved>\n` : '') +
    `    <author><email>reader${post.index % 700}@example.org</email>` +
    `<name>Reader ${post.index % 700}</name><isAnonymous>false</isAnonymous>` +
    `<username>reader${post.index % 700}</username></author>\n` +
    `    <ipAddress>198.51.100.${post.index % 250}</ipAddress>\n` +
    `    <thread dsq:id="${thread}" />\n` +
    (post.parent !== null ? `    <parent dsq:id="${100_000 + post.parent}" />\n` : '') +
    `  </post>\n`
  );
}

function writeExport(file: string, posts: Post[]): void {
  const parts = [
    '<?xml version="1.0" encoding="utf-8"?>\n',
    '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n',
  ];
  for (let t = 0; t < THREADS; t++) {
    parts.push(
      `  <thread dsq:id="${t}">\n    <id>story-${t}</id>\n` +
        `    <link>${ORIGIN}/2023/story-${t}</link>\n    <title>Story ${t}</title>\n` +
        `    <createdAt>2022-12-31T00:00:00Z</createdAt>\n` +
        `    <isClosed>${t % 50 === 0}</isClosed>\n    <isDeleted>false</isDeleted>\n` +
        `  </thread>\n`,
    );
  }
  for (const post of fileOrder(posts)) parts.push(postXml(post));
  parts.push('</disqus>\n');
  fs.writeFileSync(file, parts.join(''));
}

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

interface CliProcess {
  /** Settles when the process has exited and its output is read. */
  done: Promise<CliRun>;
  kill(): void;
  exited(): boolean;
}

/** Starts `node bin/parley.js import disqus FILE --site ID ...` on the given database. */
function startCli(
  databaseUrl: string,
  file: string,
  siteId: string,
  extra: string[] = [],
): CliProcess {
  const child = spawn(
    process.execPath,
    ['bin/parley.js', 'import', 'disqus', file, '--site', siteId, ...extra],
    {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliRun>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { done, kill: () => child.kill('SIGKILL'), exited: () => child.exitCode !== null };
}

/** Runs the import to its end. */
function runCli(databaseUrl: string, file: string, siteId: string, extra: string[] = []) {
  return startCli(databaseUrl, file, siteId, extra).done;
}

function parseReport(run: CliRun): ImportReport {
  try {
    return JSON.parse(run.stdout) as ImportReport;
  } catch {
    assert.fail(`--json printed no report (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}

async function countComments(store: Store): Promise<number> {
  const row = await store.db
    .selectFrom('comments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function commentSources(store: Store) {
  const row = await store.db
    .selectFrom('import_sources')
    .select((eb) => [
      eb.fn.countAll<number>().as('rows'),
      eb.fn.count<number>('source_id').distinct().as('sources'),
      eb.fn.count<number>('target_id').as('targets'),
      eb.fn.count<number>('target_id').distinct().as('distinctTargets'),
    ])
    .where('kind', '=', 'comment')
    .executeTakeFirstOrThrow();
  return {
    rows: Number(row.rows),
    sources: Number(row.sources),
    targets: Number(row.targets),
    distinctTargets: Number(row.distinctTargets),
  };
}

async function importRuns(store: Store) {
  const rows = await store.db
    .selectFrom('import_runs')
    .select(['id', 'state', 'error', 'report', 'finished_at'])
    .orderBy('started_at')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ ...row, report: JSON.parse(row.report) as ImportReport }));
}

/** Resolves once `check` returns a value, polling the database; fails after `timeoutMs`. */
async function pollUntil<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 120_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

for (const engine of await testEngines()) {
  describe(`an import killed with SIGKILL and resumed (${engine})`, () => {
    let dir: string;
    let file: string;
    let database: TestDatabase;
    let databaseUrl: string;
    let store: Store;
    let siteId: string;
    const posts = generatePosts();
    const expected = expectedComments(posts);

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-resume-'));
      file = path.join(dir, 'disqus-export.xml');
      writeExport(file, posts);
      database = await createTestDatabase(engine);
      if (database.config.engine === 'sqlite') {
        databaseUrl = database.config.file;
      } else {
        const url = new URL(database.config.url);
        url.searchParams.set('application_name', APP_NAME);
        databaseUrl = url.href;
      }
      store = openStore(database.config);
      await migrate(store);
      siteId = (
        await insertSite(store.db, {
          name: 'Harbour Gazette',
          allowedOrigins: [ORIGIN],
          editWindowSeconds: 300,
          maxDepth: 3,
        })
      ).id;
    });

    after(async () => {
      await store?.close();
      await database?.drop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    let killedRunId: string;
    let committed: number;

    it('killed after some batches, holds whole consistent batches and a running run', async () => {
      assert.ok(expected > POSTS * 0.9 && expected < POSTS, 'the file has skipped posts too');
      const child = startCli(databaseUrl, file, siteId);
      // Killed once more than one batch is in: some comments committed, most not.
      const seen = await pollUntil('two batches to be committed', async () => {
        if (child.exited()) return -1;
        const n = await countComments(store);
        return n > DEFAULT_BATCH_SIZE ? n : undefined;
      });
      child.kill();
      const run = await child.done;
      assert.notEqual(seen, -1, `the import ended before it could be killed:\n${run.stderr}`);
      assert.equal(run.signal, 'SIGKILL', `killed, not finished (exit ${run.code})`);
      if (engine === 'postgres') {
        // The server ends the killed client's session (rolling back an open transaction) once it
        // sees the connection closed; count what it committed after that.
        await pollUntil('the killed import to leave PostgreSQL', async () => {
          const { rows } = await sql<{ n: number }>`
            select count(*) as n from pg_stat_activity
            where datname = current_database() and application_name = ${APP_NAME}
          `.execute(store.db);
          return Number(rows[0]?.n) === 0 ? true : undefined;
        });
      }

      const runs = await importRuns(store);
      assert.equal(runs.length, 1);
      const killed = runs[0];
      assert.ok(killed);
      killedRunId = killed.id;
      assert.equal(killed.state, 'running', 'nobody marked the killed run');
      assert.equal(killed.finished_at, null);

      committed = await countComments(store);
      assert.ok(committed >= seen, 'nothing committed was lost');
      assert.ok(committed < expected, 'the import was stopped before its end');
      // The report is saved with each batch, in the batch's transaction.
      assert.equal(killed.report.comments.imported, committed, 'the last saved report agrees');
      const sources = await commentSources(store);
      assert.equal(sources.sources, sources.rows, 'one import_sources row per source id');
      assert.equal(sources.targets, committed, 'each committed comment is recorded');
      assert.equal(sources.distinctTargets, committed);
      // Reading runs ahead of writing by the batch being converted (and the one filling), and
      // some posts read wait (deleted ones nobody has answered yet, early replies).
      assert.ok(sources.rows <= killed.report.read.comments);
      assert.ok(
        killed.report.read.comments < sources.rows + 3 * DEFAULT_BATCH_SIZE,
        'reading is at most a batch or two ahead of what is written',
      );
      await assertConsistent(store);
    });

    it('refuses a second run while the killed run looks alive, changing nothing', async () => {
      assert.ok(killedRunId, 'the kill test ran');
      const run = await runCli(databaseUrl, file, siteId);
      assert.equal(run.code, 1, `exit code (stderr: ${run.stderr})`);
      assert.match(
        run.stderr,
        new RegExp(`another import into site ${siteId} is running \\(run ${killedRunId}\\b`),
      );
      assert.match(run.stderr, /wait for it to finish/);
      assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
      assert.equal(await countComments(store), committed);
      const runs = await importRuns(store);
      assert.deepEqual(
        runs.map((r) => [r.id, r.state]),
        [[killedRunId, 'running']],
        'no run was started',
      );
    });

    it('resumes once the killed run is stale: every post exactly once', async () => {
      assert.ok(killedRunId, 'the kill test ran');
      await store.db
        .updateTable('import_runs')
        .set({ heartbeat_at: new Date(Date.now() - 3 * 60_000).toISOString() })
        .where('id', '=', killedRunId)
        .execute();
      const run = await runCli(databaseUrl, file, siteId, ['--json']);
      assert.equal(run.code, 0, `exit code (stderr: ${run.stderr})`);
      const report = parseReport(run);
      assert.equal(report.state, 'done');
      assert.equal(report.error, null);
      assert.equal(report.read.comments, POSTS);
      assert.equal(report.comments.imported, expected - committed, 'only the rest was imported');
      assert.equal(report.comments.unchanged, committed, 'what was committed was left as it is');

      assert.equal(await countComments(store), expected, 'every post exactly once');
      assert.deepEqual(await commentSources(store), {
        rows: POSTS,
        sources: POSTS,
        targets: expected,
        distinctTargets: expected,
      });
      const { rows: twice } = await sql<{ body: string }>`
        select body from comments where deleted_at is null group by body having count(*) > 1
      `.execute(store.db);
      assert.deepEqual(twice, [], 'no post stored twice');
      await assertConsistent(store);

      const runs = await importRuns(store);
      assert.equal(runs.length, 2);
      const killed = runs.find((r) => r.id === killedRunId);
      const resumed = runs.find((r) => r.id === report.runId);
      assert.equal(killed?.state, 'failed');
      assert.match(killed?.error ?? '', /interrupted/);
      assert.ok(killed?.finished_at, 'the killed run is closed');
      assert.equal(resumed?.state, 'done');
      assert.equal(resumed?.error, null);
      assert.equal(resumed?.report.comments.imported, report.comments.imported);
    });

    it('a third run imports nothing and reports every comment unchanged', async () => {
      assert.equal(await countComments(store), expected, 'the resumed run completed');
      const run = await runCli(databaseUrl, file, siteId, ['--json']);
      assert.equal(run.code, 0, `exit code (stderr: ${run.stderr})`);
      const report = parseReport(run);
      assert.equal(report.state, 'done');
      assert.equal(report.comments.imported, 0);
      assert.equal(report.comments.unchanged, POSTS);
      assert.deepEqual(report.skipped, {});
      assert.equal(report.stories.created, 0);
      assert.equal(report.authors.created, 0);
      assert.equal(await countComments(store), expected);
      assert.equal((await commentSources(store)).rows, POSTS);
      await assertConsistent(store);
    });
  });
}
