/**
 * The Best order's reads stay index range scans (docs/sorting.md): a page of `best`, also with
 * pinned comments left out and after a cursor, walks comments_top_by_best in order; the pinned
 * comments are found through the story's featured index, the newsroom's accounts by role and their
 * comments on the story by author, never by reading the story's comments. Checked on SQLite
 * without statistics (as Parley runs it) and on PostgreSQL. And the migration's backfill, one
 * statement of SQL, gives existing comments the keys the domain computes.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { bestKey } from '../../src/domain/best.ts';
import { insertComment, listPinned, listThread } from '../../src/store/comments.ts';
import { backfillBestKeys } from '../../src/store/migrations/0012_best_sort.ts';
import { insertSite } from '../../src/store/sites.ts';
import { findOrInsertStory } from '../../src/store/stories.ts';
import { insertUser } from '../../src/store/users.ts';
import { openStore } from '../../src/store/db.ts';
import { migrate } from '../../src/store/migrate.ts';
import type { Database } from '../../src/store/schema.ts';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/engines.ts';

const STORY = '01M8G3DCCM5SVPAASQ40V9WVBF';
const OTHER = '01M8G3DCCM5SVPAASQ40V9WVBG';

async function captureReads(db: Kysely<Database>, log: CompiledQuery[]) {
  const exclude = [OTHER];
  await listThread(db, {
    storyId: STORY,
    threadParentId: null,
    sort: 'best',
    cursor: null,
    limit: 20,
  });
  const page = log.length;
  await listThread(db, {
    storyId: STORY,
    threadParentId: null,
    sort: 'best',
    cursor: { sort: 'best', key: 19_321.5, id: OTHER },
    limit: 20,
    exclude,
  });
  const pages = log.slice(0, page + 1);
  log.splice(0);
  await listPinned(db, STORY, 5);
  return { pages, pinned: log.splice(0) };
}

for (const engine of await testEngines()) {
  describe(`Best and pinned reads use indexes (${engine})`, () => {
    let database: TestDatabase;
    before(async () => {
      database = await createTestDatabase(engine);
      const store = openStore(database.config);
      await migrate(store);
      // One newsroom account, so that the pinned read asks for its comments.
      await store.db
        .insertInto('users')
        .values({
          id: OTHER,
          email: 'editor@example.com',
          display_name: 'Editor',
          password_hash: null,
          role: 'staff',
          created_at: new Date().toISOString(),
        })
        .execute();
      await store.close();
    });
    after(async () => database.drop());

    it('pages by the best index, and finds pinned comments by bounded ranges', async () => {
      const log: CompiledQuery[] = [];
      const explain: ((query: CompiledQuery) => Promise<string>)[] = [];
      let close = async () => undefined as unknown;
      let db: Kysely<Database>;
      const logger = (event: { level: string; query: CompiledQuery }) =>
        void (event.level === 'query' && log.push(event.query));
      if (database.config.engine === 'sqlite') {
        const sqlite = new SQLite(database.config.file);
        db = new Kysely<Database>({
          dialect: new SqliteDialect({ database: sqlite }),
          log: logger,
        });
        explain.push(async (query) =>
          (
            sqlite.prepare(`explain query plan ${query.sql}`).all(...query.parameters) as {
              detail: string;
            }[]
          )
            .map((r) => r.detail)
            .join('\n'),
        );
        close = () => db.destroy();
      } else {
        const pool = new pg.Pool({ connectionString: database.config.url, max: 1 });
        db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: logger });
        explain.push(async (query) => {
          // Plans as for a big table: no sequential scan when an index can answer.
          const client = await pool.connect();
          try {
            await client.query('set enable_seqscan = off');
            const result = await client.query(`explain ${query.sql}`, [...query.parameters]);
            return result.rows.map((r: { 'QUERY PLAN': string }) => r['QUERY PLAN']).join('\n');
          } finally {
            await client.query('reset enable_seqscan');
            client.release();
          }
        });
        close = () => db.destroy();
      }
      try {
        await check(engine, await captureReads(db, log), explain[0]!);
      } finally {
        await close();
      }
    });
  });
}

async function check(
  engine: string,
  { pages, pinned }: { pages: CompiledQuery[]; pinned: CompiledQuery[] },
  plan: (query: CompiledQuery) => Promise<string>,
) {
  {
    {
      assert.equal(pages.length, 2);
      for (const query of pages) {
        const p = await plan(query);
        if (engine === 'sqlite') {
          assert.match(p, /SEARCH comments USING INDEX comments_top_by_best/, p);
          assert.doesNotMatch(p, /SCAN comments\b|TEMP B-TREE FOR ORDER BY/, p);
        } else {
          assert.match(p, /Index (Only )?Scan( Backward)? using comments_top_by_best/, p);
          assert.doesNotMatch(p, /Seq Scan on comments|Sort Key/, p);
        }
      }
      const plans = await Promise.all(pinned.map(plan));
      const all = plans.join('\n');
      if (engine === 'sqlite') {
        assert.match(all, /users USING (COVERING )?INDEX users_role/, all);
        assert.match(all, /comments_story_featured/, all);
        assert.match(all, /comments USING INDEX comments_author_story/, all);
        assert.doesNotMatch(all, /SCAN comments\b|SCAN users\b|comments_top_by/, all);
      } else {
        // An empty table gives PostgreSQL no statistics to choose between the author's indexes:
        // either is a range of the newsroom's own comments.
        assert.match(all, /Index Scan on users_role|using users_role/, all);
        assert.match(all, /comments_story_featured/, all);
        assert.match(all, /using comments_author(_story)? on comments/, all);
        assert.doesNotMatch(all, /Seq Scan on (comments|users)/, all);
      }
    }
  }
}

for (const engine of await testEngines()) {
  describe(`the migration's backfill of Best keys (${engine})`, () => {
    it('computes, in one statement, the keys src/domain/best.ts does', async () => {
      const database = await createTestDatabase(engine);
      const store = openStore(database.config);
      try {
        await migrate(store);
        const site = await insertSite(store.db, {
          name: 'S',
          allowedOrigins: [],
          editWindowSeconds: 300,
          maxDepth: 3,
        });
        const { story } = await findOrInsertStory(store.db, site.id, {
          externalId: 'backfill',
          url: 'https://news.example/backfill',
        });
        const user = await insertUser(store.db, {
          email: 'backfill@example.com',
          displayName: 'B',
          passwordHash: null,
          role: 'commenter',
        });
        const expected = new Map<string, number>();
        for (const [respects, hoursAgo] of [
          [0, 0],
          [1, 5],
          [7, 30],
          [250, 400],
        ] as const) {
          const createdAt = new Date(Date.now() - hoursAgo * 3600_000);
          const comment = await insertComment(store.db, {
            siteId: site.id,
            storyId: story.id,
            parentId: null,
            threadParentId: null,
            depth: 0,
            authorId: user!.id,
            body: 'b',
            html: '<p>b</p>',
            status: 'approved',
            createdAt,
          });
          await store.db
            .updateTable('comments')
            .set({ reaction_count: respects, best_key: 0 })
            .where('id', '=', comment!.id)
            .execute();
          expected.set(comment!.id, bestKey({ respects, views: 0, createdAt }));
        }
        await backfillBestKeys(store.db, store.engine);
        const rows = await store.db.selectFrom('comments').select(['id', 'best_key']).execute();
        assert.equal(rows.length, expected.size);
        for (const row of rows) {
          const want = expected.get(row.id)!;
          assert.ok(Math.abs(Number(row.best_key) - want) < 1e-6, `${row.best_key} vs ${want}`);
        }
      } finally {
        await store.close();
        await database.drop();
      }
    });
  });
}

describe('migrations compute what they computed when written', () => {
  it('import no values from today’s code (only kysely, the engine type and types)', () => {
    const dir = new URL('../../src/store/migrations/', import.meta.url);
    const files = readdirSync(dir).filter((name) => name.endsWith('.ts'));
    assert.ok(files.includes('0012_best_sort.ts'));
    for (const name of files) {
      const source = readFileSync(new URL(name, dir), 'utf8');
      for (const [statement, from] of source.matchAll(/^import\s[^;]*?from\s+'([^']+)'/gms)) {
        const typesOnly = /^import\s+type\s/.test(statement);
        assert.ok(
          typesOnly || from === 'kysely',
          `${name} imports values from ${from}: write the numbers into the migration`,
        );
      }
    }
  });
});
