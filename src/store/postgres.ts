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

/**
 * Runs one statement as a transaction of its own (autocommit): the way a write to hot rows holds
 * their locks for the shortest time, because PostgreSQL commits it without waiting for another
 * round trip to the client. Answers the statement's rows, or null when the connection was lost
 * after the statement took effect (its answer is gone; the caller reads what it needs).
 *
 * A statement cut off with its connection either committed or did not, and its backend may even
 * still be running it (a network fault rather than a terminated backend). So before asking
 * `tookEffect`, the backend that ran it must be gone: it is waited for, and ended if it lingers;
 * once it has exited nothing more of the statement can commit.
 */
export type RunAlone = <R>(
  query: CompiledQuery<R>,
  tookEffect: (db: Kysely<Database>) => Promise<boolean>,
) => Promise<R[] | null>;

export function runAlone(pool: pg.Pool, db: Kysely<Database>): RunAlone {
  return async <R>(
    query: CompiledQuery<R>,
    tookEffect: (db: Kysely<Database>) => Promise<boolean>,
  ) => {
    const client = await pool.connect();
    // pg keeps the backend's process id from its BackendKeyData message; untyped in @types/pg.
    const pid = (client as unknown as { processID: number }).processID;
    try {
      const result = await client.query<R & pg.QueryResultRow>(query.sql, [...query.parameters]);
      client.release();
      return result.rows;
    } catch (error) {
      client.release(error instanceof Error ? error : true);
      if (!isConnectionLost(error)) throw error;
      if ((await backendGone(db, pid)) && (await tookEffect(db))) return null;
      throw error;
    }
  };
}

/**
 * Waits until a backend has exited, ending it if it lingers; false if that cannot be told. Known
 * by its process id alone (behind a TCP proxy the server sees another client port): the kernel
 * hands out process ids in turn, so one is not reused within these seconds.
 */
async function backendGone(db: Kysely<Database>, pid: number): Promise<boolean> {
  try {
    for (let attempt = 0; attempt < 60; attempt++) {
      const { rows } = await sql<{
        pid: number;
      }>`select pid from pg_stat_activity where pid = ${pid}`.execute(db);
      if (rows.length === 0) return true;
      if (attempt === 20) await sql`select pg_terminate_backend(${pid})`.execute(db);
      await sleep(50);
    }
  } catch (error) {
    console.warn(`postgres: cannot tell whether backend ${pid} has ended: ${String(error)}`);
  }
  return false;
}
