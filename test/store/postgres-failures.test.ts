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
 * So a write either commits or reports failure, never both. Needs PostgreSQL: skipped (with a
 * message) when it is down, except in CI (CI=true), where that fails the run.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/db.ts';
import { isTransientDatabaseError } from '../../src/store/transient.ts';
import { createTestDatabase, testEngines, type TestDatabase } from '../helpers/engines.ts';

const postgres = (await testEngines()).includes('postgres');
const skip = postgres ? false : 'needs PostgreSQL (not reachable)';

type Fault = 'none' | 'lose-commit-answer' | 'lose-commit' | 'lose-select';

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
        (fault === 'lose-commit-answer' || fault === 'lose-commit') && chunk.includes('commit\0');
      const select = fault === 'lose-select' && chunk.includes('from "probe"');
      if (!hit && !select) {
        upstream.write(chunk);
        return;
      }
      this.fault = 'none';
      if (fault === 'lose-commit-answer') {
        // The server gets the COMMIT and runs it; its answer is lost with the connection.
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

describe('PostgreSQL store: a connection lost around a COMMIT', { skip }, () => {
  let database: TestDatabase;
  let proxy: CuttingProxy;
  let store: Store;

  before(async () => {
    database = await createTestDatabase('postgres');
    if (database.config.engine !== 'postgres') throw new Error('expected PostgreSQL');
    const url = new URL(database.config.url);
    proxy = new CuttingProxy({ host: url.hostname, port: Number(url.port || 5432) });
    url.port = String(await proxy.listen());
    store = openStore({ engine: 'postgres', url: url.href });
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
