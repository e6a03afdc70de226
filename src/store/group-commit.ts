/**
 * Group commit for SQLite. With `synchronous=FULL` every COMMIT waits for the disk (an fsync, about
 * 0.2 ms here, during which better-sqlite3 blocks the event loop), and that wait was a third of the
 * time of posting a comment. Writes that arrive together are therefore run as savepoints of one
 * transaction and share its commit: each caller is answered only after that commit, so the
 * invariant holds (what the API acknowledged is on disk), and a write that fails is rolled back to
 * its own savepoint without touching the others in the batch.
 *
 * A batch starts on `setImmediate`, after the event loop has taken in the requests that arrived
 * together, and takes at most `maxBatch` writes; PostgreSQL, whose connections commit in
 * parallel, gets plain transactions (see db.ts).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.ts';

/** Runs `work` in a transaction and resolves once it is committed. */
export type Transact = <T>(work: (trx: Kysely<Database>) => Promise<T>) => Promise<T>;

interface Pending {
  work: (trx: Kysely<Database>) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  maxBatch?: number;
  /** Told the size of every committed batch (metrics, tests). */
  onBatch?: (size: number) => void;
}

export function groupCommit(db: Kysely<Database>, options: GroupCommitOptions = {}): Transact {
  const maxBatch = options.maxBatch ?? 64;
  const queue: Pending[] = [];
  let scheduled = false;

  function schedule(): void {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      void runBatch();
    });
  }

  async function runBatch(): Promise<void> {
    const batch = queue.splice(0, maxBatch);
    if (queue.length > 0) schedule();
    if (batch.length === 0) return;
    const done: { item: Pending; value: unknown }[] = [];
    const failed = new Set<Pending>();
    try {
      await db.transaction().execute(async (trx) => {
        for (const item of batch) {
          await sql`savepoint parley_write`.execute(trx);
          try {
            const value = await item.work(trx);
            await sql`release parley_write`.execute(trx);
            done.push({ item, value });
          } catch (error) {
            await sql`rollback to parley_write`.execute(trx);
            await sql`release parley_write`.execute(trx);
            failed.add(item);
            item.reject(error);
          }
        }
      });
    } catch (error) {
      // The transaction failed as a whole: nothing of the batch is on disk.
      for (const item of batch) if (!failed.has(item)) item.reject(error);
      return;
    }
    options.onBatch?.(done.length);
    for (const { item, value } of done) item.resolve(value);
  }

  return <T>(work: (trx: Kysely<Database>) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      schedule();
    });
}
