/**
 * SQLite's write lock without stopping the event loop. better-sqlite3 is synchronous: while SQLite
 * waits for a lock another process holds (its busy timeout), the whole process waits with it and
 * answers nothing, not even /healthz. So the busy timeout is short (db.ts), and a statement that
 * still finds the database locked hands the connection back (reads of other requests go on), waits
 * asynchronously, backing off, and tries again, for up to `maxWaitMs` in all; then it fails with
 * SQLITE_BUSY, which the API answers 503 BUSY.
 *
 * Only a statement outside a transaction is tried again: one that failed for the lock changed
 * nothing. Every transaction therefore begins with BEGIN IMMEDIATE, which takes the write lock
 * before the transaction's work runs (and is such a statement): in a deferred transaction the
 * lock would be missed halfway, after work that cannot simply be run again.
 */
import {
  CompiledQuery,
  SqliteDialect,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type SqliteDialectConfig,
} from 'kysely';
import { isSqliteBusy } from './transient.ts';

export interface LockWaiting {
  /** Whether the connection is in a transaction now (better-sqlite3's `inTransaction`). */
  inTransaction(): boolean;
  /** The longest a statement waits for the lock in all, in ms. */
  maxWaitMs: number;
}

export class PatientSqliteDialect extends SqliteDialect {
  constructor(
    config: SqliteDialectConfig,
    private readonly waiting: LockWaiting,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    return new PatientSqliteDriver(super.createDriver(), this.waiting);
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Kysely's SQLite driver (one connection behind a mutex), with writes that wait their turn. */
class PatientSqliteDriver implements Driver {
  constructor(
    private readonly inner: Driver,
    private readonly waiting: LockWaiting,
  ) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await this.inner.acquireConnection();
    return {
      executeQuery: (query) => this.execute(connection, query),
      streamQuery: (query, chunkSize) => connection.streamQuery(query, chunkSize),
    };
  }

  private async execute<R>(
    connection: DatabaseConnection,
    query: CompiledQuery,
  ): Promise<QueryResult<R>> {
    if (this.waiting.inTransaction()) return connection.executeQuery<R>(query);
    const deadline = Date.now() + this.waiting.maxWaitMs;
    for (let attempt = 0; ; attempt++) {
      try {
        return await connection.executeQuery<R>(query);
      } catch (error) {
        if (!isSqliteBusy(error) || Date.now() >= deadline) throw error;
      }
      // The only connection goes back to the others meanwhile (Kysely's driver keeps a mutex on
      // it); this statement takes it again before its next try.
      await this.inner.releaseConnection(connection);
      await sleep(Math.min(10 * 2 ** attempt, 200, Math.max(0, deadline - Date.now())));
      await this.inner.acquireConnection();
    }
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.commitTransaction(connection);
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.inner.rollbackTransaction(connection);
  }

  async savepoint(...args: Parameters<NonNullable<Driver['savepoint']>>) {
    await this.inner.savepoint?.(...args);
  }

  async rollbackToSavepoint(...args: Parameters<NonNullable<Driver['rollbackToSavepoint']>>) {
    await this.inner.rollbackToSavepoint?.(...args);
  }

  async releaseSavepoint(...args: Parameters<NonNullable<Driver['releaseSavepoint']>>) {
    await this.inner.releaseSavepoint?.(...args);
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(connection);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}
