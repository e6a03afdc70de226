/**
 * The PostgreSQL store when a connection is lost at the worst moment, with a TCP proxy between the
 * store and the real server that cuts the connection around a transaction's COMMIT:
 *
 * - after passing the COMMIT on (the server commits, the answer never arrives): the write is
 *   reported as done, since it is;
 * - instead of passing it on (the server rolls back): the write fails with an error the API
 *   answers 503 BUSY, and nothing is stored;
 * - a read whose connection is cut is run once more on another one and answers.
 *
 * - the same two cuts around the one statement a post is (storeNewComment), which commits without
 *   a COMMIT of its own: reported done when it ran (its backend gone, the comment found), failed
 *   when it never reached the server.
 *
 * So a write either commits or reports failure, never both. Needs PostgreSQL: skipped (with a
 * message) when it is down, except in CI (CI=true), where that fails the run.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { commentEventRows } from '../../src/live/record.ts';
import { storeNewComment } from '../../src/store/comments.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import { lastLiveSeq, storyCommentCount } from '../../src/store/live-events.ts';
import { migrate } from '../../src/store/migrate.ts';
import { insertSite } from '../../src/store/sites.ts';
import { findOrInsertStory } from '../../src/store/stories.ts';
import { insertUser } from '../../src/store/users.ts';
import { isTransientDatabaseError } from '../../src/store/transient.ts';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/engines.ts';

const postgres = (await testEngines()).includes('postgres');
const skip = postgres ? false : 'needs PostgreSQL (not reachable)';

type Fault =
  'none' | 'lose-commit-answer' | 'lose-commit' | 'lose-select' | 'lose-post-answer' | 'lose-post';

/** The text that marks the statement a post is (storeNewComment's, on PostgreSQL). */
const POST_STATEMENT = 'with answered as';

/**
 * Forwards connections to PostgreSQL; when armed, cuts the first connection that sends the
 * statement the fault names, either right after passing it on (and giving the server time to
 * run it) or instead of passing it on.
 */
class CuttingProxy {
  fault: Fault = 'none';
  private readonly server = net.createServer((client) => this.forward(client));

  constructor(private readonly target: { host: string; port: number }) {}

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  private forward(client: net.Socket): void {
    const upstream = net.connect(this.target);
    const cut = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', cut);
    upstream.on('error', cut);
    client.on('close', cut);
    upstream.on('close', cut);
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('data', (chunk: Buffer) => {
      const fault = this.fault;
      const hit =
        ((fault === 'lose-commit-answer' || fault === 'lose-commit') &&
          chunk.includes('commit\0')) ||
        ((fault === 'lose-post-answer' || fault === 'lose-post') && chunk.includes(POST_STATEMENT));
      const select = fault === 'lose-select' && chunk.includes('from "probe"');
      if (!hit && !select) {
        upstream.write(chunk);
        return;
      }
      this.fault = 'none';
      if (fault === 'lose-commit-answer' || fault === 'lose-post-answer') {
        // The server gets the COMMIT (or the post) and runs it; its answer is lost with the
        // connection.
        client.pause();
        upstream.removeAllListeners('data');
        upstream.write(chunk);
        setTimeout(cut, 300);
      } else {
        cut();
      }
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A store that reaches PostgreSQL through a cutting proxy, on a database of its own. */
async function storeBehindProxy() {
  const database = await createTestDatabase('postgres');
  if (database.config.engine !== 'postgres') throw new Error('expected PostgreSQL');
  const url = new URL(database.config.url);
  const proxy = new CuttingProxy({ host: url.hostname, port: Number(url.port || 5432) });
  url.port = String(await proxy.listen());
  return { database, proxy, store: openStore({ engine: 'postgres', url: url.href }) };
}

describe('PostgreSQL store: a connection lost around a COMMIT', { skip }, () => {
  let database: TestDatabase;
  let proxy: CuttingProxy;
  let store: Store;

  before(async () => {
    ({ database, proxy, store } = await storeBehindProxy());
    await sql`create table probe (id text primary key)`.execute(store.db);
  });

  after(async () => {
    await store?.close();
    await proxy?.close();
    await database?.drop();
  });

  const stored = async (id: string) =>
    (
      await sql<{ n: number }>`select count(*)::int as n from probe where id = ${id}`.execute(
        store.db,
      )
    ).rows[0]?.n;

  const insert = (id: string) =>
    store.transact(async (trx) => {
      await sql`insert into probe (id) values (${id})`.execute(trx);
      return id;
    });

  it('reports a write done when the COMMIT ran but its answer was lost', async () => {
    proxy.fault = 'lose-commit-answer';
    assert.equal(await insert('answer-lost'), 'answer-lost');
    assert.equal(proxy.fault, 'none', 'the connection was cut');
    assert.equal(await stored('answer-lost'), 1);
  });

  it('reports a write failed (503 BUSY) when the COMMIT never arrived, and stores nothing', async () => {
    proxy.fault = 'lose-commit';
    await assert.rejects(insert('commit-lost'), (error: unknown) => {
      assert.ok(isTransientDatabaseError(error), `a passing failure: ${String(error)}`);
      return true;
    });
    assert.equal(proxy.fault, 'none', 'the connection was cut');
    assert.equal(await stored('commit-lost'), 0);
  });

  it('runs a read cut off with its connection once more, on another', async () => {
    await insert('read-me');
    proxy.fault = 'lose-select';
    const rows = await store.db
      .selectFrom('probe' as never)
      .select('id' as never)
      .where('id' as never, '=', 'read-me' as never)
      .execute();
    assert.equal(proxy.fault, 'none', 'the connection was cut');
    assert.deepEqual(rows, [{ id: 'read-me' }]);
  });
});

describe('PostgreSQL store: a connection lost under a post (one statement)', { skip }, () => {
  let database: TestDatabase;
  let proxy: CuttingProxy;
  let store: Store;
  let post: () => ReturnType<typeof storeNewComment>;
  let storyId: string;

  before(async () => {
    ({ database, proxy, store } = await storeBehindProxy());
    await migrate(store);
    const site = await insertSite(store.db, {
      name: 'Cut',
      allowedOrigins: ['https://news.example'],
      editWindowSeconds: 300,
      maxDepth: 3,
    });
    const { story } = await findOrInsertStory(store.db, site.id, {
      externalId: 'cut',
      url: 'https://news.example/cut',
    });
    storyId = story.id;
    const author = await insertUser(store.db, {
      email: 'cut@example.com',
      displayName: 'Cut',
      passwordHash: null,
      role: 'commenter',
    });
    assert.ok(author);
    post = () =>
      storeNewComment(
        store,
        {
          siteId: site.id,
          storyId,
          parentId: null,
          threadParentId: null,
          depth: 0,
          authorId: author.id,
          body: 'Cut off.',
          html: '<p>Cut off.</p>',
          status: 'approved',
        },
        { authorName: 'Cut', authorRole: 'commenter', replyToName: null },
        (comment) => commentEventRows(null, comment),
      );
  });

  after(async () => {
    await store?.close();
    await proxy?.close();
    await database?.drop();
  });

  /** What the database holds of the story: comments, its count, its last event number. */
  const held = async () => {
    const comments = await store.db
      .selectFrom('comments')
      .select('id')
      .where('story_id', '=', storyId)
      .execute();
    return {
      comments: comments.map((c) => c.id).sort(),
      count: (await storyCommentCount(store.db, storyId)) ?? 0,
      lastSeq: await lastLiveSeq(store.db, storyId),
    };
  };

  it('reports a post done when the statement ran but its answer was lost', async () => {
    const first = await post();
    assert.ok(first);
    proxy.fault = 'lose-post-answer';
    const posted = await post();
    assert.equal(proxy.fault, 'none', 'the connection was cut');
    assert.ok(posted, 'the post is reported done');
    assert.deepEqual(posted.events, [], 'its events went out with the answer');
    assert.deepEqual(await held(), {
      comments: [first.comment.id, posted.comment.id].sort(),
      count: 2,
      lastSeq: 4,
    });
  });

  it('reports a post failed (503 BUSY) when the statement never arrived, and stores nothing', async () => {
    const before = await held();
    proxy.fault = 'lose-post';
    await assert.rejects(post(), (error: unknown) => {
      assert.ok(isTransientDatabaseError(error), `a passing failure: ${String(error)}`);
      return true;
    });
    assert.equal(proxy.fault, 'none', 'the connection was cut');
    assert.deepEqual(await held(), before);
  });
});
