/**
 * A job queue in the project's own database (works on SQLite and PostgreSQL): enqueue in the same
 * transaction as the change that causes the job, claim one due job at a time (PostgreSQL skips rows
 * other processes hold, so each job is claimed once), retry with exponential backoff.
 */
import { sql, type Kysely } from 'kysely';
import { newId } from '../domain/ids.ts';
import type { Database } from '../store/schema.ts';
import type { Engine } from '../store/db.ts';
import { toIso } from '../store/rows.ts';

type Db = Kysely<Database>;

export interface Job {
  id: string;
  kind: string;
  payload: unknown;
  attempts: number;
  maxAttempts: number;
}

export async function enqueueJob(
  db: Db,
  kind: string,
  payload: unknown,
  options: {
    delayMs?: number;
    /** When the job is due; takes the place of delayMs for jobs planned to the clock. */
    runAt?: Date;
    maxAttempts?: number;
    /**
     * A deterministic id makes the job unique: enqueueing it again (another process starting, a
     * scheduled job planning its next run twice) changes nothing.
     */
    id?: string;
  } = {},
): Promise<string> {
  const id = options.id ?? newId();
  const now = Date.now();
  await db
    .insertInto('jobs')
    .values({
      id,
      kind,
      payload: JSON.stringify(payload),
      run_at: (options.runAt ?? new Date(now + (options.delayMs ?? 0))).toISOString(),
      attempts: 0,
      max_attempts: options.maxAttempts ?? 5,
      locked_until: null,
      last_error: null,
      done_at: null,
      created_at: new Date(now).toISOString(),
    })
    .$if(options.id !== undefined, (q) => q.onConflict((oc) => oc.column('id').doNothing()))
    .execute();
  return id;
}

/** Claims the oldest due job, locking it for `lockMs`; undefined when none is due. */
export async function claimJob(db: Db, engine: Engine, lockMs: number): Promise<Job | undefined> {
  const now = new Date().toISOString();
  const lockedUntil = new Date(Date.now() + lockMs).toISOString();
  const skipLocked = engine === 'postgres' ? sql`for update skip locked` : sql``;
  const result = await sql<{
    id: string;
    kind: string;
    payload: string;
    attempts: number;
    max_attempts: number;
  }>`
    update jobs set locked_until = ${lockedUntil}, attempts = attempts + 1
    where id = (
      select id from jobs
      where done_at is null and run_at <= ${now}
        and (locked_until is null or locked_until < ${now})
      order by run_at
      limit 1
      ${skipLocked}
    )
    returning id, kind, payload, attempts, max_attempts`.execute(db);
  const row = result.rows[0];
  if (!row) return undefined;
  return {
    id: row.id,
    kind: row.kind,
    payload: JSON.parse(row.payload) as unknown,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
  };
}

export async function completeJob(db: Db, id: string): Promise<void> {
  await db
    .updateTable('jobs')
    .set({ done_at: new Date().toISOString(), locked_until: null, last_error: null })
    .where('id', '=', id)
    .execute();
}

/** Schedules a retry after 2^attempts seconds, or gives up after the last attempt. */
export async function failJob(db: Db, job: Job, error: string): Promise<void> {
  const giveUp = job.attempts >= job.maxAttempts;
  const retryAt = new Date(Date.now() + 1000 * 2 ** job.attempts).toISOString();
  await db
    .updateTable('jobs')
    .set({
      last_error: error.slice(0, 1000),
      locked_until: null,
      ...(giveUp ? { done_at: new Date().toISOString() } : { run_at: retryAt }),
    })
    .where('id', '=', job.id)
    .execute();
}

export async function jobState(
  db: Db,
  id: string,
): Promise<{ attempts: number; doneAt: string | null; lastError: string | null } | undefined> {
  const row = await db
    .selectFrom('jobs')
    .select(['attempts', 'done_at', 'last_error'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row && { attempts: row.attempts, doneAt: toIso(row.done_at), lastError: row.last_error };
}
