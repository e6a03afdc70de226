/**
 * PostgreSQL when its connections fail: a restart, a failover or an operator's
 * `pg_terminate_backend` ends them under running queries. The process must live on (pg emits
 * `error` events that end it when nobody listens), a read cut off may be run once more, and a
 * write either commits or fails, and says which.
 */
import pg from 'pg';
import {
  PostgresDialect,
  SelectQueryNode,
  sql,
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { Transact } from './group-commit.ts';
import type { Database } from './schema.ts';
import { isConnectionLost } from './transient.ts';

/**
 * The pool, with a listener for every `error` it or its clients may emit. An idle client's error
 * reaches the pool's (pg-pool drops the client; the next query gets a new one). A client in use,
 * by a query or a transaction, has no pool listener while it is out: its error is also the error
 * of the query on it (or of the next one), which is where it is handled, so here it is only kept
 * from ending the process.
 */
export function openPool(url: string): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  pool.on('error', (error) => console.warn(`postgres: idle connection lost: ${error.message}`));
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}

/**
 * Kysely's PostgreSQL dialect, with reads cut off by a lost connection run once more on another
 * connection. Only a SELECT built by the query builder outside a transaction is: it changes
 * nothing, so running it twice is safe. In a transaction the loss ends the transaction, and the
 * error goes to the caller.
 */
export class ResilientPostgresDialect extends PostgresDialect {
  override createDriver(): Driver {
    return new ReadRetryingDriver(super.createDriver());
  }
}

class TrackedConnection implements DatabaseConnection {
  inTransaction = false;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly driver: Driver,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(query);
    } catch (error) {
      if (this.inTransaction || !SelectQueryNode.is(query.query) || !isConnectionLost(error)) {
        throw error;
      }
      const fresh = await this.driver.acquireConnection();
      try {
        return await fresh.executeQuery<R>(query);
      } finally {
        await this.driver.releaseConnection(fresh);
      }
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

const unwrap = (connection: DatabaseConnection) => (connection as TrackedConnection).inner;

class ReadRetryingDriver implements Driver {
  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new TrackedConnection(await this.inner.acquireConnection(), this.inner);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    (connection as TrackedConnection).inTransaction = true;
    await this.inner.beginTransaction(unwrap(connection), settings);
  }

  async commitTransaction(connection: DatabaseConnection) {
    await this.inner.commitTransaction(unwrap(connection));
    (connection as TrackedConnection).inTransaction = false;
  }

  async rollbackTransaction(connection: DatabaseConnection) {
    await this.inner.rollbackTransaction(unwrap(connection));
    (connection as TrackedConnection).inTransaction = false;
  }

  async savepoint(...[connection, ...rest]: Parameters<NonNullable<Driver['savepoint']>>) {
    await this.inner.savepoint?.(unwrap(connection), ...rest);
  }

  async rollbackToSavepoint(
    ...[connection, ...rest]: Parameters<NonNullable<Driver['rollbackToSavepoint']>>
  ) {
    await this.inner.rollbackToSavepoint?.(unwrap(connection), ...rest);
  }

  async releaseSavepoint(
    ...[connection, ...rest]: Parameters<NonNullable<Driver['releaseSavepoint']>>
  ) {
    await this.inner.releaseSavepoint?.(unwrap(connection), ...rest);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(unwrap(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A write transaction that never reports failure for what it committed. When the connection is
 * lost after the COMMIT was sent, the client cannot tell whether it happened; the transaction's
 * id, read when it begins, lets it ask the server afterwards (`pg_xact_status`, on another
 * connection). Committed: the write succeeded. Aborted (or still unknown): it failed.
 */
export function postgresTransact(db: Kysely<Database>): Transact {
  return async <T>(work: (trx: Kysely<Database>) => Promise<T>): Promise<T> => {
    let xid: string | undefined;
    let value: T | undefined;
    try {
      return await db.transaction().execute(async (trx) => {
        // Read first, before the work takes its row locks: read last, the extra round trip kept a
        // hot story's count and sequence rows locked longer (writes to one story fell from 276/s
        // to 103/s in the write bench).
        const { rows } = await sql<{
          xid: string;
        }>`select pg_current_xact_id()::text as xid`.execute(trx);
        xid = rows[0]?.xid;
        value = await work(trx);
        return value;
      });
    } catch (error) {
      if (xid === undefined || !isConnectionLost(error)) throw error;
      if ((await transactionStatus(db, xid)) === 'committed') return value as T;
      throw error;
    }
  };
}

/** 'committed', 'aborted', or null when it cannot be told (the server is still unreachable). */
async function transactionStatus(db: Kysely<Database>, xid: string): Promise<string | null> {
  try {
    // A backend that was told to end finishes its transaction first: wait for it, briefly.
    for (let attempt = 0; attempt < 40; attempt++) {
      const { rows } = await sql<{
        status: string | null;
      }>`select pg_xact_status(${xid}::xid8) as status`.execute(db);
      const status = rows[0]?.status ?? null;
      if (status !== 'in progress') return status;
      await sleep(50);
    }
  } catch (error) {
    console.warn(`postgres: the outcome of transaction ${xid} is unknown: ${String(error)}`);
  }
  return null;
}
