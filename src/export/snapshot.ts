/**
 * One consistent view of the database for a whole export. An export reads table after table, a
 * page at a time, for minutes on a large instance; without a snapshot a comment posted meanwhile
 * could be missed while its reactions (read later) are not, and the archive would refer to rows it
 * does not hold.
 *
 * - PostgreSQL: a read-only REPEATABLE READ transaction: every query sees the database as it was at
 *   the first one, and writers are not blocked.
 * - SQLite: a deferred read transaction (`BEGIN`, not the store's `BEGIN IMMEDIATE`, which would
 *   take the write lock and stop the server's writes for the whole export). In WAL mode it sees one
 *   snapshot and blocks no writer. It is begun on the store's only connection, so the store must be
 *   the export's alone while it runs: the CLI's, never a serving process's.
 */
import { sql, type Kysely } from 'kysely';
import type { Store } from '../store/db.ts';
import type { Database } from '../store/schema.ts';

export async function withSnapshot<T>(
  store: Pick<Store, 'db' | 'engine'>,
  run: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  if (store.engine === 'postgres') {
    return store.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(run);
  }
  await sql`begin deferred`.execute(store.db);
  try {
    return await run(store.db);
  } finally {
    // Nothing was written: ending the read transaction is all COMMIT does here.
    await sql`commit`.execute(store.db);
  }
}
