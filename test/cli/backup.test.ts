/**
 * `parley backup` as an operator uses it: run as a child process while a real Parley process
 * serves eight clients that post (and delete) through the HTTP API, on a database large enough for
 * the copy to take a moment and report its progress. The backup must be a consistent snapshot
 * (whole, every comment with its story, every story's count equal to its published comments,
 * everything acknowledged before the backup began) taken without holding writers up, and a second
 * Parley must start on it and serve those comments. Then: it finishes while another process commits
 * without pause, and its refusals (an existing file without --force, PostgreSQL, bad paths).
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { backupDatabase } from '../../src/cli/backup.ts';
import { openStore } from '../../src/store/db.ts';
import { insertSite } from '../../src/store/sites.ts';
import { RELAXED_MODERATION, SITE_ORIGIN } from '../helpers/app.ts';
import { startParley, type ParleyProcess } from '../helpers/process.ts';
import { signedInWriters } from '../helpers/writers.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLIENTS = 8;
const STORIES = 2;
const FILLER_MB = 48;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/parley.js ...args` with DATABASE_URL set to `database`. */
function parley(args: string[], database: string, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['bin/parley.js', ...args],
      {
        cwd: ROOT,
        timeout: timeoutMs,
        env: { ...process.env, DATABASE_URL: database, LOG_LEVEL: 'warn', NODE_OPTIONS: '' },
      },
      (error, stdout, stderr) => {
        if (error && error.killed) return reject(new Error(`parley ${args.join(' ')} timed out`));
        const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** `parley backup`, noting when each progress line arrives on stderr. */
function backupWatched(out: string, database: string): Promise<Run & { progressAt: number[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/parley.js', 'backup', '--out', out], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: database, LOG_LEVEL: 'warn', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    let stdout = '';
    let stderr = '';
    const progressAt: number[] = [];
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      for (const _ of text.matchAll(/^copied [\d,]+ of [\d,]+ pages/gm))
        progressAt.push(Date.now());
      stderr += text;
    });
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, progressAt });
    });
  });
}

/** A failure an operator can act on: exit 1, `parley: backup failed: …`, no stack trace. */
function assertFailed(run: Run, message: RegExp): void {
  assert.equal(run.code, 1, `exit code (stdout: ${run.stdout}, stderr: ${run.stderr})`);
  assert.match(run.stderr, /parley: backup failed: /);
  assert.match(run.stderr, message);
  assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
  assert.doesNotMatch(run.stdout, /Backed up/);
}

function sqliteFile(process: ParleyProcess): string {
  if (process.database.engine !== 'sqlite') throw new Error('expected a SQLite database');
  return process.database.file;
}

/** What a client did, and when its answer came. */
interface Write {
  kind: 'post' | 'delete';
  id: string;
  storyId: string;
  /** The status the post was answered with (approved, or pending for a held link). */
  status: string;
  sentAt: number;
  answeredAt: number;
}

describe('parley backup while readers post', () => {
  let parley1: ParleyProcess;
  let restored: ParleyProcess | undefined;
  let dir: string;
  const storyIds: string[] = [];
  const tokens: string[] = [];

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-backup-'));
    parley1 = await startParley({
      engine: 'sqlite',
      env: { PARLEY_CLASSIFIER: '0', PARLEY_WRITE_RATE_LIMIT: '1000000', LOG_LEVEL: 'fatal' },
    });
    const store = openStore(parley1.database);
    let siteId: string;
    try {
      ({ id: siteId } = await insertSite(store.db, {
        name: 'Backed-up News',
        allowedOrigins: [SITE_ORIGIN],
        editWindowSeconds: 300,
        maxDepth: 3,
        // Links are held for a moderator: some comments are pending, which the counts leave out.
        moderation: {
          ...RELAXED_MODERATION,
          links: { holdLinks: true, allowDomains: [], denyDomains: [] },
        },
      }));
      tokens.push(...(await signedInWriters(store, CLIENTS, 'backup')));
    } finally {
      await store.close();
    }
    // Filler, so that copying takes a moment and reports its progress (at 16 MB and more).
    const filler = new SQLite(sqliteFile(parley1), { timeout: 10_000 });
    try {
      filler.exec('create table backup_test_filler (data blob)');
      const insert = filler.prepare('insert into backup_test_filler (data) values (randomblob(?))');
      filler.transaction(() => {
        for (let i = 0; i < FILLER_MB * 16; i++) insert.run(65536);
      })();
    } finally {
      filler.close();
    }
    for (let i = 0; i < STORIES; i++) {
      const resolved = await fetch(`${parley1.url}/api/v1/stories/resolve`, {
        method: 'POST',
        headers: { origin: SITE_ORIGIN, 'content-type': 'application/json' },
        body: JSON.stringify({ url: `${SITE_ORIGIN}/news/${i}`, storyId: `story-${i}`, siteId }),
      });
      assert.equal(resolved.status, 200, await resolved.clone().text());
      storyIds.push(((await resolved.json()) as { story: { id: string } }).story.id);
    }
  });

  after(async () => {
    await restored?.stop();
    await parley1?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function write(client: number, method: 'POST' | 'DELETE', url: string, body?: unknown) {
    return fetch(`${parley1.url}/api/v1${url}`, {
      method,
      headers: {
        origin: SITE_ORIGIN,
        authorization: `Bearer ${tokens[client]}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  }

  /** One client: posts top-level comments (every fourth with a link), deletes every fifth. */
  async function client(n: number, stop: { now: boolean }, writes: Write[], failures: string[]) {
    for (let i = 0; !stop.now; i++) {
      const storyId = storyIds[(n + i) % STORIES] as string;
      const text =
        i % 4 === 3
          ? `Comment ${i} from client ${n}, see https://elsewhere.example/${n}/${i}`
          : `Comment ${i} from client ${n}.`;
      const sentAt = Date.now();
      const response = await write(n, 'POST', `/stories/${storyId}/comments`, { body: text });
      const answeredAt = Date.now();
      if (response.status !== 201) {
        failures.push(`post: ${response.status} ${await response.text()}`);
        continue;
      }
      const { comment } = (await response.json()) as { comment: { id: string; status: string } };
      writes.push({
        kind: 'post',
        id: comment.id,
        storyId,
        status: comment.status,
        sentAt,
        answeredAt,
      });
      if (i % 5 === 4) {
        const deleteSentAt = Date.now();
        const deleted = await write(n, 'DELETE', `/comments/${comment.id}`);
        if (deleted.status !== 200) {
          failures.push(`delete: ${deleted.status} ${await deleted.text()}`);
          continue;
        }
        await deleted.body?.cancel();
        writes.push({
          kind: 'delete',
          id: comment.id,
          storyId,
          status: 'deleted',
          sentAt: deleteSentAt,
          answeredAt: Date.now(),
        });
      }
    }
  }

  test(
    'is a consistent snapshot taken without stopping writers, and Parley starts on it',
    { timeout: 180_000 },
    async () => {
      const out = path.join(dir, 'parley-backup.db');
      const writes: Write[] = [];
      const failures: string[] = [];
      const stop = { now: false };
      const clients = Array.from({ length: CLIENTS }, (_, n) => client(n, stop, writes, failures));

      await sleep(1500);
      const backupStartedAt = Date.now();
      const writesBefore = writes.length;
      const run = await backupWatched(out, sqliteFile(parley1));
      const backupEndedAt = Date.now();
      await sleep(1000);
      stop.now = true;
      await Promise.all(clients);

      assert.equal(run.code, 0, `backup: ${run.stderr}`);
      assert.deepEqual(failures, [], 'every write was answered 201/200');
      assert.ok(writesBefore > 20, `clients wrote before the backup (${writesBefore})`);
      // The database is large enough (the filler) for the copy to report its progress, and to take
      // a moment: writes must go on while its pages are copied.
      const progress = run.stderr.split('\n').filter((line) => line.startsWith('copied '));
      assert.ok(progress.length >= 3, `progress in pages: ${run.stderr}`);
      assert.match(progress.at(-1) ?? '', /^copied ([\d,]+) of \1 pages \(100%\)$/);
      const copyStarted = run.progressAt[0] ?? 0;
      const copyEnded = run.progressAt.at(-1) ?? 0;
      const writesDuringCopy = writes.filter(
        (w) => w.answeredAt > copyStarted && w.answeredAt < copyEnded,
      );
      assert.ok(
        writesDuringCopy.length > 0,
        `writes were answered while pages were copied (${copyEnded - copyStarted} ms)`,
      );
      const during = writes.filter(
        (w) => w.sentAt >= backupStartedAt && w.answeredAt <= backupEndedAt,
      );
      const slowest = Math.max(...during.map((w) => w.answeredAt - w.sentAt));
      assert.ok(slowest < 2000, `no write waited long for the backup (slowest ${slowest} ms)`);
      const printed = /comments:\s+([\d,]+)/.exec(run.stdout)?.[1];
      assert.ok(printed, `the summary gives the comments: ${run.stdout}`);
      assert.match(run.stdout, /size:\s+[\d.]+ [kMG]B/);
      assert.match(run.stdout, /duration:\s+[\d.]+ s/);
      assert.deepEqual(
        fs.readdirSync(dir),
        ['parley-backup.db'],
        'one self-contained file: no -wal, -shm or partial file beside it',
      );

      // The copy, as it was written (opened read-only: nothing changes it before it is checked).
      const copy = new SQLite(out, { readonly: true, fileMustExist: true });
      let approvedByStory: Map<string, Set<string>>;
      try {
        assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
        assert.deepEqual(copy.pragma('foreign_key_check'), []);
        assert.equal(copy.pragma('journal_mode', { simple: true }), 'delete');

        const rows = copy
          .prepare('select id, story_id, status, deleted_at from comments')
          .all() as { id: string; story_id: string; status: string; deleted_at: string | null }[];
        assert.equal(rows.length, Number(printed.replaceAll(',', '')), 'the count printed');
        const byId = new Map(rows.map((row) => [row.id, row]));

        const orphans = copy
          .prepare(
            'select count(*) as n from comments c left join stories s on s.id = c.story_id where s.id is null',
          )
          .get() as { n: number };
        assert.equal(orphans.n, 0, 'every comment has its story');

        approvedByStory = new Map(storyIds.map((id) => [id, new Set<string>()]));
        for (const row of rows) {
          if (row.status === 'approved' && row.deleted_at === null) {
            approvedByStory.get(row.story_id)?.add(row.id);
          }
        }
        for (const storyId of storyIds) {
          const story = copy
            .prepare('select comment_count from stories where id = ?')
            .get(storyId) as { comment_count: number };
          assert.equal(
            story.comment_count,
            approvedByStory.get(storyId)?.size,
            `story ${storyId}: comment_count equals its published comments`,
          );
        }

        // Everything acknowledged before the backup began is in it, as it was acknowledged; a
        // deletion acknowledged before it too; one sent while it ran may or may not be.
        const deletions = new Map(
          writes.filter((w) => w.kind === 'delete').map((w) => [w.id, w] as const),
        );
        const postedBefore = writes.filter(
          (w) => w.kind === 'post' && w.answeredAt < backupStartedAt,
        );
        assert.ok(
          postedBefore.some((w) => w.status === 'pending'),
          'some posts were held',
        );
        let deletedBefore = 0;
        for (const post of postedBefore) {
          const row = byId.get(post.id);
          assert.ok(row, `comment ${post.id}, acknowledged before the backup, is in it`);
          assert.equal(row.story_id, post.storyId);
          const deletion = deletions.get(post.id);
          if (deletion && deletion.answeredAt < backupStartedAt) {
            deletedBefore++;
            assert.equal(row.status, 'deleted', `${post.id} was deleted before the backup`);
          } else if (!deletion || deletion.sentAt > backupEndedAt) {
            assert.equal(row.status, post.status, `${post.id} as it was acknowledged`);
          } else {
            assert.ok([post.status, 'deleted'].includes(row.status), `${post.id}: ${row.status}`);
          }
        }
        assert.ok(deletedBefore > 0, 'some posts were deleted before the backup');
        // And nothing sent after it ended.
        const postedAfter = writes.filter((w) => w.kind === 'post' && w.sentAt > backupEndedAt);
        assert.ok(postedAfter.length > 0, 'clients posted after the backup');
        for (const post of postedAfter)
          assert.equal(byId.has(post.id), false, `${post.id} is later`);
        console.log(
          `# ${writes.length} writes, ${during.length} while \`parley backup\` ran ` +
            `(${backupEndedAt - backupStartedAt} ms), ${writesDuringCopy.length} while it copied ` +
            `pages (${copyEnded - copyStarted} ms, slowest write ${slowest} ms); the copy holds ` +
            `${rows.length} comments`,
        );
      } finally {
        copy.close();
      }

      // A second Parley, on the backup file, serves the comments it holds.
      restored = await startParley({
        engine: 'sqlite',
        env: { DATABASE_URL: out, PARLEY_CLASSIFIER: '0', LOG_LEVEL: 'fatal' },
      });
      assert.match(
        restored.output(),
        new RegExp(`database: ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`),
      );
      for (const storyId of storyIds) {
        const expected = approvedByStory.get(storyId) ?? new Set<string>();
        const storyResponse: Response = await fetch(`${restored.url}/api/v1/stories/${storyId}`);
        assert.equal(storyResponse.status, 200);
        const { story } = (await storyResponse.json()) as { story: { commentCount: number } };
        assert.equal(story.commentCount, expected.size);

        const served = new Set<string>();
        let cursor: string | null = null;
        do {
          const query = new URLSearchParams({ sort: 'oldest', limit: '100' });
          if (cursor) query.set('cursor', cursor);
          const page: Response = await fetch(
            `${restored.url}/api/v1/stories/${storyId}/comments?${query}`,
          );
          assert.equal(page.status, 200, await page.clone().text());
          const json = (await page.json()) as {
            comments: { id: string }[];
            nextCursor: string | null;
          };
          for (const comment of json.comments) served.add(comment.id);
          cursor = json.nextCursor;
        } while (cursor);
        assert.deepEqual(
          [...served].sort(),
          [...expected].sort(),
          `story ${storyId} is served whole`,
        );
      }
    },
  );
});

describe('parley backup refusals and progress', () => {
  let dir: string;
  let database: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-backup-cli-'));
    database = path.join(dir, 'parley.db');
    const migrated = await parley(['migrate'], database);
    assert.equal(migrated.code, 0, migrated.stderr);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const leftovers = (where: string) =>
    fs
      .readdirSync(where)
      .filter(
        (name) => /partial|-journal$|-wal$|-shm$/.test(name) && !name.startsWith('parley.db'),
      );

  it('refuses to replace an existing file, and replaces it with --force', async () => {
    const out = path.join(dir, 'existing.db');
    fs.writeFileSync(out, 'an older backup');
    const refused = await parley(['backup', '--out', out], database);
    assertFailed(refused, /already exists.*--force/);
    assert.equal(fs.readFileSync(out, 'utf8'), 'an older backup', 'the file is untouched');

    const forced = await parley(['backup', '--out', out, '--force'], database);
    assert.equal(forced.code, 0, forced.stderr);
    assert.match(forced.stdout, /Backed up .*existing\.db/);
    assert.match(forced.stdout, /comments:\s+0/);
    const copy = new SQLite(out, { readonly: true, fileMustExist: true });
    try {
      assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
      const tables = copy.prepare("select name from sqlite_master where type = 'table'").all();
      assert.ok(tables.some((t) => (t as { name: string }).name === 'comments'));
    } finally {
      copy.close();
    }
    assert.deepEqual(leftovers(dir), []);
  });

  it('on PostgreSQL, says to use pg_dump and where the docs are, without connecting', async () => {
    const out = path.join(dir, 'pg.db');
    const run = await parley(
      ['backup', '--out', out],
      'postgres://parley:s3cret-passw0rd@127.0.0.1:1/parley',
    );
    assertFailed(run, /pg_dump --format=custom/);
    assert.match(run.stderr, /docs\/operations\.md/);
    assert.doesNotMatch(run.stderr, /s3cret-passw0rd/, 'the URL’s password is not shown');
    assert.equal(fs.existsSync(out), false);
  });

  it('says what is wrong with the paths', async () => {
    const missingDir = await parley(
      ['backup', '--out', path.join(dir, 'no-such-dir', 'b.db')],
      database,
    );
    assertFailed(missingDir, /no-such-dir does not exist/);

    const absent = path.join(dir, 'absent.db');
    const noDatabase = await parley(['backup', '--out', path.join(dir, 'b.db')], absent);
    assertFailed(noDatabase, /no database at .*absent\.db/);
    assert.equal(fs.existsSync(absent), false, 'no empty database is created');
    assert.equal(fs.existsSync(path.join(dir, 'b.db')), false);

    const itself = await parley(['backup', '--out', database, '--force'], database);
    assertFailed(itself, /the database itself/);

    const notSqlite = path.join(dir, 'notes.txt');
    fs.writeFileSync(
      notSqlite,
      'not a database at all, just some text that is long enough '.repeat(20),
    );
    const garbage = await parley(['backup', '--out', path.join(dir, 'g.db')], notSqlite);
    assertFailed(garbage, /not a database/);
    assert.equal(fs.existsSync(path.join(dir, 'g.db')), false);
    assert.deepEqual(leftovers(dir), []);
  });

  it('finishes while another process commits without pause, and copies one moment', async () => {
    // SQLite's backup API, left to itself, starts over whenever another connection commits between
    // two of its steps: under this writer such a copy never ends. parley backup's must.
    const busy = path.join(dir, 'busy.db');
    fs.copyFileSync(database, busy);
    const setup = new SQLite(busy);
    setup.exec(
      'create table filler (data blob); create table writes (id integer primary key, at integer)',
    );
    const fill = setup.prepare('insert into filler (data) values (randomblob(65536))');
    setup.transaction(() => {
      for (let i = 0; i < 32 * 16; i++) fill.run();
    })();
    setup.close();
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(process.argv[1], { timeout: 10000 });
      db.pragma('journal_mode = WAL');
      const insert = db.prepare('insert into writes (at) values (?)');
      console.log('writing');
      for (;;) insert.run(Date.now());
    `;
    const writer = spawn(process.execPath, ['-e', script, busy], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      await new Promise<void>((resolve, reject) => {
        writer.stdout.once('data', () => resolve());
        writer.once('exit', (code) => reject(new Error(`the writer exited (${code})`)));
      });
      await sleep(200);
      const out = path.join(dir, 'busy-backup.db');
      const started = Date.now();
      const result = await Promise.race([
        backupDatabase({ engine: 'sqlite', file: busy }, { out, force: false }),
        sleep(60_000).then(() => assert.fail('the backup did not finish within 60 s')),
      ]);
      const ended = Date.now();
      writer.kill('SIGKILL');

      const copy = new SQLite(out, { readonly: true, fileMustExist: true });
      const source = new SQLite(busy, { readonly: true });
      try {
        assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
        // Rows are numbered in commit order: a copy of one moment holds rows 1..n, no gaps.
        const copied = copy.prepare('select count(*) as n, max(id) as last from writes').get() as {
          n: number;
          last: number;
        };
        assert.equal(copied.last, copied.n, 'the copy holds every write up to one moment');
        const during = source
          .prepare('select count(*) as n from writes where at > ? and at < ?')
          .get(started, ended) as { n: number };
        assert.ok(during.n > 100, `the writer committed ${during.n} times during the backup`);
        const { n: later } = source
          .prepare('select count(*) as n from writes where id > ?')
          .get(copied.last) as { n: number };
        assert.ok(later > 0, 'writes after the snapshot are not in the copy');
        console.log(
          `# ${result.pages} pages in ${ended - started} ms while another process committed ` +
            `${during.n} times; the copy holds the first ${copied.n}`,
        );
      } finally {
        copy.close();
        source.close();
      }
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it('takes its arguments the way the other commands do (exit 2 on a bad command line)', async () => {
    for (const args of [['backup'], ['backup', 'file.db'], ['backup', '--out']]) {
      const run = await parley(args, database);
      assert.equal(run.code, 2, `parley ${args.join(' ')}: ${run.stderr}`);
      assert.match(run.stderr, /--out/);
      assert.match(run.stderr, /parley --help/);
      assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
    }
    const help = await parley(['--help'], database);
    assert.match(help.stdout, /^\s+backup --out FILE \[--force\]/m);
  });
});
