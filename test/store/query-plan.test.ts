/**
 * Reads use indexes only: the database's own query plans for every thread query show an index
 * range scan in index order (no table scan, no sort of the story's rows), so a page costs the same
 * on a story of 100 comments and of 100,000. The benchmark measures the same claim in time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import {
  countFeatured,
  listFeatured,
  listFirstReplies,
  listThread,
} from '../../src/store/comments.ts';
import { getModeratedUsers } from '../../src/store/moderation/users.ts';
import { openStore } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import type { Database } from '../../src/store/schema.ts';
import { SORTS } from '../../src/domain/thread.ts';
import { newId } from '../../src/domain/ids.ts';
import { sql } from 'kysely';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/engines.ts';

const SOME_ID = '01M8G3DCCM5SVPAASQ40V9WVBF';

/** Runs the store's thread reads against `db`, returning the SQL and parameters they sent. */
async function captureThreadQueries(db: Kysely<Database>, log: CompiledQuery[]): Promise<void> {
  for (const sort of SORTS) {
    for (const cursor of [null, { sort, key: 3, id: SOME_ID }]) {
      await listThread(db, { storyId: SOME_ID, threadParentId: null, sort, cursor, limit: 20 });
    }
  }
  await listThread(db, {
    storyId: SOME_ID,
    threadParentId: SOME_ID,
    sort: 'oldest',
    cursor: { sort: 'oldest', key: null, id: SOME_ID },
    limit: 20,
  });
  await listFirstReplies(db, [SOME_ID, SOME_ID.replace('C', 'D')], 3);
  assert.ok(log.length >= 10);
}

/** A story of 2,000 comments (a fifth of them replies) among 5,000 on five stories, then statistics. */
async function fillBigStory(db: Kysely<Database>): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto('sites')
    .values({
      id: SOME_ID,
      name: 's',
      allowed_origins: '[]',
      edit_window_seconds: 300,
      max_depth: 3,
      locale: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db
    .insertInto('users')
    .values({
      id: SOME_ID,
      email: 'a@b.c',
      display_name: 'A',
      password_hash: null,
      role: 'commenter',
      created_at: now,
    })
    .execute();
  const stories = [SOME_ID, newId(), newId(), newId(), newId()];
  for (const id of stories) {
    await db
      .insertInto('stories')
      .values({
        id,
        site_id: SOME_ID,
        external_id: id,
        url: `https://x.example/${id}`,
        title: null,
        author: null,
        description: null,
        image_url: null,
        published_at: null,
        closed: 0,
        comment_count: 0,
        metadata_fetched_at: null,
        created_at: now,
      })
      .execute();
  }
  const tops: string[] = [];
  for (let batch = 0; batch < 50; batch++) {
    const rows = Array.from({ length: 100 }, (_, i) => {
      const id = newId();
      const parent =
        i % 5 === 4 && tops.length ? (tops[(batch * 7 + i) % tops.length] as string) : null;
      if (!parent) tops.push(id);
      return {
        id,
        site_id: SOME_ID,
        story_id: stories[batch % 5 < 2 ? 0 : batch % 5] as string,
        parent_id: parent,
        thread_parent_id: parent,
        depth: parent ? 1 : 0,
        author_id: SOME_ID,
        body: 'b',
        html: '<p>b</p>',
        status: i % 50 === 0 ? ('pending' as const) : ('approved' as const),
        reply_count: i % 7,
        reaction_count: i % 11,
        created_at: now,
        edited_at: null,
        deleted_at: null,
      };
    });
    await db.insertInto('comments').values(rows).execute();
  }
  await sql`analyze`.execute(db);
}

for (const engine of await testEngines()) {
  describe(`thread query plans (${engine})`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(engine);
      const store = openStore(database.config);
      await migrate(store);
      await fillBigStory(store.db);
      await store.close();
    });
    after(async () => database.drop());

    it('reads every thread page through an index, in index order', async () => {
      const log: CompiledQuery[] = [];
      const plans: string[] = [];
      if (database.config.engine === 'sqlite') {
        const sqlite = new SQLite(database.config.file);
        const db = new Kysely<Database>({
          dialect: new SqliteDialect({ database: sqlite }),
          log: (event) => void (event.level === 'query' && log.push(event.query)),
        });
        await captureThreadQueries(db, log);
        for (const query of log) {
          const rows = sqlite.prepare(`explain query plan ${query.sql}`).all(...query.parameters);
          plans.push((rows as { detail: string }[]).map((r) => r.detail).join('\n'));
        }
        await db.destroy();
        for (const plan of plans) {
          assert.match(plan, /SEARCH comments USING INDEX comments_(top|replies)_by_/, plan);
          assert.doesNotMatch(plan, /SCAN comments\b|TEMP B-TREE FOR ORDER BY/, plan);
        }
      } else {
        const pool = new pg.Pool({ connectionString: database.config.url, max: 1 });
        const db = new Kysely<Database>({
          dialect: new PostgresDialect({ pool }),
          log: (event) => void (event.level === 'query' && log.push(event.query)),
        });
        await captureThreadQueries(db, log);
        const client = await pool.connect();
        for (const query of log) {
          const result = await client.query(`explain ${query.sql}`, [...query.parameters]);
          plans.push(result.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n'));
        }
        client.release();
        await db.destroy();
        // PostgreSQL costs the heap reads too: for a story holding a large share of recent rows it
        // may walk the primary key backwards, stopping at the limit; both plans read in index order.
        for (const plan of plans) {
          assert.match(
            plan,
            /Index (Only )?Scan( Backward)? using comments_\w+ on comments\b/,
            plan,
          );
          assert.doesNotMatch(plan, /Seq Scan on comments|Sort Key/, plan);
        }
      }
    });
  });
}

/**
 * Without statistics (a new SQLite database has none, and Parley does not run ANALYZE), SQLite
 * picks an index by the conditions it can use. Two reads picked one that grows with the data: a
 * story's featured comments by (story, status), reading every published comment of the story on
 * every thread page (20–45 ms at 8,000 in the soak bench), and authors' counts by status, reading
 * every published comment of the installation (300 ms at 34,000). Their plans are checked here.
 */
describe('plans that do not grow with the data (sqlite, no statistics)', () => {
  let database: TestDatabase;
  before(async () => {
    database = await createTestDatabase('sqlite');
    const store = openStore(database.config);
    await migrate(store);
    await store.close();
  });
  after(async () => database.drop());

  it('finds featured comments through their partial index, authors’ counts by author', async () => {
    if (database.config.engine !== 'sqlite') throw new Error('expected SQLite');
    const sqlite = new SQLite(database.config.file);
    const log: CompiledQuery[] = [];
    const db = new Kysely<Database>({
      dialect: new SqliteDialect({ database: sqlite }),
      log: (event) => void (event.level === 'query' && log.push(event.query)),
    });
    const plan = (query: CompiledQuery) =>
      (
        sqlite.prepare(`explain query plan ${query.sql}`).all(...query.parameters) as {
          detail: string;
        }[]
      )
        .map((r) => r.detail)
        .join('\n');
    await countFeatured(db, SOME_ID);
    await listFeatured(db, { storyId: SOME_ID, cursor: null, limit: 20 });
    const featured = log.splice(0).map(plan);
    await getModeratedUsers(db, [SOME_ID, SOME_ID.replace('C', 'D')]);
    const counts = log
      .splice(0)
      .map(plan)
      .filter((p) => p.includes('comments'));
    await db.destroy();
    assert.equal(featured.length, 2);
    for (const p of featured) {
      assert.match(p, /comments_story_featured/, p);
      assert.doesNotMatch(p, /comments_story_status|SCAN comments\b/, p);
    }
    assert.equal(counts.length, 1);
    assert.match(counts[0] as string, /USING INDEX comments_author\b/, counts[0]);
  });
});
