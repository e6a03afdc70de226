/**
 * Opens the database named by the configuration: SQLite through better-sqlite3 (WAL,
 * synchronous=FULL, so an acknowledged write is on disk) or PostgreSQL through pg. How each copes
 * with failures that pass (another process holding SQLite's lock, PostgreSQL dropping connections):
 * sqlite.ts, postgres.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresAdapter, sql, type SqliteDatabase } from 'kysely';
import type { DatabaseConfig } from '../config.ts';
import type { Database } from './schema.ts';
import { groupCommit, type Transact } from './group-commit.ts';
import {
  openPool,
  postgresTransact,
  ResilientPostgresDialect,
  runAlone,
  type RunAlone,
} from './postgres.ts';
import { PatientSqliteDialect } from './sqlite.ts';

export type Engine = DatabaseConfig['engine'];

export interface Store {
  db: Kysely<Database>;
  engine: Engine;
  /**
   * Runs a write in a transaction, resolving once it is committed. On SQLite, writes arriving
   * together share one commit (group-commit.ts); on PostgreSQL each has its own transaction.
   */
  transact: Transact;
  /**
   * PostgreSQL only: runs one statement as its own transaction, for writes to rows that every
   * writer of a story takes (postgres.ts). Absent on SQLite, where `transact` is the way.
   */
  runAlone?: RunAlone;
  close(): Promise<void>;
}

/**
 * Whether `SELECT … FOR UPDATE` is how a transaction takes a row's write lock: on PostgreSQL. SQLite
 * serialises writers (one connection, one transaction at a time), so a read in the transaction is
 * already as good as locked.
 */
export const takesRowLocks = (db: Kysely<Database>): boolean =>
  db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * `featured = true` as the partial indexes on featured comments are written: 1 on SQLite, true on
 * PostgreSQL, and a literal, not a parameter (SQLite uses a partial index only for a condition it
 * can see holds).
 */
export const featuredFlag = (db: Kysely<Database>) =>
  takesRowLocks(db) ? sql<number>`true` : sql<number>`1`;

// PostgreSQL returns COUNT(*) and BIGINT as strings; our counts fit comfortably in a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * Kysely prepares every query it runs; preparing showed up as the largest cost of a read in
 * profiles. The same SQL text gets the same prepared statement back (a bounded LRU).
 */
function withStatementCache(sqlite: SQLite.Database, size = 500): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement) {
        statements.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (statements.size >= size) statements.delete(statements.keys().next().value as string);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}

/** SQLite's synchronous wait for a lock held by another process, per try. */
const SQLITE_BUSY_TIMEOUT_MS = 10;
/** The longest a statement waits for that lock in all (asynchronously) before failing BUSY. */
export const SQLITE_LOCK_WAIT_MS = 5000;

export function openStore(config: DatabaseConfig): Store {
  if (config.engine === 'postgres') {
    // A connection the server drops (restart, failover) must not crash the process; the pool
    // replaces it on the next query (postgres.ts).
    const pool = openPool(config.url);
    const db = new Kysely<Database>({ dialect: new ResilientPostgresDialect({ pool }) });
    return {
      db,
      engine: 'postgres',
      transact: postgresTransact(db),
      runAlone: runAlone(pool, db),
      close: () => db.destroy(),
    };
  }
  if (config.file !== ':memory:') fs.mkdirSync(path.dirname(config.file), { recursive: true });
  const sqlite = new SQLite(config.file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // SQLite's own wait for a lock blocks the event loop (better-sqlite3 is synchronous): kept short,
  // and a longer wait happens asynchronously, between tries (sqlite.ts).
  sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  const db = new Kysely<Database>({
    dialect: new PatientSqliteDialect(
      { database: withStatementCache(sqlite) },
      { inTransaction: () => sqlite.inTransaction, maxWaitMs: SQLITE_LOCK_WAIT_MS },
    ),
  });
  return { db, engine: 'sqlite', transact: groupCommit(db), close: () => db.destroy() };
}
